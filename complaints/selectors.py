"""Reads of complaints, scoped to the user: the desk and supervisors see every complaint, a
department's staff those of their department or assigned to them, a tenant's portal users
their company's (with the complaints grant) and their own; anyone else nothing (404)."""

from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, F, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from jinyuan.accounts.roles import DESK_ROLES, Role
from jinyuan.privacy import mask_phone
from jinyuan.workflow.models import Deadline
from jinyuan.workflow.selectors import deadlines_of as workflow_deadlines_of
from jinyuan.workflow.selectors import late_exists

from .models import COMPLAINTS_AREA, DEPARTMENT_ROLE, Complaint, ComplaintCategory


def _departments_of(user: Any) -> list[str]:
    return [dept for dept, role in DEPARTMENT_ROLE.items() if user.has_role(role)]


def scope_q(user: Any) -> Q | None:
    """What ``user`` may read, as a Q; None for everything (the desk, supervisors)."""
    if not (user and user.is_authenticated):
        return Q(pk__in=[])
    if user.has_role(*DESK_ROLES):
        return None
    if user.is_desk_staff:
        return Q(assignee=user) | Q(department__in=_departments_of(user))
    from tenants.selectors import membership_for

    membership = membership_for(user)
    if membership is None:
        return Q(pk__in=[])
    return member_scope_q(user, membership)


def member_scope_q(user: Any, membership: Any) -> Q:
    """What a company's portal user reads: their own complaints, and with the complaints grant
    the company's. The portal's pages pass the membership they hold (no second look-up)."""
    from tenants import grants

    own = Q(applicant=user, tenant_id=membership.tenant_id)
    if grants.may_open(membership, COMPLAINTS_AREA):
        return own | Q(tenant_id=membership.tenant_id)
    return own


def complaints_for(user: Any) -> QuerySet[Complaint]:
    qs = Complaint.objects.order_by("-created_at", "-id")
    scope = scope_q(user)
    return qs if scope is None else qs.filter(scope)


def complaint_for(user: Any, pk: int, *, membership: Any = None) -> Complaint:
    """One complaint the user may read; another company's (or one they may not see) is a 404.
    ``membership``: a portal page's member (``member_scope_q``), already looked up."""
    qs = complaints_for(user) if membership is None else member_complaints(user, membership)
    complaint = (
        qs.select_related("category", "tenant", "assignee", "applicant", "approved_by", "proposed_by", "reply_sent_by")
        .filter(pk=pk)
        .first()
    )
    if complaint is None:
        raise Http404
    return complaint


def member_complaints(user: Any, membership: Any) -> QuerySet[Complaint]:
    """A portal user's complaints (``member_scope_q``), newest first."""
    return Complaint.objects.filter(member_scope_q(user, membership)).order_by("-created_at", "-id")


def categories() -> QuerySet[ComplaintCategory]:
    return ComplaintCategory.objects.filter(active=True).order_by("name")


def handlers(department: str) -> QuerySet:
    """Who may be assigned a complaint of ``department``: its active staff (a few dozen)."""
    from django.contrib.auth import get_user_model

    role = DEPARTMENT_ROLE[department]
    return get_user_model().objects.filter(is_active=True, groups__name=role).order_by("username").distinct()


# --- the complainant, as each reader may see them -------------------------------------------------


@dataclass(frozen=True)
class Complainant:
    name: str
    phone: str
    email: str
    hidden: bool

    @property
    def label(self) -> str:
        return " · ".join(part for part in (self.name, self.phone) if part)


def may_see_complainant(complaint: Complaint, user: Any) -> bool:
    """An anonymous complainant is seen by nobody but the user who recorded the complaint (the
    desk clerk, or the complainant themself in the portal)."""
    if not complaint.anonymous:
        return True
    return bool(user and user.is_authenticated and complaint.applicant_id == user.pk)


