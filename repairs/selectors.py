"""Reads of repair tickets."""

from datetime import timedelta

from django.db.models import Case, Exists, F, Q, QuerySet, Value, When
from django.http import Http404
from django.utils import timezone

from jinyuan.attachments.selectors import attachments_of
from jinyuan.workflow.models import Deadline
from jinyuan.workflow.selectors import deadline_due_at, late_exists
from jinyuan.workflow.selectors import deadlines_of as workflow_deadlines_of

from .models import RepairCategory, RepairTicket


def _late(kinds: tuple[str, ...], now) -> Exists:
    return late_exists(RepairTicket, kinds, now)


def with_late(qs: QuerySet[RepairTicket], now=None) -> QuerySet[RepairTicket]:
    """``response_late`` and ``completion_late`` on each ticket, in the same query."""
    now = now or timezone.now()
    return qs.annotate(
        response_late=_late(RepairTicket.RESPONSE_KINDS, now),
        completion_late=_late(RepairTicket.COMPLETION_KINDS, now),
    )


def overdue(qs: QuerySet[RepairTicket], now=None) -> QuerySet[RepairTicket]:
    """The open tickets that are late now (the register's "overdue" filter); a finished late
    ticket keeps its flag (``with_late``) but is no longer overdue.

    One EXISTS over the four deadline kinds, on open tickets only: over 200,000 tickets (bench)
    the open ones are a few hundred, found by the status index and each probed in the partial
    index ``deadline_late_idx`` (0.6 ms for the count); every late ticket of two years (29,000)
    cost 60–250 ms to count, and two ORed EXISTS made the first page build both whole sets
    (97 ms) instead of probing row by row (0.3 ms)."""
    late = _late(RepairTicket.RESPONSE_KINDS + RepairTicket.COMPLETION_KINDS, now or timezone.now())
    return qs.filter(late, status__in=RepairTicket.OPEN)


# --- pages (desk, the engineer's phone, the portal) ----------------------------------------------


POOL_LIMIT = 50  # the pool an engineer's phone shows; more waiting means the desk must assign


def late_q(now=None) -> Q:
    """Tickets with a late response or completion (``overdue`` as a Q). A correlated EXISTS:
    the register walks its date index and probes each ticket's deadlines (0.2 ms for a page of
    200,000 tickets), where ``pk IN`` the late deadlines read and joined every late one (240 ms)."""
    return Q(_late((*RepairTicket.RESPONSE_KINDS, *RepairTicket.COMPLETION_KINDS), now or timezone.now()))


def ticket_register() -> QuerySet[RepairTicket]:
    """The desk register's plain rows (filters and the page's ids run on these)."""
    return RepairTicket.objects.order_by("-created_at", "-id")


def ticket_rows(qs: QuerySet[RepairTicket]) -> QuerySet[RepairTicket]:
    """What the register shows of a page's rows: company, unit, category, engineer, late flags."""
    return with_late(qs.select_related("tenant", "unit", "category", "assignee"))


def categories() -> QuerySet[RepairCategory]:
    return RepairCategory.objects.filter(active=True).order_by("name")


def engineers() -> QuerySet:
    """Who may be assigned a ticket: active users with the engineering role (a few dozen)."""
    from django.contrib.auth import get_user_model

    from jinyuan.accounts.roles import Role

    return get_user_model().objects.filter(is_active=True, groups__name=Role.ENGINEERING).order_by("username")


def _detail(qs: QuerySet[RepairTicket]) -> QuerySet[RepairTicket]:
    return with_late(
        qs.select_related("tenant", "unit__floor__building", "category", "assignee", "applicant")
    ).annotate(due_at=deadline_due_at(RepairTicket))


def ticket_for_desk(pk: int) -> RepairTicket:
    ticket = _detail(RepairTicket.objects.filter(pk=pk)).first()
    if ticket is None:
        raise Http404
    return ticket


def ticket_for_tenant(pk: int, tenant) -> RepairTicket:
    """A company's own ticket; another company's is a 404."""
    ticket = _detail(RepairTicket.objects.filter(pk=pk, tenant=tenant)).first()
    if ticket is None:
        raise Http404
    return ticket


def _engineer_scope(user) -> Q:
    return Q(assignee=user) | Q(status=RepairTicket.Status.POOLED)


def ticket_for_engineer(pk: int, user) -> RepairTicket:
    """A ticket assigned to the engineer, or one waiting in the pool; any other is a 404."""
    ticket = _detail(RepairTicket.objects.filter(_engineer_scope(user), pk=pk)).first()
    if ticket is None:
        raise Http404
    return ticket


