"""Who may open the release note pages (the access matrix); a refused POST changes nothing,
on the desk, in the portal and on the verify page."""

import pytest
from django.urls import reverse

from jinyuan.documents.models import Document
from jinyuan.workflow.models import AuditEvent
from permits.models import ReleaseNote
from tests.matrix import (
    DESK_PAGE,
    DESK_ROLES_PAGE,
    FORBIDDEN,
    GRANTED_PORTAL_PAGE,
    GRANTED_TENANT_A_RECORD,
    LOGIN_REDIRECT,
    MISSING,
    LazyRecords,
    Page,
    assert_page,
    by_page,
    client_as,
)
from tests.permits.release_data import carrier_id

pytestmark = pytest.mark.django_db

PAGES = [
    Page("desk:permits:release_note_list", DESK_PAGE),
    Page("desk:permits:release_note_list", DESK_PAGE, query="export=xlsx"),
    Page("desk:permits:release_note_detail", DESK_PAGE, "release_note_submitted"),
    Page("desk:permits:release_note_pdf", DESK_PAGE, "release_note_issued"),
    Page("desk:permits:release_note_new", DESK_ROLES_PAGE, "tenant_a"),
    Page("portal:permits:release_note_list", GRANTED_PORTAL_PAGE),
    Page("portal:permits:release_note_new", GRANTED_PORTAL_PAGE),
    Page("portal:permits:release_note_detail", GRANTED_TENANT_A_RECORD, "release_note_submitted"),
    Page("portal:permits:release_note_correct", GRANTED_TENANT_A_RECORD, "release_note_returned"),
    Page("portal:permits:release_note_pdf", GRANTED_TENANT_A_RECORD, "release_note_issued"),
]


@pytest.fixture
def records(request, tenant_a, tenant_b_admin, tenant_a_staff):
    from tests.test_access_matrix import MAKERS

    return LazyRecords(request, MAKERS)


@pytest.mark.parametrize("page", by_page(PAGES))
def test_who_may_open_the_page(persona, records, page):
    assert_page(persona, records, page)


def _snapshot(note) -> tuple:
    note.refresh_from_db()
    return note.status, note.items, AuditEvent.objects.count(), Document.objects.count()


@pytest.mark.parametrize(
    ("who", "side", "state", "data", "status"),
    [
        ("anonymous", "desk", "submitted", {"action": "approve"}, LOGIN_REDIRECT),
        ("guard", "desk", "submitted", {"action": "approve"}, FORBIDDEN),
        ("engineer", "desk", "submitted", {"action": "send_back", "note": "x"}, FORBIDDEN),
        ("finance", "desk", "submitted", {"action": "reject", "note": "x"}, FORBIDDEN),
        ("tenant_a_admin", "desk", "submitted", {"action": "approve"}, FORBIDDEN),
        ("desk", "desk", "issued", {"action": "release"}, FORBIDDEN),  # only at the gate
        ("desk", "desk", "issued", {"action": "expire"}, FORBIDDEN),
        ("desk", "desk", "submitted", {"action": "withdraw"}, FORBIDDEN),  # the company's
        ("desk", "desk", "issued", {"action": "approve"}, LOGIN_REDIRECT),  # wrong state: a notice
        ("tenant_a_admin", "portal", "submitted", {"action": "approve"}, FORBIDDEN),
        ("tenant_a_staff", "portal", "submitted", {"action": "withdraw"}, FORBIDDEN),
        ("tenant_b_admin", "portal", "submitted", {"action": "withdraw"}, MISSING),
        ("supervisor", "portal", "submitted", {"action": "withdraw"}, FORBIDDEN),
        ("anonymous", "portal", "submitted", {"action": "withdraw"}, LOGIN_REDIRECT),
    ],
)
def test_a_refused_post_changes_nothing(records, persona, who, side, state, data, status):
    note = records[f"release_note_{state}"]
    url = reverse(f"{side}:permits:release_note_detail", args=[note.pk])
    before = _snapshot(note)
    response = client_as(persona, who).post(url, data)
    assert response.status_code == status
    assert _snapshot(note) == before


@pytest.mark.parametrize(("who", "status"), [("tenant_b_admin", MISSING), ("tenant_a_staff", FORBIDDEN)])
def test_a_refused_correction_changes_nothing(records, persona, who, status):
    note = records["release_note_returned"]
    url = reverse("portal:permits:release_note_correct", args=[note.pk])
    before = _snapshot(note)
    response = client_as(persona, who).post(url, {"items-TOTAL_FORMS": "1", "items-INITIAL_FORMS": "0"})
    assert response.status_code == status
    assert _snapshot(note) == before


@pytest.mark.parametrize("who", ["anonymous", "tenant_a_admin", "tenant_b_admin", "desk", "engineer"])
def test_only_guards_act_on_the_verify_page(records, persona, who):
    """Nobody but security and supervisors acts at the gate; the company itself cannot release
    its own goods, and another company learns no more than the public page."""
    note = records["release_note_issued"]
    before = _snapshot(note)
    response = client_as(persona, who).post(note.document.verify_path, {"action": "release", "item": ["0", "1"]})
    assert response.status_code == 404
    assert _snapshot(note) == before


@pytest.mark.parametrize("who", ["anonymous", "guard", "engineer", "finance", "tenant_a_admin"])
def test_a_refused_desk_create_issues_nothing(records, persona, who):
    url = reverse("desk:permits:release_note_new", args=[records["tenant_a"].pk])
    data = {
        "date": "2099-01-01",
        "purpose": "ordinary",
        "vehicle_plate": "桂A12345",
        "carrier_name": "黄师傅",
        "carrier_id_number": carrier_id(),
        "items-TOTAL_FORMS": "1",
        "items-INITIAL_FORMS": "0",
        "items-0-name": "办公桌",
        "items-0-quantity": "1",
    }
    response = client_as(persona, who).post(url, data)
    assert response.status_code == (LOGIN_REDIRECT if who == "anonymous" else FORBIDDEN)
    assert not ReleaseNote.objects.exists()
