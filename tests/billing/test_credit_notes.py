"""Credit notes 贷项通知单: numbered, in the tenant's balance and statement, consumed by the next
bills like an unallocated payment, voided with a reason only while nothing of them is allocated."""

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone

from billing import statements
from billing.credit_notes import credit_left, credit_note_issue, credit_note_void
from billing.models import Bill, CreditNote, Payment
from billing.selectors import tenant_balance
from jinyuan.workflow.models import AuditEvent
from jinyuan.workflow.services import TransitionRefused
from tenants.models import Tenant
from tests import factories
from tests.concurrency import run_at_once

pytestmark = pytest.mark.django_db


def _issue(tenant, by, amount="127.22", key=""):
    return credit_note_issue(tenant=tenant, amount=Decimal(amount), title="废品收购", by=by, source_key=key)


def test_a_credit_note_is_numbered_and_counts_as_credit(tenant_a, desk):
    note = _issue(tenant_a, desk)
    year = timezone.localdate().year
    assert note.number == f"HS-{year}-00001"
    assert note.payment.method == Payment.Method.CREDIT_NOTE
    assert note.payment.reference == note.number
    assert note.payment.receipt.kind == "credit_note"
    assert note.payment.receipt.number == note.number
    assert tenant_balance(tenant_a)["credit"] == Decimal("127.22")
    assert AuditEvent.objects.filter(action="credit_note.issued", object_id=note.pk).exists()


def test_numbers_are_gapless(tenant_a, desk):
    numbers = [_issue(tenant_a, desk, "10").number for _ in range(3)]
    assert [int(n.rsplit("-", 1)[1]) for n in numbers] == [1, 2, 3]


@pytest.mark.parametrize("amount", ["0", "-5"])
def test_a_zero_or_negative_amount_is_refused(tenant_a, desk, amount):
    with pytest.raises(ValidationError):
        _issue(tenant_a, desk, amount)
    assert not CreditNote.objects.exists()


def test_the_next_bill_consumes_the_credit(tenant_a, desk):
    note = _issue(tenant_a, desk, "100.00")
    bill = factories.make_bill(tenant_a, desk, "60.00")
    assert bill.status == Bill.Status.PAID  # bills never go negative: the credit pays it
    note.payment.refresh_from_db()
    assert credit_left(note) == Decimal("40.00")
    bill2 = factories.make_bill(tenant_a, desk, "70.00")
    assert bill2.paid == Decimal("40.00")
    assert bill2.status == Bill.Status.PARTLY_PAID
    balance = tenant_balance(tenant_a)
    assert (balance["owed"], balance["credit"]) == (Decimal("30.00"), Decimal("0"))


def test_an_open_bill_is_paid_by_a_new_credit_note(tenant_a, desk):
    bill = factories.make_bill(tenant_a, desk, "50.00")
    _issue(tenant_a, desk, "80.00")
    bill.refresh_from_db()
    assert bill.status == Bill.Status.PAID
    assert tenant_balance(tenant_a)["credit"] == Decimal("30.00")


def test_the_statement_shows_the_credit_note(tenant_a, desk):
    note = _issue(tenant_a, desk, "88.00")
    today = timezone.localdate()
    st = statements.statement(tenant_a, statements.Period.of_month(today))
    line = next(li for li in st.lines if li.payment_id == note.payment_id)
    assert line.credit == Decimal("88.00")
    assert line.number == note.number  # the credit note's paper is the payment's receipt
    assert st.lines[-1].balance == Decimal("-88.00")


def test_void_while_unallocated_takes_it_out_of_the_balance(tenant_a, finance):
    note = _issue(tenant_a, finance, "50.00")
    credit_note_void(note=note, by=finance, reason="重量录错")
    note.refresh_from_db()
    assert note.status == CreditNote.Status.VOID
    assert note.reversal.status == Bill.Status.PAID
    balance = tenant_balance(tenant_a)
    assert (balance["owed"], balance["credit"]) == (Decimal("0"), Decimal("0"))
    st = statements.statement(tenant_a, statements.Period.of_month(timezone.localdate()))
    assert st.lines[-1].balance == Decimal("0")  # the credit and its reversal both on the statement
    assert AuditEvent.objects.get(action="credit_note.voided", object_id=note.pk).note == "重量录错"
    assert CreditNote.objects.filter(pk=note.pk).exists()  # never deleted
    assert note.payment.receipt.status == "revoked"  # its paper reads revoked on /verify/


def test_a_credit_note_is_never_invoiced(tenant_a, desk):
    from billing.invoice_selectors import payments_of_payer

    note = _issue(tenant_a, desk, "50.00")
    paid = factories.make_payment(tenant_a, desk)
    assert list(payments_of_payer(tenant_a)) == [paid]
    assert note.payment not in payments_of_payer(tenant_a)


def test_void_is_refused_once_anything_is_allocated(tenant_a, desk, finance):
    note = _issue(tenant_a, desk, "50.00")
    factories.make_bill(tenant_a, desk, "10.00")
    with pytest.raises(TransitionRefused):
        credit_note_void(note=note, by=finance, reason="错误")
    note.refresh_from_db()
    assert note.status == CreditNote.Status.ISSUED


def test_void_needs_a_reason_and_happens_once(tenant_a, finance):
    note = _issue(tenant_a, finance, "50.00")
    with pytest.raises(ValidationError):
        credit_note_void(note=note, by=finance, reason=" ")
    credit_note_void(note=note, by=finance, reason="重复")
    with pytest.raises(TransitionRefused):
        credit_note_void(note=note, by=finance, reason="重复")
    assert Bill.objects.filter(source_key=f"creditnote-void:{note.pk}").count() == 1


def test_one_live_credit_note_per_source(tenant_a, desk):
    _issue(tenant_a, desk, key="recycle:1")
    with pytest.raises(TransitionRefused):
        _issue(tenant_a, desk, key="recycle:1")


def test_the_payment_form_does_not_offer_credit_notes():
    from billing.forms import PaymentForm

    assert Payment.Method.CREDIT_NOTE not in dict(PaymentForm.base_fields["method"].choices)


@pytest.mark.django_db(transaction=True)
def test_concurrent_issues_take_numbers_without_gaps(tenant_a, desk):
    def prepare(i):
        return Tenant.objects.get(pk=tenant_a.pk), get_user_model().objects.get(pk=desk.pk)

    def work(i, prepared):
        return _issue(*prepared, amount="1.00").number

    results = run_at_once(20, prepare, work)
    assert sorted(int(n.rsplit("-", 1)[1]) for n in results) == list(range(1, 21))
    assert tenant_balance(tenant_a)["credit"] == Decimal("20.00")
