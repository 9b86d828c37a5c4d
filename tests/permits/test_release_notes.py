"""Release notes 大件物品放行条: the application's checks, the desk's decisions, the paper, the
gate (release, refusal, second scan), move-out notes with arrears, and the expiry scan."""

from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from jinyuan.documents.models import Document, GateCheck
from jinyuan.documents.services import gate_check
from jinyuan.workflow.models import AuditEvent
from jinyuan.workflow.services import TransitionRefused, transition
from permits import release_notes
from permits.models import ReleaseNote
from tests import factories
from tests.factories import tiny_image
from tests.permits.release_data import carrier_id, make_note, note_fields

pytestmark = pytest.mark.django_db


@pytest.fixture
def note_in(tenant_a, tenant_a_admin, desk, guard):
    def make(state: str, **over) -> ReleaseNote:
        return make_note(state, tenant=tenant_a, applicant=tenant_a_admin, desk=desk, guard=guard, **over)

    return make


# --- the application: bad input is a message beside its field, nothing saved -------------------


@pytest.mark.parametrize(
    ("over", "field"),
    [
        ({"items": []}, "items"),
        ({"items": [{"name": "", "quantity": ""}]}, "items"),
        ({"items": [{"name": "办公椅", "quantity": 0}]}, "items"),
        ({"date": timezone.localdate() - timedelta(days=1)}, "date"),
        ({"carrier_id_number": "450103199002020031"}, "carrier_id_number"),  # wrong check digit
        ({"carrier_id_number": "12345"}, "carrier_id_number"),
        ({"vehicle_plate": "桂A1"}, "vehicle_plate"),
        ({"carrier_name": "  "}, "carrier_name"),
    ],
)
def test_bad_input_is_refused_beside_its_field(tenant_a, tenant_a_admin, over, field):
    with pytest.raises(ValidationError) as caught:
        release_notes.release_note_apply(tenant=tenant_a, by=tenant_a_admin, **note_fields(**over))
    assert field in caught.value.message_dict
    assert not ReleaseNote.objects.exists()


def test_application_waits_for_the_desk_and_tells_it(tenant_a, tenant_a_admin, desk):
    note = release_notes.release_note_apply(
        tenant=tenant_a, by=tenant_a_admin, **note_fields(vehicle_plate="桂a 123·45", carrier_id_number=carrier_id(4))
    )
    assert note.status == "submitted" and note.vehicle_plate == "桂A12345"
    assert note.items == [{"name": "办公桌", "quantity": 4}, {"name": "文件柜", "quantity": 2}]
    assert desk.notifications.filter(url=reverse("desk:permits:release_note_detail", args=[note.pk])).exists()
    assert AuditEvent.objects.filter(action="release_note.submitted", object_id=note.pk).exists()


# --- the desk decides ------------------------------------------------------------------------------


def test_approval_issues_a_single_use_paper_valid_on_its_date_only(note_in, tenant_a_admin):
    tomorrow = timezone.localdate() + timedelta(days=1)
    note = note_in("issued", date=tomorrow)
    doc = note.document
    assert doc.kind == "release_note" and doc.single_use and doc.number.startswith("FX-")
    assert doc.data["items"] == note.items and doc.data["carrier_id_number"].startswith("****")
    assert note.carrier_id_number not in str(doc.data)  # masked on the paper
    assert doc.verdict == Document.Verdict.NOT_YET_VALID
    with time_machine.travel(timezone.make_aware(timezone.datetime.combine(tomorrow, timezone.datetime.min.time()))):
        assert Document.objects.get(pk=doc.pk).verdict == Document.Verdict.VALID
    with time_machine.travel(
        timezone.make_aware(timezone.datetime.combine(tomorrow + timedelta(days=1), timezone.datetime.min.time()))
    ):
        assert Document.objects.get(pk=doc.pk).verdict == Document.Verdict.EXPIRED
    assert tenant_a_admin.notifications.filter(args__number=doc.number).exists()


def test_returned_note_is_corrected_and_submitted_again(note_in, tenant_a_admin, desk):
    note = note_in("returned")
    release_notes.release_note_correct(
        obj=note, by=tenant_a_admin, items=[{"name": "服务器机柜", "quantity": 1}], vehicle_plate="桂B67890"
    )
    note.refresh_from_db()
    assert note.status == "submitted" and note.vehicle_plate == "桂B67890"
    assert note.items == [{"name": "服务器机柜", "quantity": 1}]
    event = AuditEvent.objects.get(action="release_note.resubmitted", object_id=note.pk)
    assert event.data["corrected"] == ["items", "vehicle_plate"]


