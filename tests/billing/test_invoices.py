"""VAT invoice requests 发票: the buyer's particulars checked beside their fields, the amount
capped at what is left to invoice of the payments, finance's issue (PDF only) and refusal, the
tenant's download, and the deadline step to finance after five working days."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from billing import invoice_services
from billing.models import InvoiceProfile, InvoiceRequest, Payment
from jinyuan.workflow.models import AuditEvent, Notification
from jinyuan.workflow.scan import scan
from tests import factories
from tests.billing.invoice_helpers import buyer, e_invoice, issue, paid, request_invoice

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("price_list")]

TZ = dt.timezone(dt.timedelta(hours=8))


def wrong_check_char(code: str) -> str:
    return code[:17] + ("1" if code[17] != "1" else "2")


def errors_of(excinfo) -> dict:
    return excinfo.value.message_dict


# --- the request -----------------------------------------------------------------------------------


def test_a_request_reserves_its_amount_on_the_payment_and_keeps_the_companys_defaults(tenant_a, tenant_a_admin, desk):
    payment = paid(tenant_a, desk, "1200.00")

    request = request_invoice(tenant_a, tenant_a_admin, [payment], amount="800.00", kind="special")

    payment.refresh_from_db()
    assert (request.status, request.amount, payment.invoiced) == ("requested", Decimal("800.00"), Decimal("800.00"))
    assert list(request.lines.values_list("payment_id", "amount")) == [(payment.pk, Decimal("800.00"))]
    profile = InvoiceProfile.objects.get(tenant=tenant_a)
    assert (profile.kind, profile.bank_name) == ("special", "工商银行南宁分行")
    assert AuditEvent.objects.filter(object_id=request.pk, action="invoice_request.requested").exists()


def test_a_taxpayer_number_with_a_wrong_check_character_is_a_field_error(tenant_a, tenant_a_admin, desk):
    payment = paid(tenant_a, desk)
    with pytest.raises(ValidationError) as excinfo:
        request_invoice(tenant_a, tenant_a_admin, [payment], taxpayer_number=wrong_check_char(tenant_a.credit_code))
    assert list(errors_of(excinfo)) == ["taxpayer_number"]
    assert not InvoiceRequest.objects.exists()


def test_an_invoice_above_the_payment_is_a_field_error_and_nothing_is_saved(tenant_a, tenant_a_admin, desk):
    payment = paid(tenant_a, desk, "500.00")
    with pytest.raises(ValidationError) as excinfo:
        request_invoice(tenant_a, tenant_a_admin, [payment], amount="500.01")
    assert list(errors_of(excinfo)) == ["amount"]
    payment.refresh_from_db()
    assert payment.invoiced == 0
    assert not InvoiceRequest.objects.exists()


def test_a_second_request_takes_only_what_the_first_left(tenant_a, tenant_a_admin, desk):
    payment = paid(tenant_a, desk, "500.00")
    request_invoice(tenant_a, tenant_a_admin, [payment], amount="300.00")
    with pytest.raises(ValidationError) as excinfo:
        request_invoice(tenant_a, tenant_a_admin, [payment], amount="200.01")
    assert "¥200.00" in errors_of(excinfo)["amount"][0]
    request_invoice(tenant_a, tenant_a_admin, [payment], amount="200.00")
    payment.refresh_from_db()
    assert payment.invoiced == payment.amount


def test_a_request_across_payments_takes_the_oldest_first(tenant_a, tenant_a_admin, desk):
    older, newer = paid(tenant_a, desk, "100.00"), paid(tenant_a, desk, "300.00")
    request = request_invoice(tenant_a, tenant_a_admin, [newer, older], amount="250.00")
    assert list(request.lines.order_by("id").values_list("payment_id", "amount")) == [
        (older.pk, Decimal("100.00")),
        (newer.pk, Decimal("150.00")),
    ]


def test_a_special_invoice_without_bank_and_account_is_refused_beside_those_fields(tenant_a, tenant_a_admin, desk):
    payment = paid(tenant_a, desk)
    with pytest.raises(ValidationError) as excinfo:
        request_invoice(tenant_a, tenant_a_admin, [payment], kind="special", bank_name="", bank_account=" ")
    assert sorted(errors_of(excinfo)) == ["bank_account", "bank_name"]
    assert not InvoiceRequest.objects.exists()


def test_another_companys_payment_cannot_be_invoiced(tenant_a, tenant_b, tenant_a_admin, desk):
    theirs = paid(tenant_b, desk)
    with pytest.raises(ValidationError) as excinfo:
        request_invoice(tenant_a, tenant_a_admin, [theirs], amount="10.00")
    assert list(errors_of(excinfo)) == ["payments"]
    theirs.refresh_from_db()
    assert theirs.invoiced == 0


def test_the_database_refuses_an_invoiced_amount_above_the_payment(tenant_a, desk):
    from django.db import IntegrityError, transaction

    payment = paid(tenant_a, desk, "100.00")
    with pytest.raises(IntegrityError), transaction.atomic():
        Payment.objects.filter(pk=payment.pk).update(invoiced=Decimal("100.01"))


# --- the portal's form -------------------------------------------------------------------------------


def test_the_portal_form_is_prefilled_from_the_profile_and_shows_errors_beside_fields(
    tenant_a, tenant_a_admin, desk, client_for
):
    payment = paid(tenant_a, desk, "600.00")
    InvoiceProfile.objects.create(tenant=tenant_a, **buyer(tenant_a, "special", title="甲方科技（开票）"))
    client = client_for(tenant_a_admin)
    url = reverse("portal:billing:invoice_new")

    page = client.get(url)
    assert page.status_code == 200
    assert page.context["form"].initial["title"] == "甲方科技（开票）"

    data = {**buyer(tenant_a), "payments": [payment.pk], "amount": "600.01"}
    data["taxpayer_number"] = wrong_check_char(tenant_a.credit_code)
    response = client.post(url, data)
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) >= {"taxpayer_number"}
    assert not InvoiceRequest.objects.exists()

    data["taxpayer_number"] = tenant_a.credit_code
    response = client.post(url, data)
    assert "amount" in response.context["form"].errors

    data["amount"] = ""  # all that is left
    response = client.post(url, data)
    request = InvoiceRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "portal:billing:invoice_detail", args=[request.pk]
    )
    assert (request.amount, request.applicant) == (Decimal("600.00"), tenant_a_admin)


# --- finance -----------------------------------------------------------------------------------


def test_finance_issues_with_a_pdf_and_the_tenant_downloads_it(
    tenant_a, tenant_a_admin, tenant_b_admin, desk, finance, client_for
):
    request = request_invoice(tenant_a, tenant_a_admin)
    response = client_for(finance).post(
        reverse("desk:billing:invoice_issue", args=[request.pk]),
        {
            "number": "25452000000012345678",
            "date": f"{timezone.localdate():%Y-%m-%d}",
            "amount": str(request.amount),
            "pdf": e_invoice(),
        },
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert (request.status, request.invoice_number, request.issued_by) == ("issued", "25452000000012345678", finance)
    assert Notification.objects.filter(recipient=tenant_a_admin, url__endswith=f"/invoices/{request.pk}/").exists()

    detail = client_for(tenant_a_admin).get(reverse("portal:billing:invoice_detail", args=[request.pk]))
    download = reverse("attachments:file", args=[request.pdf_id])
    assert download in detail.content.decode()
    file = client_for(tenant_a_admin).get(download)
    assert file.status_code == 200 and b"".join(file.streaming_content).startswith(b"%PDF-")
    assert client_for(tenant_b_admin).get(download).status_code == 404


def test_an_e_invoice_that_is_not_a_pdf_is_refused_beside_the_file(tenant_a, tenant_a_admin, finance, client_for):
    request = request_invoice(tenant_a, tenant_a_admin)
    response = client_for(finance).post(
        reverse("desk:billing:invoice_issue", args=[request.pk]),
        {
            "number": "1",
            "date": f"{timezone.localdate():%Y-%m-%d}",
            "amount": str(request.amount),
            "pdf": e_invoice("发票.pdf", factories.tiny_image()),
        },
    )
    assert response.status_code == 400
    assert "pdf" in response.context["issue_form"].errors
    request.refresh_from_db()
    assert request.status == "requested" and request.pdf is None


def test_issuing_above_the_request_is_a_field_error_and_below_gives_the_rest_back(
    tenant_a, tenant_a_admin, desk, finance
):
    payment = paid(tenant_a, desk, "1000.00")
    request = request_invoice(tenant_a, tenant_a_admin, [payment])
    with pytest.raises(ValidationError) as excinfo:
        issue(request, finance, amount="1000.01")
    assert list(errors_of(excinfo)) == ["amount"]

    issue(request, finance, amount="900.00")
    payment.refresh_from_db()
    assert payment.invoiced == Decimal("900.00")


def test_refusal_needs_a_reason_gives_the_amount_back_and_tells_the_tenant(
    tenant_a, tenant_a_admin, desk, finance, client_for
):
    payment = paid(tenant_a, desk, "1000.00")
    request = request_invoice(tenant_a, tenant_a_admin, [payment])
    url = reverse("desk:billing:invoice_detail", args=[request.pk])
    client = client_for(finance)

    assert client.post(url, {"action": "refuse", "note": ""}).status_code == 400
    assert InvoiceRequest.objects.get(pk=request.pk).status == "requested"

    assert client.post(url, {"action": "refuse", "note": "抬头与合同不符"}).status_code == 302
    request.refresh_from_db()
    payment.refresh_from_db()
    assert (request.status, request.refusal_reason, payment.invoiced) == ("refused", "抬头与合同不符", 0)
    assert AuditEvent.objects.filter(object_id=request.pk, action="invoice_request.refused").exists()
    assert Notification.objects.filter(recipient=tenant_a_admin, args__reason="抬头与合同不符").exists()


def test_the_desk_may_not_issue_or_refuse(tenant_a, tenant_a_admin, desk, client_for):
    request = request_invoice(tenant_a, tenant_a_admin)
    client = client_for(desk)
    assert (
        client.post(
            reverse("desk:billing:invoice_detail", args=[request.pk]), {"action": "refuse", "note": "x"}
        ).status_code
        == 403
    )
    response = client.post(
        reverse("desk:billing:invoice_issue", args=[request.pk]),
        {"number": "1", "date": f"{timezone.localdate():%Y-%m-%d}", "amount": "1", "pdf": e_invoice()},
    )
    assert response.status_code == 403
    assert InvoiceRequest.objects.get(pk=request.pk).status == "requested"


def test_the_desk_requests_for_a_company(tenant_a, desk, client_for):
    payment = paid(tenant_a, desk, "300.00")
    response = client_for(desk).post(
        reverse("desk:billing:invoice_new", args=[tenant_a.pk]), {**buyer(tenant_a), "payments": [payment.pk]}
    )
    request = InvoiceRequest.objects.get()
    assert response["Location"] == reverse("desk:billing:invoice_detail", args=[request.pk])
    assert AuditEvent.objects.filter(object_id=request.pk, action="invoice_request.requested_by_desk").exists()


# --- the deadline ----------------------------------------------------------------------------------


def test_a_request_waiting_five_working_days_is_a_step_to_finance_sent_once(tenant_a, tenant_a_admin, desk, finance):
    monday = dt.datetime(2026, 3, 2, 10, 0, tzinfo=TZ)
    with time_machine.travel(monday, tick=False):
        request = request_invoice(tenant_a, tenant_a_admin, [paid(tenant_a, desk)])
    deadline_notes = Notification.objects.filter(recipient=finance, dedup_key__startswith="deadline-")

    # Five working days: Tuesday to the next Monday, until its office closes (the weekend does not count).
    scan(now=dt.datetime(2026, 3, 9, 17, 0, tzinfo=TZ))
    assert not deadline_notes.exists()
    scan(now=dt.datetime(2026, 3, 9, 17, 31, tzinfo=TZ))
    scan(now=dt.datetime(2026, 3, 10, 9, 0, tzinfo=TZ))
    assert deadline_notes.count() == 1
    assert deadline_notes.get().url == reverse("desk:billing:invoice_detail", args=[request.pk])


def test_an_issued_request_stops_its_deadline(tenant_a, tenant_a_admin, desk, finance):
    from jinyuan.workflow.models import Deadline

    request = request_invoice(tenant_a, tenant_a_admin)
    issue(request, finance)
    assert Deadline.objects.get(object_id=request.pk, kind="invoice").state == "stopped"
    assert invoice_services.payer_of(request.lines.get().payment) == tenant_a.pk


# --- the register ----------------------------------------------------------------------------------


def test_the_register_filters_by_status_type_dates_and_searches_title_or_taxpayer_number(
    tenant_a, tenant_b, tenant_a_admin, desk, finance, client_for
):
    mine = request_invoice(tenant_a, tenant_a_admin, kind="special")
    theirs = request_invoice(tenant_b, desk)
    invoice_services.invoice_refuse(obj=theirs, by=finance, note="重复申请")
    client, url = client_for(finance), reverse("desk:billing:invoice_list")
    today = f"{timezone.localdate():%Y-%m-%d}"

    def listed(query: str) -> list[int]:
        return [r.pk for r in client.get(f"{url}?{query}").context["object_list"]]

    assert listed("") == [theirs.pk, mine.pk]
    assert listed("status=refused") == [theirs.pk]
    assert listed("kind=special") == [mine.pk]
    assert listed(f"requested_min={today}&requested_max={today}") == [theirs.pk, mine.pk]
    assert listed("requested_max=2020-01-01") == []
    assert listed("requested_max=9999-12-31") == [theirs.pk, mine.pk]  # the last day: no day after it
    assert listed(f"q={tenant_b.credit_code.lower()}") == [theirs.pk]
    assert listed("q=甲方") == [mine.pk]
    export = client.get(f"{url}?export=xlsx&status=requested")
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxmlformats")
