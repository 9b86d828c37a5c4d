#!/usr/bin/env python
"""Collection dashboard benchmark (issue 13) on the demo's bills at the large scale.

``run.py --only collection`` calls ``measure()``; standalone, ``python bench/collection_figures.py
[--database NAME]`` uses run.py's bench database (seeded with the demo by ``run.py`` first: three
years of monthly bills of 3,000 companies, about 94,000 bills and 92,000 allocations, most paid
within the term, some late, a few partly or not paid: every aging bucket holds some).

Everything this part adds is inside one transaction that is rolled back at the end, so the bench
database stays as the seed left it: the reminder schedule's steps as the hourly scan would have
sent them for every overdue bill (``ReminderSent``), calls with promises to pay (due, broken) for
a tenth of the tenants in arrears, and, only when the seed left an aging bucket empty or fewer
than ``MIN_OVERDUE`` overdue bills, a share of bills made unpaid again.

Figure ``collection_dashboard``: the finance user's ``/desk/billing/collection/`` (this month,
all buildings) through Django's test client, nothing cached: ``median_ms`` and ``p90_ms`` of
``REQUESTS`` requests after a warm-up (server time: middleware, view, template, queries),
``median_cpu_ms`` (this process only), ``queries`` of one request; ``queries_fixed`` is true when
another month and building, a far page of the aging list and the Excel file cost the same number
(each in ``pages``). ``met``: median <= 300 ms and fixed queries. ``collection_data`` says what
the dashboard read (bills, overdue bills by bucket, partly paid, reminders, promises).
"""

import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

REQUESTS = 20
TARGET_MS = 300
MIN_OVERDUE = 200
PATH = "/desk/billing/collection/"