def _by_due(qs: QuerySet[RepairTicket]) -> QuerySet[RepairTicket]:
    """Soonest running deadline first; on a tie an emergency first, then the oldest report. The
    engineer's phone shows the unit or place and the category, not the company: no tenant joined
    (80 rows of the worklist built 80 Tenant objects of a dozen columns for nothing)."""
    emergency_first = Case(When(urgency=RepairTicket.Urgency.EMERGENCY, then=Value(0)), default=Value(1))
    return (
        with_late(qs.select_related("unit", "category"))
        .annotate(due_at=deadline_due_at(RepairTicket), emergency_rank=emergency_first)
        .order_by(F("due_at").asc(nulls_last=True), "emergency_rank", "created_at", "id")
    )


def engineer_open(user) -> QuerySet[RepairTicket]:
    return _by_due(RepairTicket.objects.filter(assignee=user, status__in=RepairTicket.OPEN))


def pool() -> QuerySet[RepairTicket]:
    return _by_due(RepairTicket.objects.filter(status=RepairTicket.Status.POOLED))[:POOL_LIMIT]


def tickets_of(tenant) -> QuerySet[RepairTicket]:
    return RepairTicket.objects.filter(tenant=tenant).order_by("-created_at", "-id")


def photos_of(ticket: RepairTicket) -> dict[str, list]:
    """The ticket's live photos by kind (``photo``, ``before``, ``after``), one query."""
    kinds: dict[str, list] = {"photo": [], "before": [], "after": []}
    for attachment in attachments_of(ticket):
        kinds.setdefault(attachment.kind or "photo", []).append(attachment)
    return kinds


def tenant_matches(text: str, limit: int = 8) -> list[dict]:
    """Companies for the desk's intake typeahead: by unit number (exact, case-insensitive) or
    company name (contains); each with its current unit and primary contact. Three queries."""
    from django.db.models.functions import Upper

    from tenants.models import Contact, Occupancy, Tenant
    from tenants.selectors import current_q

    text = text.strip()
    if not text:
        return []
    by_unit = list(
        Occupancy.objects.annotate(unit_upper=Upper("unit__number"))
        .filter(current_q(), unit_upper=text.upper(), tenant__is_active=True)
        .select_related("tenant", "unit")
        .order_by("tenant__name")[:limit]
    )
    rows = [(o.tenant, o.unit) for o in by_unit]
    seen = {t.pk for t, _u in rows}
    if len(rows) < limit:
        named = Tenant.objects.filter(name__icontains=text, is_active=True).exclude(pk__in=seen).order_by("name")
        named = list(named[: limit - len(rows)])
        units: dict[int, object] = {}
        for o in (
            Occupancy.objects.filter(current_q(), tenant__in=named).select_related("unit").order_by("unit__number")
        ):
            units.setdefault(o.tenant_id, o.unit)
        rows += [(t, units.get(t.pk)) for t in named]
    contacts: dict[int, Contact] = {}
    for c in Contact.objects.filter(tenant__in=[t for t, _u in rows]).order_by("-is_primary", "name"):
        contacts.setdefault(c.tenant_id, c)
    result = []
    for tenant, unit in rows:
        contact = contacts.get(tenant.pk)
        result.append(
            {
                "id": tenant.pk,
                "name": tenant.name,
                "unit": unit.number if unit else "",
                "contact": contact.name if contact else "",
                "phone": (contact.phone if contact and contact.phone else tenant.phone) or "",
            }
        )
    return result


def unit_of(number: str, tenant=None):
    """The unit numbered ``number`` (case-insensitive); of the tenant's current units where a
    company is given. None when unknown; ValueError when several units share the number."""
    from django.db.models.functions import Upper

    from tenants.models import Occupancy, Unit
    from tenants.selectors import current_q

    units = Unit.objects.annotate(upper=Upper("number")).filter(upper=number.strip().upper(), is_active=True)
    if tenant is not None:
        units = units.filter(pk__in=Occupancy.objects.filter(current_q(), tenant=tenant).values("unit_id"))
    found = list(units[:2])
    if len(found) > 1:
        raise ValueError(number)
    return found[0] if found else None


def occupant_of(unit):
    """The company occupying the unit today, if any."""
    from tenants.models import Occupancy
    from tenants.selectors import current_q

    occupancy = Occupancy.objects.filter(current_q(), unit=unit).select_related("tenant").first()
    return occupancy.tenant if occupancy else None


def deadlines_of(ticket: RepairTicket) -> list[Deadline]:
    """The ticket's response and completion deadlines (running or stopped), one query."""
    return workflow_deadlines_of(ticket)


# --- feedback part ---------------------------------------------------------------------------


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


def feedback_of(ticket: RepairTicket) -> dict:
    """What the feedback panel shows: the ratings of each round and the return visits, in two
    queries whatever their number."""
    from jinyuan.followups.selectors import followups_of

    from .models import RepairRating

    if ticket.reopen_count == 0 and ticket.status not in (RepairTicket.Status.COMPLETED, RepairTicket.Status.CLOSED):
        # Never completed yet: no rating and no visit can exist, and the page pays nothing.
        return {"ratings": [], "visits": []}
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
