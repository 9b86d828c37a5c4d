"""Issued documents: the public verify page (by code, and old signed links), revoking, PDF rendering run twice."""

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


def verify(code: str, **kwargs):
    return Client().get(reverse("verify", args=[code]), HTTP_ACCEPT_LANGUAGE="en", **kwargs)


def token_for(payload) -> str:
    return signing.dumps(payload, salt=settings.DOCUMENT_VERIFY_SALT, compress=True)


# --- verify page ---------------------------------------------------------------------------------


def test_verify_page_says_valid_and_shows_what_the_paper_shows(doc, tenant_a):
    response = verify(doc.code)
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
    html = verify(doc.code).content.decode()
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
    shown = [str(label) for label, _ in verify(doc.code).context["fields"]]
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
    response = verify(doc.code)
    assert response.status_code == 200
    assert response.context["verdict"] == "revoked"
    assert "Revoked: this document is no longer valid" in response.content.decode()


def test_verify_page_says_expired_after_valid_until(doc):
    Document.objects.filter(pk=doc.pk).update(valid_until=timezone.now() - timedelta(minutes=1))
    response = verify(doc.code)
    assert response.context["verdict"] == "expired"
    assert "Expired" in response.content.decode()


def test_verify_page_says_used_after_single_use(doc, guard):
    Document.objects.filter(pk=doc.pk).update(single_use=True)
    doc.refresh_from_db()
    services.document_use(document=doc, by=guard)
    assert verify(doc.code).context["verdict"] == "used"


def test_verify_page_says_not_yet_valid_before_valid_from(doc):
    Document.objects.filter(pk=doc.pk).update(valid_from=timezone.now() + timedelta(hours=1))
    response = verify(doc.code)
    assert response.context["verdict"] == "not_yet_valid"
    assert "Not yet valid" in response.content.decode()


def test_verify_page_says_suspended_while_suspended(doc, supervisor):
    services.document_suspend(document=doc, by=supervisor, reason="停工整改")
    assert verify(doc.code).context["verdict"] == "suspended"
    services.document_resume(document=doc, by=supervisor)
    assert verify(doc.code).context["verdict"] == "valid"


def test_an_unknown_code_says_unknown_with_404(db):
    response = verify("7K3Q9XMB2C4D6F8H")
    assert response.status_code == 404
    assert response.context["verdict"] == "unknown"


def test_a_code_typed_in_lower_case_with_dashes_leads_to_its_page(doc):
    typed = "-".join(doc.code[i : i + 4] for i in range(0, 16, 4)).lower()
    response = verify(typed)
    assert response.status_code == 302
    assert response["Location"] == reverse("verify", args=[doc.code])


def test_the_code_is_random_and_not_derived_from_the_key(doc, settings):
    before = verify(doc.code).context["verdict"]
    settings.SECRET_KEY = "rotated-" + "x" * 50
    assert verify(doc.code).context["verdict"] == before == "valid"
    assert doc.number not in doc.code and str(doc.pk) != doc.code


# --- old signed links (printed before codes existed) -----------------------------------------------


def test_an_old_signed_link_leads_permanently_to_the_same_verdict(doc, supervisor):
    response = verify(token_for({"d": doc.pk, "n": doc.number}))
    assert response.status_code == 301
    assert response["Location"] == reverse("verify", args=[doc.code])
    services.document_revoke(document=doc, by=supervisor, reason="租户已迁出")
    followed = verify(token_for({"d": doc.pk, "n": doc.number}), follow=True)
    assert followed.context["verdict"] == "revoked"


def test_an_old_link_to_a_document_that_does_not_exist_says_unknown(db):
    response = verify(token_for({"d": 999999, "n": "X"}))
    assert response.status_code == 404
    assert response.context["verdict"] == "unknown"
    assert "Unknown document" in response.content.decode()


def test_an_old_link_with_a_real_id_and_a_different_number_says_unknown(doc):
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
def test_tampered_old_link_says_invalid_with_400_never_500(doc, mangle):
    response = verify(mangle(token_for({"d": doc.pk, "n": doc.number})))
    assert response.status_code == 400
    assert response.context["verdict"] == "invalid"
    assert "Invalid code" in response.content.decode()
    assert doc.number not in response.content.decode()


@pytest.mark.parametrize("payload", [{"x": 1}, {"d": "abc", "n": "X"}, {"d": None, "n": "X"}, [1, 2], "just text"])
def test_well_signed_but_malformed_old_link_says_invalid(db, payload):
    response = verify(token_for(payload))
    assert response.status_code == 400
    assert response.context["verdict"] == "invalid"


def test_old_link_signed_with_another_salt_is_invalid(doc):
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


def test_issue_copies_the_printed_data_at_issue(doc, tenant_a):
    assert doc.data["company"] == tenant_a.name
    assert doc.data["unit"] == "1201"
    tenant_a.name = "改名后的公司"
    tenant_a.save()
    doc.refresh_from_db()
    assert doc.data["company"] == "广西甲方科技有限公司"
    assert "广西甲方科技有限公司" in verify(doc.code).content.decode()


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
    assert doc.display_code in compact  # under the QR code, for a guard to type by hand


def test_pdf_fetcher_reads_only_static_files():
    with pytest.raises(BlockedFetch):
        static_only_fetcher("https://example.com/logo.png")
    with pytest.raises(BlockedFetch):
        static_only_fetcher("file:///etc/passwd")
    with pytest.raises((BlockedFetch, SuspiciousFileOperation)):
        static_only_fetcher("static:../../etc/passwd")
    assert static_only_fetcher("static:css/app.css")["string"]