def complainant_for(complaint: Complaint, user: Any, *, in_list: bool = False) -> Complainant:
    """The complainant as ``user`` may see them: "Anonymous" and nothing else to all but the
    recording user; in lists and exports a phone is masked (jinyuan.privacy)."""
    if not may_see_complainant(complaint, user):
        return Complainant(name=_("Anonymous"), phone="", email="", hidden=True)
    phone = (
        mask_phone(complaint.complainant_phone)
        if in_list and complaint.complainant_phone
        else complaint.complainant_phone
    )
    name = complaint.complainant_name or (complaint.tenant.name if complaint.tenant_id else "")
    return Complainant(name=name, phone=phone, email=complaint.complainant_email, hidden=False)


# --- deadlines --------------------------------------------------------------------------------------


def _late(kinds: tuple[str, ...], now) -> Exists:
    return late_exists(Complaint, kinds, now)


def with_late(qs: QuerySet[Complaint], now=None) -> QuerySet[Complaint]:
    """``acknowledgement_late`` and ``reply_late`` on each complaint, in the same query."""
    now = now or timezone.now()
    return qs.annotate(
        acknowledgement_late=_late(Complaint.ACKNOWLEDGE_KINDS, now), reply_late=_late(Complaint.REPLY_KINDS, now)
    )


def deadlines_of(complaint: Complaint) -> list[Deadline]:
    """The complaint's acknowledgement and reply deadlines (every run), one query."""
    return workflow_deadlines_of(complaint)


def handlers_to_remind(model, records) -> dict[int, list[int]]:
    """Recipients ``complaint_handlers`` of a deadline step: the assignee, or the desk's clerks
    while nobody has the complaint; one query per scan batch whatever the number of records."""
    from django.contrib.auth import get_user_model

    unassigned = [r for r in records if not r.assignee_id]
    desk: list[int] = []
    if unassigned:
        desk = list(
            get_user_model()
            .objects.filter(is_active=True, groups__name=Role.FRONT_DESK)
            .order_by("pk")
            .values_list("pk", flat=True)
            .distinct()
        )
    return {r.pk: [r.assignee_id] if r.assignee_id else desk for r in records}


def can_view_files(user: Any, complaint: Complaint) -> bool:
    """A complaint's attachments: whoever may read the complaint (the selector's scope)."""
    scope = scope_q(user)
    return scope is None or Complaint.objects.filter(scope, pk=complaint.pk).exists()


# --- registers (the pages come in a later part) -------------------------------------------------


def complaint_rows(qs: QuerySet[Complaint]) -> QuerySet[Complaint]:
    """What a register shows of a page's rows: category, company, handler, late flags and the
    soonest running due time, all in the one query whatever the number of rows."""
    from jinyuan.workflow.selectors import deadline_due_at

    return with_late(qs.select_related("category", "tenant", "assignee")).annotate(due_at=deadline_due_at(Complaint))


def late_q(now=None) -> Q:
    """Complaints with a late acknowledgement or reply (running past due, or met = False)."""
    return Q(_late((*Complaint.ACKNOWLEDGE_KINDS, *Complaint.REPLY_KINDS), now or timezone.now()))


def overdue(qs: QuerySet[Complaint], now=None) -> QuerySet[Complaint]:
    """The open complaints that are late now (a register's "overdue" filter, a desk panel)."""
    return qs.filter(late_q(now), status__in=Complaint.OPEN)


# --- the monthly service report --------------------------------------------------------------


def superusers_to_escalate(model, records) -> dict[int, list[int]]:
    """Recipients ``superusers`` of a deadline step: the active administrators (the center's
    manager holds one), the same for every record; one query per scan batch."""
    from django.contrib.auth import get_user_model

    admins = get_user_model().objects.filter(is_active=True, is_superuser=True).order_by("pk")
    ids = list(admins.values_list("pk", flat=True))
    return {record.pk: ids for record in records}


def reports_to_sign() -> list:
    """The drafted monthly reports, oldest first (the supervisor's desk home): one query."""
    from .models import ServiceReport

    return list(ServiceReport.objects.filter(status=ServiceReport.Status.DRAFTED).order_by("month").only("month"))


