"""Who may open the parking permit pages (the access matrix); a refused POST changes nothing."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from jinyuan.documents.models import Document
from permits.models import ParkingPermit
from tenants.services import moveout_open
from tests.matrix import (
    DESK_PAGE,
    DESK_ROLES_PAGE,
    FORBIDDEN,
    GRANTED_PORTAL_PAGE,
    GRANTED_TENANT_A_RECORD,
    LOGIN_REDIRECT,
    Page,
    assert_page,
    assert_refused,
    by_page,
    client_as,
    desk_page,
)
from tests.permits.parking_fixtures import vehicle

pytestmark = pytest.mark.django_db

PAGES = [
    Page("desk:permits:parking_list", DESK_PAGE),
    Page("desk:permits:parking_list", DESK_PAGE, query="export=xlsx"),
    Page("desk:permits:parking_detail", DESK_PAGE, "parking_permit"),
    Page("desk:permits:parking_paper", DESK_PAGE, "parking_paper"),
    Page("desk:permits:parking_new", DESK_ROLES_PAGE, "tenant_a"),
    Page("desk:permits:parking_moveout", DESK_ROLES_PAGE, "move_out"),
    # the guard at the car park's barrier, the supervisor and the desk
    Page("desk:permits:plate_check", desk_page("desk", "guard", "supervisor")),
    Page("portal:permits:parking_list", GRANTED_PORTAL_PAGE),
    Page("portal:permits:parking_new", GRANTED_PORTAL_PAGE),
    Page("portal:permits:parking_detail", GRANTED_TENANT_A_RECORD, "parking_permit"),
    Page("portal:permits:parking_paper", GRANTED_TENANT_A_RECORD, "parking_paper"),
]


@pytest.fixture
def records(make_permit, tenant_a, desk):
    class Records(dict):
        def __missing__(self, key):
            if key == "tenant_a":
                value = tenant_a
            elif key == "parking_permit":
                value = self["issued"]
            elif key == "parking_paper":
                value = self["issued"].document
            elif key == "move_out":
                value = moveout_open(tenant=tenant_a, planned_date=timezone.localdate() + timedelta(days=30), by=desk)
            else:
                value = make_permit(key, seq=len(self) + 1)
            self[key] = value
            return value

    return Records()


@pytest.mark.parametrize("page", by_page(PAGES))
def test_who_may_open_the_page(persona, records, page):
    assert_page(persona, records, page)


@pytest.mark.parametrize(
    ("who", "action", "status"),
    [
        ("anonymous", "approve", LOGIN_REDIRECT),
        ("guard", "approve", FORBIDDEN),
        ("engineer", "refuse", FORBIDDEN),
        ("finance", "approve", FORBIDDEN),
        ("tenant_a_admin", "approve", FORBIDDEN),
        ("desk", "expire", FORBIDDEN),  # only the scan (or a service) expires a permit
        ("desk", "withdraw", FORBIDDEN),  # the tenant's own action
    ],
)
def test_a_refused_desk_post_changes_nothing(persona, records, who, action, status):
    permit = records["submitted"]
    url = reverse("desk:permits:parking_detail", args=[permit.pk])
    response = client_as(persona, who).post(url, {"action": action, "note": "不符合条件"})
    assert_refused(response, url, status, who)
    permit.refresh_from_db()
    assert permit.status == ParkingPermit.Status.SUBMITTED
    assert permit.document is None


@pytest.mark.parametrize(("who", "status"), [("guard", 403), ("finance", 403), ("tenant_b_admin", 403)])
def test_a_refused_desk_renewal_extends_nothing(persona, records, who, status):
    permit = records["issued"]
    end = permit.end
    url = reverse("desk:permits:parking_detail", args=[permit.pk])
    response = client_as(persona, who).post(url, {"action": "renew", "months": 3, "expected_end": end})
    assert response.status_code == status
    permit.refresh_from_db()
    assert permit.end == end and permit.renewals == 0


@pytest.mark.parametrize(("who", "status"), [("tenant_b_admin", 404), ("tenant_a_staff", 403), ("anonymous", 302)])
def test_another_tenants_portal_post_changes_nothing(persona, records, who, status):
    permit = records["issued"]
    url = reverse("portal:permits:parking_detail", args=[permit.pk])
    client = client_as(persona, who)
    assert client.post(url, {"action": "renew", "months": 3, "expected_end": permit.end}).status_code == status
    permit.refresh_from_db()
    assert permit.renewals == 0 and permit.status == ParkingPermit.Status.ISSUED


def test_another_tenants_permit_is_404_on_the_verify_page_actions_too(persona, records):
    """The paper's public page answers anyone; a tenant cannot act on it as a guard would."""
    paper = records["issued"].document
    response = client_as(persona, "tenant_b_admin").post(paper.verify_path, {"action": "check"})
    assert response.status_code == 404
    assert not paper.gate_checks.exists()
    assert Document.objects.get(pk=paper.pk).status == Document.Status.VALID


@pytest.mark.parametrize("who", ["anonymous", "guard", "engineer", "tenant_a_admin"])
def test_a_refused_desk_application_saves_nothing(persona, records, who):
    url = reverse("desk:permits:parking_new", args=[records["tenant_a"].pk])
    response = client_as(persona, who).post(url, {**vehicle(9), "start": vehicle(9)["start"].isoformat()})
    assert response.status_code == (LOGIN_REDIRECT if who == "anonymous" else FORBIDDEN)
    assert not ParkingPermit.objects.exists()


def test_a_refused_move_out_revocation_revokes_nothing(persona, records):
    permit = records["issued"]
    url = reverse("desk:permits:parking_moveout", args=[records["move_out"].pk])
    assert client_as(persona, "guard").post(url, {"note": "迁出"}).status_code == 403
    permit.refresh_from_db()
    assert permit.status == ParkingPermit.Status.ISSUED


@pytest.mark.parametrize(
    ("name", "who"),
    [
        ("desk:permits:parking_detail", "guard"),
        ("desk:permits:parking_paper", "desk"),
        ("desk:permits:parking_new", "desk"),
        ("desk:permits:parking_moveout", "supervisor"),
        ("portal:permits:parking_detail", "tenant_a_admin"),
        ("portal:permits:parking_paper", "tenant_a_admin"),
    ],
)
def test_an_unknown_id_is_404(persona, name, who):
    assert client_as(persona, who).get(reverse(name, args=[987654])).status_code == 404


def test_another_record_s_document_is_no_parking_paper(persona, make_certificate):
    """The paper views serve only parking papers: a certificate's document id is a 404."""
    cert = make_certificate("issued")
    assert (
        client_as(persona, "desk").get(reverse("desk:permits:parking_paper", args=[cert.document.pk])).status_code
        == 404
    )
