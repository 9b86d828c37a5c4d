"""Issued documents: the public verify page, revoking, single use, PDF rendering run twice."""

from datetime import timedelta
from io import BytesIO

import pytest
from django.conf import settings
from django.core import signing
from django.core.exceptions import SuspiciousFileOperation
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from jinyuan.documents import services
from jinyuan.documents.models import Document
from jinyuan.documents.pdf import BlockedFetch, static_only_fetcher
from jinyuan.documents.tasks import render_document_pdf
from jinyuan.workflow.models import AuditEvent
from jinyuan.workflow.services import TransitionRefused

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def doc(make_certificate) -> Document:
    return make_certificate("issued").document


def verify(token: str):
    return Client().get(reverse("verify", args=[token]), HTTP_ACCEPT_LANGUAGE="en")


def token_for(payload) -> str:
    return signing.dumps(payload, salt=settings.DOCUMENT_VERIFY_SALT, compress=True)


# --- verify page ---------------------------------------------------------------------------------


def test_verify_page_says_valid_and_shows_what_the_paper_shows(doc, tenant_a):
    response = verify(doc.verify_token)
    assert response.status_code == 200
    assert response.context["verdict"] == "valid"
    html = response.content.decode()
    assert "Valid" in html
    assert doc.number in html
    assert tenant_a.name in html
    assert "1201" in html
    assert response["Cache-Control"].startswith("max-age=0")


def test_verify_page_shows_no_personal_data_beyond_the_paper(doc, tenant_a, tenant_a_admin, desk, supervisor):
    from tests.factories import ContactFactory

    ContactFactory(tenant=tenant_a, name="赵小红", phone="13600000009", email="zhao@tenant-a.example")
    html = verify(doc.verify_token).content.decode()
    for secret in [
        "王建国",  # the primary contact
        "13877110001",  # their phone
        "赵小红",
        "13600000009",
        "zhao@tenant-a.example",
        tenant_a.phone,
        tenant_a.credit_code,  # printed on the paper, but the verify page lists only verify_fields
        tenant_a_admin.username,
        tenant_a_admin.email,
        desk.username,
        supervisor.username,
    ]:
        assert secret not in html, secret
    shown = [str(label) for label, _ in verify(doc.verify_token).context["fields"]]
    assert shown == [
        "Company",
        "Building",
        "Unit",
        "Area (m²)",
        "Occupied since",
        "Occupied until",
        "Purpose",
        "Issued on",
    ]


def test_verify_page_says_revoked_after_document_revoke(doc, supervisor):
    services.document_revoke(document=doc, by=supervisor, reason="租户已迁出")
    response = verify(doc.verify_token)
    assert response.status_code == 200
    assert response.context["verdict"] == "revoked"
    assert "Revoked: this document is no longer valid" in response.content.decode()


def test_verify_page_says_expired_after_valid_until(doc):
    Document.objects.filter(pk=doc.pk).update(valid_until=timezone.now() - timedelta(minutes=1))
    response = verify(doc.verify_token)
    assert response.context["verdict"] == "expired"
    assert "Expired" in response.content.decode()


def test_verify_page_says_used_after_single_use(doc, guard):
    services.document_mark_used(document=doc, by=guard)
    assert verify(doc.verify_token).context["verdict"] == "used"


def test_verify_page_for_a_document_that_does_not_exist_says_unknown(db):
    response = verify(token_for({"d": 999999, "n": "X"}))
    assert response.status_code == 404
    assert response.context["verdict"] == "unknown"
    assert "Unknown document" in response.content.decode()


def test_verify_page_for_a_real_id_with_a_different_number_says_unknown(doc):
    response = verify(token_for({"d": doc.pk, "n": "CM-1999-00001"}))
    assert response.status_code == 404
    assert doc.number not in response.content.decode()


@pytest.mark.parametrize(
    "mangle",
    [
        lambda t: t[:-2] + ("AA" if not t.endswith("AA") else "BB"),  # signature changed
        lambda t: "x" + t,
        lambda t: t.replace(":", ";"),
        lambda t: "garbage",
        lambda t: "a" * 500,
    ],
)
def test_tampered_token_says_invalid_with_400_never_500(doc, mangle):
    response = verify(mangle(doc.verify_token))
    assert response.status_code == 400
    assert response.context["verdict"] == "invalid"
    assert "Invalid code" in response.content.decode()
    assert doc.number not in response.content.decode()


