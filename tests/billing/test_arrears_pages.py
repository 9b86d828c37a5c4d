"""Printed notices (one section per tenant in a batch), the demand letter with its delivery,
the desk's calls and visits with promises to pay, and a broken promise told to the desk once."""

from datetime import timedelta
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from billing import arrears
from billing.arrears_models import ArrearsContact, DemandLetter, NoticeBatch
from jinyuan.workflow.models import AuditEvent, Notification
from tests import factories
from tests.billing.arrears_helpers import overdue_bill

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("price_list")]

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(content)).pages)


def print_batch(client, django_capture_on_commit_callbacks, **place):
    """Press the button as finance does; the worker's task runs when the request commits."""
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("desk:billing:arrears_notices"), {k: v.pk for k, v in place.items()})
    assert response.status_code == 302
    batch = NoticeBatch.objects.latest("pk")
    assert response["Location"] == reverse("desk:billing:arrears_notice_batch", args=[batch.pk])
    pdf = client.get(reverse("desk:billing:arrears_notice_batch_pdf", args=[batch.pk]))
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    return batch, pdf_text(b"".join(pdf.streaming_content))


def test_batch_notice_of_a_building_has_one_section_per_tenant(
    client_for, finance, building, tenant_a, tenant_b, desk, django_capture_on_commit_callbacks
):
    overdue_bill(tenant_a, desk, days=20)
    overdue_bill(tenant_a, desk, days=50)
    overdue_bill(tenant_b, desk, days=10)
    paid_up, _unit = factories.occupied_unit(floor=factories.FloorFactory(building=building, number=20))
    batch, text = print_batch(client_for(finance), django_capture_on_commit_callbacks, building=building)
    assert text.count("催 缴 通 知 书") == 2  # the title, letter-spaced
    assert text.count("通知书编号：CJ-") == 2
    assert tenant_a.name in text and tenant_b.name in text
    assert paid_up.name not in text
    assert "滞纳金" not in text
    assert (batch.notices, batch.pages) == (2, 2)


def test_batch_notice_of_a_floor_lists_only_that_floor(
    client_for, finance, unit_a, tenant_a, tenant_b, desk, django_capture_on_commit_callbacks
):
    overdue_bill(tenant_a, desk, days=20)
    overdue_bill(tenant_b, desk, days=20)
    _batch, text = print_batch(client_for(finance), django_capture_on_commit_callbacks, floor=unit_a.floor)
    assert text.count("通知书编号：CJ-") == 1 and tenant_a.name in text


def test_batch_without_a_place_is_a_field_error(client_for, finance):
    response = client_for(finance).post(reverse("desk:billing:arrears_notices"), {})
    assert response.status_code == 400


def test_tenant_downloads_its_notice_and_another_gets_404(client_for, desk, tenant_a, tenant_a_admin, tenant_b_admin):
    bill = overdue_bill(tenant_a, desk, days=20)
    response = client_for(desk).post(reverse("desk:billing:arrears_account", args=[tenant_a.pk]), {"action": "notice"})
    assert response.status_code == 302
    doc = arrears.sel.notices_of(tenant_a).get()
    own = client_for(tenant_a_admin).get(reverse("portal:billing:arrears_notice_pdf", args=[doc.pk]))
    assert own.status_code == 200
    assert bill.number in pdf_text(b"".join(own.streaming_content))
    other = client_for(tenant_b_admin).get(reverse("portal:billing:arrears_notice_pdf", args=[doc.pk]))
    assert other.status_code == 404


def test_demand_letter_needs_three_months_and_cites_944_and_195(client_for, supervisor, desk, tenant_a):
    overdue_bill(tenant_a, desk, days=70)
    url = reverse("desk:billing:arrears_account", args=[tenant_a.pk])
    client_for(supervisor).post(url, {"action": "letter"})
    assert not DemandLetter.objects.exists()
    overdue_bill(tenant_a, desk, days=100)
    response = client_for(supervisor).post(url, {"action": "letter"})
    letter = DemandLetter.objects.get()
    assert response.status_code == 302
    pdf = client_for(supervisor).get(reverse("desk:billing:demand_letter_pdf", args=[letter.pk]))
    text = pdf_text(b"".join(pdf.streaming_content))
    assert "第九百四十四条" in text and "第一百九十五条" in text and "诉讼时效中断" in text
    assert "不会以停止供电、供水" in text
    assert AuditEvent.objects.filter(action="demand_letter.issued", object_id=letter.pk).exists()


def test_the_desk_may_not_issue_a_demand_letter(client_for, desk, tenant_a):
    overdue_bill(tenant_a, desk, days=100)
    response = client_for(desk).post(reverse("desk:billing:arrears_account", args=[tenant_a.pk]), {"action": "letter"})
    assert response.status_code == 403
    assert not DemandLetter.objects.exists()


