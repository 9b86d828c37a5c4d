"""The inquiry pages: the lookup answers company → unit and leaks nothing else, logging an
inquiry, the desk's answer, and one ticket on a double submit."""

import re

import pytest
from django.urls import reverse

from frontdesk import inquiry_services
from frontdesk.models import Inquiry
from repairs.models import RepairCategory, RepairTicket
from tests import factories

pytestmark = pytest.mark.django_db

# Staff, contacts and phones seeded on purpose: none of them may reach a visitor.
SECRETS = (
    "欧阳秘书",
    "13912345678",
    "司马总监",
    "0771-5559876",
    "secret@gongsi.example",
    "法人上官",
    "13877110001",
    "王建国",
)


@pytest.fixture
def secretive(building, tenant_a):
    """Tenant A with a legal representative, company phone and e-mail and two more contacts,
    and a portal member, all with distinctive names and numbers."""
    tenant_a.legal_representative = "法人上官"
    tenant_a.phone = "0771-5559876"
    tenant_a.email = "secret@gongsi.example"
    tenant_a.save()
    factories.ContactFactory(tenant=tenant_a, name="欧阳秘书", phone="13912345678", email="secret@gongsi.example")
    factories.ContactFactory(tenant=tenant_a, name="司马总监", phone="0771-5559876")
    member = factories.UserFactory(username="ouyang", display_name="欧阳秘书", email="secret@gongsi.example")
    factories.MembershipFactory(user=member, tenant=tenant_a, role="staff")
    return tenant_a


def assert_no_secret(html: str) -> None:
    leaked = [s for s in SECRETS if s in html]
    assert not leaked, leaked
    # Nor any mobile number at all.
    assert not re.search(r"1[3-9]\d{9}", html)


@pytest.mark.parametrize("query", ["甲方", "科技", "广西甲方科技有限公司"])
def test_the_lookup_shows_the_unit_and_no_staff_contact_or_phone(client_for, desk, secretive, query):
    client = client_for(desk)
    url = reverse("desk:frontdesk:inquiry_lookup")
    page = client.get(url, {"q": query}).content.decode()
    htmx = client.get(url, {"q": query}, headers={"HX-Request": "true"}).content.decode()
    for html in (page, htmx):
        assert "广西甲方科技有限公司" in html and "1201" in html
        assert_no_secret(html)
    # The htmx answer is the results alone, not the page.
    assert "<nav" not in htmx
    # Logging the inquiry from a result: the form names the company, no one in it.
    log = client.get(reverse("desk:frontdesk:inquiry_new"), {"tenant": secretive.pk}).content.decode()
    assert "广西甲方科技有限公司" in log
    assert_no_secret(log)


def test_the_lookup_finds_nothing_for_a_staff_name_or_phone(client_for, desk, secretive):
    client = client_for(desk)
    for query in ("欧阳", "13912345678", "王建国"):
        html = client.get(reverse("desk:frontdesk:inquiry_lookup"), {"q": query}).content.decode()
        assert "1201" not in html


def test_a_company_that_left_is_not_found(client_for, desk, building):
    gone = factories.TenantFactory(name="已迁出贸易公司")
    unit = factories.UnitFactory(floor=factories.FloorFactory(building=building, number=20), number="2001")
    factories.OccupancyFactory(tenant=gone, unit=unit, start="2020-01-01", end="2021-01-01")
    html = client_for(desk).get(reverse("desk:frontdesk:inquiry_lookup"), {"q": "已迁出"}).content.decode()
    assert "2001" not in html


def test_a_logged_inquiry_keeps_what_was_typed_on_an_error(client_for, desk):
    data = {"channel": "walk_in", "kind": "request", "question": "", "visitor_name": "李女士", "visitor_phone": "123"}
    response = client_for(desk).post(reverse("desk:frontdesk:inquiry_new"), data)
    html = response.content.decode()
    assert response.status_code == 200 and not Inquiry.objects.exists()
    assert "李女士" in html and "123" in html
    assert html.count("invalid-feedback") >= 2  # the question and the phone, beside their fields


