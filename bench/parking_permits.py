#!/usr/bin/env python
"""Parking permit benchmarks (issue 9) on rows this script seeds itself.

``run.py --only parking`` calls ``measure()`` (figures under ``parking_permits``, the register
also under ``pass_registers``); standalone, ``python bench/parking_permits.py [--database NAME]``
uses run.py's bench database (seeded with the demo by ``run.py`` first: the units and
tenants). The seed is a bulk COPY, never the services: 1,200 parking spaces and 3,000 permits
of the occupying companies in every state (a fixed space holds one live permit), each issued,
expired or revoked permit with its paper. Figures:

- ``seed_seconds`` (target <= 60 s);
- ``plate_check``: the guard's page, a plate typed (valid, expired, unknown), median <= 20 ms
  with a fixed number of queries;
- ``pass_registers.parking_permits``: the desk's register, first, middle, last page, filtered
  and searched (<= 10 queries, median <= 30 ms).
"""

import random
import re
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote

PERMITS = 3_000
SPACES = 1_200  # 1,000 fixed on B1-B3, 200 of the pool
PLATE_REQUESTS = 300
TARGETS = {
    "seed_seconds": 60,
    "plate_check_median_ms": 20,
    "register_queries": 10,
    "register_median_ms": 30,
}
PROVINCES = "桂桂桂桂粤湘贵云琼"
LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"
VEHICLES = (
    ("比亚迪", "汉EV", "白色"),
    ("大众", "帕萨特", "黑色"),
    ("丰田", "凯美瑞", "银色"),
    ("本田", "雅阁", "灰色"),
)
DRIVERS = ("黄志强", "李建军", "韦国庆", "覃明辉", "陆海涛", "蒙春燕")
# Of every 20 permits: 14 issued, 3 expired, 1 revoked, 1 waiting, 1 refused.
STATES = ("issued",) * 14 + ("expired",) * 3 + ("revoked", "submitted", "refused")


