"""A fixed data set for the supervisor dashboard's figures (tests/frontdesk/test_dashboard_*.py),
with the figures worked out by hand beside it. "Now" is 2026-11-16 10:00 in Shanghai: this month
is November 2026, last month October.

Deadline runs (repairs' "response", complaints' "reply"), by hand:
- repairs, November: met 3 (stopped in time), missed 2 (one stopped late, one running past due)
  -> 60.0 %; October: met 1, missed 1 -> 50.0 %. Open now: 3 (running past due, running not yet
  due, paused with time left); overdue now: 1.
- complaints, November: met 1 -> 100.0 %; October: nothing decided -> "—"; open 0.
- every procedure: November 4 of 6 -> 66.7 %, October 1 of 2 -> 50.0 %.
- a deadline of a model registered as no procedure's work (tenants' unit) counts nowhere.

Bills (tenant A): October, 1,000.00 paid in October and 200.00 due on 10-31 never paid;
November, 400.00 of which 100.00 paid. Collection rate: October 1,000 / 1,200 = 83.3 %,
November 100 / 400 = 25.0 %; arrears now: the 200.00 overdue.

Occupancy: units A (186.40 m², tenant A), B (98.00 m², tenant B) occupied, C (115.60 m²)
vacant: 2 of 3 units = 66.7 %, 284.40 of 400.00 m² = 71.1 %.

Return visits: November, repairs 2 satisfied, 1 fairly satisfied, 1 dissatisfied -> 75.0 %;
complaints 1 dissatisfied -> 0.0 %; October, repairs 1 satisfied -> 100.0 %, complaints none.
"""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import time_machine
from django.contrib.contenttypes.models import ContentType

from jinyuan.workflow.models import Deadline
from tests import factories

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2026, 11, 16, 10, 0, tzinfo=SHANGHAI)
THIS_MONTH = dt.date(2026, 11, 1)
LAST_MONTH = dt.date(2026, 10, 1)


def at(month: int, day: int, hour: int = 10) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, 0, tzinfo=SHANGHAI)


def _run(model, n: int, *, kind: str, started: dt.datetime, due: dt.datetime, **fields) -> Deadline:
    ct = ContentType.objects.get_for_model(model)
    return Deadline.objects.create(content_type=ct, object_id=n, kind=kind, started_at=started, due_at=due, **fields)


def add_deadlines(object_ids=None) -> None:
    """The runs above; ``object_ids`` (an iterator) gives each run its own record id."""
    from complaints.models import Complaint
    from repairs.models import RepairTicket
    from tenants.models import Unit

    ids = object_ids or iter(range(1, 10**6))
    stopped, running, paused = Deadline.State.STOPPED, Deadline.State.RUNNING, Deadline.State.PAUSED
    r = {"kind": "response"}
    # November: three met, one stopped late, one running past due, one not yet due, one paused.
    for day in (3, 5, 9):
        _run(
            RepairTicket,
            next(ids),
            **r,
            started=at(11, day - 1),
            due=at(11, day + 1),
            state=stopped,
            stopped_at=at(11, day),
            met=True,
        )
    _run(RepairTicket, next(ids), **r, started=at(11, 1), due=at(11, 3), state=stopped, stopped_at=at(11, 4), met=False)
    _run(RepairTicket, next(ids), **r, started=at(11, 8), due=at(11, 10), state=running)
    _run(RepairTicket, next(ids), **r, started=at(11, 15), due=at(11, 20), state=running)
    _run(
        RepairTicket,
        next(ids),
        **r,
        started=at(11, 14),
        due=at(11, 25),
        state=paused,
        paused_at=at(11, 15),
        remaining=dt.timedelta(hours=2),
    )
    # October: one met, one missed (stopped late in November: counted in October, when it fell due).
    _run(
        RepairTicket, next(ids), **r, started=at(10, 8), due=at(10, 12), state=stopped, stopped_at=at(10, 10), met=True
    )
    _run(
        RepairTicket, next(ids), **r, started=at(10, 18), due=at(10, 20), state=stopped, stopped_at=at(11, 2), met=False
    )
    _run(
        Complaint,
        next(ids),
        kind="reply",
        started=at(11, 2),
        due=at(11, 9),
        state=stopped,
        stopped_at=at(11, 6),
        met=True,
    )
    # Not a procedure's work: counted nowhere.
    _run(Unit, next(ids), kind="response", started=at(11, 1), due=at(11, 2), state=running)


def _bill(tenant, by, amount: str, due: dt.date | None = None):
    from billing import services as billing_services

    line = billing_services.LineSpec(factories.paid_service_item(), "空调维修", Decimal(1), Decimal(amount))
    return billing_services.bill_create(tenant=tenant, title="有偿服务", lines=[line], by=by, due_date=due)


def add_bills(tenant, by) -> None:
    from billing import services as billing_services

    with time_machine.travel(at(10, 8), tick=False):
        paid = _bill(tenant, by, "1000.00")
        _bill(tenant, by, "200.00", due=dt.date(2026, 10, 31))
    with time_machine.travel(at(10, 12), tick=False):
        billing_services.payment_record(tenant=tenant, amount=Decimal("1000.00"), method="bank", by=by, bills=[paid])
    with time_machine.travel(at(11, 2), tick=False):
        november = _bill(tenant, by, "400.00", due=dt.date(2026, 11, 30))
    with time_machine.travel(at(11, 3), tick=False):
        billing_services.payment_record(tenant=tenant, amount=Decimal("100.00"), method="bank", by=by, bills=[november])


def add_vacant_unit(building):
    floor = factories.FloorFactory(building=building, number=20)
    return factories.UnitFactory(floor=floor, number="2001", area="115.60")


def add_visits(by) -> None:
    from complaints.models import Complaint
    from jinyuan.followups.models import FollowUp
    from repairs.models import RepairTicket

    R = FollowUp.Result
    visits = [
        (RepairTicket, R.SATISFIED, at(11, 3)),
        (RepairTicket, R.SATISFIED, at(11, 4)),
        (RepairTicket, R.FAIRLY_SATISFIED, at(11, 5)),
        (RepairTicket, R.DISSATISFIED, at(11, 6)),
        (Complaint, R.DISSATISFIED, at(11, 7)),
        (RepairTicket, R.SATISFIED, at(10, 20)),
    ]
    FollowUp.objects.bulk_create(
        FollowUp(
            content_type=ContentType.objects.get_for_model(model),
            object_id=n,
            status=FollowUp.Status.DONE,
            due_on=done.date(),
            result=result,
            done_at=done,
            done_by=by,
        )
        for n, (model, result, done) in enumerate(visits, start=1)
    )


def fixed_data_set(building, tenant_a, tenant_b, finance, supervisor) -> None:
    """Everything above (tenant B's occupancy comes with its fixture)."""
    add_deadlines()
    add_bills(tenant_a, finance)
    add_vacant_unit(building)
    add_visits(supervisor)
