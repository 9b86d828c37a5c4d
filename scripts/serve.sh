#!/usr/bin/env bash
# Serves as production does: the Procfile's gunicorn, Celery worker and Celery beat under honcho,
# on HOST:PORT (default 127.0.0.1:8000). Without REDIS_URL it also runs the Procfile's redis
# (Debian's redis-server on var/redis.sock) and points every process at it.
# Ctrl-C stops them all: honcho passes SIGTERM to each process group, SIGKILL 5 s later.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p var
# The Procfile names bare commands (gunicorn, celery): the project's venv comes first.
if [ -d .venv/bin ]; then PATH="$PWD/.venv/bin:$PATH"; fi
processes=(web worker beat)
if [ -z "${REDIS_URL:-}" ]; then
  # An absolute path: every process resolves it alike. Unix socket paths are limited to 107 bytes.
  export REDIS_URL="unix://$PWD/var/redis.sock"
  processes+=(redis)
fi
export HOST=${HOST:-127.0.0.1}
# --env /dev/null: settings read .env themselves, where the environment wins; honcho's own
# reading would let .env win (and send a test's servers to the database .env names).
exec honcho start -f Procfile --env /dev/null -p "${PORT:-8000}" "${processes[@]}"
