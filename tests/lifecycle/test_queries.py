"""Fixed query counts of the move-in, move-out, signboard and directory pages with 1 row and with
30 (see tests/querycount.py)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from jinyuan.workflow.services import record_event
from tenants.models import MoveIn, MoveInUnit, MoveOutUnit, Occupancy
from tests import factories
from tests.lifecycle.helpers import installed_board
from tests.querycount import Case, assert_fixed_queries

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("price_list")]


@pytest.fixture
def ctx(query_ctx, tenant_a_admin):
    """Tenant A with an open move-in of one new unit, an open move-out and a signboard."""
    tenant, desk = query_ctx["tenant_a"], query_ctx["desk"]
    move_in = factories.make_movein(tenant, desk, unit=factories.UnitFactory(floor=query_ctx["floor"]))
    move_out = factories.make_moveout(tenant, tenant_a_admin)
    board = factories.make_signboard(tenant, desk)
    return {**query_ctx, "move_in": move_in, "move_out": move_out, "board": board}


def new_unit(ctx):
    return factories.UnitFactory(floor=ctx["floor"])


def move_ins(ctx, n):
    for _ in range(n):
        factories.make_movein(factories.TenantFactory(), ctx["desk"], unit=new_unit(ctx))


def move_outs(ctx, n):
    for _ in range(n):
        tenant, _unit = factories.occupied_unit(floor=ctx["floor"])
        factories.make_moveout(tenant, ctx["desk"])


def signboards(ctx, n):
    for _ in range(n):
        tenant, _unit = factories.occupied_unit(floor=ctx["floor"])
        factories.make_signboard(tenant, ctx["desk"])


def directory_rows(ctx, n):
    for _ in range(n):
        tenant, _unit = factories.occupied_unit(floor=ctx["floor"])
        installed_board(tenant, ctx["desk"], building=ctx["building"])


def move_in_rows(ctx, n):
    """Units of the move-in, handed over and inspected, archive files and timeline events."""
    move_in, desk = ctx["move_in"], ctx["desk"]
    now = timezone.now()
    for _ in range(n):
        MoveInUnit.objects.create(
            move_in=move_in,
            unit=new_unit(ctx),
            keys_handed=3,
            handed_over_by=desk,
            handed_over_at=now,
            water_reading=1,
            electricity_reading=2,
            inspected_by=desk,
            inspected_at=now,
        )
        factories.make_archive_file(move_in.tenant, desk)
        record_event(move_in, "movein.keys_handed", by=desk)


def move_out_rows(ctx, n):
    """Units of the move-out (keys back, inspected), with the handover they are compared with."""
    move_out, desk = ctx["move_out"], ctx["desk"]
    tenant = move_out.tenant
    now = timezone.now()
    for _ in range(n):
        unit = new_unit(ctx)
        occupancy = Occupancy.objects.create(tenant=tenant, unit=unit, start=timezone.localdate() - timedelta(days=90))
        handed = MoveIn.objects.create(
            tenant=tenant, start_date=occupancy.start, applicant=desk, status=MoveIn.Status.CONFIRMED
        )
        MoveInUnit.objects.create(move_in=handed, unit=unit, keys_handed=3)
        MoveOutUnit.objects.create(
            move_out=move_out,
            unit=unit,
            occupancy=occupancy,
            keys_returned=2,
            returned_to=desk,
            returned_at=now,
            water_reading=1,
            electricity_reading=2,
            inspected_by=desk,
            inspected_at=now,
        )
        record_event(move_out, "moveout.keys_returned", by=desk)


def signboard_rows(ctx, n):
    for _ in range(n):
        record_event(ctx["board"], "signboard.ordered", by=ctx["desk"], data={"text": ctx["board"].text})


CASES = {
    "desk-movein-list": Case("desk", lambda c: "/desk/move-ins/", move_ins, 4),
    "desk-movein-detail": Case("desk", lambda c: f"/desk/move-ins/{c['move_in'].pk}/", move_in_rows, 9),
    "desk-moveout-list": Case("desk", lambda c: "/desk/move-outs/", move_outs, 4),
    # permits' items per checklist evaluation: release note 1, access cards 2, parking permits 2.
    # The checklist is evaluated once per page (remember_steps): its rows and the complete
    # button's condition read the same evaluation.
    "desk-moveout-detail": Case("desk", lambda c: f"/desk/move-outs/{c['move_out'].pk}/", move_out_rows, 19),
    "desk-signboard-list": Case("desk", lambda c: "/desk/signboards/", signboards, 5),
    "desk-signboard-detail": Case("desk", lambda c: f"/desk/signboards/{c['board'].pk}/", signboard_rows, 4),
    "desk-directory": Case("guard", lambda c: f"/desk/directory/?building={c['building'].pk}", directory_rows, 4),
    "portal-movein": Case("tenant_a_admin", lambda c: f"/portal/move-ins/{c['move_in'].pk}/", move_in_rows, 9),
    "portal-moveout": Case("tenant_a_admin", lambda c: f"/portal/move-outs/{c['move_out'].pk}/", move_out_rows, 20),
}


@pytest.mark.parametrize("name", [case.param(name) for name, case in CASES.items()])
def test_query_count_is_fixed(request, ctx, client_for, name):
    assert_fixed_queries(request, ctx, client_for, name, CASES[name])


def test_the_rows_show_on_the_pages(ctx, client_for, desk):
    """The row makers above add what the pages list (else the counts prove nothing)."""
    client = client_for(desk)
    move_in_rows(ctx, 2)
    move_out_rows(ctx, 2)
    page = client.get(f"/desk/move-ins/{ctx['move_in'].pk}/")
    assert len(page.context["move_in"].units.all()) == 3
    page = client.get(f"/desk/move-outs/{ctx['move_out'].pk}/")
    assert len(page.context["move_out"].units.all()) == 3
    directory_rows(ctx, 2)
    assert len(client.get(f"/desk/directory/?building={ctx['building'].pk}").context["boards"]) == 2
