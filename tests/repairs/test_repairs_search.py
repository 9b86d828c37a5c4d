"""The register's search box finds a ticket by its number, the caller's phone, the company or
the reporter's name, each by the shape of what was typed."""

import pytest

from repairs import selectors, services
from repairs.models import RepairCategory, RepairTicket

pytestmark = pytest.mark.django_db


@pytest.fixture
def tickets(desk, tenant_a):
    water = RepairCategory.objects.create(name="水电")
    fields = {"category": water, "description": "漏水", "by": desk}
    return {
        "company": services.report(tenant=tenant_a, reporter_name="王建国", phone="13877110001", **fields),
        "public": services.report(place="一楼大堂", reporter_name="陆阿姨", phone="0771-5561234", **fields),
    }


def found(value: str) -> list[RepairTicket]:
    return list(selectors.search(RepairTicket.objects.order_by("pk"), value))


def test_a_number_is_found_in_any_case(tickets):
    number = tickets["public"].number
    assert found(number.lower()) == [tickets["public"]]


def test_a_phone_is_found_from_its_start(tickets):
    assert found("1387711") == [tickets["company"]]
    assert found("0771-556") == [tickets["public"]]


def test_a_company_name_finds_its_tickets(tickets, tenant_a):
    assert found(tenant_a.name[1:3]) == [tickets["company"]]


def test_a_reporter_is_found_by_the_start_of_the_name_when_no_company_matches(tickets):
    assert found("陆阿") == [tickets["public"]]
    assert found("阿姨") == []


def test_blank_search_keeps_every_ticket(tickets):
    assert len(found("  ")) == 2
