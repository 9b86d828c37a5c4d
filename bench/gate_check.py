#!/usr/bin/env python
"""Gate-check benchmark: the verify page as a guard sees it, among 50,000 live documents.

``run.py`` calls ``gate_check()`` (figures under the key ``gate_check``). Standalone, it needs no
seeded demo: ``python bench/gate_check.py [--database NAME]`` creates and migrates the database
if missing (default ``jinyuan_bench`` on the server of DATABASE_URL) and bulk-creates what it
measures. Documents are bulk-copied here, not made by seed_demo (DESIGN.md, tests and quality).
"""

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

LIVE_DOCUMENTS = 50_000
REQUESTS = 200
BATCH = 5_000
TARGET_MEDIAN_MS = 30
BENCH_PREFIX = "GB"  # numbers of the copied documents: never a prefix the system issues
GUARD = "guard"  # the demo's security user; made here when the database has none


def log(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def _guard() -> Any:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from jinyuan.accounts.roles import Role

    user, created = get_user_model().objects.get_or_create(username=GUARD, defaults={"display_name": "秩序部"})
    if created:
        user.groups.add(Group.objects.get(name=Role.SECURITY))
    return user


def _fill_live_documents(wanted: int, issuer: Any) -> int:
    """Bulk-copy premises certificates until ``wanted`` documents are valid; returns the count."""
    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone

    from jinyuan.documents.codes import new_code
    from jinyuan.documents.models import Document
    from tenants.models import Tenant

    live = Document.objects.filter(status=Document.Status.VALID).count()
    if live >= wanted:
        return live
    model = Document.objects.filter(kind="premises_certificate").order_by("pk").first()
    data = model.data if model else {"company": "南宁邕江科技有限公司", "building": "A座", "unit": "A-1201"}
    source = ContentType.objects.get_for_model(Tenant)
    year = timezone.localdate().year
    start = Document.objects.filter(number__startswith=f"{BENCH_PREFIX}-").count()
    missing = wanted - live
    log(f"bulk-creating {missing} live documents (there are {live})")
    for offset in range(0, missing, BATCH):
        Document.objects.bulk_create(
            Document(
                kind="premises_certificate",
                number=f"{BENCH_PREFIX}-{year}-{start + offset + i + 1:07d}",
                code=new_code(),
                content_type=source,
                object_id=0,
                data=data,
                issued_by=issuer,
            )
            for i in range(min(BATCH, missing - offset))
        )
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("ANALYZE documents_document")
    return Document.objects.filter(status=Document.Status.VALID).count()


def gate_check(requests: int = REQUESTS) -> dict:
    """Server time (in-process, Django's test client: middleware, view, template) of the
    verify page as a logged-in guard, for ``requests`` random live codes; the queries of each."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from jinyuan.documents.models import Document

    guard = _guard()
    live = _fill_live_documents(LIVE_DOCUMENTS, guard)
    # Live certificates: receipts are valid documents too, but a guard has nothing to do with them.
    codes = list(
        Document.objects.filter(status=Document.Status.VALID, kind="premises_certificate")
        .order_by("?")
        .values_list("code", flat=True)[:requests]
    )
    client = Client()
    client.force_login(guard)
    client.get(f"/verify/{codes[0]}/")  # warm-up: templates, translations, connection
    times, cpu, queries = [], [], set()
    load_at_start = round(os.getloadavg()[0], 2)
    for code in codes:
        with CaptureQueriesContext(connection) as captured:
            started, started_cpu = time.perf_counter(), time.process_time()
            response = client.get(f"/verify/{code}/")
            elapsed = (time.perf_counter() - started) * 1000
            cpu.append((time.process_time() - started_cpu) * 1000)
        if response.status_code != 200 or b'name="action"' not in response.content:
            return {"error": f"/verify/{code}/ answered {response.status_code} without the guard's actions"}
        times.append(elapsed)
        queries.add(len(captured))
    times.sort()
    median = round(statistics.median(times), 1)
    return {
        "documents": live,
        "requests": len(times),
        "median_ms": median,
        "p90_ms": round(times[int(len(times) * 0.9) - 1], 1),
        # This process's CPU per request (PostgreSQL's share excluded): steadier than wall
        # time when other work shares the two cores.
        "median_cpu_ms": round(statistics.median(cpu), 1),
        "load_average_1m": [load_at_start, round(os.getloadavg()[0], 2)],
        "queries": max(queries),
        "queries_fixed": len(queries) == 1,
        "target_median_ms": TARGET_MEDIAN_MS,
        "met": median <= TARGET_MEDIAN_MS and len(queries) == 1 and live >= LIVE_DOCUMENTS,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default=None, help="database name (default: run.py's bench database)")
    parser.add_argument("--requests", type=int, default=REQUESTS)
    args = parser.parse_args()
    root = Path(__file__).resolve().parent.parent
    sys.path.insert(0, str(root))
    import run  # bench/run.py: the same database helpers

    name = args.database or run.BENCH_DB
    dev_url = run.dev_database_url()
    url = run.with_db_name(dev_url, name)
    if not run.database_exists(run.with_db_name(dev_url, "postgres"), name):
        run.recreate_database(run.with_db_name(dev_url, "postgres"), name)
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "jinyuan.settings", "PYTHONWARNINGS": "ignore"}
    run.manage(env, "migrate", "--no-input", "-v0")
    os.environ.update(env)
    import django

    django.setup()
    print(json.dumps({"database": name, "gate_check": gate_check(args.requests)}, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
