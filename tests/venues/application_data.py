"""Public-space applications and events for the tests (tests/venues/test_applications_*.py, the
access matrix): spaces, a use window some days ahead, and applications moved through the
services by the personas."""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from billing.services import payment_record
from venues import applications as services
from venues.models import Space, VenueApplication

ID_NUMBER = "450103198807150013"


def at(day: dt.date, hm: str) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.fromisoformat(hm), timezone.get_current_timezone())


def ahead(days: int = 7) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=days)


def make_space(building, name: str = "一楼大堂", kind: str = Space.Kind.LOBBY, **over) -> Space:
    over.setdefault("daily_rate", Decimal("1000.00"))
    over.setdefault("deposit", Decimal("2000.00"))
    over.setdefault("opens", dt.time(7, 0))
    over.setdefault("closes", dt.time(22, 0))
    return Space.objects.create(name=name, kind=kind, building=building, **over)


def event_fields(**over) -> dict:
    fields = {
        "title": "新品发布会",
        "purpose": "发布新款产品并邀请客户参观",
        "plan": "09:00 签到，10:00 发布，12:00 结束",
        "organiser": "广西甲方科技有限公司",
        "person_in_charge": "王建国",
        "person_id_number": ID_NUMBER,
        "contact_phone": "13877110001",
        "expected_attendance": 80,
        "safety_measures": "安排 4 名安保人员，疏散通道保持畅通",
        "emergency_plan": "发生意外时由现场负责人组织疏散并拨打 119/120",
    }
    fields.update(over)
    return fields


def apply(
    by,
    spaces,
    *,
    tenant=None,
    customer=None,
    kind=VenueApplication.Kind.EVENT,
    day: dt.date | None = None,
    start: str = "10:00",
    end: str = "12:00",
    items=(),
    now=None,
    **over,
) -> VenueApplication:
    day = day or ahead(7)
    fields = (
        event_fields(**over)
        if kind == VenueApplication.Kind.EVENT
        else {"title": "海报宣传", "purpose": "张贴新品海报", **over}
    )
    fields.setdefault("setup_minutes", 60)
    fields.setdefault("teardown_minutes", 60)
    return services.application_submit(
        by=by,
        kind=kind,
        spaces=spaces,
        items=items,
        tenant=tenant,
        customer=customer,
        use_start=at(day, start),
        use_end=at(day, end),
        now=now,
        **fields,
    )


def approved(app, guard, supervisor):
    if app.needs_security:
        services.application_security_approve(obj=app, by=guard)
    return services.application_approve(obj=app, by=supervisor)


def pay_bill(app, desk):
    """The desk records the payment of the application's bill (fee and deposit)."""
    bill = services._bill_of(app)
    return payment_record(payer=app.payer, amount=bill.total, method="bank", by=desk, bills=[bill])


# Records of the access matrix (tests/venues/test_access_applications.py, and the admin's rows
# in tests/test_access_matrix.py): a lobby, tenant A's application waiting for the supervisor,
# tenant A's approved event (with its notice), a customer.
def _approved_event(r):
    app = apply(r.fixture("tenant_a_admin"), [r["venue_space"]], tenant=r.fixture("tenant_a"), day=ahead(12))
    return approved(app, r.fixture("guard"), r.fixture("supervisor"))


def _customer(r):
    from tests.billing.payer_helpers import make_customer

    return make_customer(r.fixture("desk"), name="南宁文化传播有限公司")


ACCESS_MAKERS = {
    "venue_space": lambda r: make_space(r.fixture("building")),
    "venue_application": lambda r: apply(
        r.fixture("tenant_a_admin"), [r["venue_space"]], tenant=r.fixture("tenant_a"), kind="public_space"
    ),
    "venue_event_approved": _approved_event,
    "venue_customer": _customer,
}