def test_a_correction_with_no_items_changes_nothing(note_in, tenant_a_admin):
    note = note_in("returned")
    with pytest.raises(ValidationError) as caught:
        release_notes.release_note_correct(obj=note, by=tenant_a_admin, items=[])
    assert "items" in caught.value.message_dict
    note.refresh_from_db()
    assert note.status == "returned" and len(note.items) == 2


@pytest.mark.parametrize(
    ("state", "name", "who"),
    [
        ("submitted", "approve", "tenant_a_admin"),  # the company cannot approve its own note
        ("submitted", "approve", "guard"),
        ("submitted", "send_back", "engineer"),
        ("returned", "resubmit", "desk"),  # the company corrects it
        ("returned", "resubmit", "tenant_b_admin"),
        ("submitted", "reject", "finance"),
        ("issued", "release", "desk"),  # only at the gate
        ("issued", "revoke", "guard"),
        ("issued", "expire", "supervisor"),  # the scan's alone
        ("submitted", "withdraw", "tenant_a_staff"),  # staff without the release-note grant
    ],
)
def test_transitions_refused_to_the_wrong_person(note_in, persona, state, name, who):
    note = note_in(state)
    with pytest.raises(PermissionDenied):
        transition(note, name, by=persona(who), note="x")
    assert ReleaseNote.objects.get(pk=note.pk).status == state


@pytest.mark.parametrize(
    ("state", "name"),
    [
        ("issued", "approve"),
        ("released", "revoke"),
        ("rejected", "approve"),
        ("expired", "release"),
        ("withdrawn", "resubmit"),
        ("submitted", "release"),
    ],
)
def test_transitions_refused_in_the_wrong_state(note_in, supervisor, tenant_a_admin, guard, state, name):
    note = note_in(state)
    who = {"resubmit": tenant_a_admin, "release": guard}.get(name, supervisor)
    with pytest.raises(TransitionRefused):
        transition(note, name, by=who, note="x")
    assert ReleaseNote.objects.get(pk=note.pk).status == state


def test_staff_with_the_grant_applies_and_withdraws(tenant_a, tenant_a_staff):
    from tenants.models import Membership

    Membership.objects.filter(user=tenant_a_staff).update(areas=["release_notes"])
    note = release_notes.release_note_apply(tenant=tenant_a, by=tenant_a_staff, **note_fields())
    release_notes.release_note_withdraw(obj=ReleaseNote.objects.get(pk=note.pk), by=tenant_a_staff)
    assert ReleaseNote.objects.get(pk=note.pk).status == "withdrawn"


def test_a_note_whose_date_passed_cannot_be_approved(note_in, desk):
    note = note_in("submitted")
    with time_machine.travel(timezone.now() + timedelta(days=1)), pytest.raises(TransitionRefused):
        release_notes.release_note_approve(obj=note, by=desk)
    assert not Document.objects.filter(kind="release_note").exists()


# --- move-out notes: the center issues them, arrears seen first ---------------------------------


def test_move_out_note_needs_a_move_out_and_a_reason_when_arrears(note_in, tenant_a, desk):
    note = note_in("submitted", purpose="move_out")
    with pytest.raises(TransitionRefused):
        release_notes.release_note_approve(obj=note, by=desk)  # no move-out in progress
    move_out = factories.make_moveout(tenant_a, desk)
    bill = factories.make_bill(tenant_a, desk)
    assert release_notes.arrears_of(tenant_a) == bill.total > Decimal(0)
    with pytest.raises(ValidationError) as caught:
        release_notes.release_note_approve(obj=note, by=desk)
    assert "note" in caught.value.message_dict
    assert ReleaseNote.objects.get(pk=note.pk).status == "submitted"
    release_notes.release_note_approve(obj=note, by=desk, note="押金足以抵扣欠费，经理同意")
    note.refresh_from_db()
    assert note.status == "issued" and note.move_out_id == move_out.pk
    event = AuditEvent.objects.get(action="release_note.approved", object_id=note.pk)
    assert event.data["arrears"] == str(bill.total) and event.data["move_out"] == move_out.pk


def test_desk_page_shows_the_arrears_before_approving(note_in, tenant_a, desk, client_for):
    note = note_in("submitted", purpose="move_out")
    factories.make_moveout(tenant_a, desk)
    bill = factories.make_bill(tenant_a, desk)
    html = client_for(desk).get(reverse("desk:permits:release_note_detail", args=[note.pk])).content.decode()
    assert "arrears-h" in html and f"{bill.total:,.2f}" in html


