"""Fixed query counts of the renovation pages (see tests/querycount.py)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from jinyuan.workflow.services import record_event
from renovation import extensions, services
from renovation.models import Renovation
from tests import factories
from tests.querycount import Case, admin_changelist, assert_fixed_queries
from tests.renovation.data import fields

pytestmark = pytest.mark.django_db


def more_renovations(ctx, n):
    """Renovations of other units (one live per unit), in works with a permit-less row each."""
    floor = factories.FloorFactory(building=ctx["building"], number=40 + Renovation.objects.count())
    for i in range(n):
        unit = factories.UnitFactory(floor=floor, number=f"R{i:03d}", area="120.00")
        Renovation.objects.create(tenant=ctx["tenant_a"], unit=unit, applicant=ctx["tenant_a_admin"], **fields())


def timeline_events(ctx, n):
    for i in range(n):
        record_event(ctx["renovation"], "renovation.note", by=ctx["desk"], note=f"备注{i}")


def works_rows(ctx, n):
    """Timeline events, inspections with orders, re-inspections and deductions: n of each."""
    from tests.renovation.data import deduction_for, order_for

    timeline_events(ctx, n)
    for _ in range(n):
        order = order_for(ctx["renovation"], ctx["engineer"])
        services.renovation_inspect(
            renovation=ctx["renovation"],
            by=ctx["engineer"],
            department="engineering",
            inspected_at=timezone.now(),
            findings="复查",
            violation=False,
            reinspects=order,
        )
        deduction_for(ctx["renovation"], ctx["engineer"])
        extended(ctx, 1)


def extended(ctx, n):
    """n extensions of the renovation, each approved (a bill and a permit issued again)."""
    for _ in range(n):
        r = Renovation.objects.get(pk=ctx["renovation"].pk)
        ext = extensions.extension_apply(
            renovation=r, by=ctx["tenant_a_admin"], new_end=r.granted_end + timedelta(days=31), reason="材料延迟"
        )
        extensions.extension_approve(obj=ext, by=ctx["supervisor"])


def extension_events(ctx, n):
    for i in range(n):
        record_event(ctx["extension"], "extension.note", by=ctx["desk"], note=f"备注{i}")


@pytest.fixture
def ctx(building, tenant_a, tenant_a_admin, desk, engineer, supervisor, make_renovation):
    renovation = make_renovation("in_works", planned_start=timezone.localdate())
    extension = extensions.extension_apply(
        renovation=renovation,
        by=tenant_a_admin,
        new_end=renovation.granted_end + timedelta(days=10),
        reason="材料延迟",
    )
    return {
        "supervisor": supervisor,
        "extension": extensions.extension_approve(obj=extension, by=supervisor),
        "engineer": engineer,
        "building": building,
        "tenant_a": tenant_a,
        "tenant_a_admin": tenant_a_admin,
        "desk": desk,
        "renovation": renovation,
    }


CASES = {
    "desk-renovation-list": Case("desk", lambda c: reverse("desk:renovation:renovation_list"), more_renovations, 6),
    "desk-renovation-detail": Case(
        "desk", lambda c: reverse("desk:renovation:renovation_detail", args=[c["renovation"].pk]), works_rows, 12
    ),
    "portal-renovation-list": Case(
        "tenant_a_admin", lambda c: reverse("portal:renovation:renovation_list"), more_renovations, 5
    ),
    "portal-renovation-detail": Case(
        "tenant_a_admin",
        lambda c: reverse("portal:renovation:renovation_detail", args=[c["renovation"].pk]),
        works_rows,
        13,
    ),
    "desk-extension-detail": Case(
        "supervisor",
        lambda c: reverse("desk:renovation:extension_detail", args=[c["extension"].pk]),
        extension_events,
        4,
    ),
    "portal-extension-detail": Case(
        "tenant_a_admin",
        lambda c: reverse("portal:renovation:extension_detail", args=[c["extension"].pk]),
        extension_events,
        5,
    ),
    # The works records' changelists (each row's renovation, unit, company and numbers joined).
    "admin-inspection": Case("superuser", admin_changelist("renovation.Inspection"), works_rows, 8),
    "admin-order": Case("superuser", admin_changelist("renovation.RectificationOrder"), works_rows, 8),
    "admin-deduction": Case("superuser", admin_changelist("renovation.Deduction"), works_rows, 7),
    "admin-extension": Case("superuser", admin_changelist("renovation.Extension"), works_rows, 7),
    "admin-renovation": Case("superuser", admin_changelist("renovation.Renovation"), more_renovations, 8),
}


@pytest.mark.parametrize("name", [case.param(name) for name, case in CASES.items()])
def test_query_count_is_fixed(request, ctx, client_for, name):
    assert_fixed_queries(request, ctx, client_for, name, CASES[name])
