"""Who may open the meter pages: the desk, engineering and the supervisor read meters (finance
and security get 403); only the supervisor decides on a held reading; tenants see their own
meters in the portal and another company's meter is a 404. A refused POST changes nothing."""

from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.urls import reverse

from tenants.models import MeterReading, ReadingRound
from tests.matrix import (
    LOGIN_REDIRECT,
    PORTAL_PAGE,
    SUPERVISOR_PAGE,
    TENANT_A_RECORD,
    Page,
    assert_page,
    by_page,
    client_as,
    desk_page,
)
from tests.tenants.meter_helpers import meter, months_ago, open_round, read, series

pytestmark = [pytest.mark.django_db]

READING_PAGE = desk_page("desk", "engineer", "supervisor")


@dataclass(frozen=True)
class FloorPage(Page):
    """A round's floor: its URL takes the round and the floor."""

    def url(self, records):
        return reverse(self.name, args=[records["round"].pk, records["floor"].pk])


PAGES = [
    Page("desk:tenants:meter_list", READING_PAGE),
    Page("desk:tenants:meter_list", READING_PAGE, query="export=xlsx"),
    Page("desk:tenants:meter_detail", READING_PAGE, record="meter"),
    Page("desk:tenants:meter_replace", desk_page("engineer", "supervisor"), record="meter"),
    Page("desk:tenants:round_list", READING_PAGE),
    Page("desk:tenants:round_list", READING_PAGE, query="export=xlsx"),
    Page("desk:tenants:round_detail", READING_PAGE, record="round"),
    FloorPage("desk:tenants:round_floor", READING_PAGE),
    Page("desk:tenants:round_import", READING_PAGE, record="round"),
    Page("desk:tenants:round_template", READING_PAGE, record="round"),
    Page("desk:tenants:reading_confirm", SUPERVISOR_PAGE, record="held"),
    Page("portal:tenants:meter_list", PORTAL_PAGE),
    Page("portal:tenants:meter_detail", TENANT_A_RECORD, record="meter"),
]


@pytest.fixture
def records(building, unit_a, tenant_a, tenant_b, tenant_a_admin, desk, supervisor):
    power = meter(unit_a, "electricity")
    series(building, desk, supervisor, {power: ["1000.00"]}, months=1)
    r = open_round(building, months_ago(0), desk)
    (held,) = read(r, desk, (power, "900.00"))
    return {"meter": power, "round": r, "held": held, "floor": unit_a.floor}


@pytest.mark.parametrize("page", by_page(PAGES))
def test_meter_page_access(persona, records, page):
    assert_page(persona, records, page)


@pytest.mark.parametrize("who", ["anonymous", "finance", "guard", "tenant_a_admin", "desk", "engineer"])
def test_a_refused_confirmation_of_a_held_reading_changes_nothing(persona, records, who):
    url = reverse("desk:tenants:reading_confirm", args=[records["held"].pk])
    response = client_as(persona, who).post(url, {"value": "1100.00"})
    assert response.status_code == (LOGIN_REDIRECT if who == "anonymous" else 403)
    held = MeterReading.objects.get(pk=records["held"].pk)
    assert (held.status, held.value) == ("held", Decimal("900.00"))


@pytest.mark.parametrize("who", ["anonymous", "finance", "desk", "engineer", "tenant_a_admin"])
def test_a_refused_round_confirmation_changes_nothing(persona, records, who):
    MeterReading.objects.filter(pk=records["held"].pk).update(
        status="entered", value=1100, consumption=100
    )  # nothing held
    url = reverse("desk:tenants:round_detail", args=[records["round"].pk])
    response = client_as(persona, who).post(url, {"action": "confirm"})
    assert response.status_code in (LOGIN_REDIRECT, 403)
    assert ReadingRound.objects.get(pk=records["round"].pk).status == "open"


@pytest.mark.parametrize("who", ["anonymous", "finance", "guard", "tenant_b_admin"])
def test_a_refused_floor_post_saves_no_reading(persona, records, who):
    url = reverse("desk:tenants:round_floor", args=[records["round"].pk, records["floor"].pk])
    response = client_as(persona, who).post(url, {f"m{records['meter'].pk}_value": "1200.00"})
    assert response.status_code in (LOGIN_REDIRECT, 403)
    assert MeterReading.objects.get(pk=records["held"].pk).value == Decimal("900.00")


@pytest.mark.parametrize("who", ["anonymous", "desk", "finance", "tenant_a_admin"])
def test_a_refused_meter_replacement_changes_nothing(persona, records, who):
    url = reverse("desk:tenants:meter_replace", args=[records["meter"].pk])
    response = client_as(persona, who).post(url, {"final_value": "1200", "number": "E-NEW", "start_value": "0"})
    assert response.status_code in (LOGIN_REDIRECT, 403)
    records["meter"].refresh_from_db()
    assert records["meter"].is_active and not records["meter"].unit.meters.filter(number="E-NEW").exists()
