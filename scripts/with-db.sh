#!/usr/bin/env bash
# Runs a command with DATABASE_URL set: the given one, or the embedded PostgreSQL under var/pg.
set -euo pipefail
if [ -z "${DATABASE_URL:-}" ]; then
  DATABASE_URL=$(.venv/bin/python -W ignore scripts/embedded_db.py)
  export DATABASE_URL
fi
exec "$@"