def test_desk_creates_the_move_out_note_from_the_checklist(tenant_a, desk, client_for):
    from tenants.checklists import evaluate

    move_out = factories.make_moveout(tenant_a, desk)
    [row] = [r for r in evaluate("move_out", move_out) if r.item.code == "release_note"]
    assert not row.state.done and not row.item.required
    assert row.state.action_url.endswith(f"?move_out={move_out.pk}")
    page = client_for(desk).get(row.state.action_url)
    assert page.status_code == 200 and 'value="move_out" selected' in page.content.decode()
    data = {
        "date": timezone.localdate().isoformat(),
        "purpose": "move_out",
        "vehicle_plate": "桂A88888",
        "carrier_name": "搬家公司",
        "carrier_id_number": carrier_id(5),
        "items-TOTAL_FORMS": "2",
        "items-INITIAL_FORMS": "0",
        "items-0-name": "办公桌",
        "items-0-quantity": "10",
        "items-1-name": "",
        "items-1-quantity": "",
    }
    response = client_for(desk).post(row.state.action_url, data)
    note = ReleaseNote.objects.get()
    assert response.status_code == 302 and note.status == "issued" and note.move_out_id == move_out.pk
    [row] = [r for r in evaluate("move_out", move_out) if r.item.code == "release_note"]
    assert row.state.done and str(note) in row.state.detail


# --- at the exit ---------------------------------------------------------------------------------


def test_guard_releases_once_and_a_second_scan_says_used_by_whom(note_in, guard, client_for):
    note = note_in("issued")
    doc = note.document
    client = client_for(guard)
    # Not every item ticked: nothing happens, the error is beside the items.
    response = client.post(doc.verify_path, {"action": "release", "item": ["0"]})
    assert response.status_code == 400
    assert ReleaseNote.objects.get(pk=note.pk).status == "issued"
    photo = factories_photo()
    response = client.post(doc.verify_path, {"action": "release", "item": ["0", "1"], "photo": photo})
    assert response.status_code == 302
    note.refresh_from_db()
    assert note.status == "released" and note.released_by == guard and note.released_at
    doc.refresh_from_db()
    assert doc.status == "used" and doc.used_by == guard
    assert note_photos(note) == 1
    html = client.get(doc.verify_path).content.decode()
    assert "alert-secondary" in html and "verdict-when" in html and str(guard) in html
    # A second press is refused and logged.
    client.post(doc.verify_path, {"action": "release", "item": ["0", "1"]})
    assert list(GateCheck.objects.filter(document=doc).order_by("at", "id").values_list("result", flat=True)) == [
        "done",
        "refused",
    ]


def test_public_page_masks_the_guard_and_the_carrier(note_in, client):
    note = note_in("released")
    html = client.get(note.document.verify_path).content.decode()
    assert "黄师傅" not in html and "黄*" in html
    assert "guard" not in html.split("verdict-when", 1)[1].split("</div>", 1)[0]


def test_goods_that_do_not_match_are_refused_and_need_a_new_note(note_in, guard):
    note = note_in("refused")
    doc = Document.objects.get(pk=note.document_id)
    assert doc.status == "revoked" and doc.revoked_by == guard
    with pytest.raises(TransitionRefused):
        gate_check(document=doc, action="release", by=guard, ticked=[0, 1])
    assert AuditEvent.objects.filter(action="release_note.refused", object_id=note.pk, note="多出一台空调").exists()


def test_a_refusal_of_a_used_note_is_only_logged(note_in, guard):
    note = note_in("released")
    gate_check(document=note.document, action="refuse", by=guard, reason="再次出示")
    assert ReleaseNote.objects.get(pk=note.pk).status == "released"
    assert Document.objects.get(pk=note.document_id).status == "used"