def log(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def plate(n: int) -> str:
    """The ``n``-th distinct plate: 桂A00001 ..., every 7th a new-energy one (桂AD00007)."""
    province = PROVINCES[n % len(PROVINCES)]
    office = LETTERS[(n // 100_000) % len(LETTERS)]
    return f"{province}{office}D{n % 100_000:05d}" if n % 7 == 0 else f"{province}{office}{n % 100_000:05d}"


def seed() -> float | None:
    """Seed once; returns the seconds it took, or None when the rows were there already."""
    from django.db import connection
    from django.utils import translation

    from jinyuan.documents.services import PRINT_LANGUAGE
    from permits.models import ParkingPermit

    if ParkingPermit.objects.count() >= PERMITS:
        return None
    started = time.perf_counter()
    with translation.override(PRINT_LANGUAGE):
        seed_rows()
    with connection.cursor() as cur:
        cur.execute("ANALYZE permits_parkingspace; ANALYZE permits_parkingpermit; ANALYZE documents_document")
    return round(time.perf_counter() - started, 1)


def seed_rows() -> None:
    """The COPY of spaces, permits and their papers (one transaction)."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection, transaction
    from django.utils import timezone
    from renovation_passes import copy_rows  # bench/renovation_passes.py: the one COPY helper

    from jinyuan.accounts.models import User
    from jinyuan.documents.codes import new_code
    from jinyuan.documents.models import Document
    from permits.models import ParkingPermit, ParkingSpace
    from permits.parking import add_months
    from permits.parking_documents import parking_permit_data
    from tenants.models import Occupancy

    rng = random.Random(9)
    desk = User.objects.get(username="desk")
    today = timezone.localdate()
    tenants = list(Occupancy.objects.filter(end__isnull=True).order_by().values_list("tenant_id", flat=True).distinct())
    if not tenants:
        raise SystemExit("the bench database has no occupying companies: run bench/run.py first")
    tenants.sort()
    with transaction.atomic():
        existing = set(ParkingSpace.objects.values_list("number", flat=True))
        spaces = [
            {
                "number": f"B{1 + n // 400}-{n % 400 + 1:03d}",
                "zone": f"B{1 + n // 400}",
                "is_fixed": True,
                "is_active": True,
            }
            for n in range(SPACES - 200)
        ] + [
            {"number": f"P-{n + 1:03d}", "zone": "B3", "is_fixed": False, "is_active": True, "note": "公共车位"}
            for n in range(200)
        ]
        log(f"copying {SPACES} parking spaces")
        copy_rows(ParkingSpace, [s for s in spaces if s["number"] not in existing])
        # Fixed spaces free of live permits (the demo's own permits hold a few).
        held = ParkingPermit.objects.filter(status__in=ParkingPermit.LIVE, space__isnull=False).values("space_id")
        fixed = list(
            ParkingSpace.objects.filter(is_fixed=True).exclude(pk__in=held).order_by("pk").values_list("pk", flat=True)
        )
        start_n = ParkingPermit.objects.count()
        rows = []
        for n in range(start_n, PERMITS):
            state = STATES[n % len(STATES)]
            brand, model, colour = VEHICLES[n % len(VEHICLES)]
            rental = "monthly" if n % 10 < 8 else ("internal" if n % 10 == 8 else "free")
            if state == "expired":
                start = today - timedelta(days=200 + n % 60)
            elif state == "issued":
                start = today - timedelta(days=n % 170)
            else:
                start = today - timedelta(days=n % 30)
            end = add_months(start, 1 + n % 6) if state != "expired" else add_months(start, 3)
            if state == "issued" and end <= today:
                end = add_months(today, 1)
            # A live permit takes a fixed space of its own (one per space): about a third do.
            live = state in ("issued", "submitted")
            space = fixed[n // 3] if live and n % 3 == 0 and n // 3 < len(fixed) else None
            rows.append(
                {
                    "tenant_id": tenants[n % len(tenants)],
                    "applicant_id": desk.pk,
                    "status": state,
                    "start": start,
                    "end": end,
                    "plate": plate(n + 1),
                    "brand": brand,
                    "vehicle_model": model,
                    "colour": colour,
                    "driver_name": DRIVERS[n % len(DRIVERS)],
                    "driver_phone": f"138{rng.randint(10_000_000, 99_999_999)}",
                    "space_id": space,
                    "rental_type": rental,
                    "monthly_fee": "300.00" if rental == "monthly" else "0.00",
                    "renewals": 0,
                    "decided_note": "违规停放" if state == "revoked" else ("资料不全" if state == "refused" else ""),
                }
            )
        log(f"copying {len(rows)} parking permits")
        copy_rows(ParkingPermit, rows)
        permit_type = ContentType.objects.get_for_model(ParkingPermit)
        tz = timezone.get_current_timezone()
        papers = []
        for p in ParkingPermit.objects.filter(
            document__isnull=True, status__in=("issued", "expired", "revoked")
        ).select_related("tenant", "space"):
            papers.append(
                {
                    "kind": "parking_permit",
                    "number": f"TC-{today.year}-{p.pk:07d}",
                    "code": new_code(),
                    "content_type_id": permit_type.pk,
                    "object_id": p.pk,
                    "data": parking_permit_data(p),
                    "status": "revoked" if p.status == "revoked" else "valid",
                    "issued_by_id": desk.pk,
                    "valid_from": timezone.datetime.combine(p.start, timezone.datetime.min.time(), tz),
                    "valid_until": timezone.datetime.combine(p.end, timezone.datetime.min.time(), tz),
                }
            )
        log(f"copying {len(papers)} permit papers")
        copy_rows(Document, papers)
        with connection.cursor() as cur:
            cur.execute(
                "UPDATE permits_parkingpermit p SET document_id = d.id FROM documents_document d "
                "WHERE d.kind = 'parking_permit' AND d.object_id = p.id AND p.document_id IS NULL "
                "AND d.content_type_id = %s",
                [permit_type.pk],
            )


def plate_check(requests: int = PLATE_REQUESTS) -> dict:
    """The guard's plate check: a third valid, a third expired, a third unknown plates."""
    import run  # bench/run.py
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from permits.models import ParkingPermit

    client = run.client_of("guard")
    valid = list(ParkingPermit.objects.filter(status="issued").order_by("?").values_list("plate", flat=True)[:100])
    expired = list(ParkingPermit.objects.filter(status="expired").order_by("?").values_list("plate", flat=True)[:100])
    unknown = [plate(900_000 + n) for n in range(100)]
    plates = [p for trio in zip(valid, expired, unknown, strict=False) for p in trio][:requests]
    path = "/desk/parking/plate-check/"
    client.get(path, {"plate": plates[0]})  # warm up
    times, queries, verdicts = [], set(), {}
    for typed in plates:
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(path, {"plate": typed})
            times.append((time.perf_counter() - started) * 1000)
        found = re.search(rb'data-verdict="(\w+)"', response.content)
        if response.status_code != 200 or found is None:
            return {"error": f"{path}?plate={typed} answered {response.status_code} without a verdict"}
        verdict = found.group(1).decode()
        verdicts[verdict] = verdicts.get(verdict, 0) + 1
        queries.add(len(captured))
    median = round(statistics.median(times), 1)
    return {
        "permits": ParkingPermit.objects.count(),
        "requests": len(times),
        "verdicts": verdicts,
        "median_ms": median,
        "max_ms": round(max(times), 1),
        "queries": sorted(queries),
        "queries_fixed": len(queries) == 1,
        "met": median <= TARGETS["plate_check_median_ms"] and len(queries) == 1,
    }


def register() -> dict:
    import run  # bench/run.py

    from permits.models import ParkingPermit
    from permits.views.parking import ParkingListView

    tail = ParkingPermit.objects.filter(status="issued").order_by("pk").values_list("plate", flat=True).first() or ""
    figures = run.register_pages(
        run.desk_client(),
        "/desk/parking/",
        ParkingPermit.objects.count(),
        ParkingListView.paginate_by,
        {
            "filtered": "status=issued&rental_type=monthly",
            "expiring": "attention=expiring",
            "overdue": "attention=overdue",
            "search_plate": f"q={quote(tail[-5:])}",
            "search_company": f"q={quote('广西')}",
        },
    )
    figures["met"] = figures["queries_max"] <= TARGETS["register_queries"] and (
        figures["median_ms_max"] <= TARGETS["register_median_ms"]
    )
    return figures


def measure() -> dict:
    seconds = seed()
    result: dict[str, Any] = {"seed_seconds": seconds}
    log("timing the guard's plate check")
    result["plate_check"] = plate_check()
    log("timing the parking permit register")
    result["pass_registers"] = {"parking_permits": register()}
    result["targets"] = TARGETS
    result["met"] = {
        "seed_seconds": None if seconds is None else seconds <= TARGETS["seed_seconds"],
        "plate_check": bool(result["plate_check"].get("met")),
        "pass_registers_parking_permits": bool(result["pass_registers"]["parking_permits"].get("met")),
    }
    return result


def main() -> None:
    here = Path(__file__).resolve().parent
    sys.path.insert(0, str(here))
    import run  # bench/run.py, beside this script

    run.standalone("parking_permits", measure, __doc__.splitlines()[0])


if __name__ == "__main__":
    main()
