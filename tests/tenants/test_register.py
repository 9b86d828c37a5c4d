"""The desk registers a new company (credit-code check digit, contacts with one primary), from
the tenant list and from "start a move-in"."""

import pytest
from django.urls import reverse

from jinyuan.workflow.models import AuditEvent
from tenants.models import Tenant
from tests.factories import credit_code

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

NEW = reverse("desk:tenants:tenant_new")


@pytest.fixture
def clerk(client_for, desk):
    return client_for(desk, HTTP_ACCEPT_LANGUAGE="en")


def data(**overrides) -> dict:
    base = {
        "name": "广西邕江数字科技有限公司",
        "credit_code": credit_code(777),
        "industry": "软件",
        "phone": "0771-5551234",
        "contacts-TOTAL_FORMS": "2",
        "contacts-INITIAL_FORMS": "0",
        "contacts-0-name": "黄丽",
        "contacts-0-phone": "13800000000",
        "contacts-0-email": "huangli@example.com",
        "contacts-0-is_primary": "on",
        "contacts-1-name": "陈明",
    }
    return {**base, **overrides}


def test_desk_registers_a_company_with_its_contacts_from_the_tenant_list(clerk):
    assert NEW in clerk.get(reverse("desk:tenants:tenant_list")).content.decode()
    response = clerk.post(NEW, data())
    tenant = Tenant.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("desk:tenants:tenant_detail", args=[tenant.pk])
    assert sorted(tenant.contacts.values_list("name", "is_primary")) == [("陈明", False), ("黄丽", True)]
    assert AuditEvent.objects.filter(object_id=tenant.pk, action="tenant.created").exists()


def test_registering_from_start_a_move_in_returns_to_it_with_the_company_chosen(clerk):
    start = clerk.get(reverse("desk:tenants:movein_start")).content.decode()
    assert f"{NEW}?then=movein" in start
    response = clerk.post(f"{NEW}?then=movein", data())
    tenant = Tenant.objects.get()
    assert response["Location"] == reverse("desk:tenants:movein_new", args=[tenant.pk])


def test_start_a_move_in_finds_the_company_by_credit_code(clerk):
    clerk.post(NEW, data())
    tenant = Tenant.objects.get()
    response = clerk.post(reverse("desk:tenants:movein_start"), {"tenant": tenant.credit_code.lower()})
    assert response["Location"] == reverse("desk:tenants:movein_new", args=[tenant.pk])
    response = clerk.post(reverse("desk:tenants:movein_start"), {"tenant": "无此公司"})
    assert "No company found" in response.content.decode()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"credit_code": credit_code(777)[:17] + "0"}, "credit_code", "check digit does not match"),
        ({"credit_code": "123"}, "credit_code", "exactly 18 characters"),
        ({"name": ""}, "name", "This field is required."),
    ],
)
def test_bad_company_details_are_field_errors(clerk, overrides, field, message):
    if overrides.get("credit_code", "").endswith("0") and credit_code(777).endswith("0"):
        pytest.skip("the valid code happens to end in 0")
    response = clerk.post(NEW, data(**overrides))
    assert response.status_code == 400
    assert any(message in e for e in response.context["form"].errors[field])
    assert not Tenant.objects.exists()


@pytest.mark.parametrize("primary", [[], ["0", "1"]])
def test_exactly_one_primary_contact(clerk, primary):
    overrides = {f"contacts-{i}-is_primary": "on" if str(i) in primary else "" for i in (0, 1)}
    response = clerk.post(NEW, data(**overrides))
    assert response.status_code == 400
    assert "Mark exactly one contact as the primary contact." in response.content.decode()
    assert not Tenant.objects.exists()


def test_a_duplicate_credit_code_is_a_field_error(clerk):
    clerk.post(NEW, data())
    response = clerk.post(NEW, data(name="另一家"))
    assert "already registered" in str(response.context["form"].errors["credit_code"])
    assert Tenant.objects.count() == 1


def test_only_the_desk_registers_companies(client_for, engineer):
    assert client_for(engineer).post(NEW, data()).status_code == 403
    assert not Tenant.objects.exists()