def test_delivery_recorded_with_proof_and_audited(client_for, supervisor, desk, tenant_a):
    overdue_bill(tenant_a, desk, days=100)
    letter = arrears.demand_letter_issue(tenant=tenant_a, by=supervisor)
    url = reverse("desk:billing:demand_letter", args=[letter.pk])
    data = {"method": "registered_mail", "delivered_on": timezone.localdate().isoformat(), "note": "EMS 1234"}
    response = client_for(supervisor).post(url, {**data, "proof": SimpleUploadedFile("r.png", PNG, "image/png")})
    assert response.status_code == 302, response.content
    letter.refresh_from_db()
    assert letter.delivery_method == "registered_mail" and letter.is_delivered
    assert AuditEvent.objects.filter(action="demand_letter.delivered", object_id=letter.pk).exists()
    assert AuditEvent.objects.filter(action="demand_letter.attachment_added", object_id=letter.pk).exists()


def test_delivery_in_the_future_is_a_field_error(client_for, supervisor, desk, tenant_a):
    overdue_bill(tenant_a, desk, days=100)
    letter = arrears.demand_letter_issue(tenant=tenant_a, by=supervisor)
    future = (timezone.localdate() + timedelta(days=3)).isoformat()
    response = client_for(supervisor).post(
        reverse("desk:billing:demand_letter", args=[letter.pk]),
        {"method": "in_person", "delivered_on": future, "proof": SimpleUploadedFile("r.png", PNG, "image/png")},
    )
    assert response.status_code == 400
    assert "delivered_on" in response.context["form"].errors


def test_desk_records_a_call_with_a_promise(client_for, desk, tenant_a):
    promise = timezone.localdate() + timedelta(days=5)
    response = client_for(desk).post(
        reverse("desk:billing:arrears_account", args=[tenant_a.pk]),
        {"action": "contact", "method": "phone", "person": "王建国", "note": "月底前付", "promise_date": promise},
    )
    assert response.status_code == 302
    contact = ArrearsContact.objects.get()
    assert contact.promise_date == promise and contact.recorded_by == desk
    assert AuditEvent.objects.filter(action="arrears_contact.recorded", object_id=contact.pk).exists()


def test_a_promise_in_the_past_is_a_field_error(client_for, desk, tenant_a):
    past = timezone.localdate() - timedelta(days=1)
    response = client_for(desk).post(
        reverse("desk:billing:arrears_account", args=[tenant_a.pk]),
        {"action": "contact", "method": "visit", "person": "王建国", "promise_date": past},
    )
    assert response.status_code == 400
    assert "promise_date" in response.context["form"].errors
    assert not ArrearsContact.objects.exists()


def test_a_broken_promise_reminds_the_desk_once(desk, tenant_a):
    overdue_bill(tenant_a, desk, days=20)
    contact = arrears.contact_record(
        tenant=tenant_a, by=desk, method="phone", person="王建国", promise_date=timezone.localdate()
    )
    assert arrears.broken_promises_remind() == 0  # the promised day has not passed
    later = timezone.localdate() + timedelta(days=1)
    assert arrears.broken_promises_remind(on=later) == 1
    assert arrears.broken_promises_remind(on=later) == 0
    assert Notification.objects.filter(recipient=desk, dedup_key=f"arrears-promise:{contact.pk}").count() == 1


def test_a_kept_promise_reminds_nobody(desk, tenant_a):
    from decimal import Decimal

    from billing.services import payment_record

    bill = overdue_bill(tenant_a, desk, days=20, amount="300.00")
    arrears.contact_record(tenant=tenant_a, by=desk, method="phone", person="王", promise_date=timezone.localdate())
    payment_record(tenant=tenant_a, amount=Decimal("300.00"), method="cash", by=desk, bills=[bill])
    assert arrears.broken_promises_remind(on=timezone.localdate() + timedelta(days=1)) == 0


def test_escalation_lists_tenants_overdue_more_than_two_months(client_for, supervisor, desk, tenant_a, tenant_b):
    overdue_bill(tenant_a, desk, days=75, amount="800.00")
    overdue_bill(tenant_a, desk, days=10, amount="200.00")
    overdue_bill(tenant_b, desk, days=30)
    response = client_for(supervisor).get(reverse("desk:billing:arrears_escalation"))
    rows = response.context["rows"]
    assert [r.pk for r in rows] == [tenant_a.pk]
    assert rows[0].overdue_total == 1000 and rows[0].oldest_due == timezone.localdate() - timedelta(days=75)
    assert response.context["totals"]["total"] == 1000


def test_a_notice_lists_the_late_fee_so_far_where_the_agreement_sets_one(client_for, desk, unit_a, tenant_a):
    from decimal import Decimal

    from billing.latefees import late_fee_as_of
    from tenants.models import Occupancy

    assert Occupancy.objects.filter(tenant=tenant_a).update(
        late_fee_daily_rate=Decimal("0.0003"), late_fee_grace_days=0
    )
    bill = overdue_bill(tenant_a, desk, days=20)
    fee = late_fee_as_of(bill, timezone.localdate())
    assert fee > 0
    client_for(desk).post(reverse("desk:billing:arrears_account", args=[tenant_a.pk]), {"action": "notice"})
    doc = arrears.sel.notices_of(tenant_a).get()
    text = pdf_text(
        b"".join(client_for(desk).get(reverse("desk:billing:arrears_notice_pdf", args=[doc.pk])).streaming_content)
    )
    assert "违约金" in text and "滞纳金" not in text
    assert f"{fee:,.2f}" in text and f"{Decimal('1000.00') + fee:,.2f}" in text
