"""Who may open the temporary power pages (the access matrix); a refused POST changes nothing."""

from decimal import Decimal

import pytest
from django.urls import reverse

from permits.models import TemporaryPower
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
)
from tests.permits.power_fixtures import form_data

pytestmark = pytest.mark.django_db

PAGES = [
    Page("desk:permits:power_list", DESK_PAGE),
    Page("desk:permits:power_list", DESK_PAGE, query="export=xlsx"),
    Page("desk:permits:power_detail", DESK_PAGE, "power_approved"),
    Page("desk:permits:power_pdf", DESK_PAGE, "power_approved"),
    Page("desk:permits:power_new", DESK_ROLES_PAGE, "tenant_a"),
    Page("portal:permits:power_list", GRANTED_PORTAL_PAGE),
    Page("portal:permits:power_new", GRANTED_PORTAL_PAGE),
    Page("portal:permits:power_detail", GRANTED_TENANT_A_RECORD, "power_approved"),
    Page("portal:permits:power_pdf", GRANTED_TENANT_A_RECORD, "power_approved"),
    Page("portal:permits:power_correct", GRANTED_TENANT_A_RECORD, "power_returned"),
]


@pytest.fixture
def records(make_power, tenant_a):
    class Records(dict):
        def __missing__(self, key):
            # "power_<state>": the keys the access matrix's makers share (tests/test_access_matrix.py).
            value = tenant_a if key == "tenant_a" else make_power(key.removeprefix("power_"))
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
        ("desk", "approve", FORBIDDEN),  # engineering approves, not the desk
        ("guard", "approve", FORBIDDEN),
        ("finance", "reject", FORBIDDEN),
        ("tenant_a_admin", "approve", FORBIDDEN),
        ("engineer", "withdraw", FORBIDDEN),  # the company's (or the desk's) action
    ],
)
def test_a_refused_desk_post_changes_nothing(persona, records, who, action, status):
    permit = records["submitted"]
    url = reverse("desk:permits:power_detail", args=[permit.pk])
    response = client_as(persona, who).post(url, {"action": action, "note": "不符合条件"})
    assert_refused(response, url, status, who)
    permit.refresh_from_db()
    assert permit.status == TemporaryPower.Status.SUBMITTED and permit.document_id is None


@pytest.mark.parametrize(("who", "status"), [("desk", 403), ("guard", 403), ("tenant_a_admin", 403)])
def test_only_engineering_switches_on(persona, records, who, status):
    permit = records["inspected"]
    url = reverse("desk:permits:power_detail", args=[permit.pk])
    response = client_as(persona, who).post(url, {"action": "switch_on", "meter_start": "100"})
    assert response.status_code == status
    permit.refresh_from_db()
    assert permit.status == TemporaryPower.Status.INSPECTED and permit.meter_start is None


@pytest.mark.parametrize(("who", "status"), [("tenant_b_admin", 404), ("tenant_a_staff", 403), ("anonymous", 302)])
def test_another_tenants_portal_withdrawal_changes_nothing(persona, records, who, status):
    permit = records["approved"]
    url = reverse("portal:permits:power_detail", args=[permit.pk])
    assert client_as(persona, who).post(url, {"action": "withdraw"}).status_code == status
    permit.refresh_from_db()
    assert permit.status == TemporaryPower.Status.APPROVED


@pytest.mark.parametrize("who", ["anonymous", "guard", "engineer", "tenant_a_admin"])
def test_a_refused_desk_application_saves_nothing(persona, records, unit_a, who):
    url = reverse("desk:permits:power_new", args=[records["tenant_a"].pk])
    response = client_as(persona, who).post(url, form_data(unit_a))
    assert response.status_code == (LOGIN_REDIRECT if who == "anonymous" else FORBIDDEN)
    assert not TemporaryPower.objects.exists()


@pytest.mark.parametrize(
    ("name", "who"),
    [
        ("desk:permits:power_detail", "guard"),
        ("desk:permits:power_pdf", "engineer"),
        ("desk:permits:power_new", "desk"),
        ("portal:permits:power_detail", "tenant_a_admin"),
        ("portal:permits:power_pdf", "tenant_a_admin"),
        ("portal:permits:power_correct", "tenant_a_admin"),
    ],
)
def test_an_unknown_id_is_404(persona, name, who):
    assert client_as(persona, who).get(reverse(name, args=[987654])).status_code == 404


def test_the_load_of_another_companys_permit_cannot_be_read_in_the_portal(persona, records):
    permit = records["approved"]
    response = client_as(persona, "tenant_b_admin").get(reverse("portal:permits:power_detail", args=[permit.pk]))
    assert response.status_code == 404
    assert str(Decimal("8.0")) not in response.content.decode()
