"""Writes and state changes of complaints; every change through jinyuan.workflow (compare-and-swap
transitions, audit events, declared deadlines)."""

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from jinyuan.accounts.roles import DESK_ROLES, SUPERVISOR_ROLES
from jinyuan.followups.models import FollowUp
from jinyuan.followups.services import followup_schedule, visit_due_on
from jinyuan.workflow import deadlines
from jinyuan.workflow.services import check_transition, next_number, notify, record_event, transition

from .models import DEPARTMENT_ROLE, Complaint, ComplaintCategory, Department

NUMBER_PREFIX = "TS"
# Attachment kind of a complaint: what the complainant sent with it (photos, letters, scans).
EVIDENCE = "evidence"


def reply_max_length() -> int:
    return int(getattr(settings, "COMPLAINT_REPLY_MAX_LENGTH", 2000))


# --- recording ------------------------------------------------------------------------------------


def _tenant_of(user: Any) -> Any:
    from tenants.selectors import membership_for

    membership = membership_for(user)
    return membership.tenant if membership is not None else None


def _record_errors(category: Any, fields: dict[str, Any]) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not (fields.get("content") or "").strip():
        errors["content"] = _("Say what the complaint is about.")
    elif len(fields["content"]) > Complaint._meta.get_field("content").max_length:
        errors["content"] = _("Keep it to %(max)s characters.") % {
            "max": Complaint._meta.get_field("content").max_length
        }
    if category is None or not category.active:
        errors["category"] = _("Choose a category in use.")
    if fields.get("channel") not in Complaint.Channel.values:
        errors["channel"] = _("Choose how the complaint came in.")
    if fields.get("kind", Complaint.Kind.COMPLAINT) not in Complaint.Kind.values:
        errors["kind"] = _("Choose complaint, suggestion or inquiry.")
    if not fields.get("anonymous") and not (fields.get("complainant_name") or "").strip() and not fields.get("tenant"):
        errors["complainant_name"] = _("Give the complainant's name, or tick anonymous.")
    email = fields.get("complainant_email") or ""
    if email:
        from django.core.validators import validate_email

        try:
            validate_email(email)
        except ValidationError:
            errors["complainant_email"] = _("Enter a valid e-mail address.")
    return errors


@transaction.atomic
def record(*, by: Any, category: ComplaintCategory | None, **fields: Any) -> Complaint:
    """A new complaint: the desk records any channel (a call, a letter, a visitor at the
    counter); a tenant user files one in the portal, for their own company. Acknowledgement and
    reply deadlines start now."""
    if not (by and by.is_authenticated):
        raise PermissionDenied
    if not by.has_role(*DESK_ROLES):
        tenant = None if by.is_desk_staff else _tenant_of(by)
        if tenant is None:
            raise PermissionDenied
        # The portal: always the user's own company and the portal channel.
        fields["tenant"] = tenant
        fields["channel"] = Complaint.Channel.PORTAL
        if not fields.get("anonymous"):
            fields.setdefault("complainant_name", by.display_name or by.get_username())
            fields.setdefault("complainant_email", by.email or "")
    for name in ("content", "complainant_name", "complainant_phone", "complainant_email"):
        if isinstance(fields.get(name), str):
            fields[name] = fields[name].strip()
    errors = _record_errors(category, fields)
    if errors:
        raise ValidationError(errors)
    source = fields.pop("source", None)
    if source is not None:  # the record it came from (a front-desk inquiry)
        from django.contrib.contenttypes.models import ContentType

        fields["source_type"] = ContentType.objects.get_for_model(source)
        fields["source_id"] = source.pk
    complaint = Complaint.objects.create(applicant=by, category=category, number=next_number(NUMBER_PREFIX), **fields)
    # The complainant's own name stays off the timeline's actor when anonymous (the portal).
    actor = None if complaint.anonymous and not by.is_desk_staff else by
    record_event(complaint, "complaint.recorded", by=actor, to_state=complaint.status)
    # Both run from the record (a created record has no transition).
    deadlines.on_transition(complaint, "", complaint.status, now=timezone.now())
    return complaint


