"""The material distribution pages: a request with its upload, errors beside the fields with
what was typed kept, completion from the page, another company's request is a 404."""

import pytest
from django.urls import reverse

from frontdesk.models import MaterialDistribution
from tests.frontdesk.recycle_data import make_distribution, material

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(tenant_a, tenant_a_admin, desk, supervisor):
    return {"tenant": tenant_a, "applicant": tenant_a_admin, "desk": desk, "supervisor": supervisor}


def _data(**over):
    return {
        "title": "消防演练通知",
        "material": material(),
        "quantity": "80",
        "targets": "floors",
        "floor_numbers": "12, 15",
        "charge": "per_copy",
        "preferred_date": "2099-05-06",
        **over,
    }


def test_the_company_asks_with_floors(client_for, tenant_a_admin, building, unit_a, unit_b, people):
    response = client_for(tenant_a_admin).post(
        reverse("portal:frontdesk:distribution_new"), _data(building=building.pk)
    )
    obj = MaterialDistribution.objects.get()
    assert response.status_code == 302
    assert sorted(f.number for f in obj.floors.all()) == [12, 15]


def test_unknown_floors_and_companies_are_field_errors(client_for, tenant_a_admin, building, unit_a, people):
    client = client_for(tenant_a_admin)
    response = client.post(
        reverse("portal:frontdesk:distribution_new"), _data(building=building.pk, floor_numbers="12, 40")
    )
    assert response.status_code == 200
    assert "floor_numbers" in response.context["form"].errors
    response = client.post(
        reverse("portal:frontdesk:distribution_new"), _data(targets="tenants", companies="不存在的公司")
    )
    assert "companies" in response.context["form"].errors
    assert "消防演练通知" in response.content.decode()
    assert not MaterialDistribution.objects.exists()


def test_an_empty_request_is_field_errors(client_for, tenant_a_admin, people):
    response = client_for(tenant_a_admin).post(reverse("portal:frontdesk:distribution_new"), {"targets": "all"})
    assert response.status_code == 200
    assert {"title", "quantity", "preferred_date", "material"} <= set(response.context["form"].errors)


def test_a_count_above_the_quantity_is_a_field_error_on_the_page(client_for, desk, people):
    obj = make_distribution("approved", **people)
    url = reverse("desk:frontdesk:distribution_complete", args=[obj.pk])
    response = client_for(desk).post(url, {"count": "500", "distributed_by": "韦小玲"})
    assert response.status_code == 400
    assert "count" in response.context["complete_form"].errors
    assert response.context["complete_form"]["distributed_by"].value() == "韦小玲"
    response = client_for(desk).post(url, {"count": "90", "distributed_by": "韦小玲"})
    assert response.status_code == 302
    obj.refresh_from_db()
    assert (obj.status, obj.distributed_count, obj.bill.total) == ("completed", 90, obj.unit_price * 90)


def test_the_supervisor_approves_from_the_page(client_for, supervisor, people):
    obj = make_distribution("submitted", **people)
    url = reverse("desk:frontdesk:distribution_detail", args=[obj.pk])
    assert client_for(supervisor).post(url, {"action": "approve"}).status_code == 302
    obj.refresh_from_db()
    assert obj.status == "approved"


def test_another_companys_request_is_a_404(client_for, tenant_b_admin, people):
    obj = make_distribution("submitted", **people)
    response = client_for(tenant_b_admin).get(reverse("portal:frontdesk:distribution_detail", args=[obj.pk]))
    assert response.status_code == 404
