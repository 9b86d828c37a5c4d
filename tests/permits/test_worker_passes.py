"""Worker passes through the services: issue (ID check digit, certificates per trade,
validity capped at the renovation's end, fee and deposit billed), lost and reissued, returned
with the deposit refunded, expired by the verdict, suspended and restored with the renovation,
voided at closing, and every refused step."""

from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from billing.models import Bill, DepositEntry
from billing.selectors import deposit_balance_of_source
from billing.services import payment_record
from jinyuan.attachments.selectors import attachments_of
from jinyuan.documents.models import Document
from jinyuan.workflow.selectors import timeline
from jinyuan.workflow.services import TransitionRefused
from permits import passes
from permits.models import WorkerPass, validate_id_number
from tests.permits.conftest import id_number, photo, worker

pytestmark = pytest.mark.django_db

S = WorkerPass.Status


def actions(obj) -> list[str]:
    return [e.action for e in timeline(obj)]


def pay(worker_pass, desk) -> Bill:
    bill = Bill.objects.get(source_key=passes.source_key(worker_pass))
    payment_record(tenant=bill.tenant, amount=bill.total, method="cash", by=desk, bills=[bill])
    return bill


@pytest.mark.parametrize("number", ["11010519491231002X", "440524188001010014", id_number(1), id_number(99)])
def test_id_numbers_with_the_right_check_digit_pass(number):
    validate_id_number(number)


@pytest.mark.parametrize(
    ("number", "code"),
    [("110105194912310021", "check"), ("11010519491231002", "format"), ("1101051949123100AX", "format")],
)
def test_id_numbers_with_a_wrong_check_digit_or_shape_are_refused(number, code):
    with pytest.raises(ValidationError) as exc:
        validate_id_number(number)
    assert exc.value.code == code


def test_issue_bills_fee_and_deposit_and_issues_a_badge_valid_to_the_renovations_end(works, issue):
    p = issue()
    p.refresh_from_db()
    assert p.status == S.ISSUED
    assert p.tenant_id == works.tenant_id
    assert p.valid_until == works.granted_end
    doc = p.document
    assert doc.kind == "worker_pass" and doc.verdict == Document.Verdict.VALID
    assert timezone.localtime(doc.valid_until).date() == works.granted_end
    # The badge prints the ID number masked; the whole number stays on the pass.
    assert doc.data["id_number"] == "****" + id_number(1)[-4:]
    assert doc.data["name"] == "李建军" and doc.data["contractor"] == works.contractor_name
    # Fee and deposit are two bills: an unpaid deposit can be voided alone (the fee stays owed).
    fee = Bill.objects.get(source_key=passes.fee_source_key(p))
    deposit = Bill.objects.get(source_key=passes.source_key(p))
    assert [(line.fee_item.code, line.amount) for line in fee.lines.all()] == [("worker_pass", Decimal("20.00"))]
    assert [(line.fee_item.code, line.amount) for line in deposit.lines.all()] == [
        ("worker_pass_deposit", Decimal("100.00"))
    ]
    [picture] = attachments_of(p)
    assert picture.kind == "photo" and picture.thumbnail
    assert {"worker_pass.issued", "worker_pass.attachment_added"} <= set(actions(p))
    assert "renovation.worker_pass_issued" in actions(works)


def test_paid_deposit_enters_the_ledger_under_the_pass(issue, desk):
    p = issue()
    pay(p, desk)
    assert deposit_balance_of_source(p.tenant, passes.source_key(p)) == Decimal("100.00")


def test_wrong_check_digit_is_refused_beside_the_id_number_and_nothing_is_issued(issue):
    with pytest.raises(ValidationError) as exc:
        issue(id_number="450102198506150010")
    assert "id_number" in exc.value.message_dict
    assert not WorkerPass.objects.exists() and not Document.objects.filter(kind="worker_pass").exists()