@transaction.atomic
def record_with_attachments(
    *, by: Any, category: ComplaintCategory | None, files: Any = (), **fields: Any
) -> Complaint:
    """``record`` and its attachments in one transaction: a bad or oversized file saves nothing."""
    complaint = record(by=by, category=category, **fields)
    attach(complaint, files=files, by=by)
    return complaint


def attach(complaint: Complaint, *, files: Any, by: Any) -> list:
    """Evidence on a complaint, content-checked (type, size) by the kernel; a bad file raises
    ValidationError on ``files``."""
    from jinyuan.attachments.services import attachment_add
    from jinyuan.uploads import DOCUMENT_TYPES

    added = []
    for upload in files or ():
        try:
            added.append(attachment_add(record=complaint, upload=upload, by=by, kind=EVIDENCE, allowed=DOCUMENT_TYPES))
        except ValidationError as exc:
            raise ValidationError({"files": exc.messages}) from exc
    return added


# --- the desk: acknowledge, assign ---------------------------------------------------------------


def acknowledge(complaint: Complaint, *, by: Any, note: str = "") -> Complaint:
    return transition(complaint, "acknowledge", by=by, note=note, changes={"acknowledged_at": timezone.now()})


def _handler(department: str, person: Any) -> tuple[str, Any]:
    errors = {}
    if department not in Department.values:
        errors["department"] = _("Choose a department.")
    elif not (
        person and person.is_active and person.has_role(DEPARTMENT_ROLE[Department(department)], *SUPERVISOR_ROLES)
    ):
        errors["assignee"] = _("Choose a person of that department.")
    if errors:
        raise ValidationError(errors)
    return department, person


def _tell_assignee(complaint: Complaint, event: str) -> None:
    notify(
        [complaint.assignee],
        message=gettext_noop("Complaint %(number)s is yours to answer"),
        args={"number": complaint.number},
        url=complaint.deadline_url,
        dedup_key=f"complaint-{complaint.pk}-{event}-{complaint.assignee_id}-{complaint.reopen_count}",
    )


def assign(complaint: Complaint, *, department: str, assignee: Any, by: Any) -> Complaint:
    check_transition(complaint, "assign", by=by)
    department, assignee = _handler(department, assignee)
    with transaction.atomic():
        transition(
            complaint,
            "assign",
            by=by,
            changes={"department": department, "assignee": assignee, "assigned_at": timezone.now()},
            data={"handling_department": department, "handled_by": str(assignee)},
        )
        _tell_assignee(complaint, "assigned")
    return complaint


def hand_over(complaint: Complaint, *, department: str, assignee: Any, by: Any, reason: str) -> Complaint:
    check_transition(complaint, "hand_over", by=by, note=reason)
    department, assignee = _handler(department, assignee)
    with transaction.atomic():
        transition(
            complaint,
            "hand_over",
            by=by,
            note=reason,
            changes={"department": department, "assignee": assignee, "assigned_at": timezone.now()},
            data={"handling_department": department, "handled_by": str(assignee)},
        )
        _tell_assignee(complaint, "handed_over")
    return complaint


# --- the reply: propose, approve or send back, send ------------------------------------------------


