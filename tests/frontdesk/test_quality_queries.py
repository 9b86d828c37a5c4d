"""Fixed query counts of the quality check pages, with 1 row and with 30 (see
tests/querycount.py)."""

import pytest
from django.urls import reverse

from frontdesk.models import CheckItem, CheckScore, NonConformity
from frontdesk.models.quality import Department
from jinyuan.attachments.services import attachment_add
from jinyuan.uploads import IMAGE_TYPES
from jinyuan.workflow.services import record_event
from tests.frontdesk.quality_data import later, make_check, make_sheet
from tests.querycount import Case, admin_changelist, assert_fixed_queries
from tests.repairs.page_data import png

pytestmark = pytest.mark.django_db


@pytest.fixture
def ctx(query_ctx, engineer):
    supervisor = query_ctx["supervisor"]
    sheet = make_sheet(Department.ENGINEERING)
    check = make_check(sheet, supervisor, [1, 10, 5], responsible=engineer, due_at=later(24))
    return {**query_ctx, "engineer": engineer, "sheet": sheet, "check": check, "nc": NonConformity.objects.get()}


def checks(ctx, n):
    for _ in range(n):
        make_check(ctx["sheet"], ctx["supervisor"])


def nonconformities(ctx, n):
    for _ in range(n):
        make_check(ctx["sheet"], ctx["supervisor"], [1, 10, 5], responsible=ctx["engineer"], due_at=later(24))


def check_rows(ctx, n):
    """More items scored on the one check, each a non-conformity with its events, and photos."""
    check = ctx["check"]
    for _ in range(n):
        item = CheckItem.objects.create(sheet=ctx["sheet"], text="配电房整洁", order=CheckScore.objects.count())
        score = CheckScore.objects.create(
            check_record=check,
            item=item,
            order=item.order,
            text=item.text,
            weight=1,
            min_score=0,
            max_score=10,
            pass_score=6,
            score=2,
            nonconforming=True,
        )
        nc = NonConformity.objects.create(
            number=f"BHG-T-{score.pk}",
            applicant=ctx["supervisor"],
            check_record=check,
            score=score,
            department=check.department,
            description="不整洁",
            due_at=later(24),
        )
        record_event(nc, "nonconformity.opened", by=ctx["supervisor"], to_state="open")
        attachment_add(record=check, upload=png(), by=ctx["supervisor"], allowed=IMAGE_TYPES)


def nc_events(ctx, n):
    for _ in range(n):
        record_event(ctx["nc"], "nonconformity.opened", by=ctx["supervisor"], data={"check": "PJ"})
        attachment_add(record=ctx["nc"], upload=png(), by=ctx["engineer"], allowed=IMAGE_TYPES)


def scored_items(ctx, n):
    """Checks of new sheets: one more row per item on the monthly scores page."""
    for _ in range(n):
        ctx["made"] = i = ctx.get("made", 0) + 1
        sheet = make_sheet(Department.SECURITY, items=((f"岗位{i}", 1, 10, 6),), name=f"秩序部检查表{i}")
        make_check(sheet, ctx["supervisor"])


def _detail(name, key):
    return lambda c: reverse(name, args=[c[key].pk])


CASES = {
    "check-list": Case("supervisor", lambda c: reverse("desk:frontdesk:quality_check_list"), checks, 5),
    "check-detail": Case("supervisor", _detail("desk:frontdesk:quality_check_detail", "check"), check_rows, 6),
    "nonconformity-list": Case(
        "supervisor", lambda c: reverse("desk:frontdesk:nonconformity_list"), nonconformities, 4
    ),
    "nonconformity-list-engineer": Case(
        "engineer", lambda c: reverse("desk:frontdesk:nonconformity_list"), nonconformities, 4
    ),
    "nonconformity-detail": Case("engineer", _detail("desk:frontdesk:nonconformity_detail", "nc"), nc_events, 5),
    "admin-checks": Case("superuser", admin_changelist("frontdesk.QualityCheck"), checks, 7),
    "admin-nonconformities": Case("superuser", admin_changelist("frontdesk.NonConformity"), nonconformities, 7),
    "scores": Case("supervisor", lambda c: reverse("desk:frontdesk:quality_scores"), scored_items, 4),
}


@pytest.mark.parametrize("name", [case.param(name) for name, case in CASES.items()])
def test_query_count_is_fixed(request, ctx, client_for, name):
    assert_fixed_queries(request, ctx, client_for, name, CASES[name])
