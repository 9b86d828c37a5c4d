"""The desk logs a repair from a phone call: one page load, at most 8 fields typed, keyboard
only (Tab, typing, Enter); the company found by typing its unit number."""

import re

import pytest

from repairs.models import RepairTicket
from tests.repairs.page_data import category

from .conftest import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "Jinyuan-e2e-2026"


def test_desk_logs_a_repair_call_in_one_page_load_with_the_keyboard(new_page, desk, tenant_a, unit_a):
    desk.set_password(PASSWORD)
    desk.save()
    water = category("水电", response_minutes=30, completion_hours=4)
    clerk = new_page()
    login(clerk, desk.username, PASSWORD)

    loads = []
    clerk.on("request", lambda r: loads.append(r.url) if r.resource_type == "document" else None)
    typed = {}

    def type_into(field: str, text: str) -> None:
        clerk.keyboard.type(text)
        typed[field] = typed.get(field, 0) + len(text)

    clerk.goto("/desk/repairs/new/")  # the one page load of the call
    # The company search has the focus: the caller says their unit number.
    assert clerk.evaluate("document.activeElement.id") == "id_tenant_lookup"
    type_into("tenant", "1201")
    clerk.wait_for_selector("#tenant-options li")
    clerk.keyboard.press("Enter")  # picks the company: unit, caller and phone filled
    assert clerk.input_value("#id_unit") == "1201"
    assert clerk.input_value("#id_reporter_name") == "王建国"
    assert clerk.input_value("#id_phone") == "13877110001"
    assert clerk.evaluate("document.activeElement.id") == "id_category"
    clerk.keyboard.press("ArrowDown")  # the first category
    typed["category"] = 1
    assert clerk.input_value("#id_category") == str(water.pk)
    clerk.keyboard.press("Tab")
    type_into("description", "卫生间水管漏水，地面有积水")
    clerk.keyboard.press("Tab")
    type_into("preferred_time", "马上")
    with clerk.expect_navigation():
        clerk.keyboard.press("Enter")  # sends the form
    clerk.axe.check(clerk)

    ticket = RepairTicket.objects.get()
    clerk.wait_for_url(re.compile(rf"/desk/repairs/{ticket.pk}/$"))
    assert (ticket.tenant, ticket.unit, ticket.category) == (tenant_a, unit_a, water)
    assert ticket.description == "卫生间水管漏水，地面有积水" and ticket.preferred_time == "马上"
    assert ticket.number in clerk.content()
    # One page load for the call (the form), then the saved ticket it leads to.
    intake = [u for u in loads if u.endswith("/desk/repairs/new/")]
    assert len(intake) == 2, loads  # GET the form, POST it: no reload in between
    assert [u for u in loads if "/desk/repairs/new/" not in u] == [clerk.url]
    assert len(typed) <= 8, typed