def _reply_text(text: str, field: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationError({field: _("Write the reply.")})
    limit = reply_max_length()
    if len(text) > limit:
        raise ValidationError(
            {
                field: _("The reply is %(length)s characters long; at most %(max)s are allowed.")
                % {"length": len(text), "max": limit}
            }
        )
    return text


def propose_reply(complaint: Complaint, *, text: str, by: Any) -> Complaint:
    """The department's proposed reply (after acting on the complaint), for the supervisor."""
    check_transition(complaint, "propose_reply", by=by)
    text = _reply_text(text, "reply_draft")
    with transaction.atomic():
        transition(complaint, "propose_reply", by=by, changes={"reply_draft": text, "proposed_by": by})
        _tell_supervisors(complaint)
    return complaint


def _tell_supervisors(complaint: Complaint) -> None:
    """A proposed reply waits for a supervisor's approval: every supervisor is told, once per
    proposal (a reply sent back and proposed again is a new one)."""
    from jinyuan.accounts.roles import Role
    from jinyuan.accounts.selectors import staff_with_role
    from jinyuan.workflow.selectors import timeline

    # Through the record's content type: the audit index starts with it (a scan otherwise).
    proposals = timeline(complaint).filter(action="complaint.reply_proposed")
    notify(
        staff_with_role(Role.SUPERVISOR),
        message=gettext_noop("Reply to complaint %(number)s waits for your approval"),
        args={"number": complaint.number},
        url=complaint.deadline_url,
        dedup_key=f"complaint-{complaint.pk}-proposed-{proposals.count()}",
    )


def approve_reply(complaint: Complaint, *, by: Any, text: str = "") -> Complaint:
    """Only a supervisor approves; they may correct the wording (``text``) as they approve."""
    check_transition(complaint, "approve_reply", by=by)
    approved = _reply_text(text or complaint.reply_draft, "approved_reply")
    return transition(
        complaint,
        "approve_reply",
        by=by,
        data={"edited": approved != complaint.reply_draft},
        changes={"approved_reply": approved, "approved_by": by, "approved_at": timezone.now()},
    )


def send_back(complaint: Complaint, *, by: Any, reason: str) -> Complaint:
    """Not good enough: back to the department, with the supervisor's reason."""
    return transition(complaint, "send_back", by=by, note=reason)


def send_reply(complaint: Complaint, *, via: str, by: Any) -> Complaint:
    """The approved reply goes out (recorded how); the complaint closes, the company's portal
    users are told, the complainant is e-mailed where they gave an address, and the return
    visit is scheduled."""
    check_transition(complaint, "send_reply", by=by)
    if via not in Complaint.ReplyVia.values:
        raise ValidationError({"reply_via": _("Choose how the reply was sent.")})
    now = timezone.now()
    with transaction.atomic():
        transition(
            complaint,
            "send_reply",
            by=by,
            note=complaint.approved_reply,
            data={"reply_via": via},
            changes={
                "reply_via": via,
                "reply_sent_at": now,
                "reply_sent_by": by,
                "reply_emailed_at": None,
                "closed_at": now,
            },
        )
        _tell_complainant(complaint)
        schedule_return_visit(complaint, by=by)
    return complaint


def _tell_complainant(complaint: Complaint) -> None:
    if complaint.tenant_id:
        from tenants.services.notifications import notify_tenant

        notify_tenant(
            complaint,
            message=gettext_noop("Complaint %(number)s has been answered"),
            args={"number": complaint.number},
            event=f"replied-{complaint.reopen_count}",
            url=complaint.deadline_portal_url,
        )
    if complaint.complainant_email:
        from .tasks import email_reply

        email_reply.delay_on_commit(complaint.pk)


def email_reply(pk: int) -> bool:
    """E-mail the sent reply to the complainant's address, once per sending: the row is claimed
    (``reply_emailed_at``) in the same statement that checks it, so a second run sends nothing."""
    now = timezone.now()
    with transaction.atomic():
        claimed = (
            Complaint.objects.filter(pk=pk, status=Complaint.Status.CLOSED, reply_emailed_at__isnull=True)
            .exclude(complainant_email="")
            .update(reply_emailed_at=now)
        )
        if not claimed:
            return False
        complaint = Complaint.objects.get(pk=pk)
        from django.core.mail import send_mail

        subject = _("Reply to your complaint %(number)s") % {"number": complaint.number}
        send_mail(subject, complaint.approved_reply, None, [complaint.complainant_email])
        record_event(complaint, "complaint.reply_emailed", by=None)
    return True


# --- waiting for the complainant ---------------------------------------------------------------


def wait_for_complainant(complaint: Complaint, *, by: Any, reason: str) -> Complaint:
    """The clock stops while the complainant is asked for what is missing (the reply deadline
    pauses; the working time left is kept)."""
    return transition(complaint, "wait_for_complainant", by=by, note=reason)


def resume(complaint: Complaint, *, by: Any, note: str = "") -> Complaint:
    return transition(complaint, "resume", by=by, note=note)


# --- validity, reopen, cancel ------------------------------------------------------------------


def mark_validity(complaint: Complaint, *, valid: bool, reason: str, by: Any) -> Complaint:
    """Valid (有效投诉) or invalid, with the reason; the desk or a supervisor, at any time before
    it is cancelled. Compare-and-swap on the validity read: of two clerks at once, one wins."""
    if not (by and by.is_authenticated and by.has_role(*DESK_ROLES)):
        raise PermissionDenied
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"validity_reason": _("Please give a reason.")})
    if len(reason) > Complaint._meta.get_field("validity_reason").max_length:
        raise ValidationError({"validity_reason": _("Keep the reason short.")})
    if complaint.status == Complaint.Status.CANCELLED:
        from jinyuan.workflow.services import TransitionRefused

        raise TransitionRefused(_("This action is not possible in the current state."))
    value = Complaint.Validity.VALID if valid else Complaint.Validity.INVALID
    with transaction.atomic():
        changed = (
            Complaint.objects.filter(pk=complaint.pk, validity=complaint.validity)
            .exclude(status=Complaint.Status.CANCELLED)
            .update(validity=value, validity_reason=reason, updated_at=timezone.now())
        )
        if not changed:
            from jinyuan.workflow.services import TransitionRefused

            raise TransitionRefused(_("Someone else has just acted on this record. Reload and check."))
        record_event(
            complaint,
            "complaint.validity_marked",
            by=by,
            note=reason,
            data={"validity": value, "previous_validity": complaint.validity},
        )
    complaint.validity, complaint.validity_reason = value, reason
    return complaint


