"""Public-space applications and events through the services: holding the slot, the
approvals by role, fees and deposit, the checks on site and the deposit settled at closing."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from billing.models import Bill, DepositEntry
from billing.selectors import deposit_balance_of_source
from jinyuan.documents.models import Document
from jinyuan.workflow.models import AuditEvent, Deadline
from jinyuan.workflow.services import TransitionRefused
from tests.billing.payer_helpers import make_customer
from tests.venues.application_data import ahead, apply, approved, at, make_space, pay_bill
from venues import applications as services
from venues.applications import ItemSpec
from venues.models import Booking, Space, VenueApplication

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def lobby(building):
    return make_space(building)


@pytest.fixture
def plaza(building):
    return make_space(building, "室外广场", Space.Kind.PLAZA, needs_security=True, deposit=D("5000.00"))


def poster_board(building, n=3):
    return [
        make_space(building, f"海报栏{i}号位", Space.Kind.POSTER_BOARD, daily_rate=D("0"), deposit=D("0"))
        for i in range(1, n + 1)
    ]


# --- holding the slot ------------------------------------------------------------------------------


def test_applying_holds_each_space_with_setup_and_teardown(lobby, building, tenant_a, tenant_a_admin):
    corridor = make_space(building, "二楼连廊", Space.Kind.CORRIDOR)
    app = apply(tenant_a_admin, [lobby, corridor], tenant=tenant_a)
    assert app.status == "submitted" and app.number.startswith("CD-")
    bookings = list(app.bookings.order_by("space__name"))
    assert len(bookings) == 2
    for b in bookings:
        assert b.status == Booking.Status.PENDING
        assert b.start == app.use_start - dt.timedelta(hours=1)
        assert b.end == app.use_end + dt.timedelta(hours=1)
        assert b.tenant_id == tenant_a.pk and b.application_id == app.pk


def test_a_pending_application_holds_its_slot_and_names_it(lobby, tenant_a, tenant_a_admin, tenant_b, tenant_b_admin):
    apply(tenant_a_admin, [lobby], tenant=tenant_a)
    with pytest.raises(ValidationError) as exc:
        apply(tenant_b_admin, [lobby], tenant=tenant_b, start="11:30", end="13:00")
    message = exc.value.message_dict["spaces"][0]
    assert "一楼大堂" in message and "09:00" in message
    assert "广西甲方" not in message  # never whose it is
    assert VenueApplication.objects.count() == 1


def test_a_rejected_application_frees_its_slot(lobby, tenant_a, tenant_a_admin, tenant_b, tenant_b_admin, supervisor):
    first = apply(tenant_a_admin, [lobby], tenant=tenant_a, kind="public_space")
    services.application_reject(obj=first, by=supervisor, note="与大堂维修冲突")
    assert set(first.bookings.values_list("status", flat=True)) == {"rejected"}
    second = apply(tenant_b_admin, [lobby], tenant=tenant_b, kind="public_space")
    assert second.bookings.get().status == "pending"


def test_a_withdrawn_application_frees_its_slot(lobby, tenant_a, tenant_a_admin, tenant_b, tenant_b_admin):
    first = apply(tenant_a_admin, [lobby], tenant=tenant_a)
    services.application_withdraw(obj=first, by=tenant_a_admin)
    assert first.status == "cancelled"
    assert set(first.bookings.values_list("status", flat=True)) == {"cancelled"}
    apply(tenant_b_admin, [lobby], tenant=tenant_b)


def test_adjacent_uses_do_not_clash(lobby, tenant_a, tenant_a_admin):
    apply(tenant_a_admin, [lobby], tenant=tenant_a, start="08:00", end="10:00", setup_minutes=0, teardown_minutes=0)
    apply(tenant_a_admin, [lobby], tenant=tenant_a, start="10:00", end="12:00", setup_minutes=0, teardown_minutes=0)
    assert Booking.objects.filter(space=lobby).count() == 2


def test_several_places_of_a_poster_board_all_or_none(building, tenant_a, tenant_a_admin, tenant_b, tenant_b_admin):
    one, two, three = poster_board(building)
    apply(tenant_a_admin, [two], tenant=tenant_a, kind="public_space")
    with pytest.raises(ValidationError) as exc:
        apply(tenant_b_admin, [one, two, three], tenant=tenant_b, kind="public_space")
    assert "海报栏2号位" in exc.value.message_dict["spaces"][0]
    assert not Booking.objects.filter(space__in=[one, three]).exists()  # none held


def test_bad_input_gives_field_errors(lobby, tenant_a, tenant_a_admin):
    with pytest.raises(ValidationError) as exc:
        services.application_submit(
            by=tenant_a_admin,
            kind="event",
            spaces=[lobby],
            items=[ItemSpec("venue_poster", 10, 16), ItemSpec("venue_banner", -1, 1)],
            tenant=tenant_a,
            use_start=at(ahead(-1), "10:00"),
            use_end=at(ahead(-1), "09:00"),
            title="",
            purpose="x",
            person_id_number="450103198807150012",
        )
    errors = exc.value.message_dict
    for field in (
        "title",
        "use_start",
        "use_end",
        "poster_days",
        "banner_quantity",
        "person_id_number",
        "safety_measures",
        "emergency_plan",
    ):
        assert field in errors, field
    assert not VenueApplication.objects.exists()


def test_posters_up_to_fifteen_days(building, tenant_a, tenant_a_admin):
    board = poster_board(building, 1)
    day = ahead(3)
    app = services.application_submit(
        by=tenant_a_admin,
        kind="public_space",
        spaces=board,
        items=[ItemSpec("venue_poster", 4, 15)],
        tenant=tenant_a,
        use_start=at(day, "08:00"),
        use_end=at(day + dt.timedelta(days=14), "20:00"),
        title="海报",
        purpose="张贴海报",
    )
    assert app.fee == D("300.00")  # 4 sheets × 15 days × 5


def test_outside_opening_hours_is_refused(lobby, tenant_a, tenant_a_admin):
    with pytest.raises(ValidationError) as exc:
        apply(tenant_a_admin, [lobby], tenant=tenant_a, start="06:30", end="09:00", setup_minutes=0)
    assert "use_start" in exc.value.message_dict


# --- who needs security ---------------------------------------------------------------------------


def test_security_needed_for_events_spaces_and_crowds(lobby, plaza, tenant_a, tenant_a_admin, settings):
    settings.VENUE_CROWD_FOR_SECURITY = 100
    event = apply(tenant_a_admin, [lobby], tenant=tenant_a)
    plain = apply(tenant_a_admin, [lobby], tenant=tenant_a, kind="public_space", day=ahead(8))
    by_space = apply(tenant_a_admin, [plaza], tenant=tenant_a, kind="public_space", day=ahead(9))
    crowd = apply(tenant_a_admin, [lobby], tenant=tenant_a, kind="public_space", day=ahead(10), expected_attendance=100)
    assert (event.needs_security, plain.needs_security, by_space.needs_security, crowd.needs_security) == (
        True,
        False,
        True,
        True,
    )


# --- approvals by role -----------------------------------------------------------------------------


def test_approval_with_security_needed(lobby, tenant_a, tenant_a_admin, guard, supervisor, desk):
    app = apply(tenant_a_admin, [lobby], tenant=tenant_a)
    with pytest.raises(TransitionRefused):  # the supervisor waits for security
        services.application_approve(obj=app, by=supervisor)
    with pytest.raises(PermissionDenied):  # desk cannot give security's approval
        services.application_security_approve(obj=app, by=desk)
    with pytest.raises(PermissionDenied):
        services.application_security_approve(obj=app, by=tenant_a_admin)
    services.application_security_approve(obj=app, by=guard)
    assert app.status == "security_approved"
    with pytest.raises(PermissionDenied):  # security cannot give the supervisor's approval
        services.application_approve(obj=app, by=guard)
    with pytest.raises(PermissionDenied):
        services.application_approve(obj=app, by=desk)
    with pytest.raises(PermissionDenied):  # nor refuse after its own step
        services.application_reject(obj=app, by=guard, note="人太多")
    services.application_approve(obj=app, by=supervisor)
    app.refresh_from_db()
    assert app.status == "approved"
    assert set(app.bookings.values_list("status", flat=True)) == {"booked"}
    assert app.document.kind == "event_notice" and app.document.number.startswith("HD-")
    assert app.document.valid_from == app.booked_from and app.document.valid_until == app.booked_until
    codes = list(
        AuditEvent.objects.filter(object_id=app.pk, action__startswith="venue_application.").values_list(
            "action", flat=True
        )
    )
    assert codes[:3] == [
        "venue_application.submitted",
        "venue_application.security_approved",
        "venue_application.approved",
    ]


def test_approval_without_security(lobby, tenant_a, tenant_a_admin, guard, supervisor):
    app = apply(tenant_a_admin, [lobby], tenant=tenant_a, kind="public_space")
    assert not app.needs_security
    with pytest.raises(TransitionRefused):  # nothing for security to approve
        services.application_security_approve(obj=app, by=guard)
    with pytest.raises(PermissionDenied):  # and security cannot refuse it either
        services.application_reject(obj=app, by=guard, note="x")
    services.application_approve(obj=app, by=supervisor)
    assert app.status == "approved" and app.document is None  # no notice for a plain use


def test_security_refuses_with_a_reason(lobby, tenant_a, tenant_a_admin, guard):
    app = apply(tenant_a_admin, [lobby], tenant=tenant_a)
    with pytest.raises(ValidationError):
        services.application_reject(obj=app, by=guard, note="")
    services.application_reject(obj=app, by=guard, note="疏散方案不足")
    app.refresh_from_db()
    assert app.status == "rejected" and app.refusal_reason == "疏散方案不足"


def test_the_tenant_cannot_approve_and_another_tenant_cannot_withdraw(lobby, tenant_a, tenant_a_admin, tenant_b_admin):
    app = apply(tenant_a_admin, [lobby], tenant=tenant_a, kind="public_space")
    with pytest.raises(PermissionDenied):
        services.application_approve(obj=app, by=tenant_a_admin)
    with pytest.raises(PermissionDenied):
        services.application_withdraw(obj=app, by=tenant_b_admin)


def test_a_deadline_runs_for_each_approval(lobby, tenant_a, tenant_a_admin, guard, supervisor):
    app = apply(tenant_a_admin, [lobby], tenant=tenant_a)
    rows = Deadline.objects.filter(object_id=app.pk)
    assert list(rows.filter(stopped_at__isnull=True).values_list("kind", flat=True)) == ["review"]
    services.application_security_approve(obj=app, by=guard)
    assert list(rows.filter(stopped_at__isnull=True).values_list("kind", flat=True)) == ["approval"]
    services.application_approve(obj=app, by=supervisor)
    closing = rows.get(stopped_at__isnull=True)
    assert closing.kind == "completion" and closing.due_at == app.booked_until + dt.timedelta(hours=2)


# --- fees and deposit ------------------------------------------------------------------------------


def test_fees_and_deposit_are_billed_on_approval(building, lobby, plaza, tenant_a, tenant_a_admin, guard, supervisor):
    day = ahead(5)
    app = services.application_submit(
        by=tenant_a_admin,
        kind="public_space",
        spaces=[lobby, plaza],
        items=[ItemSpec("venue_poster", 10, 2), ItemSpec("venue_banner", 2, 3), ItemSpec("venue_stall", 3, 1)],
        tenant=tenant_a,
        use_start=at(day, "09:00"),
        use_end=at(day + dt.timedelta(days=2), "18:00"),  # three days
        title="周年庆",
        purpose="周年庆展销",
    )
    # spaces 1000 × 3 + 1000 × 3; posters 10 × 2 × 5; banners 2 × 3 × 50; stalls 3 × 1 × 200
    assert app.fee == D("6000.00") + D("100.00") + D("300.00") + D("600.00")
    assert app.deposit == D("7000.00")
    assert not Bill.objects.exists()  # nothing billed before approval
    approved(app, guard, supervisor)
    bill = Bill.objects.get(source_key=f"venueapp:{app.pk}")
    assert bill.tenant_id == tenant_a.pk and bill.total == D("14000.00")
    deposit_lines = bill.lines.filter(fee_item__kind="deposit")
    assert [line.amount for line in deposit_lines] == [D("7000.00")]


def test_a_customer_is_billed_too(lobby, desk, supervisor, guard):
    customer = make_customer(desk)
    app = apply(desk, [lobby], customer=customer)
    approved(app, guard, supervisor)
    bill = Bill.objects.get(source_key=f"venueapp:{app.pk}")
    assert bill.customer_id == customer.pk and bill.tenant_id is None


def test_refused_or_withdrawn_voids_the_unpaid_bill(lobby, tenant_a, tenant_a_admin, guard, supervisor):
    app = approved(apply(tenant_a_admin, [lobby], tenant=tenant_a), guard, supervisor)
    services.application_withdraw(obj=app, by=tenant_a_admin, note="活动取消")
    assert Bill.objects.get(source_key=f"venueapp:{app.pk}").status == Bill.Status.VOID
    assert app.document.__class__.objects.get(pk=app.document_id).status == Document.Status.REVOKED
    assert set(app.bookings.values_list("status", flat=True)) == {"cancelled"}


# --- on site and closing ----------------------------------------------------------------------------


def _run(app, desk, guard, supervisor):
    approved(app, guard, supervisor)
    pay_bill(app, desk)
    during = app.use_start + dt.timedelta(minutes=30)
    services.application_check(obj=app, by=guard, in_order=True, note="通道畅通", now=during)
    return app.use_end + dt.timedelta(minutes=30)


def test_checks_on_site_and_closing_without_damage(lobby, tenant_a, tenant_a_admin, desk, guard, supervisor):
    app = approved(apply(tenant_a_admin, [lobby], tenant=tenant_a), guard, supervisor)
    with pytest.raises(TransitionRefused):  # before the setup: too early
        services.application_check(obj=app, by=guard, now=app.booked_from - dt.timedelta(minutes=1))
    pay_bill(app, desk)
    services.application_check(obj=app, by=guard, in_order=False, note="消防通道有杂物", now=app.use_start)
    assert app.status == "in_progress"
    services.application_check(obj=app, by=desk, in_order=True, now=app.use_start + dt.timedelta(hours=1))
    after = app.use_end + dt.timedelta(minutes=30)
    services.application_close(obj=app, by=guard, damage=D("0"), now=after)
    app.refresh_from_db()
    assert app.status == "closed" and app.damage == D("0.00")
    assert set(app.bookings.values_list("status", flat=True)) == {"done"}
    assert deposit_balance_of_source(tenant_a, f"venueapp:{app.pk}") == D("0.00")
    assert DepositEntry.objects.get(kind="refunded", source_key=f"venueapp:{app.pk}").amount == D("2000.00")
    assert app.checks.count() == 3


def test_closing_waits_for_the_deposit(lobby, tenant_a, tenant_a_admin, guard, supervisor):
    app = approved(apply(tenant_a_admin, [lobby], tenant=tenant_a), guard, supervisor)
    with pytest.raises(TransitionRefused):
        services.application_close(obj=app, by=guard, now=app.use_end)


@pytest.mark.parametrize(
    ("damage", "deducted", "refunded", "billed"),
    [
        ("500.00", "500.00", "1500.00", None),  # less than the deposit
        ("2000.00", "2000.00", None, None),  # equal to it
        ("2600.00", "2000.00", None, "600.00"),  # more: the rest billed
    ],
)
@pytest.mark.parametrize("payer_kind", ["tenant", "customer"])
def test_deposit_settled_less_the_damage(
    lobby, tenant_a, tenant_a_admin, desk, guard, supervisor, damage, deducted, refunded, billed, payer_kind
):
    if payer_kind == "tenant":
        app = apply(tenant_a_admin, [lobby], tenant=tenant_a)
    else:
        app = apply(desk, [lobby], customer=make_customer(desk))
    after = _run(app, desk, guard, supervisor)
    with pytest.raises(ValidationError):  # damage needs what
        services.application_close(obj=app, by=guard, damage=D(damage), note="", now=after)
    services.application_close(obj=app, by=guard, damage=D(damage), note="地毯污损", now=after)
    key = f"venueapp:{app.pk}"
    entries = {e.kind: e.amount for e in DepositEntry.objects.filter(source_key=key).exclude(kind="received")}
    assert entries.get("deducted") == D(deducted)
    assert entries.get("refunded") == (D(refunded) if refunded else None)
    assert deposit_balance_of_source(app.payer, key) == D("0.00")
    extra = Bill.objects.filter(source_key=f"{key}:damage").first()
    assert (extra.total if extra else None) == (D(billed) if billed else None)
    app.refresh_from_db()
    assert app.damage == D(damage) and app.status == "closed"
    with pytest.raises(TransitionRefused):  # closed once
        services.application_close(obj=app, by=guard, damage=D(damage), note="再次", now=after)


def test_a_check_not_in_order_needs_a_note(lobby, tenant_a, tenant_a_admin, desk, guard, supervisor):
    app = approved(apply(tenant_a_admin, [lobby], tenant=tenant_a), guard, supervisor)
    with pytest.raises(ValidationError):
        services.application_check(obj=app, by=guard, in_order=False, note="", now=app.use_start)
    with pytest.raises(PermissionDenied):  # the company does not check its own use
        services.application_check(obj=app, by=tenant_a_admin, now=app.use_start)
