"""The event notice 活动通知 (PDF with its QR, the guards' verify page), the licences and check
photos (attachments), the reminders' recipients, and a company's venue bill kept from others."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from billing.models import Bill
from jinyuan.attachments.models import Attachment
from jinyuan.documents.services import document_render
from tests import factories
from tests.venues.application_data import ID_NUMBER, apply, approved, make_space, pay_bill
from venues import applications as services
from venues.application_selectors import approvers_to_remind
from venues.models import VenueApplication

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(building, tenant_a, tenant_a_admin, guard, supervisor):
    return approved(apply(tenant_a_admin, [make_space(building)], tenant=tenant_a), guard, supervisor)


def test_the_notice_pdf_renders_with_the_event(event):
    assert document_render(document=event.document) in (True, False)
    event.document.refresh_from_db()
    assert event.document.pdf
    data = event.document.data
    assert data["spaces"] == "一楼大堂" and data["person_in_charge"] == "王建国"
    assert ID_NUMBER not in str(data)  # the ID number is not printed


def test_a_guard_scanning_the_notice_sees_the_event_and_its_state(client_for, event, guard):
    page = client_for(guard).get(event.document.verify_path).content.decode()
    assert "新品发布会" in page and event.window_text in page
    assert str(event.get_status_display()) in page and "13877110001" in page


def test_the_public_verify_page_masks_the_person_in_charge(client, event):
    page = client.get(event.document.verify_path).content.decode()
    assert "新品发布会" in page and "13877110001" not in page and "王建国" not in page


def test_licences_are_seen_by_the_company_and_the_staff_only(client_for, event, tenant_a_admin, tenant_b_admin, desk):
    pending = VenueApplication.objects.get(pk=event.pk)
    VenueApplication.objects.filter(pk=pending.pk).update(status="submitted")
    pending.refresh_from_db()
    upload = SimpleUploadedFile("执照.png", factories.tiny_image("PNG"), content_type="image/png")
    response = client_for(tenant_a_admin).post(
        reverse("portal:venues:application_licence", args=[pending.pk]), {"file": upload, "label": "营业执照"}
    )
    assert response.status_code == 302
    licence = Attachment.objects.get(kind="licence")
    url = reverse("attachments:file", args=[licence.pk])
    assert client_for(tenant_a_admin).get(url).status_code == 200
    assert client_for(desk).get(url).status_code == 200
    assert client_for(tenant_b_admin).get(url).status_code == 404


def test_a_check_photo_is_filed_on_the_check(event, desk, guard):
    pay_bill(event, desk)
    photo = SimpleUploadedFile("现场.jpg", factories.tiny_image(), content_type="image/jpeg")
    check = services.application_check(obj=event, by=guard, photos=[photo], now=event.use_start)
    assert Attachment.objects.get(object_id=check.pk, kind="photo").content_type.model == "sitecheck"


def test_the_venue_bill_is_404_for_another_company(client_for, event, tenant_a_admin, tenant_b_admin):
    bill = Bill.objects.get(source_key=f"venueapp:{event.pk}")
    url = reverse("portal:billing:bill_detail", args=[bill.pk])
    assert client_for(tenant_a_admin).get(url).status_code == 200
    assert client_for(tenant_b_admin).get(url).status_code == 404


def test_reminders_go_to_security_then_to_the_supervisors(building, tenant_a, tenant_a_admin, guard, supervisor):
    lobby = make_space(building)
    waiting = apply(tenant_a_admin, [lobby], tenant=tenant_a)
    plain = apply(tenant_a_admin, [lobby], tenant=tenant_a, kind="public_space", start="14:00", end="15:00")
    recipients = approvers_to_remind(VenueApplication, [waiting, plain])
    assert recipients == {waiting.pk: [guard.pk], plain.pk: [supervisor.pk]}
    services.application_security_approve(obj=waiting, by=guard)
    assert approvers_to_remind(VenueApplication, [waiting]) == {waiting.pk: [supervisor.pk]}
