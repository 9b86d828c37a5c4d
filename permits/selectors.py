from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from jinyuan.workflow.selectors import deadline_due_at
from tenants.models import Tenant

from .models import PremisesCertificate, WorkerPass


def certificates() -> QuerySet[PremisesCertificate]:
    """With ``due_at``: when the running review or approval is due (None when none runs)."""
    return PremisesCertificate.objects.select_related(
        "tenant", "unit__floor__building", "document", "applicant"
    ).annotate(due_at=deadline_due_at(PremisesCertificate))


def certificates_of(tenant: Tenant) -> QuerySet[PremisesCertificate]:
    return certificates().filter(tenant=tenant)


def certificate_for_desk(pk: int) -> PremisesCertificate:
    return get_object_or_404(certificates(), pk=pk)


def certificate_for_tenant(pk: int, tenant: Tenant) -> PremisesCertificate:
    """Another tenant's certificate is a 404, never a 403: its existence is not told."""
    return get_object_or_404(certificates_of(tenant), pk=pk)


def waiting_counts(user: Any) -> dict[str, int]:
    from django.db.models import Count, Q

    S = PremisesCertificate.Status
    return PremisesCertificate.objects.aggregate(
        submitted=Count("pk", filter=Q(status=S.SUBMITTED)), checked=Count("pk", filter=Q(status=S.CHECKED))
    )


# --- worker passes ------------------------------------------------------------------------------


def worker_passes() -> QuerySet[WorkerPass]:
    return WorkerPass.objects.select_related("tenant", "renovation__unit__floor__building", "document")


def worker_passes_of(tenant: Tenant) -> QuerySet[WorkerPass]:
    return worker_passes().filter(tenant=tenant)


def worker_passes_of_renovation(renovation: Any) -> QuerySet[WorkerPass]:
    return worker_passes().filter(renovation=renovation).order_by("-created_at", "-id")


def worker_pass_for_desk(pk: int) -> WorkerPass:
    return get_object_or_404(worker_passes(), pk=pk)


def worker_pass_for_tenant(pk: int, tenant: Tenant) -> WorkerPass:
    """Another tenant's pass is a 404."""
    return get_object_or_404(worker_passes_of(tenant), pk=pk)


def pass_photo(worker_pass: WorkerPass):
    from jinyuan.attachments.selectors import attachments_of

    return attachments_of(worker_pass).filter(kind="photo").order_by("-uploaded_at", "-id").first()
