"""Release note pages: the portal's application and correction with their items, the desk's
note for a move-out with arrears, the code typed at the gate, the supervisor's admin action."""

import pytest
from django.urls import reverse
from django.utils import timezone

from permits.models import ReleaseNote
from tests import factories
from tests.permits.release_data import carrier_id, make_note

pytestmark = pytest.mark.django_db


def form_data(items=(("办公桌", "4"),), **over) -> dict:
    data = {
        "date": timezone.localdate().isoformat(),
        "purpose": "ordinary",
        "vehicle_plate": "桂A12345",
        "carrier_name": "黄师傅",
        "carrier_id_number": carrier_id(),
        "items-TOTAL_FORMS": str(max(len(items), 1)),
        "items-INITIAL_FORMS": "0",
    }
    for i, (name, quantity) in enumerate(items):
        data |= {f"items-{i}-name": name, f"items-{i}-quantity": quantity}
    return data | over


@pytest.fixture
def note_in(tenant_a, tenant_a_admin, desk, guard):
    def make(state, **over):
        return make_note(state, tenant=tenant_a, applicant=tenant_a_admin, desk=desk, guard=guard, **over)

    return make


def test_portal_application_keeps_what_was_typed_beside_the_errors(client_for, tenant_a_admin):
    url = reverse("portal:permits:release_note_new")
    response = client_for(tenant_a_admin).post(
        url, form_data(items=(("", ""),), carrier_id_number="450103199002020031")
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert 'id="items-errors"' in html and "is-invalid" in html
    assert 'value="桂A12345"' in html and 'value="黄师傅"' in html  # nothing typed is lost
    item_without_quantity = client_for(tenant_a_admin).post(url, form_data(items=(("办公桌", ""),)))
    assert item_without_quantity.status_code == 400 and "items-0-quantity" in item_without_quantity.content.decode()
    assert not ReleaseNote.objects.exists()


def test_portal_application_and_correction(client_for, tenant_a_admin, desk):
    client = client_for(tenant_a_admin)
    response = client.post(
        reverse("portal:permits:release_note_new"), form_data(items=(("办公桌", "4"), ("椅子", "8")))
    )
    note = ReleaseNote.objects.get()
    assert response.status_code == 302 and note.items == [
        {"name": "办公桌", "quantity": 4},
        {"name": "椅子", "quantity": 8},
    ]
    from permits import release_notes

    release_notes.release_note_send_back(obj=note, by=desk, note="请补充打印机")
    url = reverse("portal:permits:release_note_correct", args=[note.pk])
    page = client.get(url).content.decode()
    assert 'value="椅子"' in page and 'value="8"' in page  # the items as sent
    response = client.post(url, form_data(items=(("办公桌", "4"), ("椅子", "8"), ("打印机", "1"))))
    note.refresh_from_db()
    assert response.status_code == 302 and note.status == "submitted" and len(note.items) == 3


def test_desk_move_out_note_with_arrears_needs_a_reason_beside_the_form(client_for, tenant_a, desk):
    move_out = factories.make_moveout(tenant_a, desk)
    factories.make_bill(tenant_a, desk)
    url = reverse("desk:permits:release_note_new", args=[tenant_a.pk]) + f"?move_out={move_out.pk}"
    client = client_for(desk)
    response = client.post(url, form_data(purpose="move_out"))
    assert response.status_code == 400 and "invalid-feedback" in response.content.decode()
    assert not ReleaseNote.objects.exists()
    response = client.post(url, form_data(purpose="move_out", note="押金足以抵扣"))
    assert response.status_code == 302
    assert ReleaseNote.objects.get().move_out_id == move_out.pk


def test_desk_move_out_note_without_a_move_out_is_an_error_beside_the_purpose(client_for, tenant_a, desk):
    response = client_for(desk).post(
        reverse("desk:permits:release_note_new", args=[tenant_a.pk]), form_data(purpose="move_out")
    )
    assert response.status_code == 400 and "is-invalid" in response.content.decode()
    assert not ReleaseNote.objects.exists()


def test_a_code_typed_at_the_gate_opens_the_note(note_in, client_for, guard):
    note = note_in("issued")
    typed = note.document.display_code.lower().replace("-", " ")
    response = client_for(guard).get(reverse("gate"), {"code": typed})
    assert response.status_code == 302 and response["Location"] == note.document.verify_path


def test_supervisor_revokes_in_the_admin_through_the_workflow(note_in, client_for):
    from jinyuan.documents.models import Document

    note = note_in("issued")
    root = factories.UserFactory(username="root", is_staff=True, is_superuser=True, roles=["supervisor"])
    url = reverse("admin:permits_releasenote_changelist")
    response = client_for(root).post(url, {"action": "revoke_selected", "_selected_action": [note.pk]})
    assert response.status_code == 302
    note.refresh_from_db()
    assert note.status == "revoked" and Document.objects.get(pk=note.document_id).status == "revoked"
