"""What a server or worker started by a test needs to reach the test database."""

from urllib.parse import quote

from django.db import connection


def url_of_test_database() -> str:
    """DATABASE_URL of the database this test runs on (a TCP host or a Unix socket directory)."""
    db = connection.settings_dict
    host = quote(db["HOST"] or "", safe="")
    port = db["PORT"] or 5432
    user = quote(db["USER"] or "postgres", safe="")
    password = f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else ""
    if host.startswith("%2F"):  # a Unix socket directory
        return f"postgres://{user}{password}@/{db['NAME']}?host={host}&port={port}"
    return f"postgres://{user}{password}@{host}:{port}/{db['NAME']}"
