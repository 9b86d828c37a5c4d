"""Billing services: bills and their lines, prorated property fees, payments allocated to bills,
credit, voiding, the deposit ledger and its refund, numbered receipts."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.utils import timezone

from billing import services
from billing.models import Allocation, Bill, BillLine, DepositEntry, Payment
from billing.money import round_money
from billing.selectors import deposit_balance, tenant_balance
from billing.services import LineSpec, bill_create, bill_void, deposit_refund, payment_record, property_fee_lines
from jinyuan.documents.models import Document
from jinyuan.workflow.models import AuditEvent
from jinyuan.workflow.services import TransitionRefused
from tests.billing.helpers import D, issue_bill

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english", "price_list")]

YEAR = timezone.localdate().year
TODAY = timezone.localdate()


def pay(tenant, by, amount, bills=None, method="cash"):
    return payment_record(tenant=tenant, amount=D(amount), method=method, by=by, bills=bills)


def fresh(obj):
    obj.refresh_from_db()
    return obj


def ledger_sum(tenant, fee_item=None) -> Decimal:
    entries = DepositEntry.objects.filter(tenant=tenant)
    if fee_item is not None:
        entries = entries.filter(fee_item=fee_item)
    return sum((e.signed_amount for e in entries), Decimal("0.00"))


# --- bills ---------------------------------------------------------------------------------------


def test_bill_total_is_the_sum_of_its_lines(tenant_a, desk):
    bill = issue_bill(tenant_a, desk, "1280.50", "19.50", "0.01")
    assert bill.total == D("1300.01")
    assert bill.lines.aggregate(s=Sum("amount"))["s"] == bill.total
    assert (bill.status, bill.paid, bill.number) == ("open", D("0.00"), f"ZD-{YEAR}-00001")


def test_each_line_is_rounded_half_up_to_the_fen_before_the_total(tenant_a, desk, price_list):
    item = price_list["paid_service"]
    # 0.5 × 0.05 = 0.025 → 0.03 (half-up; banker's rounding would give 0.02); three of them 0.09,
    # where rounding only the sum (0.075) would give 0.08.
    lines = [LineSpec(item, f"半小时 {i}", D("0.5"), D("0.05")) for i in range(3)]
    bill = bill_create(tenant=tenant_a, title="加班空调", lines=lines, by=desk)
    assert [line.amount for line in bill.lines.all()] == [D("0.03")] * 3
    assert bill.total == D("0.09")


def test_line_amount_is_quantity_times_unit_price(tenant_a, desk, price_list):
    item = price_list["paid_service"]
    bill = bill_create(
        tenant=tenant_a,
        title="t",
        lines=[LineSpec(item, "a", D("2.3333"), D("45.00")), LineSpec(item, "b", D("1.5"), D("0.01"))],
        by=desk,
    )
    assert [(x.quantity, x.unit_price, x.amount) for x in bill.lines.all()] == [
        (D("2.3333"), D("45.00"), D("105.00")),  # 104.9985 → 105.00
        (D("1.5000"), D("0.01"), D("0.02")),  # 0.015 → 0.02
    ]
    assert bill.total == D("105.02")


def test_a_bill_needs_a_line(tenant_a, desk):
    with pytest.raises(ValidationError):
        bill_create(tenant=tenant_a, title="空", lines=[], by=desk)
    assert not Bill.objects.exists()


def test_a_negative_line_is_refused(tenant_a, desk):
    with pytest.raises(ValidationError):
        issue_bill(tenant_a, desk, "100", "-0.01")
    assert not Bill.objects.exists()


def test_a_bill_of_nothing_is_paid_at_once(tenant_a, desk):
    bill = issue_bill(tenant_a, desk, "0")
    assert (bill.status, bill.total, bill.paid) == ("paid", D("0.00"), D("0.00"))


def test_the_same_thing_is_billed_once_until_voided(tenant_a, desk):
    first = issue_bill(tenant_a, desk, "300", source_key="signboard:1")
    with pytest.raises(TransitionRefused):
        issue_bill(tenant_a, desk, "300", source_key="signboard:1")
    bill_void(bill=first, by=desk, reason="金额有误")
    again = issue_bill(tenant_a, desk, "280", source_key="signboard:1")
    assert again.status == "open"
    assert Bill.objects.filter(source_key="signboard:1").count() == 2


def test_bill_due_date_defaults_to_fifteen_days_after_issue(tenant_a, desk):
    bill = issue_bill(tenant_a, desk, "10")
    assert (bill.issued_on, bill.due_date) == (TODAY, TODAY + timedelta(days=15))


# --- property fee prorating ----------------------------------------------------------------------


def test_first_month_from_the_10th_of_a_30_day_month_is_21_of_30_days(unit_a, price_list):
    fee = price_list["property_fee"]  # 28.00 per m² and month; unit A has 186.40 m²
    (line,) = property_fee_lines(fee, unit_a, date(2026, 11, 10), date(2026, 11, 30))
    assert line.quantity == D("130.4800")  # 186.40 × 21 / 30
    assert line.amount == D("3653.44")  # 186.40 × 28.00 × 21 / 30
    assert (line.period_start, line.period_end, line.unit) == (date(2026, 11, 10), date(2026, 11, 30), unit_a)
    assert "(21 of 30 days)" in line.description


def test_a_whole_month_is_rate_times_area(unit_a, price_list):
    (line,) = property_fee_lines(price_list["property_fee"], unit_a, date(2026, 12, 1), date(2026, 12, 31))
    assert (line.quantity, line.unit_price, line.amount) == (D("186.4000"), D("28.00"), D("5219.20"))
    assert "days)" not in line.description


def test_a_period_across_two_months_gives_one_line_per_month(unit_b, price_list):
    fee = price_list["property_fee"]  # unit B: 98.00 m²
    first, second = property_fee_lines(fee, unit_b, date(2026, 11, 20), date(2026, 12, 9))
    assert (first.period_start, first.period_end) == (date(2026, 11, 20), date(2026, 11, 30))
    assert (second.period_start, second.period_end) == (date(2026, 12, 1), date(2026, 12, 9))
    assert first.quantity == (D("98.00") * 11 / 30).quantize(D("0.0001"))
    assert second.quantity == (D("98.00") * 9 / 31).quantize(D("0.0001"))
    # each month rounded once from area × rate × days / days in month
    assert first.amount == round_money(D("98.00") * D("28.00") * 11 / 30) == D("1006.13")
    assert second.amount == round_money(D("98.00") * D("28.00") * 9 / 31) == D("796.65")


def test_a_prorated_fee_is_rounded_once_from_the_exact_amount(unit_b, price_list):
    (line,) = property_fee_lines(price_list["property_fee"], unit_b, date(2026, 12, 23), date(2026, 12, 31))
    exact = D("98.00") * D("28.00") * 9 / 31  # 796.6451612…
    assert line.amount == round_money(exact) == D("796.65")


def test_february_of_a_leap_year_has_29_days(unit_b, price_list):
    (line,) = property_fee_lines(price_list["property_fee"], unit_b, date(2028, 2, 15), date(2028, 2, 29))
    assert line.quantity == (D("98.00") * 15 / 29).quantize(D("0.0001"))
    assert "(15 of 29 days)" in line.description


def test_three_months_full_in_the_middle(unit_b, price_list):
    lines = property_fee_lines(price_list["property_fee"], unit_b, date(2026, 10, 31), date(2027, 1, 1))
    assert [(x.period_start, x.period_end) for x in lines] == [
        (date(2026, 10, 31), date(2026, 10, 31)),
        (date(2026, 11, 1), date(2026, 11, 30)),
        (date(2026, 12, 1), date(2026, 12, 31)),
        (date(2027, 1, 1), date(2027, 1, 1)),
    ]
    assert [x.amount for x in lines[1:3]] == [D("2744.00")] * 2  # 98 × 28


# --- payments and allocation ---------------------------------------------------------------------


@pytest.fixture
def three_bills(tenant_a, desk):
    """Issued out of order of their due dates: late (100), early (200), middle (300)."""
    late = issue_bill(tenant_a, desk, "100", due_date=TODAY + timedelta(days=30))
    early = issue_bill(tenant_a, desk, "200", due_date=TODAY + timedelta(days=5))
    middle = issue_bill(tenant_a, desk, "300", due_date=TODAY + timedelta(days=10))
    return early, middle, late


def test_payment_pays_the_oldest_due_bills_first(tenant_a, desk, three_bills):
    early, middle, _late = three_bills
    payment = pay(tenant_a, desk, "350")
    assert [(b.status, b.paid) for b in map(fresh, three_bills)] == [
        ("paid", D("200.00")),
        ("partly_paid", D("150.00")),
        ("open", D("0.00")),
    ]
    assert list(payment.allocations.order_by("id").values_list("bill", "amount")) == [
        (early.pk, D("200.00")),
        (middle.pk, D("150.00")),
    ]
    assert (fresh(payment).allocated, payment.credit) == (D("350.00"), D("0.00"))
    assert tenant_balance(tenant_a)["owed"] == D("250.00")


def test_payment_to_chosen_bills_pays_only_those_and_keeps_the_rest_as_credit(tenant_a, desk, three_bills):
    early, middle, late = three_bills
    payment = pay(tenant_a, desk, "150", bills=[late])
    assert [fresh(b).status for b in (early, middle, late)] == ["open", "open", "paid"]
    assert (fresh(payment).allocated, payment.credit) == (D("100.00"), D("50.00"))
    assert tenant_balance(tenant_a) == {"owed": D("500.00"), "credit": D("50.00"), "deposit": D("0.00")}


def test_chosen_bills_are_paid_in_the_order_chosen(tenant_a, desk, three_bills):
    early, middle, _late = three_bills
    pay(tenant_a, desk, "350", bills=[middle, early])
    assert [(fresh(b).status, b.paid) for b in (middle, early)] == [("paid", D("300.00")), ("partly_paid", D("50.00"))]


def test_partial_payment_makes_the_bill_partly_paid(tenant_a, desk):
    bill = issue_bill(tenant_a, desk, "1000")
    pay(tenant_a, desk, "400.10")
    assert (fresh(bill).status, bill.paid, bill.outstanding) == ("partly_paid", D("400.10"), D("599.90"))
    pay(tenant_a, desk, "599.90")
    assert (fresh(bill).status, bill.paid, bill.outstanding) == ("paid", D("1000.00"), D("0.00"))


def test_overpayment_is_kept_as_credit_and_pays_the_next_bill_when_it_is_issued(tenant_a, desk):
    first = issue_bill(tenant_a, desk, "100")
    payment = pay(tenant_a, desk, "250")
    assert fresh(first).status == "paid"
    assert tenant_balance(tenant_a)["credit"] == D("150.00")
    receipts = Document.objects.count()

    second = issue_bill(tenant_a, desk, "120")
    assert (second.status, second.paid) == ("paid", D("120.00"))
    assert Allocation.objects.get(bill=second).payment == payment
    assert (fresh(payment).allocated, payment.credit) == (D("220.00"), D("30.00"))

    third = issue_bill(tenant_a, desk, "50")
    assert (third.status, third.paid) == ("partly_paid", D("30.00"))
    assert tenant_balance(tenant_a) == {"owed": D("20.00"), "credit": D("0.00"), "deposit": D("0.00")}
    assert Document.objects.count() == receipts  # credit applied later issues no new receipt


def test_credit_from_several_payments_is_used_oldest_first(tenant_a, desk):
    older = pay(tenant_a, desk, "30")
    newer = pay(tenant_a, desk, "40")
    bill = issue_bill(tenant_a, desk, "50")
    assert bill.status == "paid"
    assert (fresh(older).credit, fresh(newer).credit) == (D("0.00"), D("20.00"))


def test_payment_against_another_tenants_bill_is_refused_and_records_nothing(tenant_a, tenant_b, desk):
    bill_b = issue_bill(tenant_b, desk, "500")
    with pytest.raises(ValidationError) as exc:
        pay(tenant_a, desk, "500", bills=[bill_b])
    assert "bills" in exc.value.message_dict
    assert not Payment.objects.exists()
    assert (fresh(bill_b).status, bill_b.paid) == ("open", D("0.00"))
    # The refused payment took no receipt number.
    assert pay(tenant_b, desk, "500").receipt.number == f"SJ-{YEAR}-00001"


@pytest.mark.parametrize("amount", ["0", "-5", "0.004"])
def test_payment_of_nothing_or_less_is_refused(tenant_a, desk, amount):
    with pytest.raises(ValidationError) as exc:
        pay(tenant_a, desk, amount)
    assert "amount" in exc.value.message_dict
    assert not Payment.objects.exists()


def test_payment_by_an_unknown_method_is_refused(tenant_a, desk):
    with pytest.raises(ValidationError) as exc:
        pay(tenant_a, desk, "10", method="bitcoin")
    assert "method" in exc.value.message_dict


def test_a_paid_or_void_chosen_bill_is_skipped_and_the_money_kept(tenant_a, desk):
    paid = issue_bill(tenant_a, desk, "10")
    pay(tenant_a, desk, "10")
    void = issue_bill(tenant_a, desk, "20")
    bill_void(bill=void, by=desk, reason="重复")
    payment = pay(tenant_a, desk, "30", bills=[paid, void])
    assert payment.allocated == D("0.00")
    assert (fresh(paid).paid, fresh(void).paid) == (D("10.00"), D("0.00"))


# --- voiding -------------------------------------------------------------------------------------


def test_an_unpaid_open_bill_is_voided_with_its_reason_and_kept(tenant_a, desk):
    bill = issue_bill(tenant_a, desk, "88")
    bill_void(bill=bill, by=desk, reason="开错了")
    bill = Bill.objects.get(pk=bill.pk)
    assert (bill.status, bill.void_reason, bill.outstanding) == ("void", "开错了", D("0.00"))
    assert bill.voided_at is not None
    assert AuditEvent.objects.filter(action="bill.voided", object_id=bill.pk, note="开错了").exists()
    assert tenant_balance(tenant_a)["owed"] == D("0.00")


@pytest.mark.parametrize("reason", ["", "   "])
def test_voiding_needs_a_reason(tenant_a, desk, reason):
    bill = issue_bill(tenant_a, desk, "88")
    with pytest.raises(ValidationError):
        bill_void(bill=bill, by=desk, reason=reason)
    assert fresh(bill).status == "open"


def test_a_partly_paid_bill_cannot_be_voided(tenant_a, desk):
    bill = issue_bill(tenant_a, desk, "88")
    pay(tenant_a, desk, "8")
    with pytest.raises(TransitionRefused):
        bill_void(bill=bill, by=desk, reason="x")
    assert (fresh(bill).status, bill.paid) == ("partly_paid", D("8.00"))


def test_a_paid_bill_cannot_be_voided(tenant_a, desk):
    bill = issue_bill(tenant_a, desk, "88")
    pay(tenant_a, desk, "88")
    with pytest.raises(TransitionRefused):
        bill_void(bill=bill, by=desk, reason="x")
    assert fresh(bill).status == "paid"


def test_a_void_bill_cannot_be_voided_again(tenant_a, desk):
    bill = issue_bill(tenant_a, desk, "88")
    bill_void(bill=bill, by=desk, reason="x")
    with pytest.raises(TransitionRefused):
        bill_void(bill=bill, by=desk, reason="y")
    assert fresh(bill).void_reason == "x"


def test_a_void_bill_is_not_paid_by_later_money(tenant_a, desk):
    void = issue_bill(tenant_a, desk, "88", due_date=TODAY)
    bill_void(bill=void, by=desk, reason="x")
    live = issue_bill(tenant_a, desk, "12", due_date=TODAY + timedelta(days=3))
    payment = pay(tenant_a, desk, "100")
    assert (fresh(void).paid, fresh(live).status, payment.credit) == (D("0.00"), "paid", D("88.00"))


# --- deposits ------------------------------------------------------------------------------------


@pytest.fixture
def deposit_bill(tenant_a, desk, price_list):
    """Property fee 1000 plus the two deposits (5000 and 10000): 16000."""
    lines = [
        LineSpec(price_list["paid_service"], "物业费", D(1), D("1000")),
        LineSpec(price_list["move_in_deposit"], "入驻保证金", D(1), D("5000")),
        LineSpec(price_list["renovation_deposit"], "装修保证金", D(1), D("10000")),
    ]
    return bill_create(tenant=tenant_a, title="入驻费用", lines=lines, by=desk, source_key="movein:test")


def test_deposits_enter_the_ledger_when_their_bill_is_paid_and_only_once(tenant_a, desk, deposit_bill):
    pay(tenant_a, desk, "15999.99")
    assert fresh(deposit_bill).status == "partly_paid"
    assert not DepositEntry.objects.exists()

    pay(tenant_a, desk, "0.01")
    entries = DepositEntry.objects.order_by("amount")
    assert [(e.kind, e.amount, e.reason, e.source_key) for e in entries] == [
        ("received", D("5000.00"), deposit_bill.number, "movein:test"),
        ("received", D("10000.00"), deposit_bill.number, "movein:test"),
    ]
    assert {e.bill_line.bill_id for e in entries} == {deposit_bill.pk}

    pay(tenant_a, desk, "100")  # only credit now
    services._settle(fresh(deposit_bill), desk)  # settling again changes nothing either
    assert DepositEntry.objects.count() == 2
    assert deposit_balance(tenant_a) == D("15000.00") == ledger_sum(tenant_a)


def test_deposit_of_a_bill_paid_by_credit_enters_the_ledger(tenant_a, desk, price_list):
    pay(tenant_a, desk, "5000")
    bill_create(
        tenant=tenant_a,
        title="押金",
        lines=[LineSpec(price_list["move_in_deposit"], "入驻保证金", D(1), D("5000"))],
        by=desk,
    )
    assert deposit_balance(tenant_a) == D("5000.00")


@pytest.fixture
def held(tenant_a, desk, deposit_bill):
    pay(tenant_a, desk, deposit_bill.total)
    assert deposit_balance(tenant_a) == D("15000.00")
    return D("15000.00")


def test_deposit_refund_with_deductions_and_reasons_empties_the_ledger(tenant_a, supervisor, held):
    entries = deposit_refund(
        tenant=tenant_a,
        refund=D("14500"),
        deductions=[(D("200"), "清洁费"), (D("300"), " 墙面修补 ")],
        by=supervisor,
        source_key="moveout:1",
    )
    deducted = [(e.amount, e.reason) for e in entries if e.kind == "deducted"]
    refunded = [e.amount for e in entries if e.kind == "refunded"]
    assert deducted == [(D("200.00"), "清洁费"), (D("300.00"), "墙面修补")]
    assert sum(refunded) == D("14500.00")
    assert {e.source_key for e in entries} == {"moveout:1"}
    assert deposit_balance(tenant_a) == D("0.00") == ledger_sum(tenant_a)
    assert AuditEvent.objects.filter(action="tenant.deposit_refunded", object_id=tenant_a.pk).exists()


def test_a_deduction_larger_than_one_deposit_is_taken_from_the_next(tenant_a, supervisor, held, price_list):
    deposit_refund(tenant=tenant_a, refund=D("9000"), deductions=[(D("6000"), "赔偿")], by=supervisor)
    for item in (price_list["move_in_deposit"], price_list["renovation_deposit"]):
        assert deposit_balance(tenant_a, item) == D("0.00") == ledger_sum(tenant_a, item)
    assert DepositEntry.objects.filter(kind="deducted").aggregate(s=Sum("amount"))["s"] == D("6000.00")
    assert DepositEntry.objects.filter(kind="refunded").aggregate(s=Sum("amount"))["s"] == D("9000.00")


def test_refund_larger_than_deposit_less_deductions_is_refused(tenant_a, supervisor, held):
    with pytest.raises(ValidationError) as exc:
        deposit_refund(tenant=tenant_a, refund=D("14900"), deductions=[(D("200"), "清洁费")], by=supervisor)
    assert "14800" in " ".join(exc.value.message_dict["refund"])
    assert deposit_balance(tenant_a) == held
    assert DepositEntry.objects.count() == 2


def test_deductions_exceeding_the_deposit_are_refused(tenant_a, supervisor, held):
    with pytest.raises(ValidationError) as exc:
        deposit_refund(tenant=tenant_a, refund=D("0"), deductions=[(D("15000.01"), "赔偿")], by=supervisor)
    assert "deductions" in exc.value.message_dict
    assert DepositEntry.objects.count() == 2


def test_refund_and_deductions_must_add_up_to_the_deposit(tenant_a, supervisor, held):
    with pytest.raises(ValidationError) as exc:
        deposit_refund(tenant=tenant_a, refund=D("14000"), deductions=[(D("200"), "清洁费")], by=supervisor)
    assert "800" in " ".join(exc.value.message_dict["refund"])
    assert deposit_balance(tenant_a) == held


def test_every_deduction_needs_a_reason(tenant_a, supervisor, held):
    with pytest.raises(ValidationError) as exc:
        deposit_refund(tenant=tenant_a, refund=D("14800"), deductions=[(D("200"), "  ")], by=supervisor)
    assert "deductions" in exc.value.message_dict
    assert DepositEntry.objects.count() == 2


def test_a_negative_refund_is_refused(tenant_a, supervisor, held):
    with pytest.raises(ValidationError) as exc:
        deposit_refund(tenant=tenant_a, refund=D("-1"), deductions=[], by=supervisor)
    assert "refund" in exc.value.message_dict


def test_the_whole_deposit_may_be_deducted(tenant_a, supervisor, held):
    deposit_refund(tenant=tenant_a, refund=D("0"), deductions=[(D("15000"), "违约金")], by=supervisor)
    assert not DepositEntry.objects.filter(kind="refunded").exists()
    assert deposit_balance(tenant_a) == D("0.00") == ledger_sum(tenant_a)


def test_a_second_refund_finds_nothing_held(tenant_a, supervisor, held):
    deposit_refund(tenant=tenant_a, refund=held, deductions=[], by=supervisor)
    with pytest.raises(ValidationError):
        deposit_refund(tenant=tenant_a, refund=D("1"), deductions=[], by=supervisor)
    assert deposit_balance(tenant_a) == D("0.00") == ledger_sum(tenant_a)


# --- receipts ------------------------------------------------------------------------------------


def test_receipt_numbers_are_gapless_per_year(tenant_a, tenant_b, desk):
    numbers = [pay(t, desk, "10").receipt.number for t in (tenant_a, tenant_b, tenant_a)]
    assert numbers == [f"SJ-{YEAR}-00001", f"SJ-{YEAR}-00002", f"SJ-{YEAR}-00003"]
    assert all(fresh(p).receipt.kind == "receipt" for p in Payment.objects.all())


def test_receipt_data_lists_the_bills_paid_and_the_credit(tenant_a, desk):
    bill = issue_bill(tenant_a, desk, "1234.56")
    payment = pay(tenant_a, desk, "1300")
    data = payment.receipt.data
    assert data["payer"] == tenant_a.name
    assert data["amount"] == "1,300.00"
    assert data["amount_upper"] == "人民币壹仟叁佰元整"
    assert data["items"] == [{"bill": bill.number, "title": bill.title, "amount": "1,234.56"}]
    assert data["credit"] == "65.44"


def test_receipt_pdf_shows_the_payer_and_the_amount_in_capitals(client_for, tenant_a, desk):
    import io

    from pypdf import PdfReader

    issue_bill(tenant_a, desk, "1000")
    payment = pay(tenant_a, desk, "1234.56")
    response = client_for(desk).get(f"/desk/billing/payments/{payment.pk}/receipt/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = "".join(PdfReader(io.BytesIO(b"".join(response.streaming_content))).pages[0].extract_text().split())
    assert tenant_a.name in text
    assert "人民币壹仟贰佰叁拾肆元伍角陆分" in text
    assert payment.receipt.number in text


def test_bill_lines_are_kept_with_the_bill(tenant_a, desk):
    bill = issue_bill(tenant_a, desk, "1", "2", "3")
    assert BillLine.objects.filter(bill=bill).count() == 3


def test_the_tenants_admins_are_told_of_a_new_bill_and_a_payment(tenant_a, tenant_a_admin, tenant_a_staff, desk):
    bill = issue_bill(tenant_a, desk, "66")
    payment = pay(tenant_a, desk, "66")
    notes = list(tenant_a_admin.notifications.order_by("id").values_list("url", "dedup_key"))
    assert notes == [
        (f"/portal/billing/bills/{bill.pk}/", f"bill-{bill.pk}-issued"),
        ("/portal/billing/", f"payment-{payment.pk}-received"),
    ]
    assert not tenant_a_staff.notifications.exists()  # staff are not the company's accounts contact
