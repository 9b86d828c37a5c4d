#!/usr/bin/env python
"""Invoice-request benchmarks 发票 (issue 14) on rows this script seeds itself.

``run.py --only invoices`` calls ``measure()``; standalone, ``python bench/invoice_figures.py
[--database NAME]`` uses run.py's bench database (seeded with the demo by ``run.py`` first).
The seed is a bulk COPY, never the services: up to 20,000 requests over the past two years,
each invoicing the whole of one payment not yet invoiced (its ``invoiced`` raised to match, so
the payments stay as the services leave them), by the desk's user; most issued by finance
(number, date, amount), some refused (their amount given back), the last weeks' waiting.

Figure ``invoice_requests_list``: the desk's register of invoice requests as finance sees it
(``desk:billing:invoice_list``): first, middle, last page, each filter, searches by title and by
taxpayer number (<= 10 queries, median <= 30 ms on every page).
"""

import random
import sys
import time
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

REQUESTS = 20_000
DAYS = 730
RANDOM_SEED = 14
TARGETS = {"invoice_seed_seconds": 60, "invoice_requests_list_queries": 10, "invoice_requests_list_median_ms": 30}
REFUSED, SPECIAL = 0.05, 0.3
BENCH_NOTE = "bench"  # the seed's rows, told apart from the demo's
WAITING_DAYS = 14  # requests of the last two weeks are still waiting for finance


def log(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def seed(count: int = REQUESTS) -> float | None:
    """Seed once; returns the seconds it took, or None when the requests were there already."""
    from django.db import connection

    from billing.models import InvoiceRequest

    if InvoiceRequest.objects.filter(note=BENCH_NOTE).exists():
        return None
    started = time.perf_counter()
    seed_rows(count)
    with connection.cursor() as cur:
        for table in ("billing_invoicerequest", "billing_invoicerequestline", "billing_payment"):
            cur.execute(f"VACUUM (ANALYZE) {table}")
    return round(time.perf_counter() - started, 1)


def fallback_code(n: int) -> str:
    """A valid unified social credit code for a company that has none on file."""
    from tenants.validators import credit_code_check_char

    first17 = f"914501{n:011d}"
    return first17 + credit_code_check_char(first17)


def seed_rows(count: int) -> int:
    from django.contrib.auth import get_user_model
    from django.db import connection, transaction
    from django.utils import timezone

    from billing.models import InvoiceRequest, InvoiceRequestLine, Payment
    from demo.bulk import copy_rows, reserve_ids

    rng = random.Random(RANDOM_SEED)
    user = get_user_model()
    desk = user.objects.get(username="desk").pk
    finance = user.objects.get(username="finance").pk
    now = timezone.now()
    payments = list(
        # Invoice requests are the tenants' (customers' payments are in the demo too).
        Payment.objects.filter(invoiced=0, tenant__isnull=False, received_at__gte=now - timedelta(days=DAYS))
        .order_by("?")
        .values_list("pk", "tenant_id", "tenant__name", "tenant__credit_code", "amount", "received_at")[:count]
    )
    ids = reserve_ids(InvoiceRequest, len(payments))
    requests, lines, taken = [], [], []
    for pk, (payment, tenant, name, code, amount, received) in zip(ids, payments, strict=True):
        asked = min(received + timedelta(days=rng.randint(0, 20), hours=rng.randint(0, 8)), now)
        kind = "special" if rng.random() < SPECIAL else "normal"
        special = kind == "special"
        if asked > now - timedelta(days=WAITING_DAYS):
            status = "requested"
        else:
            status = "refused" if rng.random() < REFUSED else "issued"
        issued = status == "issued"
        decided = asked + timedelta(days=rng.randint(1, 6))
        requests.append(
            (
                pk,
                tenant,
                desk,
                asked,
                decided if status != "requested" else asked,
                status,
                kind,
                name,
                code or fallback_code(tenant),
                "南宁市青秀区民族大道136号" if special else "",
                "0771-5710000" if special else "",
                "中国工商银行南宁民族支行" if special else "",
                f"2102100109000{pk:06d}" if special else "",
                amount,
                BENCH_NOTE,
                f"2645200000{pk:010d}" if issued else "",
                timezone.localdate(decided) if issued else None,
                amount if issued else None,
                finance if issued else None,
                "发票抬头与营业执照名称不一致" if status == "refused" else "",
            )
        )
        lines.append((pk, payment, amount))
        if status != "refused":
            taken.append((payment, amount))
    columns = (
        *("id", "tenant_id", "applicant_id", "created_at", "updated_at", "status", "kind", "title"),
        *("taxpayer_number", "address", "phone", "bank_name", "bank_account", "amount", "note"),
        *("invoice_number", "invoice_date", "invoiced_amount", "issued_by_id", "refusal_reason"),
    )
    with transaction.atomic():
        copy_rows(InvoiceRequest, columns, requests)
        copy_rows(InvoiceRequestLine, ("request_id", "payment_id", "amount"), lines)
        with connection.cursor() as cur:
            cur.execute(
                "UPDATE billing_payment p SET invoiced = p.invoiced + t.amount "
                "FROM unnest(%s::bigint[], %s::numeric[]) AS t(id, amount) WHERE p.id = t.id",
                [[p for p, _a in taken], [Decimal(a) for _p, a in taken]],
            )
    return len(requests)


def invoice_requests_list() -> dict:
    from urllib.parse import quote

    import run  # bench/run.py

    from billing.invoice_views import InvoiceRequestListView
    from billing.models import InvoiceRequest

    rows = InvoiceRequest.objects.count()
    if not rows:
        return {"error": "no invoice requests", "met": False, "pages": {}}
    sample = InvoiceRequest.objects.order_by("-created_at", "-id")[min(499, rows - 1)]
    month = (datetime.now() - timedelta(days=40)).date()
    filters = {
        "status_requested": "status=requested",
        "status_issued": "status=issued",
        "status_refused": "status=refused",
        "kind_special": "kind=special",
        "requested_month": f"requested_min={month:%Y-%m-01}&requested_max={month:%Y-%m-28}",
        "search_title": f"q={quote(sample.title[:4])}",
        "search_taxpayer_number": f"q={sample.taxpayer_number}",
    }
    path = "/desk/billing/invoices/"
    per_page = InvoiceRequestListView.paginate_by or 25
    result = run.register_pages(run.client_of("finance"), path, rows, per_page, filters)
    result["queries"] = result["queries_max"]
    result["median_ms"] = result["median_ms_max"]
    result["met"] = (
        result["queries"] <= TARGETS["invoice_requests_list_queries"]
        and result["median_ms"] <= TARGETS["invoice_requests_list_median_ms"]
        and all("queries" in page for page in result["pages"].values())
    )
    return result


def measure() -> dict[str, Any]:
    seconds = seed()
    result: dict[str, Any] = {"invoice_seed_seconds": seconds}
    log("timing the register of invoice requests")
    result["invoice_requests_list"] = invoice_requests_list()
    result["targets"] = TARGETS
    result["met"] = {
        "invoice_seed_seconds": None if seconds is None else seconds <= TARGETS["invoice_seed_seconds"],
        "invoice_requests_list": bool(result["invoice_requests_list"]["met"]),
    }
    return result


def main() -> None:
    here = Path(__file__).resolve().parent
    sys.path.insert(0, str(here))
    import run  # bench/run.py, beside this script

    run.standalone("invoices", measure, __doc__.splitlines()[0])


if __name__ == "__main__":
    main()