@pytest.mark.parametrize("payload", [{"x": 1}, {"d": "abc", "n": "X"}, {"d": None, "n": "X"}, [1, 2], "just text"])
def test_well_signed_but_malformed_payload_says_invalid(db, payload):
    response = verify(token_for(payload))
    assert response.status_code == 400
    assert response.context["verdict"] == "invalid"


def test_token_signed_with_another_salt_is_invalid(doc):
    forged = signing.dumps({"d": doc.pk, "n": doc.number}, salt="something-else", compress=True)
    assert verify(forged).status_code == 400


# --- revoke / use --------------------------------------------------------------------------------


def test_revoking_twice_is_refused_and_recorded_once(doc, supervisor):
    services.document_revoke(document=doc, by=supervisor, reason="一")
    with pytest.raises(TransitionRefused):
        services.document_revoke(document=doc, by=supervisor, reason="二")
    doc.refresh_from_db()
    assert (doc.status, doc.revoke_reason, doc.revoked_by) == ("revoked", "一", supervisor)
    assert AuditEvent.objects.filter(object_id=doc.pk, action="document.revoked").count() == 1


def test_a_used_document_cannot_be_used_again(doc, guard):
    services.document_mark_used(document=doc, by=guard)
    with pytest.raises(TransitionRefused):
        services.document_mark_used(document=doc, by=guard)
    assert AuditEvent.objects.filter(object_id=doc.pk, action="document.used").count() == 1


def test_issue_copies_the_printed_data_at_issue(doc, tenant_a):
    assert doc.data["company"] == tenant_a.name
    assert doc.data["unit"] == "1201"
    tenant_a.name = "改名后的公司"
    tenant_a.save()
    doc.refresh_from_db()
    assert doc.data["company"] == "广西甲方科技有限公司"
    assert "广西甲方科技有限公司" in verify(doc.verify_token).content.decode()


# --- PDF -----------------------------------------------------------------------------------------


def test_render_task_run_twice_gives_one_document_one_file_same_number(doc, media_root):
    number = doc.number
    assert render_document_pdf.delay(doc.pk).get() is True
    assert render_document_pdf.delay(doc.pk).get() is False
    doc.refresh_from_db()
    assert doc.number == number
    assert doc.pdf.name == f"documents/premises_certificate/{doc.issued_at:%Y}/{number}.pdf"
    assert Document.objects.count() == 1
    files = [p for p in media_root.rglob("*") if p.is_file()]
    assert [p.name for p in files] == [f"{number}.pdf"]


def test_rendering_again_after_a_lost_mark_overwrites_the_same_file(doc, media_root):
    """A worker that died after storing the file but before marking the row: the retry rewrites it."""
    assert services.document_render(document=doc)
    Document.objects.filter(pk=doc.pk).update(rendered_at=None)
    doc.refresh_from_db()
    assert services.document_render(document=doc)
    files = [p for p in media_root.rglob("*") if p.is_file()]
    assert len(files) == 1


def test_render_task_for_a_missing_document_does_nothing(db):
    assert render_document_pdf.delay(987654).get() is False


def test_pdf_contains_the_company_name_and_the_number(doc, tenant_a):
    services.document_render(document=doc)
    doc.refresh_from_db()
    with doc.pdf.open("rb") as fh:
        data = fh.read()
    assert data.startswith(b"%PDF")
    text = "".join(page.extract_text() for page in PdfReader(BytesIO(data)).pages)
    compact = "".join(text.split())
    assert doc.number in compact
    assert tenant_a.name in compact
    assert "场地证明" in compact
    assert tenant_a.credit_code in compact


def test_pdf_fetcher_reads_only_static_files():
    with pytest.raises(BlockedFetch):
        static_only_fetcher("https://example.com/logo.png")
    with pytest.raises(BlockedFetch):
        static_only_fetcher("file:///etc/passwd")
    with pytest.raises((BlockedFetch, SuspiciousFileOperation)):
        static_only_fetcher("static:../../etc/passwd")
    assert static_only_fetcher("static:css/app.css")["string"]