def _reopen(complaint: Complaint, *, by: Any, reason: str, data: dict | None = None) -> Complaint:
    """Back to whoever handled it, counted; a new reply deadline runs from now and the reply
    cycle starts again (the sent reply stays on the timeline, in the event that sent it)."""
    transition(
        complaint,
        "reopen",
        by=by,
        note=reason,
        data=data,
        changes={
            "reopen_count": F("reopen_count") + 1,
            "reply_draft": "",
            "proposed_by": None,
            "approved_reply": "",
            "approved_by": None,
            "approved_at": None,
            "reply_sent_at": None,
            "reply_sent_by": None,
            "reply_via": "",
            "closed_at": None,
        },
    )
    complaint.refresh_from_db(fields=["reopen_count"])
    return complaint


def reopen(complaint: Complaint, *, by: Any, reason: str) -> Complaint:
    """The desk reopens a closed complaint the complainant is not satisfied with."""
    with transaction.atomic():
        return _reopen(complaint, by=by, reason=reason)


def reopen_after_visit(*, followup: FollowUp, by: Any) -> None:
    """The follow-ups hook: a return visit found the complainant dissatisfied (不满意). Runs in
    the visit's transaction: if the complaint cannot be reopened, the visit is not recorded."""
    complaint = Complaint.objects.get(pk=followup.object_id)
    _reopen(complaint, by=by, reason=followup.comments, data={"followup": followup.pk})


def cancel(complaint: Complaint, *, by: Any, reason: str) -> Complaint:
    """The desk cancels (recorded twice, not a complaint at all ...), with the reason."""
    return transition(complaint, "cancel", by=by, note=reason)


def withdraw(complaint: Complaint, *, by: Any, reason: str) -> Complaint:
    """The complainant withdraws their own complaint in the portal, with the reason."""
    return transition(complaint, "withdraw", by=by, note=reason)


# --- return visits 回访 -------------------------------------------------------------------------


def schedule_return_visit(complaint: Complaint, *, by: Any) -> FollowUp:
    """Every closed complaint gets a return visit, due 3 working days after closing."""
    return followup_schedule(record=complaint, due=visit_due_on(complaint.closed_at or timezone.now()), by=by)