def test_a_photo_is_required(issue):
    with pytest.raises(ValidationError) as exc:
        issue(photo=None)
    assert "photo" in exc.value.message_dict


def test_a_photo_that_is_no_image_is_refused_beside_the_photo(issue):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.factories import MINIMAL_PDF

    with pytest.raises(ValidationError) as exc:
        issue(photo=SimpleUploadedFile("照片.jpg", MINIMAL_PDF))
    assert "photo" in exc.value.message_dict
    assert not WorkerPass.objects.exists()


def test_expired_welder_certificate_gets_no_pass_for_the_trade(issue):
    yesterday = timezone.localdate() - timedelta(days=1)
    with pytest.raises(ValidationError) as exc:
        issue(trade="welder", certificate_number="T450102198506150017", certificate_expiry=yesterday)
    assert "certificate_expiry" in exc.value.message_dict
    # The same worker as a carpenter is fine: the certificate concerns the trade.
    assert issue(trade="carpenter").status == S.ISSUED


def test_electrician_needs_certificate_number_and_expiry(issue):
    with pytest.raises(ValidationError) as exc:
        issue(trade="electrician")
    assert {"certificate_number", "certificate_expiry"} <= set(exc.value.message_dict)


def test_a_certificate_expiring_before_the_renovation_caps_the_pass(works, issue):
    expiry = timezone.localdate() + timedelta(days=10)
    assert expiry < works.granted_end
    p = issue(trade="electrician", certificate_number="T450102", certificate_expiry=expiry)
    assert p.valid_until == expiry
    assert timezone.localtime(p.document.valid_until).date() == expiry


def test_validity_cannot_outlast_the_renovation_nor_start_in_the_past(works, issue):
    with pytest.raises(ValidationError) as exc:
        issue(valid_until=works.granted_end + timedelta(days=1))
    assert "valid_until" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        issue(valid_until=timezone.localdate() - timedelta(days=1))
    assert "valid_until" in exc.value.message_dict
    shorter = timezone.localdate() + timedelta(days=5)
    assert issue(valid_until=shorter).valid_until == shorter


def test_only_a_renovation_in_works_gets_passes(make_renovation, desk):
    approved = make_renovation("approved")
    with pytest.raises(TransitionRefused):
        passes.worker_pass_issue(renovation=approved, by=desk, **worker())
    assert not WorkerPass.objects.exists()


def test_a_worker_holds_one_live_pass(issue):
    first = issue()
    with pytest.raises(ValidationError) as exc:
        issue()
    assert first.document.number in exc.value.message_dict["id_number"][0]


def test_expired_by_the_verdict_without_a_state_change(issue):
    p = issue(valid_until=timezone.localdate() + timedelta(days=2))
    with time_machine.travel(timezone.now() + timedelta(days=3)):
        p.document.refresh_from_db()
        assert p.document.verdict == Document.Verdict.EXPIRED
    p.refresh_from_db()
    assert p.status == S.ISSUED


def test_lost_is_revoked_at_once_and_reissued_with_a_fee(issue, desk):
    p = issue()
    old = p.document
    passes.worker_pass_report_lost(obj=p, by=desk, note="工地遗失")
    old.refresh_from_db()
    assert p.status == S.LOST and old.verdict == Document.Verdict.REVOKED
    passes.worker_pass_reissue(obj=p, by=desk)
    p.refresh_from_db()
    assert p.status == S.ISSUED and p.reissues == 1
    assert p.document_id != old.pk and p.document.verdict == Document.Verdict.VALID
    assert p.document.valid_until == old.valid_until
    bill = Bill.objects.get(source_key=f"{passes.source_key(p)}:reissue:1")
    assert [(line.fee_item.code, line.amount) for line in bill.lines.all()] == [
        ("worker_pass_reissue", Decimal("50.00"))
    ]
    assert {"worker_pass.lost", "worker_pass.reissued"} <= set(actions(p))


