"""Late fees 违约金: what accrues (rate, grace, payments oldest first, cap, rounding), the
month-end and payoff billing (once per bill and month), waivers, and the agreement's terms."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from billing import latefee_services, latefees
from billing.latefees import Policy, late_fee_as_of, policy_for
from billing.models import Bill, LateFeeCharge, LateFeeWaiver
from billing.services import bill_void, payment_record
from jinyuan.workflow.models import AuditEvent
from jinyuan.workflow.services import TransitionRefused
from tenants.models import Occupancy
from tests import factories
from tests.billing.helpers import D
from tests.billing.late_fee_helpers import agree, on_day, overdue_bill, pay_on

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("price_list")]

JAN_15 = date(2026, 1, 15)


@pytest.fixture
def a(tenant_a, desk):
    """Tenant A under a 0.03 %/day clause, with a bill of 1000.00 due 2026-01-15."""
    agree(tenant_a)
    return overdue_bill(tenant_a, desk, "1000.00", JAN_15)


# --- what accrues -------------------------------------------------------------------------------


def test_no_rate_in_the_agreement_means_no_late_fee(tenant_a, desk):
    agree(tenant_a, rate=None)
    bill = overdue_bill(tenant_a, desk, "1000.00", JAN_15)
    assert late_fee_as_of(bill, date(2026, 6, 1)) == D("0.00")
    with on_day(date(2026, 6, 1)):
        assert latefee_services.late_fees_bill_all(by=desk) == 0
    assert not LateFeeCharge.objects.exists()


def test_simple_interest_per_day_on_the_unpaid_principal(a):
    # 16 days of January (16th–31st), 28 of February, 1 of March at 0.30 a day.
    assert late_fee_as_of(a, date(2026, 3, 1)) == D("13.50")
    assert late_fee_as_of(a, JAN_15) == D("0.00")
    assert late_fee_as_of(a, JAN_15 + timedelta(days=1)) == D("0.30")


def test_grace_days_are_free_and_then_count_from_the_due_date_plus_grace(tenant_a, desk):
    agree(tenant_a, grace=5)
    paid_in_grace = overdue_bill(tenant_a, desk, "1000.00", JAN_15)
    pay_on(date(2026, 1, 20), tenant_a, desk, "1000.00", bills=[paid_in_grace])
    one_day_late = overdue_bill(tenant_a, desk, "1000.00", JAN_15)
    pay_on(date(2026, 1, 21), tenant_a, desk, "1000.00", bills=[one_day_late])
    assert late_fee_as_of(paid_in_grace, date(2026, 3, 1)) == D("0.00")
    assert late_fee_as_of(one_day_late, date(2026, 3, 1)) == D("0.30")


def test_a_part_payment_lowers_the_principal_from_the_next_day(a, tenant_a, desk):
    pay_on(date(2026, 1, 20), tenant_a, desk, "600.00")
    # 16th–20th on 1000 (1.50), 21st–31st on 400 (1.32); February on 400 (3.36).
    assert late_fee_as_of(a, date(2026, 2, 28)) == D("6.18")


def test_payments_settle_the_oldest_bill_first(a, tenant_a, desk):
    newer = overdue_bill(tenant_a, desk, "1000.00", date(2026, 1, 25))
    pay_on(date(2026, 1, 31), tenant_a, desk, "1000.00")  # no bill chosen: the oldest due is paid
    a.refresh_from_db()
    newer.refresh_from_db()
    assert (a.status, newer.status) == ("paid", "open")
    assert late_fee_as_of(a, date(2026, 3, 1)) == D("4.80")  # 16 days, then nothing
    assert late_fee_as_of(newer, date(2026, 1, 31)) == D("1.80")  # 26th–31st on 1000


def test_the_late_fee_never_passes_the_principal(tenant_a, desk):
    agree(tenant_a, rate="0.001")
    bill = overdue_bill(tenant_a, desk, "10.00", date(2021, 1, 1))
    # 0.01 a day: 972 days by 2023-08-31; the 1000th day (2023-09-28) reaches the principal.
    assert late_fee_as_of(bill, date(2023, 8, 31)) == D("9.72")
    assert late_fee_as_of(bill, date(2023, 9, 30)) == D("10.00")
    assert late_fee_as_of(bill, date(2026, 1, 1)) == D("10.00")


def test_rounding_is_half_up_once_per_bill_and_month():
    # 50.00 × 0.0001 = 0.005 a day: one day is half a cent, rounded up, not to even.
    fees = latefees.monthly_fees(D("50.00"), JAN_15, Policy(D("0.0001"), 0), [], date(2026, 1, 16))
    assert [m.fee for m in fees] == [D("0.01")]
    # 5.00 × 0.0003 = 0.0015 a day: rounded each day it would be nothing; by month, 0.02 and 0.04.
    fees = latefees.monthly_fees(D("5.00"), JAN_15, Policy(D("0.0003"), 0), [], date(2026, 2, 28))
    assert [(m.month, m.days, m.fee) for m in fees] == [
        (date(2026, 1, 1), 16, D("0.02")),
        (date(2026, 2, 1), 28, D("0.04")),
    ]


def test_a_late_fee_bill_never_accrues_a_late_fee(a, desk):
    with on_day(date(2026, 2, 1)):
        fee_bill = latefee_services.late_fees_bill(tenant=a.tenant, by=desk)
    assert fee_bill.is_late_fee_bill and fee_bill.total == D("4.80")
    assert late_fee_as_of(fee_bill, date(2027, 1, 1)) == D("0.00")
    assert [x.bill for x in latefees.accruals(a.tenant, date(2027, 1, 1))] == [a]


def test_a_void_bill_accrues_nothing(a, desk):
    bill_void(bill=a, by=desk, reason="开错")
    a.refresh_from_db()
    assert late_fee_as_of(a, date(2026, 3, 1)) == D("0.00")
    assert latefees.accruals(a.tenant, date(2026, 3, 1)) == []


def test_accruals_give_each_overdue_bill_principal_days_rate_and_amounts(a, tenant_a, desk):
    pay_on(date(2026, 1, 20), tenant_a, desk, "600.00")
    (row,) = latefees.accruals(tenant_a, date(2026, 1, 31))
    assert (row.bill, row.unpaid, row.days, row.policy.daily_rate) == (a, D("400.00"), 16, D("0.0003"))
    assert (row.accrued, row.billed, row.waived, row.due_now, row.total) == (
        D("2.82"),
        D("0.00"),
        D("0.00"),
        D("2.82"),
        D("2.82"),
    )


# --- whose agreement ------------------------------------------------------------------------------


def _occupancy(pk, unit_id, start, end=None, rate="0.0003", grace=0):
    return Occupancy(
        pk=pk,
        unit_id=unit_id,
        start=start,
        end=end,
        late_fee_daily_rate=D(rate) if rate else None,
        late_fee_grace_days=grace,
    )


def test_the_agreement_of_a_unit_the_bill_names_comes_first():
    ours = _occupancy(1, unit_id=10, start=date(2024, 1, 1), end=date(2026, 1, 1), rate="0.0005")
    other = _occupancy(2, unit_id=20, start=date(2024, 1, 1), rate="0.0003")
    assert policy_for(JAN_15, {10}, [ours, other]) == Policy(D("0.0005"), 0)
    assert policy_for(JAN_15, {20}, [ours, other]) == Policy(D("0.0003"), 0)


def test_without_units_the_agreement_in_force_on_the_due_date_then_the_nearest():
    ended = _occupancy(1, unit_id=10, start=date(2024, 1, 1), end=date(2025, 12, 1), rate="0.0005")
    running = _occupancy(2, unit_id=20, start=date(2025, 6, 1), rate="0.0003", grace=3)
    assert policy_for(JAN_15, set(), [ended, running]) == Policy(D("0.0003"), 3)
    # A final bill due after the move-out: the agreement that just ended.
    assert policy_for(JAN_15, set(), [ended]) == Policy(D("0.0005"), 0)
    # First charges due before the lease starts: the agreement about to start.
    assert policy_for(date(2025, 5, 20), set(), [running]) == Policy(D("0.0003"), 3)
    assert policy_for(JAN_15, set(), []) is None
    assert policy_for(JAN_15, set(), [_occupancy(3, 30, date(2024, 1, 1), rate=None)]) is None


# --- billing: the month-end run and payoff --------------------------------------------------------


def test_the_month_end_run_bills_last_months_once(a, desk):
    with on_day(date(2026, 3, 1)):
        bill = latefee_services.late_fees_bill(tenant=a.tenant, by=desk)
        again = latefee_services.late_fees_bill(tenant=a.tenant, by=desk)
    assert again is None
    assert bill.total == D("13.20")  # January 4.80 + February 8.40; March is not over
    assert bill.title.endswith("2026-02") and bill.due_date == date(2026, 3, 16)
    keys = list(LateFeeCharge.objects.order_by("month").values_list("source_key", "amount", "bill"))
    assert keys == [(f"latefee:{a.pk}:2026-01", D("4.80"), bill.pk), (f"latefee:{a.pk}:2026-02", D("8.40"), bill.pk)]
    assert [line.amount for line in bill.lines.order_by("id")] == [D("4.80"), D("8.40")]
    with on_day(date(2026, 4, 2)):
        april = latefee_services.late_fees_bill_all(by=desk)
    assert april == 1
    assert LateFeeCharge.objects.get(month=date(2026, 3, 1)).amount == D("9.30")
    assert Bill.objects.filter(source_key__startswith="latefee:").count() == 2


def test_a_late_run_bills_every_month_it_missed_in_one_bill(a, desk):
    with on_day(date(2026, 5, 3)):
        assert latefee_services.late_fees_bill_all(by=desk) == 1
        assert latefee_services.late_fees_bill_all(by=desk) == 0
    assert list(LateFeeCharge.objects.order_by("month").values_list("month", flat=True)) == [
        date(2026, m, 1) for m in (1, 2, 3, 4)
    ]
    assert Bill.objects.filter(source_key__startswith="latefee:").count() == 1


def test_paying_off_the_principal_bills_its_late_fee_at_once(a, tenant_a, desk, django_capture_on_commit_callbacks):
    with on_day(date(2026, 3, 1)):
        latefee_services.late_fees_bill_all(by=desk)
    with on_day(date(2026, 3, 10)), django_capture_on_commit_callbacks(execute=True):
        payment_record(tenant=tenant_a, amount=D("1000.00"), method="bank", by=desk, bills=[a])
    march = LateFeeCharge.objects.get(source_bill=a, month=date(2026, 3, 1))
    assert (march.days, march.amount) == (10, D("3.00"))  # 1st–10th: the payment day still accrues
    assert march.bill.issued_on == date(2026, 3, 10)  # billed by the payoff task, that day
    with on_day(date(2026, 4, 1)):
        assert latefee_services.late_fees_bill_all(by=desk) == 0
    assert late_fee_as_of(a, date(2027, 1, 1)) == D("16.20")
    assert LateFeeCharge.objects.filter(source_bill=a).count() == 3


def test_a_payoff_within_the_grace_days_bills_nothing(tenant_a, desk, django_capture_on_commit_callbacks):
    agree(tenant_a, grace=10)
    bill = overdue_bill(tenant_a, desk, "1000.00", JAN_15)
    with django_capture_on_commit_callbacks(execute=True):
        pay_on(date(2026, 1, 25), tenant_a, desk, "1000.00")
    assert not LateFeeCharge.objects.exists()
    assert not Bill.objects.filter(source_key__startswith="latefee:").exists()
    assert late_fee_as_of(bill, date(2026, 3, 1)) == D("0.00")


def test_one_late_fee_bill_per_tenant_with_a_line_per_bill_and_month(a, tenant_a, tenant_b, desk):
    second = overdue_bill(tenant_a, desk, "500.00", date(2026, 1, 31))
    agree(tenant_b)
    other = overdue_bill(tenant_b, desk, "2000.00", JAN_15)
    with on_day(date(2026, 2, 1)):
        assert latefee_services.late_fees_bill_all(by=desk) == 2
    a_bill = Bill.objects.get(tenant=tenant_a, source_key__startswith="latefee:")
    assert [line.amount for line in a_bill.lines.order_by("id")] == [D("4.80")]  # 31st not yet overdue a day
    assert not LateFeeCharge.objects.filter(source_bill=second).exists()
    assert Bill.objects.get(tenant=tenant_b, source_key__startswith="latefee:").total == D("9.60")
    assert LateFeeCharge.objects.get(source_bill=other).bill.tenant == tenant_b


@pytest.mark.parametrize("tenants", [1, 8])
def test_a_run_with_nothing_left_to_bill_reads_in_six_queries(desk, django_assert_num_queries, tenants):
    for _ in range(tenants):
        tenant, _unit = factories.occupied_unit()
        agree(tenant)
        overdue_bill(tenant, desk, "1000.00", JAN_15)
        overdue_bill(tenant, desk, "800.00", date(2026, 2, 15))
    with on_day(date(2026, 4, 1)):
        assert latefee_services.late_fees_bill_all(by=desk) == tenants
        with django_assert_num_queries(6):
            assert latefee_services.late_fees_bill_all(by=desk) == 0


def test_the_database_refuses_a_second_charge_of_a_bill_and_month(a, desk):
    with on_day(date(2026, 2, 1)):
        latefee_services.late_fees_bill(tenant=a.tenant, by=desk)
    charge = LateFeeCharge.objects.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        LateFeeCharge.objects.create(
            source_bill=a,
            month=charge.month,
            source_key="latefee:other",
            days=1,
            daily_rate=D("0.0003"),
            fee=D("1.00"),
            amount=D("1.00"),
            bill=charge.bill,
        )


def test_a_late_fee_bill_cannot_be_voided(a, desk, supervisor):
    with on_day(date(2026, 2, 1)):
        fee_bill = latefee_services.late_fees_bill(tenant=a.tenant, by=desk)
    with pytest.raises(TransitionRefused):
        bill_void(bill=fee_bill, by=supervisor, reason="免了")
    assert Bill.objects.get(pk=fee_bill.pk).status == "open"


# --- waivers --------------------------------------------------------------------------------------


def test_the_supervisor_waives_part_of_a_late_fee_with_a_reason(a, supervisor, desk):
    with on_day(date(2026, 2, 10)):
        waiver = latefee_services.late_fee_waive(bill=a, amount=D("5.00"), reason="疫情期间减免", by=supervisor)
        (row,) = latefees.accruals(a.tenant)
    assert (row.accrued, row.waived, row.due_now, row.total) == (D("7.80"), D("5.00"), D("2.80"), D("2.80"))
    event = AuditEvent.objects.get(action="bill.late_fee_waived", object_id=a.pk)
    assert (event.actor, event.note, event.data) == (supervisor, "疫情期间减免", {"amount": "5.00"})
    with on_day(date(2026, 3, 1)):
        fee_bill = latefee_services.late_fees_bill(tenant=a.tenant, by=desk)
    # January's 4.80 is waived whole, February's 8.40 less the 0.20 left of the waiver.
    jan, feb = LateFeeCharge.objects.order_by("month")
    assert (jan.fee, jan.waived, jan.amount, jan.bill, jan.bill_line) == (D("4.80"), D("4.80"), D("0.00"), None, None)
    assert (feb.fee, feb.waived, feb.amount, feb.bill) == (D("8.40"), D("0.20"), D("8.20"), fee_bill)
    assert fee_bill.total == D("8.20") and waiver.pk


def test_a_waiver_of_the_whole_fee_bills_nothing(a, supervisor, desk):
    with on_day(date(2026, 2, 1)):
        latefee_services.late_fee_waive(bill=a, amount=D("4.80"), reason="首次逾期", by=supervisor)
        assert latefee_services.late_fees_bill(tenant=a.tenant, by=desk) is None
        assert latefee_services.late_fees_bill(tenant=a.tenant, by=desk) is None
    assert LateFeeCharge.objects.get().amount == D("0.00")
    assert not Bill.objects.filter(source_key__startswith="latefee:").exists()
    assert late_fee_as_of(a, date(2026, 2, 1)) == D("0.30")  # February 1st accrues on


def test_a_waiver_larger_than_the_fee_not_yet_billed_is_a_field_error(a, supervisor, desk):
    with on_day(date(2026, 2, 1)):
        latefee_services.late_fees_bill(tenant=a.tenant, by=desk)  # January billed: 4.80
    with on_day(date(2026, 2, 10)), pytest.raises(ValidationError) as err:
        latefee_services.late_fee_waive(bill=a, amount=D("3.01"), reason="x", by=supervisor)  # 3.00 accrued since
    assert "amount" in err.value.message_dict
    assert not LateFeeWaiver.objects.exists()


@pytest.mark.parametrize(
    ("amount", "reason", "field"), [(D("0"), "x", "amount"), (D("-1"), "x", "amount"), (D("1"), "  ", "reason")]
)
def test_bad_waivers_are_field_errors(a, supervisor, amount, reason, field):
    with on_day(date(2026, 2, 10)), pytest.raises(ValidationError) as err:
        latefee_services.late_fee_waive(bill=a, amount=amount, reason=reason, by=supervisor)
    assert field in err.value.message_dict
    assert not LateFeeWaiver.objects.exists()


@pytest.mark.parametrize("who", ["desk", "finance"])
def test_only_a_supervisor_waives(a, persona, who):
    with on_day(date(2026, 2, 10)), pytest.raises(PermissionDenied):
        latefee_services.late_fee_waive(bill=a, amount=D("1.00"), reason="x", by=persona(who))
    assert not LateFeeWaiver.objects.exists()


# --- the agreement's terms ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rate", "grace", "field"),
    [
        ("0", 0, "late_fee_daily_rate"),
        ("-0.0003", 0, "late_fee_daily_rate"),
        ("0.0011", 0, "late_fee_daily_rate"),
        ("0.0000001", 0, "late_fee_daily_rate"),
        ("0.0003", -1, "late_fee_grace_days"),
        ("0.0003", 366, "late_fee_grace_days"),
    ],
)
def test_a_rate_out_of_bounds_or_negative_grace_is_a_field_error(tenant_a, rate, grace, field):
    occupancy = Occupancy.objects.get(tenant=tenant_a)
    occupancy.late_fee_daily_rate, occupancy.late_fee_grace_days = D(rate), grace
    with pytest.raises(ValidationError) as err:
        occupancy.full_clean()
    assert list(err.value.message_dict) == [field]


@pytest.mark.parametrize("rate", ["0.001", "0.0003", "0.000001"])
def test_a_rate_up_to_the_cap_is_accepted(tenant_a, rate):
    occupancy = Occupancy.objects.get(tenant=tenant_a)
    occupancy.late_fee_daily_rate = D(rate)
    occupancy.full_clean()


def test_the_database_holds_the_bounds_too(tenant_a):
    with pytest.raises(IntegrityError), transaction.atomic():
        Occupancy.objects.filter(tenant=tenant_a).update(late_fee_daily_rate=D("0.002"))


def test_the_agreement_signed_at_move_in_gives_its_occupancies_the_late_fee_terms(
    building, desk, supervisor, price_list, django_capture_on_commit_callbacks
):
    from tenants import services
    from tests.lifecycle.helpers import finish_move_in, tenth_of_a_30_day_month

    tenant = factories.TenantFactory(email="")
    factories.ContactFactory(tenant=tenant, name="黄丽", email="huangli@example.com", is_primary=True)
    unit = factories.UnitFactory(floor=factories.FloorFactory(building=building, number=18), number="A-1801")
    start = tenth_of_a_30_day_month()
    move_in = services.movein_open(tenant=tenant, units=[unit], start_date=start, by=desk)
    with pytest.raises(ValidationError) as err:
        services.movein_record_agreement(
            move_in=move_in, signed_on=start, signer="黄丽", by=desk, late_fee_daily_rate=D("0.03")
        )
    assert list(err.value.message_dict) == ["late_fee_daily_rate"]
    finish_move_in(move_in, desk)
    services.movein_record_agreement(
        move_in=move_in, signed_on=start, signer="黄丽", by=desk, late_fee_daily_rate=D("0.0003"), late_fee_grace_days=5
    )
    move_in.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        services.movein_confirm(obj=move_in, by=supervisor)
    occupancy = Occupancy.objects.get(tenant=tenant)
    assert (occupancy.late_fee_daily_rate, occupancy.late_fee_grace_days) == (D("0.0003"), 5)
    assert occupancy.late_fee_terms
