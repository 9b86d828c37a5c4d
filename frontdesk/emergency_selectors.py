"""Reads of emergency records (desk only: tenants never see them)."""

from django.db.models import Count, QuerySet
from django.shortcuts import get_object_or_404

from .models import Emergency, EmergencyLink


def emergencies() -> QuerySet[Emergency]:
    return Emergency.objects.all()


def emergency_for_desk(pk: int) -> Emergency:
    return get_object_or_404(emergencies().select_related("building", "floor", "applicant"), pk=pk)


def responders_of(obj: Emergency) -> list:
    return list(obj.responders.order_by("display_name", "username"))


def tenants_of(obj: Emergency) -> list:
    return list(obj.tenants.order_by("name"))


def affected_units(obj: Emergency) -> list[str]:
    """The units in the emergency's building that its affected tenants occupy today: one query."""
    from tenants.models import Occupancy
    from tenants.selectors import current_q

    rows = Occupancy.objects.filter(
        current_q(), tenant__in=obj.tenants.all(), unit__floor__building_id=obj.building_id
    ).values_list("unit__number", flat=True)
    return sorted(set(rows))


def links_of(obj: Emergency) -> list[EmergencyLink]:
    """The linked records with their kind's name and page (``url``, ``kind_label``): one query."""
    from .emergency_links import linkable

    links = list(EmergencyLink.objects.filter(emergency=obj).order_by("created_at", "pk"))
    for link in links:
        kind = linkable(link.kind)
        link.url = kind.url(link.object_id) if kind else ""
        link.kind_label = kind.label if kind else link.kind
    return links


def open_count() -> int:
    return emergencies().filter(status=Emergency.Status.OPEN).aggregate(n=Count("pk"))["n"]
