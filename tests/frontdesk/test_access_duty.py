"""Who may open the duty log's pages (the access matrix); a refused POST changes nothing."""

import pytest
from django.urls import reverse

from frontdesk import duty_services
from frontdesk.models import DutyEntry, Shift
from jinyuan.workflow.models import AuditEvent
from tests import factories
from tests.matrix import DESK_ROLES_PAGE, FORBIDDEN, LOGIN_REDIRECT, LazyRecords, Page, assert_page, by_page, client_as

pytestmark = pytest.mark.django_db

PAGES = [
    Page("desk:frontdesk:duty", DESK_ROLES_PAGE),
    Page("desk:frontdesk:shift_list", DESK_ROLES_PAGE),
    Page("desk:frontdesk:shift_list", DESK_ROLES_PAGE, query="export=xlsx"),
    Page("desk:frontdesk:shift_detail", DESK_ROLES_PAGE, "duty_shift"),
    Page("desk:frontdesk:shift_handover", DESK_ROLES_PAGE, "duty_shift"),
    Page("desk:frontdesk:entry_list", DESK_ROLES_PAGE),
    Page("desk:frontdesk:entry_list", DESK_ROLES_PAGE, query="export=xlsx"),
    Page("desk:frontdesk:entry_close", DESK_ROLES_PAGE, "duty_open_entry"),
]


def _arriving(records):
    return factories.UserFactory(username="desk_b", display_name="desk_b", roles=["front_desk"])


def _shift(records):
    return records["duty_open_entry"].shift


def _open_entry(records):
    desk = records.fixture("desk")
    return duty_services.entry_log(by=desk, kind="parcel", text="1201 快递待取", is_open=True)


def _handed_over(records):
    shift = records["duty_shift"]
    duty_services.shift_hand_over(obj=shift, by=records.fixture("desk"), arriving=records["duty_arriving"])
    shift.refresh_from_db()
    return shift


# Keys prefixed: tests/test_access_matrix.py (and the accessibility walk) share these makers.
MAKERS = {
    "duty_arriving": _arriving,
    "duty_shift": _shift,
    "duty_open_entry": _open_entry,
    "duty_handed_over": _handed_over,
}


@pytest.fixture
def records(request, desk):
    return LazyRecords(request, MAKERS)


@pytest.mark.parametrize("page", by_page(PAGES))
def test_who_may_open_the_page(persona, records, page):
    assert_page(persona, records, page)


def _snapshot(shift) -> tuple:
    shift.refresh_from_db()
    return shift.status, shift.accepted_at, AuditEvent.objects.count()


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("anonymous", LOGIN_REDIRECT),
        ("desk", FORBIDDEN),  # the leaving clerk cannot sign for the arriving one
        ("supervisor", FORBIDDEN),
        ("engineer", FORBIDDEN),
        ("tenant_a_admin", FORBIDDEN),
    ],
)
def test_only_the_arriving_clerk_signs_the_handover(records, persona, who, status):
    shift = records["duty_handed_over"]
    url = reverse("desk:frontdesk:shift_detail", args=[shift.pk])
    before = _snapshot(shift)
    response = client_as(persona, who).post(url, {"action": "accept"})
    assert response.status_code == status
    assert _snapshot(shift) == before


@pytest.mark.parametrize("who", ["anonymous", "guard", "finance", "tenant_a_admin"])
def test_a_refused_entry_or_handover_writes_nothing(records, persona, who):
    shift = records["duty_shift"]
    entries = DutyEntry.objects.count()
    client = client_as(persona, who)
    client.post(reverse("desk:frontdesk:duty"), {"kind": "visitor", "text": "x"})
    client.post(reverse("desk:frontdesk:shift_handover", args=[shift.pk]), {"arriving": records.fixture("desk").pk})
    client.post(reverse("desk:frontdesk:entry_close", args=[records["duty_open_entry"].pk]), {"note": "x"})
    assert DutyEntry.objects.count() == entries
    shift.refresh_from_db()
    assert shift.status == Shift.Status.OPEN
    assert DutyEntry.objects.get(pk=records["duty_open_entry"].pk).still_open
