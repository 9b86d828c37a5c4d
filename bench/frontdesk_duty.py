#!/usr/bin/env python
"""Front-desk duty log and visitor inquiries (issue 16) on rows this script seeds.

``run.py --only frontdesk_duty`` calls ``measure()`` (figures at the top level); standalone,
``python bench/frontdesk_duty.py [--database NAME]`` uses run.py's bench database (the large
demo: 3,000 tenants, the desk user). The seed is a bulk COPY, never the services: a year of
shifts (白班 and 夜班, the year before the demo's month), 30–60 duty-log entries a day (one
in seven an item to act on, one in five hundred never closed) and about ten inquiries a day,
each linked to its shift. Figures:

- ``duty_seed_seconds`` (target <= 60 s);
- ``inquiry_lookup``: the lookup page (``/desk/frontdesk/inquiries/lookup/?q=``) answering a
  search by part of a company's name among the 3,000 tenants, with the test client: median
  <= 20 ms, the same number of queries for every search;
- ``duty_log_page``: a shift's duty log page (``/desk/frontdesk/duty/shifts/<pk>/``: its
  entries, the open items passed on, the handover and the timeline), with the test client:
  median <= 30 ms, the same number of queries for every shift.
"""

import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

DAYS = 365
GAP_DAYS = 40  # the bench year ends this many days ago: the demo's month is after it
LOOKUPS = 40
PAGES = 40
MARK = "基准交接"  # the bench shifts' handover notes begin with it
TARGETS = {"duty_seed_seconds": 60, "inquiry_lookup_median_ms": 20, "duty_log_page_median_ms": 30}
TEXTS = (
    "访客登记：快递员送件至前台代收",
    "业户来电询问本月物业费缴费方式，已告知",
    "快递一件，放前台柜待取",
    "申请周六加班开空调，已报工程部",
    "已张贴本周电梯维保通知",
    "巡视大堂及电梯厅，正常",
)
KINDS = ("visitor", "phone", "parcel", "request", "notice", "inspection", "other", "incident")


