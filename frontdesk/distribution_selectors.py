"""Reads of material distributions, scoped to the user (another company's request is a 404)."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from jinyuan.attachments.models import Attachment
from tenants.models import Tenant

from .models import MaterialDistribution

RELATED = ("tenant", "building", "fee_item", "bill")


def distributions() -> QuerySet[MaterialDistribution]:
    return MaterialDistribution.objects.all()


def distributions_of(tenant: Tenant | int) -> QuerySet[MaterialDistribution]:
    return MaterialDistribution.objects.filter(tenant_id=getattr(tenant, "pk", tenant))


def distribution_for_desk(pk: int) -> MaterialDistribution:
    return get_object_or_404(distributions().select_related(*RELATED, "applicant"), pk=pk)


def distribution_for_tenant(pk: int, tenant: Tenant) -> MaterialDistribution:
    """Another company's request is a 404."""
    return get_object_or_404(distributions_of(tenant).select_related(*RELATED), pk=pk)


def targets_of(obj: MaterialDistribution) -> dict:
    """The floors and companies it goes to: two queries."""
    return {
        "floors": list(obj.floors.order_by("number")),
        "companies": list(obj.target_tenants.order_by("name").values_list("name", flat=True)),
    }


def material_of(obj: MaterialDistribution) -> list[Attachment]:
    kind = ContentType.objects.get_for_model(MaterialDistribution)
    return list(Attachment.objects.filter(content_type=kind, object_id=obj.pk, voided_at__isnull=True).order_by("pk"))


def waiting_count() -> int:
    """Requests waiting for the supervisor's approval (the desk home's panel)."""
    return MaterialDistribution.objects.filter(status=MaterialDistribution.Status.SUBMITTED).count()
