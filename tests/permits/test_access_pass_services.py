"""Access passes 大厦出入证 through their services: transitions allowed and refused, the card
number rules, money through billing, the occupancy cap, the expiry scan, partial move-outs."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from billing.models import Bill
from billing.selectors import deposit_balance_of_source
from billing.services import payment_record
from jinyuan.workflow.models import AuditEvent
from jinyuan.workflow.services import TransitionRefused, transition
from permits import access_passes as services
from permits.models import AccessPass
from permits.tasks import expire_access_passes
from tenants import checklists
from tenants import services as tenant_services
from tenants.models import MoveOut, Occupancy
from tests import factories

pytestmark = pytest.mark.django_db
S = AccessPass.Status
TODAY = timezone.localdate


@pytest.fixture
def ask(tenant_a, tenant_a_admin):
    def make(**over):
        fields = {
            "holder_name": "张伟",
            "department": "财务部",
            "mobile": "138 7711 0001",
            "floors": list(services.tenant_floors(tenant_a)),
            **over,
        }
        return services.access_pass_request(tenant=tenant_a, by=tenant_a_admin, **fields)

    return make


@pytest.fixture
def issued(ask, desk):
    def make(number="10001", charge=AccessPass.Charge.DEPOSIT, **over):
        obj = ask(**over)
        services.access_pass_approve(obj=obj, by=desk)
        return services.access_pass_issue(obj=obj, by=desk, card_number=number, charge=charge)

    return make


def events(obj) -> list[str]:
    return list(
        AuditEvent.objects.filter(object_id=obj.pk, action__startswith="access_pass.").values_list("action", flat=True)
    )


def test_a_request_is_approved_and_issued_with_a_deposit_billed(ask, desk, tenant_a):
    obj = ask()
    assert obj.status == S.REQUESTED and obj.mobile == "13877110001"
    services.access_pass_approve(obj=obj, by=desk)
    services.access_pass_issue(obj=obj, by=desk, card_number=" 0012-3456 ", charge="deposit")
    obj.refresh_from_db()
    assert (obj.status, obj.card_number, obj.charge) == (S.ISSUED, "00123456", "deposit")
    bill = Bill.objects.get(source_key=services.source_key(obj))
    assert bill.total == Decimal("50.00")
    assert events(obj) == ["access_pass.requested", "access_pass.approved", "access_pass.issued", "access_pass.billed"]


def test_a_card_fee_or_no_charge(issued):
    fee = issued("20001", charge="fee", holder_name="李娜")
    assert Bill.objects.get(source_key=services.fee_source_key(fee)).total == Decimal("20.00")
    free = issued("20002", charge="free", holder_name="王强")
    assert not Bill.objects.filter(source_key__startswith=services.source_key(free)).exists()


def test_returned_card_refunds_the_deposit_paid(issued, desk, tenant_a):
    obj = issued()
    bill = Bill.objects.get(source_key=services.source_key(obj))
    payment_record(tenant=tenant_a, amount=bill.total, method="cash", by=desk, bills=[bill])
    assert deposit_balance_of_source(tenant_a, services.source_key(obj)) == Decimal("50.00")
    services.access_pass_return(obj=obj, by=desk)
    assert obj.status == S.RETURNED
    assert deposit_balance_of_source(tenant_a, services.source_key(obj)) == Decimal("0.00")
    assert "access_pass.deposit_refunded" in events(obj)


def test_returned_before_the_deposit_was_paid_voids_its_bill(issued, desk):
    obj = issued()
    services.access_pass_return(obj=obj, by=desk)
    assert Bill.objects.get(source_key=services.source_key(obj)).status == Bill.Status.VOID
    assert "access_pass.deposit_bill_voided" in events(obj)


def test_lost_then_reissued_with_a_new_number_and_the_reissue_fee(issued, desk, tenant_a_admin, english):
    obj = issued("30001")
    services.access_pass_report_lost(obj=obj, by=tenant_a_admin, note="地铁上丢失")
    assert obj.status == S.LOST
    with pytest.raises(ValidationError) as exc:
        services.access_pass_reissue(obj=obj, by=desk, card_number="30001")
    assert "card_number" in exc.value.message_dict
    services.access_pass_reissue(obj=obj, by=desk, card_number="30002")
    obj.refresh_from_db()
    assert (obj.status, obj.card_number, obj.dead_card_numbers, obj.reissues) == (S.ISSUED, "30002", ["30001"], 1)
    assert Bill.objects.get(source_key=f"{services.source_key(obj)}:reissue:1").total == Decimal("50.00")
    # the lost card's number is dead: never given to another card
    other = factories.make_access_pass(obj.tenant, tenant_a_admin, "approved", desk=desk)
    with pytest.raises(ValidationError) as exc:
        services.access_pass_issue(obj=other, by=desk, card_number="30001", charge="free")
    assert "reported lost" in exc.value.message_dict["card_number"][0]


def test_a_card_number_already_out_is_a_field_error_and_nothing_is_billed(issued, ask, desk):
    issued("40001")
    other = ask(holder_name="陈静")
    services.access_pass_approve(obj=other, by=desk)
    bills = Bill.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.access_pass_issue(obj=other, by=desk, card_number="40001", charge="deposit")
    assert "40001" in exc.value.message_dict["card_number"][0]
    other.refresh_from_db()
    assert (other.status, other.card_number) == (S.APPROVED, "")
    assert Bill.objects.count() == bills


def test_a_returned_cards_number_may_be_given_again(issued, desk):
    first = issued("50001")
    services.access_pass_return(obj=first, by=desk)
    again = issued("50001", holder_name="刘洋")
    assert again.status == S.ISSUED


def test_cancelling_a_lost_card_keeps_its_deposit(issued, desk, tenant_a):
    obj = issued()
    bill = Bill.objects.get(source_key=services.source_key(obj))
    payment_record(tenant=tenant_a, amount=bill.total, method="cash", by=desk, bills=[bill])
    services.access_pass_report_lost(obj=obj, by=desk, note="遗失")
    services.access_pass_cancel(obj=obj, by=desk, note="员工离职，卡未找回")
    assert obj.status == S.CANCELLED
    assert deposit_balance_of_source(tenant_a, services.source_key(obj)) == Decimal("0.00")
    assert "access_pass.deposit_forfeited" in events(obj)


def test_cancelling_an_issued_card_refunds_its_deposit(issued, desk, tenant_a):
    obj = issued()
    bill = Bill.objects.get(source_key=services.source_key(obj))
    payment_record(tenant=tenant_a, amount=bill.total, method="cash", by=desk, bills=[bill])
    services.access_pass_cancel(obj=obj, by=desk, note="公司申请注销")
    assert "access_pass.deposit_refunded" in events(obj)


@pytest.mark.parametrize(
    ("state", "name", "who"),
    [
        ("requested", "issue", "desk"),  # approve first
        ("requested", "give_back", "desk"),
        ("issued", "approve", "desk"),
        ("issued", "withdraw", "tenant_a_admin"),
        ("returned", "report_lost", "desk"),
        ("returned", "cancel", "desk"),
        ("refused", "approve", "desk"),
        ("lost", "give_back", "desk"),
    ],
)
def test_refused_transitions(tenant_a, tenant_a_admin, desk, persona, state, name, who):
    obj = factories.make_access_pass(tenant_a, tenant_a_admin, state, desk=desk)
    with pytest.raises(TransitionRefused):
        transition(obj, name, by=persona(who), note="x")


@pytest.mark.parametrize(
    ("state", "name", "who"),
    [
        ("requested", "approve", "tenant_a_admin"),
        ("requested", "approve", "guard"),
        ("approved", "issue", "finance"),
        ("issued", "give_back", "tenant_a_admin"),
        ("issued", "cancel", "tenant_a_admin"),
        ("issued", "expire", "desk"),
        ("lost", "reissue", "tenant_a_admin"),
        ("requested", "withdraw", "tenant_b_admin"),
        ("issued", "report_lost", "tenant_a_staff"),  # no grant
    ],
)
def test_transitions_refused_to_the_role(tenant_a, tenant_a_admin, desk, persona, state, name, who):
    obj = factories.make_access_pass(tenant_a, tenant_a_admin, state, desk=desk)
    with pytest.raises(PermissionDenied):
        transition(obj, name, by=persona(who), note="x")


def test_staff_with_the_grant_may_request_and_report_lost(tenant_a, tenant_a_staff, desk):
    from tenants.models import Membership

    Membership.objects.filter(user=tenant_a_staff).update(areas=["access_passes"])
    obj = factories.make_access_pass(tenant_a, tenant_a_staff, "issued", desk=desk)
    tenant_a_staff.refresh_from_db()
    services.access_pass_report_lost(obj=obj, by=tenant_a_staff, note="丢了")
    assert obj.status == S.LOST


def test_refusing_needs_a_reason(ask, desk):
    obj = ask()
    with pytest.raises(ValidationError):
        services.access_pass_refuse(obj=obj, by=desk, note=" ")
    services.access_pass_refuse(obj=obj, by=desk, note="非本公司员工")
    assert obj.status == S.REFUSED


# --- bad input -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("over", "field"),
    [
        ({"mobile": "1387711000"}, "mobile"),
        ({"mobile": "12877110001"}, "mobile"),
        ({"holder_name": " "}, "holder_name"),
        ({"floors": []}, "floors"),
        ({"valid_until": TODAY() - timedelta(days=1)}, "valid_until"),
        ({"card_type": "temporary"}, "valid_until"),
        ({"card_type": "temporary", "valid_until": TODAY() + timedelta(days=120)}, "valid_until"),
    ],
)
def test_bad_requests_are_field_errors_and_save_nothing(ask, over, field):
    with pytest.raises(ValidationError) as exc:
        ask(**over)
    assert field in exc.value.message_dict
    assert not AccessPass.objects.exists()


def test_a_floor_of_another_company_is_refused(ask, unit_b, tenant_b):
    with pytest.raises(ValidationError) as exc:
        ask(floors=[unit_b.floor])
    assert "floors" in exc.value.message_dict


@pytest.mark.parametrize("number", ["12", "卡号1234", "A" * 21])
def test_a_malformed_card_number_is_a_field_error(ask, desk, number):
    obj = ask()
    services.access_pass_approve(obj=obj, by=desk)
    with pytest.raises(ValidationError) as exc:
        services.access_pass_issue(obj=obj, by=desk, card_number=number, charge="free")
    assert "card_number" in exc.value.message_dict


# --- valid no later than the occupancy's end -------------------------------------------------------


def test_the_last_day_is_capped_to_the_occupancys_end(ask, tenant_a):
    end = TODAY() + timedelta(days=40)
    Occupancy.objects.filter(tenant=tenant_a).update(end=end + timedelta(days=1))
    staff = ask()
    assert staff.valid_until == end
    later = ask(valid_until=end + timedelta(days=300), holder_name="李娜")
    assert later.valid_until == end
    assert "access_pass.end_capped" in events(later)
    sooner = ask(valid_until=end - timedelta(days=5), holder_name="王强")
    assert sooner.valid_until == end - timedelta(days=5)


def test_an_open_ended_occupancy_leaves_a_staff_card_open(ask):
    assert ask().valid_until is None


# --- the expiry scan ------------------------------------------------------------------------------


def test_the_scan_expires_cards_past_their_last_day_once(issued, desk):
    old = issued("60001", card_type="temporary", valid_until=TODAY() + timedelta(days=3))
    current = issued("60002", holder_name="李娜", valid_until=TODAY() + timedelta(days=3))
    AccessPass.objects.filter(pk=old.pk).update(valid_until=TODAY() - timedelta(days=1))
    assert expire_access_passes() == 1
    assert expire_access_passes() == 0
    old.refresh_from_db(), current.refresh_from_db()
    assert (old.status, current.status) == (S.EXPIRED, S.ISSUED)
    assert events(old).count("access_pass.expired") == 1
    expired_event = AuditEvent.objects.get(object_id=old.pk, action="access_pass.expired")
    assert expired_event.actor is None
    # an expired card still holds its number: it is out until handed back
    services.access_pass_return(obj=old, by=desk)
    assert old.status == S.RETURNED


# --- partial move-out --------------------------------------------------------------------------------


@pytest.fixture
def two_floors(tenant_a, unit_a, building):
    """Tenant A on floor 12 (unit_a) and floor 18 (two units)."""
    floor18 = factories.FloorFactory(building=building, number=18)
    start = TODAY() - timedelta(days=300)
    units = [factories.UnitFactory(floor=floor18, number=n) for n in ("1801", "1802")]
    for unit in units:
        factories.OccupancyFactory(tenant=tenant_a, unit=unit, start=start)
    return unit_a, units


def test_a_partial_move_out_needs_the_cards_of_the_floors_left(
    two_floors, tenant_a, tenant_a_admin, desk, supervisor, english
):
    unit_a, (u1801, _u1802) = two_floors
    floor12, floor18 = unit_a.floor, u1801.floor
    only12 = factories.make_access_pass(tenant_a, tenant_a_admin, "issued", desk=desk, floors=[floor12])
    both = factories.make_access_pass(tenant_a, tenant_a_admin, "issued", desk=desk, floors=[floor12, floor18])
    only18 = factories.make_access_pass(tenant_a, tenant_a_admin, "issued", desk=desk, floors=[floor18])
    # leaving 1201 (floor 12 entirely) and 1801 (floor 18 is kept through 1802)
    move_out = tenant_services.moveout_open(tenant=tenant_a, planned_date=TODAY(), by=desk, units=[unit_a, u1801])

    def item():
        rows = checklists.evaluate("move_out", MoveOut.objects.get(pk=move_out.pk))
        return next(r.state for r in rows if r.item.code == "access_cards")

    state = item()
    assert not state.done
    assert only12.card_number in state.detail and only18.card_number not in state.detail
    assert "1 cards also open floors the company keeps" in state.detail
    services.access_pass_return(obj=only12, by=desk)
    assert item().done
    for row in move_out.units.all():
        tenant_services.moveout_record_return(row=row, keys=1, by=desk)
        tenant_services.moveout_record_inspection(
            row=row, water=Decimal(1), electricity=Decimal(1), damage="", damage_charge=Decimal(0), by=desk
        )
    services.narrow_floors_on_move_out(move_out, supervisor)
    both.refresh_from_db(), only18.refresh_from_db()
    assert [f.number for f in both.floors.all()] == [18]
    assert [f.number for f in only18.floors.all()] == [18]
    assert "access_pass.floors_narrowed" in events(both)
    # idempotent: narrowing again changes nothing
    assert services.narrow_floors_on_move_out(move_out, supervisor) == 0


def test_a_whole_move_out_blocks_until_every_card_is_back_or_cancelled(tenant_a, tenant_a_admin, desk):
    issued = factories.make_access_pass(tenant_a, tenant_a_admin, "issued", desk=desk)
    lost = factories.make_access_pass(tenant_a, tenant_a_admin, "lost", desk=desk)
    pending = factories.make_access_pass(tenant_a, tenant_a_admin, "requested", desk=desk)
    move_out = factories.make_moveout(tenant_a, desk)

    def done():
        rows = checklists.evaluate("move_out", MoveOut.objects.get(pk=move_out.pk))
        return next(r.state for r in rows if r.item.code == "access_cards").done

    assert not done()
    services.access_pass_return(obj=issued, by=desk)
    services.access_pass_cancel(obj=lost, by=desk, note="遗失未找回")
    assert not done()  # a pending request is still open
    services.access_pass_withdraw(obj=pending, by=tenant_a_admin)
    assert done()


def test_completing_the_move_out_narrows_through_the_signal(two_floors, tenant_a, tenant_a_admin, desk):
    from tenants import signals

    unit_a, (u1801, _u1802) = two_floors
    both = factories.make_access_pass(tenant_a, tenant_a_admin, "issued", desk=desk, floors=[unit_a.floor, u1801.floor])
    move_out = tenant_services.moveout_open(tenant=tenant_a, planned_date=TODAY(), by=desk, units=[unit_a])
    signals.move_out_completed.send(sender=MoveOut, move_out=move_out, by=desk)
    assert [f.number for f in both.floors.all()] == [18]
