"""A tenant applies for a parking permit on a phone (a mistyped plate first), the desk approves
it, renews it, and a guard at the barrier types the plate on a phone: valid, then revoked."""

import re

import pytest
from django.utils import timezone

from permits.models import ParkingPermit

from .conftest import login, submit

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "Jinyuan-e2e-2026"


@pytest.fixture
def people(desk, guard, tenant_a_admin):
    from decimal import Decimal

    from billing.models import FeeItem

    # Transactional tests flush the migrated price list: the rents of migration permits 0006.
    FeeItem.objects.get_or_create(
        code="parking_monthly", defaults={"name": "月租停车费", "kind": "fixed_monthly", "price": Decimal("300.00")}
    )
    for user in (desk, guard, tenant_a_admin):
        user.set_password(PASSWORD)
        user.save()
    return desk, guard, tenant_a_admin


def test_parking_permit_applied_approved_renewed_and_checked_at_the_barrier(new_page, people, tenant_a, tmp_path):
    from tests.factories import tiny_image

    desk, guard, tenant_admin = people
    licence = tmp_path / "行驶证.jpg"
    licence.write_bytes(tiny_image())

    # The tenant's admin applies on a phone; a plate with the letter O is refused beside it.
    tenant = new_page(phone=True)
    login(tenant, tenant_admin.username, PASSWORD)
    tenant.wait_for_url(re.compile(r"/portal/$"))
    tenant.goto("/portal/parking/new/")
    tenant.fill("input[name=plate]", "桂a o1234")
    tenant.fill("input[name=brand]", "比亚迪")
    tenant.fill("input[name=vehicle_model]", "汉EV")
    tenant.fill("input[name=colour]", "白色")
    tenant.fill("input[name=driver_name]", "黄志强")
    tenant.fill("input[name=driver_phone]", "13877110001")
    tenant.set_input_files("input[name=licence]", str(licence))
    tenant.select_option("select[name=rental_type]", "monthly")
    tenant.select_option("select[name=months]", "3")
    submit(tenant, "main button[type=submit]")
    assert tenant.locator("#id_plate.is-invalid").count() == 1
    assert tenant.input_value("input[name=brand]") == "比亚迪"  # nothing typed is lost
    assert ParkingPermit.objects.count() == 0
    tenant.fill("input[name=plate]", "桂a d12345")
    tenant.set_input_files("input[name=licence]", str(licence))
    submit(tenant, "main button[type=submit]")
    tenant.wait_for_url(re.compile(r"/portal/parking/\d+/$"))
    permit = ParkingPermit.objects.get()
    assert permit.plate == "桂AD12345" and permit.status == "submitted"

    # The desk approves it: the paper gets its number, the rent is billed in advance.
    clerk = new_page()
    login(clerk, desk.username, PASSWORD)
    clerk.goto("/desk/parking/?status=submitted")
    submit(clerk, f"a[href='/desk/parking/{permit.pk}/']")
    submit(clerk, "button[value=approve]")
    permit.refresh_from_db()
    assert permit.status == "issued" and permit.document.number in clerk.content()
    end = permit.end

    # The tenant renews for three more months in the portal.
    tenant.goto(f"/portal/parking/{permit.pk}/")
    tenant.select_option("select[name=months]", "3")
    submit(tenant, "form:has(input[value=renew]) button[type=submit]")
    permit.refresh_from_db()
    assert permit.renewals == 1 and permit.end > end

    # The guard types the plate at the barrier on a phone.
    gate = new_page(phone=True)
    login(gate, guard.username, PASSWORD)
    gate.goto("/desk/parking/plate-check/")
    gate.fill("input[name=plate]", "桂ad 12345")
    submit(gate, "main button[type=submit]")
    assert gate.locator("[data-verdict=valid]").count() == 1
    assert permit.last_day.isoformat() in gate.content() and tenant_a.name in gate.content()

    # Revoked at the desk: the barrier says so at once.
    clerk.goto(f"/desk/parking/{permit.pk}/")
    clerk.fill("#note-revoke", "违规停放")
    clerk.once("dialog", lambda dialog: dialog.accept())
    submit(clerk, "button[value=revoke]")
    permit.refresh_from_db()
    assert permit.status == "revoked"
    gate.reload()
    assert gate.locator("[data-verdict=revoked]").count() == 1
    assert timezone.localdate().isoformat() in gate.content()