def test_returned_badge_refunds_the_pass_deposit_once(issue, desk):
    p = issue()
    pay(p, desk)
    passes.worker_pass_return(obj=p, by=desk)
    p.refresh_from_db()
    assert p.status == S.RETURNED
    assert p.document.verdict == Document.Verdict.REVOKED
    refund = DepositEntry.objects.get(source_key=passes.source_key(p), kind="refunded")
    assert refund.amount == Decimal("100.00")
    assert deposit_balance_of_source(p.tenant, passes.source_key(p)) == 0
    with pytest.raises(TransitionRefused):
        passes.worker_pass_return(obj=WorkerPass.objects.get(pk=p.pk), by=desk)
    assert DepositEntry.objects.filter(source_key=passes.source_key(p), kind="refunded").count() == 1
    # The worker may get a new pass once the old one is returned.
    assert issue().status == S.ISSUED


def test_returned_unpaid_deposit_refunds_nothing(issue, desk):
    p = issue()
    passes.worker_pass_return(obj=p, by=desk)
    assert not DepositEntry.objects.filter(source_key=passes.source_key(p)).exists()


def test_suspended_with_the_renovation_and_restored_when_works_resume(issue, desk, engineer):
    a, b = issue(1), issue(2)
    passes.worker_pass_report_lost(obj=b, by=desk, note="遗失")
    assert passes.suspend_passes_of(a.renovation, by=engineer, reason="停工整改") == 1
    a.refresh_from_db()
    assert a.status == S.SUSPENDED and a.document.verdict == Document.Verdict.SUSPENDED
    b.refresh_from_db()
    assert b.status == S.LOST
    assert passes.restore_passes_of(a.renovation, by=engineer) == 1
    a.refresh_from_db()
    assert a.status == S.ISSUED and a.document.verdict == Document.Verdict.VALID
    assert {"worker_pass.suspended", "worker_pass.restored"} <= set(actions(a))


def test_voided_at_closing_except_returned_ones(issue, desk, supervisor):
    live, lost, suspended, returned = issue(1), issue(2), issue(3), issue(4)
    passes.worker_pass_report_lost(obj=lost, by=desk, note="遗失")
    passes.worker_pass_return(obj=returned, by=desk)
    passes.suspend_passes_of(live.renovation, by=supervisor)
    assert passes.void_passes_of(live.renovation, by=supervisor, reason="装修验收完毕") == 4 - 1
    for p in (live, lost, suspended):
        p.refresh_from_db()
        assert p.status == S.VOID and p.document.verdict == Document.Verdict.REVOKED
    returned.refresh_from_db()
    assert returned.status == S.RETURNED


def test_unreturned_pass_deposits_lists_paid_deposits_of_badges_not_returned(issue, desk):
    kept, given_back, unpaid = issue(1), issue(2), issue(3)
    pay(kept, desk)
    pay(given_back, desk)
    passes.worker_pass_return(obj=given_back, by=desk)
    rows = passes.unreturned_pass_deposits(kept.renovation)
    assert [(r.source_key, r.amount) for r in rows] == [(passes.source_key(kept), Decimal("100.00"))]
    assert kept.document.number in rows[0].reason
    assert unpaid.pk  # never paid: nothing held, nothing to forfeit


def test_refused_steps(issue, desk, tenant_a_admin, guard):
    p = issue()
    with pytest.raises(PermissionDenied):
        passes.worker_pass_report_lost(obj=p, by=tenant_a_admin, note="遗失")
    with pytest.raises(PermissionDenied):
        passes.worker_pass_return(obj=p, by=guard)
    with pytest.raises(TransitionRefused):
        passes.worker_pass_reissue(obj=p, by=desk)
    with pytest.raises(ValidationError):
        passes.worker_pass_report_lost(obj=p, by=desk, note="")
    p.refresh_from_db()
    assert p.status == S.ISSUED and p.document.verdict == Document.Verdict.VALID


