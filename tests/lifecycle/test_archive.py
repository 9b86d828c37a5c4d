"""The customer archive (客户档案): the tenant's attachments. Uploads checked by content and size,
photos decoded, stored under random names, served only through the attachment views that ask
tenants who may see them, never as HTML; voided with an audit event, never deleted."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse

from jinyuan.attachments.models import Attachment
from jinyuan.attachments.services import attachment_void
from jinyuan.records import content_type_of
from jinyuan.workflow import labels
from jinyuan.workflow.models import AuditEvent
from jinyuan.workflow.services import TransitionRefused
from tenants import services
from tenants.models import MoveInUnit
from tests.lifecycle.helpers import HTML, JPEG, PDF, PNG, upload

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english", "price_list")]

NOT_REAL = "This file is not a real PDF、JPG、PNG file (its content was checked, not only its name)."


def stored_files(media) -> list:
    return [p for p in media.rglob("*") if p.is_file()]


def file_url(item) -> str:
    return reverse("attachments:file", args=[item.pk])


@pytest.fixture
def media(_media_in_tmp):
    return _media_in_tmp


@pytest.fixture
def clerk(client_for, desk):
    return client_for(desk, HTTP_ACCEPT_LANGUAGE="en")


@pytest.fixture
def licence(tenant_a, desk):
    return services.archive_upload(tenant=tenant_a, kind="licence", upload=upload(PDF, "营业执照.pdf"), by=desk)


# --- uploading -----------------------------------------------------------------------------------


def test_html_renamed_pdf_is_refused_beside_the_file_field_on_the_move_in_page(clerk, move_in, media):
    data = {"step": "documents", "kind": "licence", "title": "", "file": upload(HTML, "licence.pdf")}
    response = clerk.post(f"/desk/move-ins/{move_in.pk}/", data)
    assert response.status_code == 400
    form = response.context["step_forms"]["documents"]
    assert form.errors["file"] == [NOT_REAL]
    assert re.search(r'id="error_\d+_id_file"[^>]*>\s*<strong>' + re.escape(NOT_REAL), response.content.decode())
    assert not Attachment.objects.exists()
    assert stored_files(media) == []


def test_html_renamed_pdf_is_refused_on_the_archive_page(clerk, tenant_a, media):
    data = {"kind": "lease", "title": "租赁合同", "file": upload(HTML, "lease.pdf")}
    response = clerk.post(f"/desk/tenants/{tenant_a.pk}/archive/", data)
    assert response.status_code == 200
    assert response.context["form"].errors["file"] == [NOT_REAL]
    assert NOT_REAL in response.content.decode()
    assert not Attachment.objects.exists()
    assert stored_files(media) == []


@pytest.mark.parametrize("content", [b"", b"GIF89a" + b"\x00" * 20, b"PK\x03\x04 zip", b"%PD"])
def test_other_content_is_refused_whatever_its_name(tenant_a, desk, content):
    with pytest.raises(ValidationError) as exc:
        services.archive_upload(tenant=tenant_a, kind="licence", upload=upload(content, "ok.pdf"), by=desk)
    assert "file" in exc.value.message_dict
    assert not Attachment.objects.exists()


def test_a_file_over_the_size_limit_is_refused(clerk, move_in, media):
    with override_settings(UPLOAD_MAX_BYTES=100):
        data = {"step": "documents", "kind": "licence", "file": upload(PDF + b"0" * 200, "big.pdf")}
        response = clerk.post(f"/desk/move-ins/{move_in.pk}/", data)
    assert response.status_code == 400
    assert "too large" in " ".join(response.context["step_forms"]["documents"].errors["file"])
    assert not Attachment.objects.exists()
    assert stored_files(media) == []


def test_a_file_at_the_size_limit_is_accepted(tenant_a, desk):
    content = PDF + b"0" * (100 - len(PDF))
    with override_settings(UPLOAD_MAX_BYTES=100):
        item = services.archive_upload(tenant=tenant_a, kind="licence", upload=upload(content), by=desk)
    assert item.size == 100


def test_stored_names_are_random_and_keep_nothing_of_the_uploaded_name(tenant_a, desk, media):
    first = services.archive_upload(tenant=tenant_a, kind="licence", upload=upload(PDF, "../../营业执照.pdf"), by=desk)
    second = services.archive_upload(tenant=tenant_a, kind="licence", upload=upload(PDF, "../../营业执照.pdf"), by=desk)
    for item in (first, second):
        assert re.fullmatch(r"[0-9a-f]{32}\.pdf", item.file.name.rsplit("/", 1)[1])
        assert "营业执照" not in item.file.name and ".." not in item.file.name
        assert item.original_name == "营业执照.pdf"  # kept for the record, never as a path
    assert first.file.name != second.file.name
    assert sorted(p.relative_to(media).as_posix() for p in stored_files(media)) == sorted(
        [first.file.name, second.file.name]
    )


def test_files_are_attachments_of_the_tenant_in_the_attachments_folder(tenant_a, desk):
    item = services.archive_upload(tenant=tenant_a, kind="licence", upload=upload(), by=desk, title="副本")
    assert (item.record, item.kind, item.label) == (tenant_a, "licence", "副本")
    folder = content_type_of(tenant_a).pk
    assert re.fullmatch(rf"attachments/{folder}/[0-9a-f]{{32}}\.pdf", item.file.name)
    assert (item.content_type_sniffed, item.size, len(item.sha256)) == ("application/pdf", len(PDF), 64)


def test_the_stored_extension_is_the_sniffed_type(tenant_a, desk):
    png = services.archive_upload(tenant=tenant_a, kind="contact_id", upload=upload(PNG, "id.pdf"), by=desk)
    jpeg = services.archive_upload(tenant=tenant_a, kind="contact_id", upload=upload(JPEG, "id.png"), by=desk)
    assert (png.file.name[-4:], jpeg.file.name[-4:]) == (".png", ".jpg")
    assert (png.content_type_sniffed, jpeg.content_type_sniffed) == ("image/png", "image/jpeg")


def test_a_scan_that_is_no_image_inside_is_refused(tenant_a, desk):
    """A JPEG header over garbage: the photo is decoded, so the lie is found."""
    with pytest.raises(ValidationError) as exc:
        services.archive_upload(tenant=tenant_a, kind="contact_id", upload=upload(JPEG[:4] + b"\x00" * 32), by=desk)
    assert exc.value.message_dict == {"file": ["This image cannot be read; it may be damaged."]}
    assert not Attachment.objects.exists()


def test_an_unknown_document_kind_is_refused(tenant_a, desk):
    with pytest.raises(ValidationError) as exc:
        services.archive_upload(tenant=tenant_a, kind="passport", upload=upload(), by=desk)
    assert "kind" in exc.value.message_dict


def test_the_archive_page_files_a_document(clerk, tenant_a):
    data = {"kind": "lease", "title": "2026年租赁合同", "file": upload()}
    response = clerk.post(f"/desk/tenants/{tenant_a.pk}/archive/", data)
    assert response.status_code == 302
    assert response["Location"] == f"/desk/tenants/{tenant_a.pk}/"
    item = Attachment.objects.get()
    assert (item.record, item.kind, item.label, item.uploaded_by.username) == (tenant_a, "lease", data["title"], "desk")
    event = AuditEvent.objects.get(action="tenant.attachment_added")
    assert event.data["attachment"] == item.pk
    # The tenant's timeline says what was filed: its title, else the kind's name.
    assert ("Description", data["title"]) in labels.details(event.data)
    licence = services.archive_upload(tenant=tenant_a, kind="licence", upload=upload(), by=item.uploaded_by)
    event = AuditEvent.objects.get(action="tenant.attachment_added", data__attachment=licence.pk)
    assert ("Description", "Business licence") in labels.details(event.data)


def test_an_inspection_photo_must_be_an_image(clerk, move_in):
    row = move_in.units.first()
    data = {"step": "inspection", "row": row.pk, "water": "1", "electricity": "1", "photo": upload(PDF, "p.jpg")}
    response = clerk.post(f"/desk/move-ins/{move_in.pk}/", data)
    assert response.status_code == 400
    assert "photo" in response.context["step_forms"]["inspection"][row.pk].errors
    assert MoveInUnit.objects.get(pk=row.pk).inspected_at is None

    data["photo"] = upload(JPEG, "p.jpg", "image/jpeg")
    assert clerk.post(f"/desk/move-ins/{move_in.pk}/", data).status_code == 302
    photo = MoveInUnit.objects.get(pk=row.pk).photo
    assert (photo.record, photo.kind, photo.file.name[-4:]) == (move_in.tenant, "inspection", ".jpg")
    assert photo.thumbnail  # shrunk and thumbnailed like every attached photo


# --- downloading ---------------------------------------------------------------------------------


def test_desk_downloads_with_the_sniffed_type_and_nosniff(clerk, licence):
    response = clerk.get(file_url(licence))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "default-src 'none'" in response["Content-Security-Policy"]
    assert b"".join(response.streaming_content) == PDF
    assert "营业执照" not in response["Content-Disposition"]  # the download name is ours, not the uploader's


def test_a_png_uploaded_as_pdf_is_served_as_png(clerk, tenant_a, desk):
    item = services.archive_upload(tenant=tenant_a, kind="contact_id", upload=upload(PNG, "id.pdf"), by=desk)
    assert clerk.get(file_url(item))["Content-Type"] == "image/png"
    assert clerk.get(reverse("attachments:thumbnail", args=[item.pk]))["Content-Type"] == "image/jpeg"


def test_the_pages_link_the_files_through_the_attachment_view(clerk, client_for, tenant_a, tenant_a_admin, licence):
    assert file_url(licence) in clerk.get(f"/desk/tenants/{tenant_a.pk}/").content.decode()
    assert file_url(licence) in client_for(tenant_a_admin).get("/portal/").content.decode()


def test_the_company_downloads_its_own_file_from_the_portal(client_for, tenant_a_admin, tenant_a_staff, licence):
    # Staff open the archive once their admin grants it (tenants.grants).
    tenant_a_staff.membership.areas = ["archive"]
    tenant_a_staff.membership.save(update_fields=["areas"])
    for user in (tenant_a_admin, tenant_a_staff):
        response = client_for(user).get(file_url(licence))
        assert response.status_code == 200
        assert response["X-Content-Type-Options"] == "nosniff"
        assert b"".join(response.streaming_content) == PDF


def test_another_company_gets_404(client_for, tenant_b_admin, licence):
    assert client_for(tenant_b_admin).get(file_url(licence)).status_code == 404


def test_anonymous_goes_to_the_login_page(client_for, licence):
    response = client_for(None).get(file_url(licence))
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


@pytest.mark.parametrize("who", ["engineer", "guard", "finance", "tenant_a_staff"])
def test_other_departments_and_staff_without_the_grant_get_404(client_for, persona, licence, who):
    # Licences and ID scans are the customer service's files and the company's admins'.
    assert client_for(persona(who)).get(file_url(licence)).status_code == 404


def test_a_voided_file_is_404_everywhere(client_for, clerk, tenant_a_admin, licence, desk):
    attachment_void(attachment=licence, by=desk, reason="换发新执照")
    assert clerk.get(file_url(licence)).status_code == 404
    assert client_for(tenant_a_admin).get(file_url(licence)).status_code == 404
    assert Attachment.objects.filter(pk=licence.pk).exists()  # voided, never deleted


def test_voiding_needs_a_reason_happens_once_and_is_audited(licence, desk, tenant_a):
    with pytest.raises(ValidationError):
        attachment_void(attachment=licence, by=desk, reason=" ")
    attachment_void(attachment=licence, by=desk, reason="过期")
    with pytest.raises(TransitionRefused):
        attachment_void(attachment=licence, by=desk, reason="again")
    licence.refresh_from_db()
    assert (licence.void_reason, licence.voided_by) == ("过期", desk)
    event = AuditEvent.objects.get(action="tenant.attachment_voided")
    assert (event.target, event.actor, event.note, event.data["attachment"]) == (tenant_a, desk, "过期", licence.pk)


def test_the_tenant_page_lists_a_voided_file_without_a_link(clerk, tenant_a, licence, desk):
    attachment_void(attachment=licence, by=desk, reason="过期")
    html = clerk.get(f"/desk/tenants/{tenant_a.pk}/").content.decode()
    assert "Business licence" in html and file_url(licence) not in html


def test_an_unknown_file_is_404(clerk, client_for, tenant_a_admin):
    url = reverse("attachments:file", args=[999999])
    assert clerk.get(url).status_code == 404
    assert client_for(tenant_a_admin).get(url).status_code == 404