def log(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def seed() -> float | None:
    """Seed once; returns the seconds it took, or None when the rows were there already."""
    from django.db import connection

    from frontdesk.models import Shift

    if Shift.objects.filter(handover_notes__startswith=MARK).count() >= DAYS * 2:
        return None
    started = time.perf_counter()
    seed_rows()
    with connection.cursor() as cur:
        cur.execute("ANALYZE frontdesk_shift; ANALYZE frontdesk_dutyentry; ANALYZE frontdesk_inquiry")
    return round(time.perf_counter() - started, 1)


def seed_rows() -> None:
    """The COPY of the bench year (one transaction)."""
    from django.db import transaction
    from django.utils import timezone
    from renovation_passes import copy_rows  # bench/renovation_passes.py: the one COPY helper

    from frontdesk import duty_services
    from frontdesk.models import DutyEntry, Inquiry, Shift
    from jinyuan.accounts.models import User
    from tenants.models import Occupancy

    desk = User.objects.get(username="desk")
    occupied = list(Occupancy.objects.filter(end__isnull=True).order_by("pk").values_list("tenant_id", "unit_id"))
    if not occupied:
        raise SystemExit("the bench database has no occupying companies: run bench/run.py first")
    rng = random.Random(16)
    today = timezone.localdate()
    first = today - timedelta(days=GAP_DAYS + DAYS)
    with transaction.atomic():
        bench = Shift.objects.filter(handover_notes__startswith=MARK)
        DutyEntry.objects.filter(shift__in=bench).delete()  # a half seed (bench rows only)
        Inquiry.objects.filter(shift__in=bench).delete()
        bench.delete()
        shifts = []
        for offset in range(DAYS):
            day = first + timedelta(days=offset)
            for window in duty_services.windows_on(day):
                shifts.append(
                    {
                        "applicant_id": desk.pk,
                        "status": "accepted",
                        "date": day,
                        "code": window.code,
                        "starts_at": window.starts_at,
                        "ends_at": window.ends_at,
                        "handover_notes": f"{MARK}：钥匙、对讲机已交接",
                        "handed_over_by_id": desk.pk,
                        "handed_over_at": window.ends_at - timedelta(minutes=10),
                        "arriving_id": desk.pk,
                        "accepted_at": window.ends_at - timedelta(minutes=5),
                        "created_at": window.starts_at,
                    }
                )
        copy_rows(Shift, shifts)
        made = list(bench.order_by("starts_at").values_list("pk", "starts_at", "ends_at", "code"))
        entries, inquiries = [], []
        for pk, starts, ends, code in made:
            count = rng.randint(22, 40) if code == "day" else rng.randint(8, 20)
            span = (ends - starts).total_seconds()
            for i in range(count):
                at = starts + timedelta(seconds=span * (i + 1) / (count + 1))
                still_open = rng.random() < 0.002
                entries.append(
                    {
                        "shift_id": pk,
                        "at": at,
                        "kind": KINDS[i % len(KINDS)],
                        "text": TEXTS[i % len(TEXTS)],
                        "written_by_id": desk.pk,
                        "is_open": still_open or i % 7 == 0,
                        "closed_at": None if still_open or i % 7 else at + timedelta(hours=2),
                        "closed_by_id": None if still_open or i % 7 else desk.pk,
                        "closing_note": "" if still_open or i % 7 else "已处理完毕",
                    }
                )
            for i in range(rng.randint(6, 8) if code == "day" else rng.randint(1, 3)):
                tenant, unit = occupied[rng.randrange(len(occupied))]
                inquiries.append(
                    {
                        "applicant_id": desk.pk,
                        "status": "answered",
                        "received_at": starts + timedelta(minutes=30 + 40 * i),
                        "channel": "walk_in" if i % 3 else "phone",
                        "kind": "visitor" if i % 4 else "phone",
                        "tenant_id": tenant,
                        "unit_id": unit,
                        "question": "访客找公司",
                        "answer": "已告知房号",
                        "shift_id": pk,
                        "created_at": starts + timedelta(minutes=30 + 40 * i),
                    }
                )
        log(f"copying {len(made)} shifts, {len(entries)} duty-log entries, {len(inquiries)} inquiries")
        copy_rows(DutyEntry, entries)
        copy_rows(Inquiry, inquiries)


def _timed(client, paths: list[str], params: list[dict]) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(paths[0], params[0])  # warm up
    times, cpu, queries = [], [], set()
    for path, query in zip(paths, params, strict=True):
        with CaptureQueriesContext(connection) as captured:
            started, started_cpu = time.perf_counter(), time.process_time()
            response = client.get(path, query)
            times.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
        if response.status_code != 200:
            return {"error": f"{path} answered {response.status_code}"}
        queries.add(len(captured))
    return {
        "requests": len(times),
        "median_ms": round(statistics.median(times), 2),
        "median_cpu_ms": round(statistics.median(cpu), 2),
        "max_ms": round(max(times), 2),
        "queries": sorted(queries),
    }


def inquiry_lookup() -> dict:
    """Searches by a part (two to four characters) of the names of 40 companies."""
    import run  # bench/run.py

    from tenants.models import Tenant

    rng = random.Random(7)
    names = list(Tenant.objects.filter(is_active=True).order_by("pk").values_list("name", flat=True))
    terms = []
    for name in rng.sample(names, min(LOOKUPS, len(names))):
        core = name.removesuffix("有限公司").removesuffix("有限责任公司") or name
        size = min(len(core), rng.randint(2, 4))
        start = rng.randrange(0, max(1, len(core) - size + 1))
        terms.append(core[start : start + size])
    result = _timed(
        run.client_of("desk"), ["/desk/frontdesk/inquiries/lookup/"] * len(terms), [{"q": t} for t in terms]
    )
    result["tenants"] = len(names)
    result["met"] = (
        "error" not in result
        and result["median_ms"] <= TARGETS["inquiry_lookup_median_ms"]
        and len(result["queries"]) == 1
    )
    return result


def duty_log_page() -> dict:
    """The duty log pages of 40 bench shifts spread over the year."""
    import run  # bench/run.py

    from frontdesk.models import Shift

    pks = list(Shift.objects.filter(handover_notes__startswith=MARK).order_by("starts_at").values_list("pk", flat=True))
    step = max(1, len(pks) // PAGES)
    chosen = pks[::step][:PAGES]
    paths = [f"/desk/frontdesk/duty/shifts/{pk}/" for pk in chosen]
    result = _timed(run.client_of("desk"), paths, [{}] * len(paths))
    result["met"] = (
        "error" not in result
        and result["median_ms"] <= TARGETS["duty_log_page_median_ms"]
        and len(result["queries"]) == 1
    )
    return result


def measure() -> dict:
    seconds = seed()
    result: dict[str, Any] = {"duty_seed_seconds": seconds}
    log("timing the visitor lookup (company → unit) among the tenants")
    result["inquiry_lookup"] = inquiry_lookup()
    log("timing a shift's duty log page")
    result["duty_log_page"] = duty_log_page()
    result["targets"] = TARGETS
    result["met"] = {
        "duty_seed_seconds": None if seconds is None else seconds <= TARGETS["duty_seed_seconds"],
        "inquiry_lookup": bool(result["inquiry_lookup"].get("met")),
        "duty_log_page": bool(result["duty_log_page"].get("met")),
    }
    return result


def main() -> None:
    here = Path(__file__).resolve().parent
    sys.path.insert(0, str(here))
    import run  # bench/run.py, beside this script

    run.standalone("frontdesk_duty", measure, __doc__.splitlines()[0])


if __name__ == "__main__":
    main()