def test_a_bad_photo_is_an_error_and_nothing_is_released(note_in, guard, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    note = note_in("issued")
    bad = SimpleUploadedFile("x.jpg", b"not an image", content_type="image/jpeg")
    data = {"action": "release", "item": ["0", "1"], "photo": bad}
    response = client_for(guard).post(note.document.verify_path, data)
    assert response.status_code == 400 and "photo-release-error" in response.content.decode()
    assert ReleaseNote.objects.get(pk=note.pk).status == "issued"
    assert Document.objects.get(pk=note.document_id).status == "valid"


def test_revoking_through_the_admin_hook_goes_through_the_workflow(note_in, supervisor):
    from jinyuan.documents import registry

    note = note_in("issued")
    registry.get("release_note").hook("revoke")(note.document, supervisor, "误开")
    note.refresh_from_db()
    assert note.status == "revoked" and Document.objects.get(pk=note.document_id).status == "revoked"


def test_another_tenant_cannot_act_on_the_verify_page(note_in, tenant_b_admin, client_for):
    note = note_in("issued")
    response = client_for(tenant_b_admin).post(note.document.verify_path, {"action": "release", "item": ["0", "1"]})
    assert response.status_code == 404
    assert ReleaseNote.objects.get(pk=note.pk).status == "issued"


# --- the end of the day ----------------------------------------------------------------------------


def test_expiry_scan_twice_expires_once(note_in, tenant_a, tenant_a_admin, desk):
    past = timezone.now() - timedelta(days=1)
    with time_machine.travel(past, tick=False):
        stale = note_in("issued")
    today = note_in("issued")
    assert Document.objects.get(pk=stale.document_id).verdict == Document.Verdict.EXPIRED
    assert release_notes.release_notes_expire() == 1
    assert release_notes.release_notes_expire() == 0
    assert ReleaseNote.objects.get(pk=stale.pk).status == "expired"
    assert ReleaseNote.objects.get(pk=today.pk).status == "issued"
    assert AuditEvent.objects.filter(action="release_note.expired").count() == 1


def test_expiry_task_runs_the_scan(note_in):
    from permits.tasks import expire_release_notes

    with time_machine.travel(timezone.now() - timedelta(days=1), tick=False):
        note_in("issued")
    assert expire_release_notes.delay().get() == 1
    assert expire_release_notes.delay().get() == 0


# --- helpers ---------------------------------------------------------------------------------------


def factories_photo():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("货物.jpg", tiny_image(), content_type="image/jpeg")


def note_photos(note) -> int:
    from permits.selectors import gate_photos

    return len(gate_photos(note))


def test_register_filters_and_exports_with_the_carrier_id_masked(note_in, desk, client_for):
    from io import BytesIO

    from openpyxl import load_workbook

    issued, waiting = note_in("issued"), note_in("submitted", vehicle_plate="桂B67890")
    client = client_for(desk)
    url = reverse("desk:permits:release_note_list")
    assert str(issued) in client.get(url, {"q": str(issued)}).content.decode()
    by_plate = client.get(url, {"q": "桂b 67890"}).content.decode()
    assert f"/desk/release-notes/{waiting.pk}/" in by_plate and f"/desk/release-notes/{issued.pk}/" not in by_plate
    overdue = client.get(url, {"overdue": "true"}).content.decode()
    assert f"/desk/release-notes/{waiting.pk}/" in overdue and f"/desk/release-notes/{issued.pk}/" not in overdue
    export = client.get(url, {"export": "xlsx", "status": "issued"})
    rows = list(load_workbook(BytesIO(export.content)).active.iter_rows(values_only=True))
    assert len(rows) == 2 and rows[1][0] == str(issued)
    assert issued.carrier_id_number not in str(rows) and issued.masked_carrier_id in str(rows)


def test_the_paper_prints_every_item_and_the_masked_carrier(note_in):
    from io import BytesIO

    from pypdf import PdfReader

    from jinyuan.documents.services import document_render

    note = note_in("issued")
    document_render(document=note.document)  # on commit in production
    note.document.refresh_from_db()
    with note.document.pdf.open("rb") as handle:
        text = "".join(page.extract_text() for page in PdfReader(BytesIO(handle.read())).pages)
    assert "大 件 物 品 放 行 条" in text  # the title is letter-spaced
    for wanted in (note.document.number, "办公桌", "文件柜", "桂A12345", "黄师傅", "当日有效"):
        assert wanted in text, wanted
    assert note.carrier_id_number not in text and note.masked_carrier_id in text


def test_personal_data_of_an_ended_note_is_purged_once(note_in, guard, client_for, settings):
    from jinyuan.privacy import personal_data_purge
    from permits.selectors import gate_photos

    settings.PERSONAL_DATA_RETENTION_DAYS = 30
    note = note_in("issued")
    data = {"action": "release", "item": ["0", "1"], "photo": factories_photo()}
    assert client_for(guard).post(note.document.verify_path, data).status_code == 302
    waiting = note_in("submitted")
    assert personal_data_purge(timezone.now()) == 0  # the retention has not run out
    later = timezone.now() + timedelta(days=32)
    assert personal_data_purge(later) == 2  # the photo and the ID number
    assert personal_data_purge(later) == 0
    note.refresh_from_db()
    assert note.carrier_id_number == "****003X" and gate_photos(note) == []
    assert ReleaseNote.objects.get(pk=waiting.pk).carrier_id_number == carrier_id()  # still open
    assert AuditEvent.objects.filter(action="release_note.personal_data_purged", object_id=note.pk).count() == 1