def expected_qr(url: str):
    from io import BytesIO

    import segno
    from PIL import Image

    out = BytesIO()
    segno.make(url, error="m", micro=False).save(out, kind="png", scale=2, border=2)
    return Image.open(BytesIO(out.getvalue()))


def qr_pixels(image) -> list[bool]:
    """Dark or light per pixel, whatever the image mode the PDF stored it in."""
    return [value < 128 for value in image.convert("L").tobytes()]


def test_badge_pdf_has_the_photo_the_name_and_the_qr(issue):
    from io import BytesIO

    from pypdf import PdfReader

    from jinyuan.documents.services import document_render

    p = issue()
    # Rendered on commit in production; the test transaction never commits.
    document_render(document=p.document)
    p.document.refresh_from_db()
    assert p.document.pdf
    with p.document.pdf.open("rb") as handle:
        reader = PdfReader(BytesIO(handle.read()))
    page = reader.pages[0]
    text = page.extract_text()
    assert "李建军" in text and "施工人员出入证" in text and p.document.number in text
    # The photo, and the QR code as a small 1-bit image of the badge's verify URL (an inline SVG
    # costs WeasyPrint ~4 ms a code to draw; a batch prints fifty).
    photos = [image for image in page.images if image.name.endswith(".jpg")]  # JPEG kept as it is
    [qr_image] = [image for image in page.images if image.name.endswith(".png")]
    assert len(photos) == 1
    assert qr_pixels(qr_image.image) == qr_pixels(expected_qr(p.document.verify_url))
    width_mm = float(page.mediabox.width) / 72 * 25.4
    assert round(width_mm, 1) == 85.6


def test_photo_field_for_a_pass_refused_without_renovation_in_works_leaves_no_row(make_renovation, desk):
    r = make_renovation("approved")
    with pytest.raises(TransitionRefused):
        passes.worker_pass_issue(renovation=r, by=desk, **worker(photo=photo()))
    assert not WorkerPass.objects.exists()


def test_a4_batch_prints_every_badge_with_its_photo(issue):
    from io import BytesIO

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image
    from pypdf import PdfReader

    from permits.documents import badges_pdf

    def distinct_photo(seq: int) -> SimpleUploadedFile:
        # WeasyPrint embeds identical images once: each worker gets their own.
        out = BytesIO()
        Image.new("RGB", (60, 80), (seq * 20, 100, 200 - seq * 10)).save(out, format="JPEG")
        return SimpleUploadedFile(f"{seq}.jpg", out.getvalue())

    made = [issue(seq, worker_name=f"工人{seq}", photo=distinct_photo(seq)) for seq in range(1, 13)]
    reader = PdfReader(
        BytesIO(badges_pdf(WorkerPass.objects.filter(pk__in=[p.pk for p in made]).select_related("document")))
    )
    assert len(reader.pages) == 2  # ten cards a sheet
    first_sheet = reader.pages[0].extract_text()
    assert sum(p.document.number in first_sheet for p in made) == 10
    text = "".join(page.extract_text() for page in reader.pages)
    assert all(p.document.number in text for p in made)
    # Every worker's own photo and own QR code are in the sheet (pages may share resources).
    images = {image.data: image.name[-4:] for page in reader.pages for image in page.images}
    assert sorted(images.values()) == [".jpg"] * 12 + [".png"] * 12
    assert round(float(reader.pages[0].mediabox.width) / 72 * 25.4) == 210


def test_unreturned_pass_deposits_takes_two_queries_whatever_the_passes(issue, desk, django_assert_num_queries):
    for seq in range(1, 6):
        pay(issue(seq), desk)
    renovation = WorkerPass.objects.first().renovation
    with django_assert_num_queries(2):
        rows = passes.unreturned_pass_deposits(renovation)
    assert len(rows) == 5 and all(r.amount == Decimal("100.00") for r in rows)