def test_logging_an_inquiry_goes_to_its_page(client_for, desk, tenant_a, unit_a):
    data = {"channel": "phone", "kind": "phone", "tenant": tenant_a.pk, "unit": unit_a.pk, "question": "几点下班"}
    response = client_for(desk).post(reverse("desk:frontdesk:inquiry_new"), {**data, "answer": "17:30"})
    inquiry = Inquiry.objects.get()
    assert response["Location"] == reverse("desk:frontdesk:inquiry_detail", args=[inquiry.pk])
    assert inquiry.status == Inquiry.Status.ANSWERED and inquiry.tenant == tenant_a


def test_an_empty_answer_is_a_field_error(client_for, desk):
    inquiry = inquiry_services.inquiry_log(by=desk, channel="walk_in", kind="other", question="问题")
    response = client_for(desk).post(reverse("desk:frontdesk:inquiry_detail", args=[inquiry.pk]), {"answer": " "})
    assert response.status_code == 400
    inquiry.refresh_from_db()
    assert inquiry.status == Inquiry.Status.OPEN


def test_a_double_submit_makes_one_repair_ticket(client_for, desk, tenant_a, unit_a):
    category = RepairCategory.objects.create(name="水电")
    inquiry = inquiry_services.inquiry_log(
        by=desk, channel="walk_in", kind="request", question="漏水", tenant=tenant_a, unit=unit_a
    )
    client = client_for(desk)
    url = reverse("desk:frontdesk:inquiry_repair", args=[inquiry.pk])
    form = client.get(url).content.decode()
    assert "漏水" in form  # the details carried over
    data = {
        "tenant": tenant_a.pk,
        "unit": "1201",
        "reporter_name": "张先生",
        "phone": "13877119999",
        "category": category.pk,
        "description": "漏水",
        "urgency": "normal",
    }
    first, second = client.post(url, data), client.post(url, data)
    detail = reverse("desk:frontdesk:inquiry_detail", args=[inquiry.pk])
    assert first["Location"] == second["Location"] == detail
    ticket = RepairTicket.objects.get()
    inquiry.refresh_from_db()
    assert inquiry.repair == ticket and ticket.source_id == inquiry.pk
    page = client.get(detail).content.decode()
    assert ticket.number in page


def test_with_many_matches_the_desk_is_asked_to_type_more(client_for, desk, building):
    floor = factories.FloorFactory(building=building, number=21)
    for n in range(22):
        tenant = factories.TenantFactory(name=f"南宁现代{n:02d}号公司")
        unit = factories.UnitFactory(floor=floor, number=f"21{n:02d}")
        factories.OccupancyFactory(tenant=tenant, unit=unit, start="2024-01-01")
    html = client_for(desk).get(reverse("desk:frontdesk:inquiry_lookup"), {"q": "现代"}).content.decode()
    assert "alert-warning" in html and html.count("<tr>") == 21  # the header and twenty companies


def test_companies_that_left_do_not_hide_the_occupying_ones(client_for, desk, building, tenant_a):
    floor = factories.FloorFactory(building=building, number=22)
    for n in range(25):
        gone = factories.TenantFactory(name=f"甲方旧址{n:02d}公司")
        unit = factories.UnitFactory(floor=floor, number=f"22{n:02d}")
        factories.OccupancyFactory(tenant=gone, unit=unit, start="2020-01-01", end="2021-01-01")
    html = client_for(desk).get(reverse("desk:frontdesk:inquiry_lookup"), {"q": "甲方"}).content.decode()
    assert "广西甲方科技有限公司" in html and "1201" in html and "alert-warning" not in html


def test_a_non_ascii_digit_in_the_company_is_a_form_error_not_a_500(client_for, desk):
    client = client_for(desk)
    assert client.get(reverse("desk:frontdesk:inquiry_new") + "?tenant=²&unit=²").status_code == 200
    data = {"channel": "walk_in", "kind": "request", "question": "几点下班", "tenant": "²"}
    assert client.post(reverse("desk:frontdesk:inquiry_new"), data).status_code == 200
    assert not Inquiry.objects.exists()


def test_a_company_with_a_unit_it_does_not_occupy_is_an_error_and_keeps_the_question(
    client_for, desk, tenant_a, unit_b
):
    data = {"channel": "phone", "kind": "phone", "tenant": tenant_a.pk, "unit": unit_b.pk, "question": "几点下班"}
    response = client_for(desk).post(reverse("desk:frontdesk:inquiry_new"), data)
    html = response.content.decode()
    assert response.status_code == 200 and not Inquiry.objects.exists()
    assert "几点下班" in html and "alert-danger" in html
