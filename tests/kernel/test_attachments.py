"""Attachments on any record: content checked, photos shrunk and stripped of EXIF, served only
to those the record's app allows, voided never deleted."""

from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from jinyuan.attachments import services
from jinyuan.attachments.forms import AttachmentForm
from jinyuan.attachments.models import Attachment
from jinyuan.attachments.selectors import attachments_of
from jinyuan.workflow.models import AuditEvent
from jinyuan.workflow.services import TransitionRefused
from tests.factories import MINIMAL_PDF

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

HTML = b"<!doctype html><html><script>alert(document.cookie)</script></html>"
NOT_REAL = "This file is not a real PDF、JPG、PNG file (its content was checked, not only its name)."
GPS_TAG = 0x8825


def image_bytes(size=(800, 600), fmt="JPEG", gps=False, mode="RGB") -> bytes:
    image = Image.new(mode, size, "red" if mode == "RGB" else None)
    out = BytesIO()
    kwargs = {}
    if gps:
        exif = Image.Exif()
        exif[0x010F] = "PhoneMaker"  # camera make
        exif.get_ifd(GPS_TAG)[2] = (22.0, 49.0, 1.0)  # latitude: where the tenant lives
        kwargs["exif"] = exif
    image.save(out, format=fmt, **kwargs)
    return out.getvalue()


def upload(content: bytes, name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def add(record, by, content, name, **kwargs) -> Attachment:
    return services.attachment_add(record=record, upload=upload(content, name), by=by, **kwargs)


def test_a_pdf_is_attached_with_its_checksum_and_an_event_on_the_record(tenant_a, desk):
    attachment = add(tenant_a, desk, MINIMAL_PDF, "租赁合同.pdf", kind="lease")
    assert attachment.content_type_sniffed == "application/pdf"
    assert attachment.size == len(MINIMAL_PDF)
    assert attachment.original_name == "租赁合同.pdf"
    assert len(attachment.sha256) == 64
    assert not attachment.thumbnail
    assert attachment.file.name.endswith(".pdf") and "租赁" not in attachment.file.name
    event = AuditEvent.objects.get(action="tenant.attachment_added")
    assert event.target == tenant_a and event.data["attachment"] == attachment.pk


@pytest.mark.parametrize(
    ("fmt", "name", "type_"), [("JPEG", "tile.jpg", "image/jpeg"), ("PNG", "tile.png", "image/png")]
)
def test_a_photo_gets_a_thumbnail(tenant_a, desk, fmt, name, type_):
    attachment = add(tenant_a, desk, image_bytes(fmt=fmt), name)
    assert attachment.content_type_sniffed == type_
    with attachment.thumbnail.open("rb") as f, Image.open(f) as thumb:
        assert max(thumb.size) == 320
        assert thumb.format == "JPEG"


def test_a_huge_photo_is_shrunk_and_loses_its_gps_position(tenant_a, desk):
    attachment = add(tenant_a, desk, image_bytes((4000, 3000), gps=True), "phone.jpg")
    with attachment.file.open("rb") as f, Image.open(f) as stored:
        assert stored.size == (2000, 1500)
        assert not stored.getexif()
    assert attachment.size == attachment.file.size


def test_html_renamed_jpg_is_refused_beside_the_field(tenant_a, desk):
    with pytest.raises(ValidationError) as exc:
        add(tenant_a, desk, HTML, "photo.jpg")
    assert exc.value.message_dict == {"file": [NOT_REAL]}
    form = AttachmentForm(data={}, files={"file": upload(HTML, "photo.jpg")})
    assert form.errors["file"] == [NOT_REAL]
    assert not Attachment.objects.exists()


def test_a_decompression_bomb_is_refused_with_a_field_message(tenant_a, desk, settings):
    settings.UPLOAD_MAX_PIXELS = 1_000_000
    with pytest.raises(ValidationError) as exc:
        add(tenant_a, desk, image_bytes((1200, 1000), fmt="PNG"), "bomb.png")
    (message,) = exc.value.message_dict["file"]
    assert message.startswith("The image is too large (1200 × 1000 pixels)")
    assert not Attachment.objects.exists()


def test_a_damaged_jpeg_is_refused(tenant_a, desk):
    with pytest.raises(ValidationError) as exc:
        add(tenant_a, desk, b"\xff\xd8\xff\xe0" + b"\x00" * 32, "broken.jpg")
    assert exc.value.message_dict == {"file": ["This image cannot be read; it may be damaged."]}


def test_void_keeps_the_row_and_the_file(tenant_a, desk):
    attachment = add(tenant_a, desk, MINIMAL_PDF, "lease.pdf")
    voided = services.attachment_void(attachment=attachment, by=desk, reason="wrong tenant")
    assert voided.voided_at is not None and voided.voided_by == desk and voided.void_reason == "wrong tenant"
    assert Attachment.objects.filter(pk=attachment.pk).exists()
    assert voided.file.storage.exists(voided.file.name)
    assert list(attachments_of(tenant_a)) == []
    assert list(attachments_of(tenant_a, include_voided=True)) == [voided]
    assert AuditEvent.objects.filter(action="tenant.attachment_voided", note="wrong tenant").count() == 1
    with pytest.raises(TransitionRefused):
        services.attachment_void(attachment=attachment, by=desk, reason="again")


def test_void_needs_a_reason(tenant_a, desk):
    attachment = add(tenant_a, desk, MINIMAL_PDF, "lease.pdf")
    with pytest.raises(ValidationError):
        services.attachment_void(attachment=attachment, by=desk, reason=" ")
    attachment.refresh_from_db()
    assert attachment.voided_at is None


# --- serving ---------------------------------------------------------------------------------------


@pytest.fixture
def photo(tenant_a, desk):
    return add(tenant_a, desk, image_bytes(), "inspection.jpg", kind="inspection")


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("desk", 200),
        ("supervisor", 200),
        ("tenant_a_admin", 200),
        ("tenant_a_staff", 404),  # staff without the archive grant from their admin
        ("guard", 404),
        ("tenant_b_admin", 404),
    ],
)
def test_thumbnail_is_served_only_to_those_the_record_allows(client_for, persona, photo, who, status):
    response = client_for(persona(who)).get(reverse("attachments:thumbnail", args=[photo.pk]))
    assert response.status_code == status
    if status == 200:
        assert response["Content-Type"] == "image/jpeg"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert "sandbox" in response["Content-Security-Policy"]
        assert response["Cache-Control"] == "private, no-store"
        assert response["Content-Disposition"].startswith("inline;")


