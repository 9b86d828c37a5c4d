"""Reads of liaison visits and visit plans, scoped to the user (another company's visit is a
404 in the portal)."""

import datetime as dt

from django.db.models import Case, CharField, Count, Exists, Max, OuterRef, Q, QuerySet, Subquery, Value, When
from django.shortcuts import get_object_or_404
from django.utils import timezone

from tenants.models import Occupancy, Tenant
from tenants.selectors import current_q

from .models import Visit, VisitPlan

# A tenant's standing in a plan's current period.
VISITED, DUE, OVERDUE = "visited", "due", "overdue"


def visits() -> QuerySet[Visit]:
    return Visit.objects.all()


def visits_of(tenant: Tenant | int) -> QuerySet[Visit]:
    return Visit.objects.filter(tenant_id=getattr(tenant, "pk", tenant))


def visit_for_desk(pk: int) -> Visit:
    return get_object_or_404(visits().select_related("tenant", "plan", "applicant"), pk=pk)


def visit_for_tenant(pk: int, tenant: Tenant) -> Visit:
    """Another company's visit is a 404; a voided one is not shown to the company."""
    return get_object_or_404(visits_of(tenant).filter(status=Visit.Status.RECORDED), pk=pk)


def staff_of(visit: Visit) -> list:
    return list(visit.staff.order_by("display_name", "username"))


# --- plans -------------------------------------------------------------------------------------


def plans() -> QuerySet[VisitPlan]:
    return VisitPlan.objects.select_related("building", "clerk")


def plan_for_desk(pk: int) -> VisitPlan:
    return get_object_or_404(plans(), pk=pk)


def plan_tenants(plan: VisitPlan, today: dt.date | None = None) -> QuerySet[Tenant]:
    """The tenants the plan covers (occupying a unit today, in its building if it names one),
    each with its last visit before the period ends and its standing (``plan_state``) in the
    current period: visited in it; due (visited in the previous period, moved in since it began,
    or the plan's first period); overdue (a whole period passed without a visit). All in the database: one
    statement, whatever the number of tenants."""
    today = today or timezone.localdate()
    start, end = plan.period_of(today)
    prev_start = plan.period_of(start - dt.timedelta(days=1))[0]
    first_period = start <= plan.starts_on.replace(day=1)
    tz = timezone.get_current_timezone()
    start_at, end_at, prev_at = (dt.datetime.combine(d, dt.time(0), tz) for d in (start, end, prev_start))
    occupying = Occupancy.objects.filter(current_q(on=today), tenant=OuterRef("pk"))
    if plan.building_id:
        occupying = occupying.filter(unit__floor__building_id=plan.building_id)
    last = (
        Visit.objects.filter(tenant=OuterRef("pk"), status=Visit.Status.RECORDED, visited_at__lt=end_at)
        .order_by()
        .values("tenant")
        .annotate(last=Max("visited_at"))
        .values("last")
    )
    due_when = [
        When(last_visit__gte=prev_at, then=Value(DUE)),
        # Moved in since the previous period began: no whole period has passed without a visit.
        When(moved_in__gte=prev_start, then=Value(DUE)),
    ]
    moved_in = occupying.order_by("start").values("start")[:1]
    return (
        Tenant.objects.filter(Exists(occupying))
        .annotate(last_visit=Subquery(last), moved_in=Subquery(moved_in))
        .annotate(
            plan_state=Case(
                When(last_visit__gte=start_at, then=Value(VISITED)),
                *([When(pk__isnull=False, then=Value(DUE))] if first_period else due_when),
                default=Value(OVERDUE),
                output_field=CharField(),
            )
        )
    )


def plan_counts(plan: VisitPlan, today: dt.date | None = None) -> dict[str, int]:
    """How many tenants of the plan are visited, due and overdue in the current period: one query."""
    return plan_tenants(plan, today).aggregate(
        total=Count("pk"),
        visited=Count("pk", filter=Q(plan_state=VISITED)),
        due=Count("pk", filter=Q(plan_state=DUE)),
        overdue=Count("pk", filter=Q(plan_state=OVERDUE)),
    )
