from typing import Any

from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone

from jinyuan.workflow.models import Deadline
from jinyuan.workflow.selectors import deadline_due_at
from tenants.models import Tenant

from .models import Deduction, Extension, Inspection, RectificationOrder, Renovation


def _late_deadline() -> Exists:
    return Exists(
        Deadline.objects.filter(
            content_type__app_label="renovation",
            content_type__model="renovation",
            object_id=OuterRef("pk"),
            state=Deadline.State.RUNNING,
            due_at__lt=timezone.now(),
        )
    )


def renovations() -> QuerySet[Renovation]:
    """Plain and ordered (the register pages these before annotating)."""
    return Renovation.objects.select_related("tenant", "unit__floor__building", "permit", "fees_bill", "applicant")


def overdue_q() -> Q:
    """A review or approval past its due time, or works past the granted end."""
    return Q(_late_deadline()) | Q(status=Renovation.Status.IN_WORKS, granted_end__lt=timezone.localdate())


def annotate(qs: QuerySet[Renovation]) -> QuerySet[Renovation]:
    return qs.annotate(
        due_at=deadline_due_at(Renovation),
        overdue=Case(When(overdue_q(), then=Value(True)), default=Value(False), output_field=BooleanField()),
    )


def register() -> QuerySet[Renovation]:
    """The register's plain rows, newest first: no joins, so the count and the page's ids come
    from ``renovation_renovation`` and its (created_at, id) index alone."""
    return Renovation.objects.order_by("-created_at", "-id")


# The columns the register shows and exports: 25 rows of ~30 columns (remarks, the work items'
# JSON) cost the page a few milliseconds of loading for nothing.
REGISTER_FIELDS = (
    "status",
    "created_at",
    "contractor_name",
    "planned_start",
    "planned_end",
    "granted_start",
    "granted_end",
    "tenant__name",
    "unit__number",
    "unit__floor__building__name",
    "permit__number",
)


def open_orders_count() -> Coalesce:
    """Rectification orders still open or escalated (the register's "open violations")."""
    S = RectificationOrder.Status
    open_orders = (
        RectificationOrder.objects.filter(renovation=OuterRef("pk"), status__in=[S.OPEN, S.ESCALATED])
        .order_by()
        .values("renovation")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(open_orders, output_field=IntegerField()), 0)


def renovation_rows(qs: QuerySet[Renovation]) -> QuerySet[Renovation]:
    """``RegisterView.annotate_page``: one page's rows with what the register shows (company,
    unit and building, permit number), the due time, the overdue flag and the open orders."""
    rows = qs.select_related("tenant", "unit__floor__building", "permit").only(*REGISTER_FIELDS)
    return annotate(rows).annotate(open_orders=open_orders_count())


def renovations_of(tenant: Tenant) -> QuerySet[Renovation]:
    return renovations().filter(tenant=tenant)


def renovation_for_desk(pk: int) -> Renovation:
    return get_object_or_404(annotate(renovations()), pk=pk)


def renovation_for_tenant(pk: int, tenant: Tenant) -> Renovation:
    """Another tenant's renovation is a 404, never a 403."""
    return get_object_or_404(annotate(renovations_of(tenant)), pk=pk)


def waiting_counts(user: Any = None) -> dict[str, int]:
    S = Renovation.Status
    return Renovation.objects.aggregate(
        engineering=Count("pk", filter=Q(status__in=[S.APPLIED, S.SECURITY_PASSED])),
        security=Count("pk", filter=Q(status__in=[S.APPLIED, S.ENGINEERING_PASSED])),
        approval=Count("pk", filter=Q(status=S.REVIEWED)),
        to_start=Count("pk", filter=Q(status=S.APPROVED)),
        in_works=Count("pk", filter=Q(status=S.IN_WORKS)),
    )


def extension_waiting_q() -> Q:
    """Renovations with an extension (延期) waiting for the supervisor."""
    return Q(Exists(Extension.objects.filter(renovation=OuterRef("pk"), status=Extension.Status.APPLIED)))


def extensions_waiting() -> int:
    return Extension.objects.filter(status=Extension.Status.APPLIED).count()


# --- part 2 ------------------------------------------------------------------------------------


def inspections() -> QuerySet[Inspection]:
    return Inspection.objects.select_related(
        "renovation__tenant", "renovation__unit", "inspector", "order__document", "reinspects__document"
    )


def orders() -> QuerySet[RectificationOrder]:
    return RectificationOrder.objects.select_related("tenant", "renovation__unit", "document", "inspection")


def order_overdue_q() -> Q:
    return Q(status=RectificationOrder.Status.OPEN, due_on__lt=timezone.localdate())


def works_of(renovation: Renovation) -> dict[str, Any]:
    """The inspections, orders and deductions shown on a renovation's pages."""
    return {
        "inspections": list(inspections().filter(renovation=renovation).order_by("-inspected_at", "-id")),
        "orders": list(orders().filter(renovation=renovation).order_by("-created_at", "-id")),
        "deductions": list(
            Deduction.objects.filter(renovation=renovation).prefetch_related("items").order_by("-created_at", "-id")
        ),
    }


def deduction_for_desk(pk: int) -> Deduction:
    return get_object_or_404(
        Deduction.objects.select_related("tenant", "renovation__unit", "applicant").prefetch_related("items"), pk=pk
    )


def order_for_desk(pk: int) -> RectificationOrder:
    return get_object_or_404(orders(), pk=pk)


def order_for_tenant(pk: int, tenant: Tenant) -> RectificationOrder:
    return get_object_or_404(orders(), pk=pk, tenant=tenant)


def settlement_of(renovation: Renovation) -> dict | None:
    """The refund's figures (held, deducted, refunded, billed, forfeited passes) as its audit
    event recorded them; None before the refund."""
    from jinyuan.workflow.models import AuditEvent

    if renovation.status != Renovation.Status.REFUNDED:
        return None
    event = (
        AuditEvent.objects.filter(
            content_type__app_label="renovation",
            content_type__model="renovation",
            object_id=renovation.pk,
            action="renovation.deposit_refunded",
        )
        .order_by("-at", "-id")
        .first()
    )
    return event.data if event else None


def extensions() -> QuerySet[Extension]:
    return Extension.objects.select_related(
        "tenant", "renovation__unit__floor__building", "renovation__permit", "fees_bill", "permit", "applicant"
    )


def extensions_of(renovation: Renovation) -> list[Extension]:
    """A renovation's extensions for its pages (one query)."""
    return list(
        Extension.objects.filter(renovation=renovation)
        .select_related("fees_bill", "permit", "applicant")
        .order_by("-created_at", "-id")
    )


def extension_for_desk(pk: int) -> Extension:
    return get_object_or_404(extensions(), pk=pk)


def extension_for_tenant(pk: int, tenant: Tenant) -> Extension:
    """Another tenant's extension is a 404."""
    return get_object_or_404(extensions(), pk=pk, tenant=tenant)
