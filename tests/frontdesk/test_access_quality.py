"""Who may open the quality check pages (the access matrix): supervisors and the desk record
checks and read the scores; engineering and security see their department's non-conformities
(another department's is a 404) and record the rectification; finance and tenants nothing. A
refused POST changes nothing."""

import pytest
from django.urls import reverse

from frontdesk.models import NonConformity, QualityCheck
from frontdesk.models.quality import Department
from jinyuan.workflow.models import AuditEvent
from tests.frontdesk.quality_data import later, make_check, make_sheet
from tests.matrix import (
    DESK_ROLES_PAGE,
    FORBIDDEN,
    LOGIN_REDIRECT,
    MISSING,
    LazyRecords,
    Page,
    assert_page,
    by_page,
    client_as,
    desk_page,
)

pytestmark = pytest.mark.django_db

NC_LIST = desk_page("desk", "supervisor", "engineer", "guard")
# An engineering non-conformity: security's guard gets 404, finance 403 (no role for them).
NC_PAGE = {**NC_LIST, "guard": MISSING}
# A form posted from the non-conformity's page: GET sends those who may see it back to the page.
NC_STEP = {k: LOGIN_REDIRECT if v == 200 else v for k, v in NC_PAGE.items()}


def _sheet(records):
    return make_sheet(Department.ENGINEERING)


def _check(records):
    return make_check(
        records["sheet"],
        records.fixture("supervisor"),
        [1, 10, 5],
        responsible=records.fixture("engineer"),
        due_at=later(24),
    )


def _nc(records):
    records["check"]
    return NonConformity.objects.get()


MAKERS = {"sheet": _sheet, "check": _check, "nc": _nc}

PAGES = [
    Page("desk:frontdesk:quality_check_list", DESK_ROLES_PAGE),
    Page("desk:frontdesk:quality_check_list", DESK_ROLES_PAGE, query="export=xlsx"),
    Page("desk:frontdesk:quality_check_start", DESK_ROLES_PAGE),
    Page("desk:frontdesk:quality_check_new", DESK_ROLES_PAGE, "sheet"),
    Page("desk:frontdesk:quality_check_detail", DESK_ROLES_PAGE, "check"),
    Page("desk:frontdesk:quality_scores", DESK_ROLES_PAGE),
    Page("desk:frontdesk:quality_scores", DESK_ROLES_PAGE, query="export=xlsx"),
    Page("desk:frontdesk:nonconformity_list", NC_LIST),
    Page("desk:frontdesk:nonconformity_list", NC_LIST, query="export=xlsx"),
    Page("desk:frontdesk:nonconformity_detail", NC_PAGE, "nc"),
    Page("desk:frontdesk:nonconformity_rectify", NC_STEP, "nc"),
    Page("desk:frontdesk:nonconformity_recheck_fail", NC_STEP, "nc"),
]


@pytest.fixture
def records(request, tenant_a_admin, tenant_a_staff, tenant_b_admin):
    return LazyRecords(request, MAKERS)


@pytest.mark.parametrize("page", by_page(PAGES))
def test_who_may_open_the_page(persona, records, page):
    assert_page(persona, records, page)


def _events() -> int:
    return AuditEvent.objects.count()


@pytest.mark.parametrize(
    ("who", "status"),
    [("anonymous", LOGIN_REDIRECT), ("guard", MISSING), ("finance", FORBIDDEN), ("tenant_a_admin", FORBIDDEN)],
)
def test_a_refused_rectification_changes_nothing(records, persona, who, status):
    nc = records["nc"]
    before = _events()
    url = reverse("desk:frontdesk:nonconformity_rectify", args=[nc.pk])
    response = client_as(persona, who).post(url, {"rectify-note": "修好了"})
    assert response.status_code == status
    nc.refresh_from_db()
    assert nc.status == NonConformity.Status.OPEN and _events() == before


@pytest.mark.parametrize(
    ("who", "action", "status"),
    [
        ("anonymous", "recheck_pass", LOGIN_REDIRECT),
        ("engineer", "recheck_pass", FORBIDDEN),  # the department does not pass its own work
        ("engineer", "void", FORBIDDEN),
        ("desk", "void", FORBIDDEN),  # the supervisor voids
        ("guard", "recheck_pass", MISSING),
    ],
)
def test_a_refused_recheck_changes_nothing(records, persona, who, action, status):
    nc = records["nc"]
    NonConformity.objects.filter(pk=nc.pk).update(status=NonConformity.Status.RECTIFIED)
    before = _events()
    url = reverse("desk:frontdesk:nonconformity_detail", args=[nc.pk])
    response = client_as(persona, who).post(url, {"action": action, "note": "复查"})
    assert response.status_code == status
    nc.refresh_from_db()
    assert nc.status == NonConformity.Status.RECTIFIED and _events() == before


@pytest.mark.parametrize("who", ["engineer", "guard", "finance", "tenant_a_admin"])
def test_a_refused_check_records_nothing(records, persona, who):
    sheet = records["sheet"]
    url = reverse("desk:frontdesk:quality_check_new", args=[sheet.pk])
    response = client_as(persona, who).post(url, {"location": "大堂"})
    assert response.status_code == FORBIDDEN
    assert not QualityCheck.objects.exists()


def test_an_engineer_posting_a_failed_recheck_is_refused(records, persona):
    nc = records["nc"]
    NonConformity.objects.filter(pk=nc.pk).update(status=NonConformity.Status.RECTIFIED)
    url = reverse("desk:frontdesk:nonconformity_recheck_fail", args=[nc.pk])
    response = client_as(persona, "engineer").post(url, {"fail-note": "x", "fail-due_at": "2099-01-01T09:00"})
    assert response.status_code == FORBIDDEN
    nc.refresh_from_db()
    assert nc.status == NonConformity.Status.RECTIFIED
