"""Reads of repair tickets."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from jinyuan.workflow.models import Deadline

from .models import RepairTicket


def _late(kinds: tuple[str, ...], now) -> Exists:
    rows = Deadline.objects.filter(
        content_type=ContentType.objects.get_for_model(RepairTicket),
        object_id=OuterRef("pk"),
        kind__in=kinds,
    )
    # Late: running past its due time, or stopped after it (met = False).
    return Exists(rows.filter(Q(state=Deadline.State.RUNNING, due_at__lt=now) | Q(met=False)))


def with_late(qs: QuerySet[RepairTicket], now=None) -> QuerySet[RepairTicket]:
    """``response_late`` and ``completion_late`` on each ticket, in the same query."""
    now = now or timezone.now()
    return qs.annotate(
        response_late=_late(RepairTicket.RESPONSE_KINDS, now),
        completion_late=_late(RepairTicket.COMPLETION_KINDS, now),
    )


def overdue(qs: QuerySet[RepairTicket], now=None) -> QuerySet[RepairTicket]:
    qs = with_late(qs, now)
    return qs.filter(Q(response_late=True) | Q(completion_late=True))


# --- feedback part ---------------------------------------------------------------------------

from datetime import timedelta  # noqa: E402


def engineers_to_remind(model, records) -> dict[int, list[int]]:
    """Recipients ``repair_engineers`` of a deadline step: the assignee, or every active
    engineer while nobody has the ticket (waiting in the pool, or not yet assigned): one query
    per scan batch whatever the number of tickets."""
    from django.contrib.auth import get_user_model

    from jinyuan.accounts.roles import Role

    unassigned = [r for r in records if not r.assignee_id]
    everyone: list[int] = []
    if unassigned:
        everyone = list(
            get_user_model()
            .objects.filter(is_active=True, groups__name=Role.ENGINEERING)
            .order_by("pk")
            .values_list("pk", flat=True)
            .distinct()
        )
    return {r.pk: [r.assignee_id] if r.assignee_id else everyone for r in records}


def feedback_due(now=None) -> QuerySet[RepairTicket]:
    """Completed tickets whose 7 days for feedback have passed (calendar days from completion)."""
    from .services import FEEDBACK_DAYS

    now = now or timezone.now()
    return RepairTicket.objects.filter(
        status=RepairTicket.Status.COMPLETED, completed_at__lte=now - timedelta(days=FEEDBACK_DAYS)
    )


def ticket_for_member(pk: int, tenant) -> RepairTicket:
    """A ticket of the member's company (404 for another company's)."""
    from django.shortcuts import get_object_or_404

    return get_object_or_404(
        RepairTicket.objects.select_related("category", "tenant", "assignee"), pk=pk, tenant=tenant
    )


def ticket_for_desk(pk: int) -> RepairTicket:
    from django.shortcuts import get_object_or_404

    return get_object_or_404(RepairTicket.objects.select_related("category", "tenant", "assignee"), pk=pk)


def feedback_of(ticket: RepairTicket) -> dict:
    """What the feedback panel shows: the ratings of each round and the return visits, in two
    queries whatever their number."""
    from jinyuan.followups.selectors import followups_of

    from .models import RepairRating

    return {
        "ratings": list(RepairRating.objects.filter(ticket=ticket).select_related("signed_by").order_by("round", "id")),
        "visits": list(followups_of(ticket).order_by("due_on", "id")),
    }


def rating_averages(by: str, start=None, end=None) -> QuerySet:
    """Average ratings and the share satisfied per ``by`` ("engineer" or "category"), over the
    sign-offs from ``start`` (inclusive) to ``end`` (exclusive): one query, for statistics."""
    from django.db.models import Avg, Count

    from .models import RepairRating

    if by not in ("engineer", "category"):
        raise ValueError(by)
    qs = RepairRating.objects.all()
    if start is not None:
        qs = qs.filter(created_at__gte=start)
    if end is not None:
        qs = qs.filter(created_at__lt=end)
    return (
        qs.values(f"{by}_id", f"{by}__{'display_name' if by == 'engineer' else 'name'}")
        .annotate(
            ratings=Count("id"),
            overall=Avg("overall"),
            speed=Avg("speed"),
            service=Avg("service"),
            satisfied=Count("id", filter=Q(satisfied=True)),
        )
        .order_by(f"{by}_id")
    )