def log(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


# --- what the dashboard reads ------------------------------------------------------------------------


def shape() -> dict:
    from django.utils import timezone

    from billing import collection
    from billing.arrears_models import ArrearsContact, ReminderSent
    from billing.models import Bill

    today = timezone.localdate()
    aging = collection.aging_totals(today)
    return {
        "bills": Bill.objects.count(),
        "partly_paid": Bill.objects.filter(status=Bill.Status.PARTLY_PAID).count(),
        "overdue_bills": aging.bills,
        "tenants_in_arrears": aging.tenants,
        "overdue_by_bucket": [str(amount) for amount in aging.buckets],
        "overdue_total": str(aging.total),
        "reminders_sent": ReminderSent.objects.count(),
        "promises": ArrearsContact.objects.filter(promise_date__isnull=False).count(),
    }


def fit_arrears() -> int:
    """Only when the seed left too little to age: every 40th paid bill of the last 400 days made
    unpaid again (rolled back with the rest). Returns how many bills changed."""
    from django.db import connection
    from django.utils import timezone

    from billing import collection

    today = timezone.localdate()
    aging = collection.aging_totals(today)
    if aging.bills >= MIN_OVERDUE and all(aging.buckets):
        return 0
    with connection.cursor() as cur:
        cur.execute(
            """
            UPDATE billing_bill SET status = 'open', paid = 0
            WHERE id IN (
                SELECT id FROM billing_bill
                WHERE status = 'paid' AND issued_on >= %s AND due_date < %s AND id %% 40 = 0
            )
            """,
            [today - timedelta(days=400), today],
        )
        return cur.rowcount


def add_reminders_and_promises() -> dict:
    """The schedule's steps each overdue bill has come to (as the scan sends them, once per bill
    and step), and a call with a promise to pay for every tenth tenant in arrears: half of the
    promises due in the coming days, half broken in the last weeks."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.utils import timezone

    from billing.arrears_models import ReminderStep

    today = timezone.localdate()
    if not ReminderStep.objects.exists():
        ReminderStep.objects.bulk_create(
            ReminderStep(offset_days=days, name=f"{days:+d}", channels=["inapp", "email"])
            for days in (-3, 0, 7, 15, 30)
        )
    finance = get_user_model().objects.get(username="finance")
    with connection.cursor() as cur:
        cur.execute(
            """
            INSERT INTO billing_remindersent (bill_id, step_id, sent_at, channels, recipients)
            SELECT b.id, s.id, (b.due_date + s.offset_days + time '09:00') AT TIME ZONE %s, s.channels, 2
            FROM billing_bill b JOIN billing_reminderstep s ON s.is_active AND b.due_date + s.offset_days <= %s
            WHERE b.status IN ('open', 'partly_paid') AND b.total > b.paid AND b.due_date + 60 > %s
            ON CONFLICT (bill_id, step_id) DO NOTHING
            """,
            [timezone.get_current_timezone_name(), today, today],
        )
        reminders = cur.rowcount
        cur.execute(
            """
            INSERT INTO billing_arrearscontact
                (tenant_id, method, person, contacted_at, note, promise_date, recorded_by_id, created_at)
            SELECT t.tenant_id, 'phone', '财务联系人', now() - interval '1 day', '',
                   %s::date + (t.n %% 21 - 10)::int, %s, now()
            FROM (
                SELECT tenant_id, row_number() OVER (ORDER BY tenant_id) AS n
                FROM billing_bill
                WHERE status IN ('open', 'partly_paid') AND due_date < %s AND total > paid
                GROUP BY tenant_id
            ) t
            WHERE t.n %% 10 = 0
            """,
            [today, finance.pk, today],
        )
        promises = cur.rowcount
    return {"reminders_added": reminders, "promises_added": promises}


# --- timing ----------------------------------------------------------------------------------------


def timed(client, url: str, requests: int = REQUESTS) -> dict:
    """run.py's page timing, with this part's number of requests."""
    import run  # bench/run.py, beside this script

    return run.timed_page(client, url, requests)


def dashboard_figure() -> dict:
    import run  # bench/run.py, beside this script
    from django.utils import timezone

    from billing.collection import add_months, first_of
    from tenants.models import Building

    client = run.client_of("finance")
    year_ago = add_months(first_of(timezone.localdate()), -11)
    last_building = Building.objects.order_by("-code").first()
    pages = {
        "this_month": timed(client, PATH),
        "year_ago_one_building": timed(client, f"{PATH}?month={year_ago:%Y-%m}&building={last_building.pk}"),
        "aging_page_5": timed(client, f"{PATH}?page=5"),
        "excel": timed(client, f"{PATH}export/", requests=5),
    }
    main = pages["this_month"]
    counts = {page.get("queries") for page in pages.values()}
    fixed = len(counts) == 1 and None not in counts
    return {
        "median_ms": main.get("median_ms"),
        "p90_ms": main.get("p90_ms"),
        "median_cpu_ms": main.get("median_cpu_ms"),
        "requests": main.get("requests"),
        "queries": main.get("queries"),
        "queries_fixed": fixed,
        "met": fixed and main.get("median_ms", float("inf")) <= TARGET_MS,
        "pages": pages,
    }


def measure() -> dict:
    from django.db import connection, transaction

    with connection.cursor() as cur:
        for table in ("billing_bill", "billing_allocation"):
            cur.execute(f"ANALYZE {table}")
    with transaction.atomic():
        changed = fit_arrears()
        added = add_reminders_and_promises()
        with connection.cursor() as cur:
            for table in ("billing_remindersent", "billing_arrearscontact"):
                cur.execute(f"ANALYZE {table}")
        data: dict[str, Any] = {**shape(), "bills_made_unpaid": changed, **added}
        log(f"collection: {data['overdue_bills']} overdue bills of {data['tenants_in_arrears']} tenants")
        figure = dashboard_figure()
        transaction.set_rollback(True)
    return {
        "collection_data": data,
        "collection_dashboard": figure,
        "met": {"collection_dashboard": bool(figure["met"])},
    }


def main() -> None:
    here = Path(__file__).resolve().parent
    sys.path.insert(0, str(here))
    import run  # bench/run.py, beside this script

    run.standalone("collection", measure, __doc__.splitlines()[0])


if __name__ == "__main__":
    main()
