"""What a clerk stumbles on, walked in the browser: the desk registers a company while starting a
move-in, a tenant corrects a returned certificate request, a move-out of one of two units."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from tenants.models import MoveOut, Tenant
from tests import factories
from tests.factories import credit_code

from .conftest import login, submit

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "Jinyuan-e2e-2026"


def with_password(*users):
    for user in users:
        user.set_password(PASSWORD)
        user.save()
    return users


def test_desk_registers_a_company_while_starting_a_move_in(new_page, desk):
    with_password(desk)
    clerk = new_page()
    login(clerk, desk.username, PASSWORD)
    clerk.goto("/desk/move-ins/")
    submit(clerk, "a[href='/desk/move-ins/new/']")
    submit(clerk, "a[href='/desk/tenants/new/?then=movein']")
    clerk.fill("input[name=name]", "广西邕江数字科技有限公司")
    clerk.fill("input[name=credit_code]", credit_code(4242)[:17] + ("0" if credit_code(4242)[17] != "0" else "1"))
    clerk.fill("input[name=contacts-0-name]", "黄丽")
    clerk.fill("input[name=contacts-0-email]", "huangli@example.com")
    clerk.check("input[name=contacts-0-is_primary]")
    submit(clerk, "main button[type=submit]")  # a wrong check digit: an error beside the field
    assert clerk.locator("#id_credit_code.is-invalid").count() == 1
    assert not Tenant.objects.exists()
    clerk.fill("input[name=credit_code]", credit_code(4242))
    submit(clerk, "main button[type=submit]")
    tenant = Tenant.objects.get()
    clerk.wait_for_url(re.compile(rf"/desk/tenants/{tenant.pk}/move-in/$"))
    assert tenant.name in clerk.content()
    assert tenant.contacts.get().is_primary


def test_tenant_corrects_a_returned_certificate_request(new_page, make_certificate, tenant_a_admin, unit_a):
    with_password(tenant_a_admin)
    cert = make_certificate("returned", purpose="other", purpose_detail="银行")
    page = new_page(phone=True)
    login(page, tenant_a_admin.username, PASSWORD)
    page.goto(f"/portal/certificates/{cert.pk}/")
    assert page.locator("form[data-confirm] button[value=withdraw]").count() == 1  # asks first
    submit(page, f"a[href='/portal/certificates/{cert.pk}/correct/']")
    page.fill("input[name=purpose_detail]", "中国工商银行南宁民族大道支行")
    page.fill("input[name=copies]", "2")
    submit(page, "main button[type=submit]")
    page.wait_for_url(re.compile(rf"/portal/certificates/{cert.pk}/$"))
    cert.refresh_from_db()
    assert (cert.status, cert.purpose_detail, cert.copies) == ("submitted", "中国工商银行南宁民族大道支行", 2)


def test_a_move_out_of_one_of_two_units(new_page, desk, tenant_a, unit_a):
    with_password(desk)
    second = factories.UnitFactory(floor=unit_a.floor, number="1202", area=Decimal("60.00"))
    factories.OccupancyFactory(tenant=tenant_a, unit=second)
    clerk = new_page()
    login(clerk, desk.username, PASSWORD)
    clerk.goto(f"/desk/tenants/{tenant_a.pk}/move-out/")
    clerk.fill("input[name=planned_date]", (timezone.localdate() + timedelta(days=7)).isoformat())
    clerk.uncheck(f"input[name=units][value='{unit_a.pk}']")
    submit(clerk, "main button[type=submit]")
    move_out = MoveOut.objects.get()
    clerk.wait_for_url(re.compile(rf"/desk/move-outs/{move_out.pk}/$"))
    assert [r.unit.number for r in move_out.units.all()] == ["1202"]
    assert "1202" in clerk.content()
