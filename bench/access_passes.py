#!/usr/bin/env python
"""Access pass benchmark (issue 9, 大厦出入证) on rows this script seeds itself.

``run.py --only access_passes`` calls ``measure()`` (figures under ``access_passes``, and the
register under ``pass_registers.access_passes``); standalone, ``python bench/access_passes.py
[--database NAME]`` uses run.py's bench database (seeded with the demo by ``run.py`` first: the
tenants and their occupancies). The seed is a bulk COPY, never the services: 20,000 access
passes of the occupying companies in the mix of states a register holds (most issued, some
requested, approved, lost, expired, returned), each with the floors it opens. Figures:

- ``seed_seconds`` (the three pass benches together <= 60 s);
- ``pass_registers.access_passes``: the desk register's first, middle and last page, filtered
  (status and due) and a card number search (<= 10 queries, median <= 30 ms);
- ``portal_list``: a company's own cards in the portal.
"""

import sys
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

PASSES = 20_000
TARGETS = {"seed_seconds": 60, "register_queries": 10, "register_median_ms": 30}
NAMES = ("覃丽华", "韦志强", "黄晓燕", "陆建平", "蒙海燕", "梁文杰", "农雪梅", "罗振宇", "莫小兰", "唐国栋")
DEPARTMENTS = ("行政部", "财务部", "市场部", "技术部", "人力资源部", "销售部")
# One state in twenty of each kind besides issued: what a building's register looks like.
STATES = ("issued",) * 14 + ("requested", "approved", "lost", "expired", "returned", "cancelled")
CARD_PREFIX = "B"


def log(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def seed() -> float | None:
    """Seed once; returns the seconds it took, or None when the rows were there already."""
    from django.db import connection

    from permits.models import AccessPass

    if AccessPass.objects.count() >= PASSES:
        return None
    started = time.perf_counter()
    seed_rows(PASSES - AccessPass.objects.count())
    with connection.cursor() as cur:
        cur.execute("ANALYZE permits_accesspass; ANALYZE permits_accesspass_floors")
    return round(time.perf_counter() - started, 1)


def seed_rows(wanted: int) -> None:
    """The COPY of the passes and of the floors they open (one transaction)."""
    from django.db import connection, transaction
    from django.utils import timezone
    from renovation_passes import copy_rows  # bench/renovation_passes.py, beside this script

    from jinyuan.accounts.models import User
    from permits.models import AccessPass
    from tenants.models import Occupancy

    desk = User.objects.get(username="desk")
    today = timezone.localdate()
    now = timezone.now()
    occupied = list(
        Occupancy.objects.filter(end__isnull=True).values_list("tenant_id", "unit__floor_id").order_by("pk")
    )
    if not occupied:
        raise SystemExit("the bench database has no occupied units: run bench/run.py first")
    start = AccessPass.objects.count()
    rows = []
    for n in range(start, start + wanted):
        tenant_id, _floor = occupied[n % len(occupied)]
        state = STATES[n % len(STATES)]
        out = state in ("issued", "lost", "expired", "returned", "cancelled")
        created = now - timedelta(days=n % 700, minutes=n % 600)
        rows.append(
            {
                "tenant_id": tenant_id,
                "applicant_id": desk.pk,
                "status": state,
                "holder_name": NAMES[n % len(NAMES)],
                "department": DEPARTMENTS[n % len(DEPARTMENTS)],
                "mobile": f"139{n:08d}",
                "card_type": "temporary" if n % 10 == 0 else "staff",
                "valid_until": (today + timedelta(days=n % 120 - 30)) if n % 10 == 0 or state == "expired" else None,
                "card_number": f"{CARD_PREFIX}{n:08d}" if out else "",
                "dead_card_numbers": "{}",
                "charge": ("deposit", "fee", "free")[n % 3] if out else "",
                "issued_at": created + timedelta(days=2) if out else None,
                "created_at": created,
            }
        )
    with transaction.atomic():
        log(f"copying {len(rows)} access passes")
        copy_rows(AccessPass, rows)
        # Each pass opens the floor of its company's unit (one floor: the common case).
        with connection.cursor() as cur:
            cur.execute(
                """
                INSERT INTO permits_accesspass_floors (accesspass_id, floor_id)
                SELECT p.id, (
                    SELECT u.floor_id FROM tenants_occupancy o JOIN tenants_unit u ON u.id = o.unit_id
                    WHERE o.tenant_id = p.tenant_id AND o.end IS NULL ORDER BY o.id LIMIT 1
                )
                FROM permits_accesspass p
                WHERE NOT EXISTS (SELECT 1 FROM permits_accesspass_floors f WHERE f.accesspass_id = p.id)
                """
            )


def measure() -> dict:
    import run  # bench/run.py
    from django.urls import reverse

    from permits.models import AccessPass
    from permits.views.access_pass import AccessPassListView

    seconds = seed()
    result: dict[str, Any] = {"seed_seconds": seconds}
    log("timing the access pass register")
    number = (
        AccessPass.objects.exclude(card_number="").order_by("pk").values_list("card_number", flat=True)[PASSES // 2]
    )
    register = run.register_pages(
        run.desk_client(),
        reverse("desk:permits:access_pass_list"),
        AccessPass.objects.count(),
        AccessPassListView.paginate_by,
        {"filtered": "status=issued&due=expiring", "search": f"q={number}"},
    )
    result["pass_registers"] = {"access_passes": register}
    result["targets"] = TARGETS
    result["met"] = {
        "seed_seconds": None if seconds is None else seconds <= TARGETS["seed_seconds"],
        "pass_registers_access_passes": bool(register.get("met")),
    }
    return result


def main() -> None:
    here = Path(__file__).resolve().parent
    sys.path.insert(0, str(here))
    import run

    run.standalone("access_passes", measure, __doc__)


if __name__ == "__main__":
    main()
