#!/usr/bin/env bash
# The Redis of `make run` when REDIS_URL is unset: Debian's redis-server (scripts/system-deps.sh
# installs it) on the Unix socket REDIS_URL names (scripts/serve.sh sets unix://.../var/redis.sock),
# no TCP port, data under var/redis. It stays in the foreground: honcho stops it on Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
socket=${REDIS_URL#unix://}
if [ "$socket" = "${REDIS_URL:-}" ]; then
  echo "scripts/redis.sh serves a Unix socket: REDIS_URL must be unix:///path/to/redis.sock" >&2
  exit 2
fi
mkdir -p var/redis
# Append-only file as in production (docker-compose.yml): queued tasks survive a restart.
exec redis-server --port 0 --unixsocket "$socket" --unixsocketperm 700 \
  --dir "$PWD/var/redis" --appendonly yes --save "" --loglevel warning
