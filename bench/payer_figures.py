#!/usr/bin/env python
"""Payer benchmarks (issue 14: payers who are not tenants) on rows this script copies itself.

``run.py --only payers`` calls ``measure()``; standalone, ``python bench/payer_figures.py
[--database NAME]`` uses run.py's bench database (seeded with the demo by ``run.py`` first: the
tenants' bills the registers list beside the customers'). Everything this part adds is copied in
one transaction (bulk COPY, never the services) that is rolled back at the end, so the bench
database stays as the seed left it: ``CUSTOMERS`` customers (organisers, visiting companies),
``BILLS`` bills of theirs over three years (a third of them to the busiest ``BUSY`` customers,
the rest spread; most paid, some open and overdue), a payment for every other bill and a
received deposit for every fifth customer.

Figures (the finance user through Django's test client, nothing cached; run.py's ``timed_page``:
``queries`` of one request, ``median_ms`` of ``REQUESTS``):

- ``customer_list``: the customer register (first, last page, a name search, a credit code,
  inactive ones): <= 10 queries, median <= 30 ms on every page;
- ``customer_detail``: the page of the customer with the most bills: <= 10 queries,
  median <= 30 ms;
- ``payer_ledgers``: the bill, payment and deposit registers filtered by payer kind and searched
  by a name (a customer's, and the tenants' trade name run.py's bill register searches: the
  search reads both kinds of payer), <= 10 queries, median <= 30 ms on every page.
"""

import random
import sys
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import quote

CUSTOMERS = 2_000
BILLS = 12_000
BUSY = 20
DAYS = 3 * 365
REQUESTS = 20
RANDOM_SEED = 14
TARGETS = {"queries": 10, "median_ms": 30}
TRADES = ("会展", "文化传播", "广告", "体育", "教育咨询", "数据服务", "婚庆", "演艺")
PLACES = ("南宁", "广西", "桂林", "柳州", "深圳", "广州", "北海", "玉林")


