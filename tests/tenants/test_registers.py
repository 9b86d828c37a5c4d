"""The desk registers read the rows as they are now: a change made through the services shows
at once, a new day re-reads who occupies what, and nothing crosses tenants."""

from datetime import timedelta
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone

from tenants import services
from tests import factories

pytestmark = pytest.mark.django_db

UNITS = reverse("desk:tenants:unit_list")
TENANTS = reverse("desk:tenants:tenant_list")


def test_a_move_in_shows_at_once_in_the_unit_list(client_for, desk, unit_b, building):
    vacant = factories.UnitFactory(floor=unit_b.floor, number="1599")
    client = client_for(desk)
    assert "新入驻有限公司" not in client.get(UNITS).content.decode()
    newcomer = services.tenant_create(by=desk, name="新入驻有限公司", credit_code=factories.credit_code(424242))
    services.occupancy_start(tenant=newcomer, unit=vacant, start=timezone.localdate(), by=desk)
    assert "新入驻有限公司" in client.get(UNITS).content.decode()


def test_a_renamed_tenant_shows_at_once_in_the_tenant_list(client_for, desk, tenant_a):
    client = client_for(desk)
    client.get(TENANTS)
    services.tenant_update(tenant=tenant_a, by=desk, name="更名后科技有限公司")
    html = client.get(TENANTS).content.decode()
    assert "更名后科技有限公司" in html
    assert "广西甲方科技有限公司" not in html


def test_a_lease_ending_overnight_shows_the_next_day(client_for, desk, tenant_b, unit_b):
    """No event marks midnight: the occupancy's dates are read against the day of the request."""
    from tenants.models import Occupancy

    today = timezone.localdate()
    Occupancy.objects.filter(unit=unit_b).update(end=today + timedelta(days=1))
    client = client_for(desk)
    assert tenant_b.name in client.get(UNITS, {"q": "1502"}).content.decode()
    with mock.patch("django.utils.timezone.localdate", return_value=today + timedelta(days=1)):
        assert tenant_b.name not in client.get(UNITS, {"q": "1502"}).content.decode()


def test_each_filter_lists_its_own_rows(client_for, desk, tenant_a, tenant_b):
    client = client_for(desk)
    client.get(TENANTS, {"q": "甲方"})
    a = client.get(TENANTS, {"q": "甲方"}).content.decode()
    b = client.get(TENANTS, {"q": "乙方"}).content.decode()
    assert tenant_a.name in a and tenant_b.name not in a
    assert tenant_b.name in b and tenant_a.name not in b


def test_portal_lists_never_cross_tenants(client_for, make_certificate, tenant_a_admin, tenant_b_admin):
    cert = make_certificate("submitted")
    mine = reverse("portal:permits:certificate_detail", args=[cert.pk])
    assert mine in client_for(tenant_a_admin).get(reverse("portal:permits:certificate_list")).content.decode()
    assert mine not in client_for(tenant_b_admin).get(reverse("portal:permits:certificate_list")).content.decode()
    assert "广西甲方" not in client_for(tenant_b_admin).get(reverse("portal:home")).content.decode()


def test_a_tenant_user_never_gets_a_desk_register(client_for, desk, tenant_a_admin):
    client_for(desk).get(TENANTS)
    assert client_for(tenant_a_admin).get(TENANTS).status_code == 403