def service_report_of(month):
    """The monthly report of ``month`` (its first day), or None."""
    from .models import ServiceReport

    return ServiceReport.objects.filter(month=month).select_related("signed_by").first()


# --- the pages (complaints/views) ------------------------------------------------------------------


def handler_choices() -> dict[str, list]:
    """Whom each department's complaints may be assigned to (``handlers(department)`` of every
    department), in one query for the assign and hand-over forms: a few dozen staff."""
    from django.contrib.auth import get_user_model

    roles = {role: [] for role in DEPARTMENT_ROLE.values()}
    rows = (
        get_user_model()
        .objects.filter(is_active=True, groups__name__in=list(roles))
        .annotate(role=F("groups__name"))
        .order_by("username", "pk")
    )
    for user in rows:
        roles[user.role].append(user)
    return {department: roles[role] for department, role in DEPARTMENT_ROLE.items()}


def attachments_of(complaint: Complaint) -> list:
    """The complaint's live evidence (photos, letters, scans), oldest first: one query."""
    from jinyuan.attachments.selectors import attachments_of as kernel_attachments_of

    return list(kernel_attachments_of(complaint).order_by("uploaded_at", "pk"))


def filed_by_complainant(complaint: Complaint) -> bool:
    """Filed in the portal by the complainant themself: ``record`` makes every portal complaint
    so (the desk records the other channels), so its applicant *is* the complainant."""
    return complaint.channel == Complaint.Channel.PORTAL


RECORDED = "complaint.recorded"
# Keys of the attachment events' data that carry a file's own name (jinyuan.attachments).
FILE_NAMES = ("file_name",)


def timeline_for(complaint: Complaint, user: Any) -> list:
    """The complaint's events for a desk reader, each with ``shown_details``. Of an anonymous
    complaint, those who may not see the complainant see no file names (a photo named after
    its sender) and, where the complainant filed it in the portal, no name on the
    complainant's own steps (``hidden_actor``: filed, withdrawn, a file added); the staff's
    names stay. One query."""
    from jinyuan.workflow import labels
    from jinyuan.workflow.selectors import timeline

    events = list(timeline(complaint))
    hidden = not may_see_complainant(complaint, user)
    hide_actor = hidden and filed_by_complainant(complaint)
    for event in events:
        # The portal's anonymous record carries no actor at all (services.record): the
        # complainant's step too.
        own = event.actor_id == complaint.applicant_id or (event.actor_id is None and event.action == RECORDED)
        event.hidden_actor = hide_actor and own
        data = {k: v for k, v in event.data.items() if k not in FILE_NAMES} if hidden else event.data
        event.shown_details = labels.details(data)
    return events


def returned_visits(complaint: Complaint) -> list:
    """The complaint's return visits (回访), due first: one query."""
    from jinyuan.followups.selectors import followups_of

    return list(followups_of(complaint).order_by("due_on", "pk"))


def of_tenant(tenant: Any, limit: int = 10) -> list[Complaint]:
    """A company's latest complaints, for the desk's tenant page: one query."""
    return list(
        Complaint.objects.filter(tenant=tenant).select_related("category").order_by("-created_at", "-id")[:limit]
    )


def desk_counts(now=None) -> dict[str, int]:
    """What the desk home shows: complaints to acknowledge, replies waiting for approval,
    complaints assigned (by department) and the open ones late now. Two queries."""
    from django.db.models import Count

    counts = Complaint.objects.filter(status__in=Complaint.OPEN).aggregate(
        recorded=Count("pk", filter=Q(status=Complaint.Status.RECORDED)),
        proposed=Count("pk", filter=Q(status=Complaint.Status.PROPOSED)),
    )
    counts["overdue"] = overdue(Complaint.objects.all(), now).count()
    return counts


def assigned_count(user: Any) -> int:
    """The complaints a department's staff have to answer: assigned to them or their department."""
    return Complaint.objects.filter(
        Q(assignee=user) | Q(department__in=_departments_of(user)), status=Complaint.Status.ASSIGNED
    ).count()
