#!/usr/bin/env python
"""Arrears benchmarks (issue 13): late fees, a building's batch of notices, the bill ledger.

``run.py --only arrears`` calls ``measure()``; standalone, ``python bench/arrears_figures.py
[--database NAME]`` uses run.py's bench database (the large demo: 3,000 tenants, ~94,000 bills).

The large demo pays nearly every bill (a few hundred are overdue), which is no month-end of a
real tower. So the data is fitted once, in bulk SQL (never the services), and stays so:

- every occupancy carries the demo's agreement clause, 违约金 0.03 % a day after the demo's
  grace days (``demo.premises.LATE_FEE_RATE``/``LATE_FEE_GRACE_DAYS``; the large demo already
  writes it, an older bench database may lack it);
- 37 % of the occupying companies stopped paying: their last one to six monthly bills due
  before today (half of them one, an eighth four to six: the escalation list and demand
  letters have rows) lose their payment (allocation, payment and receipt deleted); one in five
  of those companies paid part of its oldest unpaid bill (40 %: partly paid). About 300
  companies of each building are then in arrears, as the issue's batch of notices assumes.

A later run finds the overdue bills there and fits nothing. Every figure below leaves the
database as it found it (its writes rolled back, the files it rendered deleted), so the bench
database can be measured again.

Figures:

- ``late_fee_run``: ``billing.latefee_services.late_fees_bill_all`` over every open bill,
  then once more (the second run must bill nothing), in one transaction rolled back: <= 10 s;
- ``arrears_notices_pdf``: building A's batch of notices 催缴通知书 (its companies in arrears),
  issued and rendered as the desk's button does it (``billing.arrears.notice_batch_create``
  then the task's service ``notice_batch_render``): <= 30 s;
- ``bill_ledger_export``: the whole bill ledger (``/desk/billing/bills/?export=xlsx``) from a
  real gunicorn worker, as finance downloads it, timed to the last byte, with the worker's peak
  resident memory (VmHWM, as run.py's ``worker_peak_rss_mb``): <= 20 s and < 250 MB.
"""

import os
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import zipfile
from datetime import date
from pathlib import Path
from typing import Any

ARREARS_SHARE = 37  # per cent of the occupying companies that stopped paying
PARTLY_PAID_SHARE = 20  # per cent of those that paid part of their oldest unpaid bill
PARTLY_PAID = "0.40"  # the part they paid
FITTED_WHEN = 1000  # overdue bills that say the data was fitted already
BUILDING = "A"
TARGETS = {
    "late_fee_run_seconds": 10,
    "arrears_notices_pdf_seconds": 30,
    "bill_ledger_export_seconds": 20,
    "bill_ledger_export_peak_rss_mb": 250,
}


