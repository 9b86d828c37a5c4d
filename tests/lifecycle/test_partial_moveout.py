"""A move-out of some of a company's units: the checklist covers those units, the deposit is
settled pro rata for them, the rest stays occupied and the portal stays open. A move-out dated
in the future closes portal access on its date (tenants.tasks), not at completion."""

from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from billing.models import DepositEntry
from billing.selectors import deposit_balance, deposit_due
from jinyuan.workflow.models import AuditEvent
from tenants import services
from tenants.models import Membership, MoveOut, Occupancy
from tenants.services.lifecycle import portal_access_close_due
from tenants.tasks import close_portal_access_due
from tests.lifecycle.helpers import checklist_state

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english", "price_list")]


@pytest.fixture
def clerk(client_for, desk):
    return client_for(desk, HTTP_ACCEPT_LANGUAGE="en")


@pytest.fixture
def boss(client_for, supervisor):
    return client_for(supervisor, HTTP_ACCEPT_LANGUAGE="en")


def clear_units(move_out, desk):
    for row in move_out.units.all():
        services.moveout_record_return(row=row, keys=0, by=desk)
        services.moveout_record_inspection(row=row, water=1, electricity=1, damage="", damage_charge=0, by=desk)


def test_a_move_out_of_one_of_two_units(clerk, boss, moved_in, desk, supervisor):
    tenant, admin = moved_in  # A-1801 (150 m²) and A-1802 (90 m²), deposits 15000 held
    leaving = tenant.occupancies.get(unit__number="A-1802").unit
    planned = timezone.localdate()
    form = clerk.get(f"/desk/tenants/{tenant.pk}/move-out/")
    assert sorted(u.number for u in form.context["form"].fields["units"].queryset) == ["A-1801", "A-1802"]
    response = clerk.post(
        f"/desk/tenants/{tenant.pk}/move-out/", {"planned_date": planned.isoformat(), "units": [leaving.pk]}
    )
    move_out = MoveOut.objects.get(tenant=tenant)
    assert response.status_code == 302
    assert [r.unit.number for r in move_out.units.all()] == ["A-1802"]

    # the deposit: 15000 × 90 / 240 for the unit leaving
    held = deposit_balance(tenant)
    assert deposit_due(move_out) == (held * Decimal(90) / Decimal(240)).quantize(Decimal("0.01"))
    clear_units(move_out, desk)
    assert checklist_state(move_out)["deposit"] is False
    due = deposit_due(move_out)
    response = boss.post(f"/desk/move-outs/{move_out.pk}/deposit/", {"refund": str(due)})
    assert response.status_code == 302
    assert deposit_balance(tenant) == held - due
    assert DepositEntry.objects.filter(source_key=f"moveout:{move_out.pk}").exists()
    assert checklist_state(move_out)["deposit"] is True

    services.moveout_complete(obj=move_out, by=supervisor)
    running = Occupancy.objects.filter(tenant=tenant, end__isnull=True).values_list("unit__number", flat=True)
    assert list(running) == ["A-1801"]
    assert Membership.objects.get(user=admin).is_active is True
    assert not AuditEvent.objects.filter(action="tenant.portal_closed").exists()


def test_a_move_out_dated_in_the_future_closes_the_portal_on_its_date(moved_in, desk, supervisor):
    tenant, admin = moved_in
    planned = timezone.localdate() + timedelta(days=10)
    move_out = services.moveout_open(tenant=tenant, planned_date=planned, by=desk)
    clear_units(move_out, desk)
    from billing.services import deposit_refund

    deposit_refund(
        tenant=tenant, refund=deposit_balance(tenant), deductions=[], by=supervisor, source_key=f"moveout:{move_out.pk}"
    )
    services.moveout_complete(obj=move_out, by=supervisor)
    assert Membership.objects.get(user=admin).is_active is True  # not at completion

    assert portal_access_close_due(timezone.now() + timedelta(days=9)) == 0
    assert Membership.objects.get(user=admin).is_active is True
    with time_machine.travel(timezone.now() + timedelta(days=10, hours=1)):
        assert close_portal_access_due() == 1
        assert close_portal_access_due() == 0  # idempotent
    assert Membership.objects.get(user=admin).is_active is False
    assert AuditEvent.objects.filter(action="tenant.portal_closed", object_id=tenant.pk).count() == 1


def test_a_move_out_dated_today_closes_the_portal_at_completion(moved_in, desk, supervisor):
    tenant, admin = moved_in
    move_out = services.moveout_open(tenant=tenant, planned_date=timezone.localdate(), by=desk)
    clear_units(move_out, desk)
    from billing.services import deposit_refund

    deposit_refund(
        tenant=tenant, refund=deposit_balance(tenant), deductions=[], by=supervisor, source_key=f"moveout:{move_out.pk}"
    )
    services.moveout_complete(obj=move_out, by=supervisor)
    assert Membership.objects.get(user=admin).is_active is False


def test_the_signboard_stays_when_the_company_keeps_a_unit(moved_in, desk):
    from tests.lifecycle.helpers import installed_board

    tenant, _admin = moved_in
    installed_board(tenant, desk)
    leaving = tenant.occupancies.get(unit__number="A-1802").unit
    partial = services.moveout_open(tenant=tenant, planned_date=timezone.localdate(), by=desk, units=[leaving])
    assert checklist_state(partial)["signboard"] is True
    MoveOut.objects.filter(pk=partial.pk).update(status="cancelled")
    whole = services.moveout_open(tenant=tenant, planned_date=timezone.localdate(), by=desk)
    assert checklist_state(whole)["signboard"] is False