def log(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def _aware(day: date, hour: int) -> datetime:
    from django.utils import timezone

    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def seed(rng: random.Random) -> dict[str, Any]:
    """COPY the customers, their bills, payments and deposits; returns what was copied."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from billing.models import Bill, Customer, DepositEntry, FeeItem, Payment
    from demo import names
    from demo.bulk import analyze, copy_rows, reserve_ids

    today = timezone.localdate()
    finance = get_user_model().objects.get(username="finance")
    deposit_item = FeeItem.objects.filter(kind=FeeItem.Kind.DEPOSIT).order_by("pk").first()
    ids = reserve_ids(Customer, CUSTOMERS)
    customers = [
        (pk, f"{PLACES[i % len(PLACES)]}{names.credit_code(rng)[-6:]}{TRADES[i % len(TRADES)]}有限公司", i)
        for i, pk in enumerate(ids)
    ]
    registered = _aware(today - timedelta(days=DAYS), 9)
    copy_rows(
        Customer,
        (
            *("id", "name", "contact_person", "phone", "credit_code", "address", "note", "is_active"),
            *("created_by_id", "created_at"),
        ),
        (
            (pk, name, "联系人", "13800000000", names.credit_code(rng), "", "", i % 25 != 0, finance.pk, registered)
            for pk, name, i in customers
        ),
    )
    busy = ids[:BUSY]
    bill_rows, payment_rows = [], []
    for n in range(BILLS):
        customer = busy[n % BUSY] if n % 3 == 0 else rng.choice(ids)
        issued = today - timedelta(days=rng.randrange(DAYS))
        due = issued + timedelta(days=15)
        total = Decimal(rng.randrange(500, 50_000)).quantize(Decimal("1.00"))
        paid = total if (due < today and rng.random() < 0.9) else Decimal("0.00")
        status = Bill.Status.PAID if paid else Bill.Status.OPEN
        bill_rows.append(
            (f"KH-{issued:%Y}-{n:06d}", customer, "场地使用费", issued, due, total, paid, status, "", finance.pk,
             _aware(issued, 10), "")
        )  # fmt: skip
        if paid and n % 2 == 0:
            received = _aware(due - timedelta(days=2), 15)
            payment_rows.append((customer, total, "bank", "", "", finance.pk, received, total))
    copy_rows(
        Bill,
        (
            *("number", "customer_id", "title", "issued_on", "due_date", "total", "paid", "status"),
            *("source_key", "created_by_id", "created_at", "void_reason"),
        ),
        bill_rows,
    )
    copy_rows(
        Payment,
        ("customer_id", "amount", "method", "reference", "note", "received_by_id", "received_at", "allocated"),
        payment_rows,
    )
    deposits = [
        (pk, deposit_item.pk, "received", Decimal("10000.00"), "", "", finance.pk, _aware(today, 9)) for pk in ids[::5]
    ]
    copy_rows(
        DepositEntry,
        ("customer_id", "fee_item_id", "kind", "amount", "reason", "source_key", "created_by_id", "created_at"),
        deposits,
    )
    analyze(Customer, Bill, Payment, DepositEntry)
    busiest = max(busy, key=lambda pk: sum(1 for row in bill_rows if row[1] == pk))
    return {
        "customers": CUSTOMERS,
        "customer_bills": len(bill_rows),
        "customer_payments": len(payment_rows),
        "customer_deposits": len(deposits),
        "bills_in_all": Bill.objects.count(),
        "busiest_customer": busiest,
        "busiest_bills": sum(1 for row in bill_rows if row[1] == busiest),
        "a_name": next(name for pk, name, _i in customers if pk == busiest),
        "a_code": Customer.objects.get(pk=busiest).credit_code,
    }


def within(pages: dict[str, dict]) -> bool:
    return all(
        "error" not in page and page["queries"] <= TARGETS["queries"] and page["median_ms"] <= TARGETS["median_ms"]
        for page in pages.values()
    )


def measure() -> dict:
    import run  # bench/run.py, beside this script
    from django.db import transaction

    def timed(url: str) -> dict:
        return run.timed_page(client, url, REQUESTS)

    with transaction.atomic():
        log(f"payers: copying {CUSTOMERS} customers and {BILLS} of their bills (rolled back at the end)")
        data = seed(random.Random(RANDOM_SEED))
        client = run.client_of("finance")
        name, code = quote(data.pop("a_name")[:6]), data.pop("a_code")
        last = (CUSTOMERS + 24) // 25
        customer_list = {
            "first": timed("/desk/billing/customers/"),
            "last": timed(f"/desk/billing/customers/?page={last}"),
            "search_name": timed(f"/desk/billing/customers/?q={quote('会展')}"),
            "search_code": timed(f"/desk/billing/customers/?q={code}"),
            "inactive": timed("/desk/billing/customers/?is_active=false"),
        }
        customer_detail = {"busiest": timed(f"/desk/billing/customers/{data['busiest_customer']}/")}
        trade_name = quote("邕江")  # run.py's tenant search of the bill register
        payer_ledgers = {
            "bills_customers": timed("/desk/billing/bills/?payer=customer"),
            "bills_tenants": timed("/desk/billing/bills/?payer=tenant"),
            "bills_search_customer": timed(f"/desk/billing/bills/?q={name}"),
            "bills_search_tenant": timed(f"/desk/billing/bills/?q={trade_name}"),
            "bills_customers_overdue": timed("/desk/billing/bills/?payer=customer&overdue=true"),
            "payments_customers": timed("/desk/billing/payments/?payer=customer"),
            "payments_search_customer": timed(f"/desk/billing/payments/?q={name}"),
            "deposits_customers": timed("/desk/billing/deposits/?payer=customer"),
        }
        transaction.set_rollback(True)
    return {
        "payer_data": data,
        "customer_list": customer_list,
        "customer_detail": customer_detail,
        "payer_ledgers": payer_ledgers,
        "targets": TARGETS,
        "met": {
            "customer_list": within(customer_list),
            "customer_detail": within(customer_detail),
            "payer_ledgers": within(payer_ledgers),
        },
    }


def main() -> None:
    here = Path(__file__).resolve().parent
    sys.path.insert(0, str(here))
    import run  # bench/run.py, beside this script

    run.standalone("payers", measure, __doc__.splitlines()[0])


if __name__ == "__main__":
    main()