def log(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


# --- fitting the data ---------------------------------------------------------------------------


def overdue_count(today: date) -> int:
    from billing.models import Bill

    return Bill.objects.filter(status__in=("open", "partly_paid"), due_date__lt=today).count()


def fit(today: date) -> dict[str, Any]:
    """The agreement clause on every occupancy, and the companies in arrears (once)."""
    from django.db import connection, transaction

    from demo.premises import LATE_FEE_GRACE_DAYS, LATE_FEE_RATE

    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute(
            "UPDATE tenants_occupancy SET late_fee_daily_rate = %s, late_fee_grace_days = %s "
            "WHERE late_fee_daily_rate IS DISTINCT FROM %s OR late_fee_grace_days <> %s",
            [LATE_FEE_RATE, LATE_FEE_GRACE_DAYS, LATE_FEE_RATE, LATE_FEE_GRACE_DAYS],
        )
        clauses = cur.rowcount
        if overdue_count(today) >= FITTED_WHEN:
            return {"occupancies_given_the_clause": clauses, "arrears_fitted": False}
        unpaid = _unpay(cur, today)
    with connection.cursor() as cur:
        for table in ("billing_bill", "billing_allocation", "billing_payment", "documents_document"):
            cur.execute(f"ANALYZE {table}")
    return {
        "occupancies_given_the_clause": clauses,
        "arrears_fitted": True,
        **unpaid,
        "fit_seconds": round(time.perf_counter() - started, 1),
    }


# The companies in arrears and how many months each let slide: a fixed hash of the tenant's id,
# so every bench database of the same demo is fitted alike.
UNPAID_SQL = """
CREATE TEMP TABLE bench_unpaid ON COMMIT DROP AS
WITH current_tenants AS (
    SELECT DISTINCT tenant_id FROM tenants_occupancy
    WHERE start <= %(today)s AND ("end" IS NULL OR "end" > %(today)s)
), chosen AS (
    SELECT tenant_id, (tenant_id * 2654435761) %% 1000 AS h FROM current_tenants
), arrears AS (
    SELECT tenant_id,
           CASE WHEN h %% 8 < 4 THEN 1 WHEN h %% 8 < 6 THEN 2 WHEN h %% 8 < 7 THEN 3 ELSE 4 + h %% 3 END AS months,
           (h / 10) %% 100 < %(partly)s AS partly
    FROM chosen WHERE h %% 100 < %(share)s
), ranked AS (
    SELECT b.id, b.tenant_id, b.total, a.months, a.partly,
           row_number() OVER (PARTITION BY b.tenant_id ORDER BY b.due_date DESC, b.id DESC) AS n
    FROM billing_bill b JOIN arrears a USING (tenant_id)
    WHERE b.source_key LIKE 'monthly:%%' AND b.due_date < %(today)s AND b.status <> 'void'
)
SELECT id AS bill_id, tenant_id, total,
       CASE WHEN partly AND n = months THEN round(total * %(part)s, 2) ELSE 0 END AS keep
FROM ranked WHERE n <= months
"""


def _unpay(cur: Any, today: date) -> dict[str, int]:
    """Take the payments off the chosen bills: deleted (allocation, payment, receipt), or cut
    to the part kept (the allocation and the payment both, so the payment leaves no credit)."""
    cur.execute(UNPAID_SQL, {"today": today, "share": ARREARS_SHARE, "partly": PARTLY_PAID_SHARE, "part": PARTLY_PAID})
    cur.execute("SELECT count(*), count(DISTINCT tenant_id), count(*) FILTER (WHERE keep > 0) FROM bench_unpaid")
    bills, tenants, partly = cur.fetchone()
    cur.execute(
        "CREATE TEMP TABLE bench_gone ON COMMIT DROP AS "
        "SELECT a.id AS allocation_id, a.payment_id, p.receipt_id, u.keep "
        "FROM billing_allocation a JOIN bench_unpaid u ON u.bill_id = a.bill_id "
        "JOIN billing_payment p ON p.id = a.payment_id"
    )
    # Cut to the part kept: the allocation and its payment (paid in one transfer).
    cur.execute(
        "UPDATE billing_allocation a SET amount = g.keep FROM bench_gone g WHERE a.id = g.allocation_id AND g.keep > 0"
    )
    cur.execute(
        "UPDATE billing_payment p SET amount = g.keep, allocated = g.keep FROM bench_gone g "
        "WHERE p.id = g.payment_id AND g.keep > 0"
    )
    cur.execute("DELETE FROM billing_allocation a USING bench_gone g WHERE a.id = g.allocation_id AND g.keep = 0")
    cur.execute(
        "DELETE FROM billing_payment p USING bench_gone g WHERE p.id = g.payment_id AND g.keep = 0 "
        "AND NOT EXISTS (SELECT 1 FROM billing_allocation a WHERE a.payment_id = p.id)"
    )
    cur.execute(
        "DELETE FROM documents_document d USING bench_gone g WHERE d.id = g.receipt_id AND g.keep = 0 "
        "AND NOT EXISTS (SELECT 1 FROM billing_payment p WHERE p.receipt_id = d.id)"
    )
    cur.execute(
        "UPDATE billing_bill b SET paid = u.keep, status = CASE WHEN u.keep > 0 THEN 'partly_paid' ELSE 'open' END "
        "FROM bench_unpaid u WHERE b.id = u.bill_id"
    )
    return {"bills_unpaid": bills, "tenants_in_arrears": tenants, "bills_partly_paid": partly}


def shape(today: date) -> dict[str, Any]:
    """What the fitted data holds: overdue bills, companies in arrears per building."""
    from billing import arrears_selectors as sel
    from tenants.models import Building

    return {
        "bills": _count("SELECT count(*) FROM billing_bill"),
        "overdue_bills": overdue_count(today),
        "partly_paid": _count("SELECT count(*) FROM billing_bill WHERE status = 'partly_paid'"),
        "tenants_in_arrears_by_building": {
            b.code: sel.tenants_in_arrears(today, building=b).count() for b in Building.objects.order_by("code")
        },
        "late_fee_charges": _count("SELECT count(*) FROM billing_latefeecharge"),
    }


def _count(sql: str) -> int:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(sql)
        return cur.fetchone()[0]


class Rollback(Exception):
    """Raised at the end of a measured transaction: what it wrote is undone."""


def system_user() -> Any:
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(is_superuser=True, is_active=True).order_by("pk").first()


# --- late fees ----------------------------------------------------------------------------------


def late_fee_run() -> dict[str, Any]:
    """The month-end run over every open bill, then a second run, both rolled back."""
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from billing.latefee_services import late_fees_bill_all
    from billing.models import LateFeeCharge

    by = system_user()
    result: dict[str, Any] = {}
    try:
        with transaction.atomic():
            started = time.perf_counter()
            with CaptureQueriesContext(connection) as captured:
                created = late_fees_bill_all(by=by)
            result["seconds"] = round(time.perf_counter() - started, 2)
            result["queries"] = len(captured)
            result["bills_created"] = created
            result["charges"] = LateFeeCharge.objects.count()
            started = time.perf_counter()
            result["second_run_bills_created"] = late_fees_bill_all(by=by)
            result["second_run_seconds"] = round(time.perf_counter() - started, 2)
            raise Rollback
    except Rollback:
        pass
    result["met"] = (
        result["seconds"] <= TARGETS["late_fee_run_seconds"]
        and result["bills_created"] > 0
        and result["second_run_bills_created"] == 0
    )
    return result


# --- a building's batch of notices ---------------------------------------------------------------


def arrears_notices_pdf(today: date) -> dict[str, Any]:
    """Building A's notices as the desk's button makes them: issued (one number range, in the
    request) and rendered (the worker's task calls ``notice_batch_render``), rolled back, the
    file deleted."""
    from io import BytesIO

    import run  # bench/run.py
    from django.core.files.storage import default_storage
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext
    from pypdf import PdfReader

    from billing import arrears
    from billing import arrears_selectors as sel
    from tenants.models import Building

    building = Building.objects.get(code=BUILDING)
    by = system_user()
    result: dict[str, Any] = {"building": building.code}
    try:
        with transaction.atomic():
            started = time.perf_counter()
            with CaptureQueriesContext(connection) as captured:
                tenants = list(sel.tenants_in_arrears(today, building=building))
                batch = arrears.notice_batch_create(tenants=tenants, by=by, building=building)
            issued, cpu = time.perf_counter(), time.process_time()
            arrears.notice_batch_render(batch=batch)
            done, cpu = time.perf_counter(), time.process_time() - cpu
            batch.refresh_from_db()
            with batch.pdf.open("rb") as handle:
                pdf = handle.read()
            default_storage.delete(batch.pdf.name)
            raise Rollback
    except Rollback:
        pass
    text = PdfReader(BytesIO(pdf)).pages[0].extract_text() or ""
    result.update(
        seconds=round(done - started, 1),
        issue_seconds=round(issued - started, 2),
        issue_queries=len(captured),
        render_seconds=round(done - issued, 1),
        # This process's CPU for the render: the work itself, whatever else the cores are doing.
        render_cpu_seconds=round(cpu, 1),
        tenants=len(tenants),
        pages=batch.pages,
        size_kib=round(len(pdf) / 1024, 1),
        first_page_has_a_notice="通知书编号" in text,
        **run.pdf_fonts(pdf),
    )
    result["met"] = result["seconds"] <= TARGETS["arrears_notices_pdf_seconds"] and result["first_page_has_a_notice"]
    return result


# --- the whole bill ledger from a gunicorn worker ---------------------------------------------------


def bill_ledger_export() -> dict[str, Any]:
    """``/desk/billing/bills/?export=xlsx`` as finance downloads it from a gunicorn worker
    (run.py's: two sync workers), timed to the last byte; the worker's peak resident memory
    polled every 0.1 s while it serves (VmHWM, as ``worker_peak_rss_mb``). The rows are counted
    in the file itself (the sheet's ``<row`` elements less the header and the totals)."""
    import run  # bench/run.py
    from django.conf import settings

    from billing.models import Bill

    client = run.client_of("finance")
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    peak: dict[int, int] = {}
    with tempfile.TemporaryFile() as body, run.gunicorn(dict(os.environ), peak) as (base, poll):
        # Each worker's first request loads the project: not what the export costs.
        for _ in range(4):
            run.http_get(f"{base}/desk/billing/bills/", cookie)
        poll()
        before = max(peak.values(), default=0)
        stop = threading.Event()

        def poll_until_stopped() -> None:
            while not stop.is_set():
                poll()
                time.sleep(0.1)

        poller = threading.Thread(target=poll_until_stopped, daemon=True)
        poller.start()
        started = time.perf_counter()
        status, first_byte, size = _download(f"{base}/desk/billing/bills/?export=xlsx", cookie, body)
        seconds = time.perf_counter() - started
        stop.set()
        poller.join()
        poll()
        body.seek(0)
        rows = _sheet_rows(body) if status == 200 else 0
    peak_mb = round(max(peak.values(), default=0) / 1024, 1)
    result = {
        "status": status,
        "seconds": round(seconds, 1),
        "first_byte_seconds": round(first_byte, 1),
        "rows": rows,
        "bills": Bill.objects.count(),
        "size_mib": round(size / 2**20, 1),
        "peak_rss_mb": peak_mb,
        "rss_before_mb": round(before / 1024, 1),
        "server": "gunicorn -w 2 (sync), as run.py's throughput",
    }
    result["met"] = (
        status == 200
        and rows == result["bills"]
        and seconds <= TARGETS["bill_ledger_export_seconds"]
        and peak_mb < TARGETS["bill_ledger_export_peak_rss_mb"]
    )
    return result


def _download(url: str, cookie: str, out: Any) -> tuple[int, float, int]:
    """GET ``url`` into ``out``: the status, the seconds to the first byte, the bytes read."""
    if not url.startswith("http://127.0.0.1:"):
        raise ValueError(f"benchmarks only talk to 127.0.0.1, not {url}")
    request = urllib.request.Request(url, headers={"Cookie": cookie})  # noqa: S310 - checked above
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=120) as response:  # noqa: S310 - checked above
            first = time.perf_counter() - started
            size = 0
            while chunk := response.read(1 << 16):
                out.write(chunk)
                size += len(chunk)
            return response.status, first, size
    except urllib.error.HTTPError as exc:
        return exc.code, time.perf_counter() - started, 0