def test_anonymous_is_sent_to_login_without_learning_anything(client_for, photo):
    url = reverse("attachments:file", args=[photo.pk])
    response = client_for(None).get(url)
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_a_pdf_is_downloaded_under_our_name(client_for, tenant_a, desk):
    attachment = add(tenant_a, desk, MINIMAL_PDF, "<script>.pdf", kind="lease")
    response = client_for(desk).get(reverse("attachments:file", args=[attachment.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="lease-{attachment.pk}.pdf"'
    assert b"".join(response.streaming_content) == MINIMAL_PDF


def test_a_voided_file_is_no_longer_served(client_for, photo, desk):
    services.attachment_void(attachment=photo, by=desk, reason="blurred")
    assert client_for(desk).get(reverse("attachments:file", args=[photo.pk])).status_code == 404


def test_a_record_nobody_registered_is_denied_to_everyone(client_for, supervisor, desk):
    from jinyuan.workflow.models import NumberSequence

    record = NumberSequence.objects.create(prefix="X", year=2026, last=0)
    attachment = add(record, desk, MINIMAL_PDF, "x.pdf")
    assert client_for(supervisor).get(reverse("attachments:file", args=[attachment.pk])).status_code == 404


def test_the_list_partial_shows_thumbnails_in_one_query(tenant_a, desk, django_assert_num_queries):
    from django.template import Context, Template

    for n in range(3):
        add(tenant_a, desk, image_bytes(), f"p{n}.jpg")
    template = Template("{% load attachments %}{% attachment_list record %}")
    with django_assert_num_queries(1):  # the content type is cached; one query for the files
        html = template.render(Context({"record": tenant_a}))
    assert html.count("/thumbnail/") == 3