def _sheet_rows(file: Any) -> int:
    with zipfile.ZipFile(file) as book, book.open("xl/worksheets/sheet1.xml") as sheet:
        count, tail = 0, b""
        while chunk := sheet.read(1 << 20):
            data = tail + chunk
            count += data.count(b"<row ")
            tail = data[-4:]
            count -= tail.count(b"<row ")  # counted again with the next chunk
    return count + tail.count(b"<row ") - 2  # less the header and the totals row


def main() -> None:
    here = Path(__file__).resolve().parent
    sys.path.insert(0, str(here))
    import run  # bench/run.py, beside this script

    run.standalone("arrears", measure, __doc__.splitlines()[0])


def measure() -> dict[str, Any]:
    from django.utils import timezone

    today = timezone.localdate()
    log("fitting the bench data: the late-fee clause, companies in arrears (once)")
    result: dict[str, Any] = {"arrears_fit": fit(today), "arrears_data": shape(today)}
    log("timing the late-fee run over every open bill (twice, rolled back)")
    result["late_fee_run"] = late_fee_run()
    log(f"issuing and rendering building {BUILDING}'s notices (rolled back)")
    result["arrears_notices_pdf"] = arrears_notices_pdf(today)
    log("downloading the whole bill ledger from a gunicorn worker")
    result["bill_ledger_export"] = bill_ledger_export()
    result["targets"] = TARGETS
    figures = ("late_fee_run", "arrears_notices_pdf", "bill_ledger_export")
    result["met"] = {key: bool(result[key].get("met")) for key in figures}
    return result


if __name__ == "__main__":
    main()
