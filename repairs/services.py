"""Writes and state changes of repair tickets; every change through jinyuan.workflow."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jinyuan.accounts.roles import Role
from jinyuan.workflow import deadlines
from jinyuan.workflow.services import next_number, record_event, transition

from . import quotes
from .models import RepairCategory, RepairTicket

NUMBER_PREFIX = "BX"


@transaction.atomic
def report(*, by: Any, category: RepairCategory, **fields: Any) -> RepairTicket:
    """A new ticket (desk phone call, portal, or another record's finding); pool-mode
    categories go straight to the pool."""
    if not category.active:
        raise ValidationError({"category": _("This category is no longer in use.")})
    if category.emergency:
        fields.setdefault("urgency", RepairTicket.Urgency.EMERGENCY)
    source = fields.pop("source", None)
    if source is not None:
        from django.contrib.contenttypes.models import ContentType

        fields["source_type"] = ContentType.objects.get_for_model(source)
        fields["source_id"] = source.pk
    ticket = RepairTicket.objects.create(applicant=by, category=category, number=next_number(NUMBER_PREFIX), **fields)
    record_event(ticket, "repair.reported", by=by, to_state=ticket.status)
    # Response and completion run from the report (a created record has no transition).
    deadlines.on_transition(ticket, "", ticket.status, now=timezone.now())
    if category.dispatch == RepairCategory.Dispatch.POOL:
        transition(ticket, "pool", by=by)
    return ticket


def _engineer(user: Any) -> Any:
    if not (user and user.is_active and user.has_role(Role.ENGINEERING)):
        raise ValidationError({"assignee": _("Choose an engineer.")})
    return user


def assign(ticket: RepairTicket, *, engineer: Any, by: Any) -> RepairTicket:
    return transition(
        ticket, "dispatch", by=by, changes={"assignee": _engineer(engineer)}, data={"engineer": str(engineer)}
    )


def hand_over(ticket: RepairTicket, *, engineer: Any, by: Any, reason: str) -> RepairTicket:
    return transition(
        ticket,
        "hand_over",
        by=by,
        note=reason,
        changes={"assignee": _engineer(engineer), "accepted_at": None},
        data={"engineer": str(engineer)},
    )


def take(ticket: RepairTicket, *, by: Any) -> RepairTicket:
    """An engineer takes a pooled ticket; of many at once exactly one wins (compare-and-swap)."""
    return transition(ticket, "take", by=by, changes={"assignee": by, "accepted_at": timezone.now()})


def accept(ticket: RepairTicket, *, by: Any) -> RepairTicket:
    return transition(ticket, "accept", by=by, changes={"accepted_at": timezone.now()})


def arrive(ticket: RepairTicket, *, by: Any) -> RepairTicket:
    return transition(ticket, "arrive", by=by, changes={"arrived_at": timezone.now()})


def pause(ticket: RepairTicket, *, by: Any, reason: str, note: str = "") -> RepairTicket:
    if reason not in RepairTicket.PauseReason.values:
        raise ValidationError({"pause_reason": _("Choose why the work is paused.")})
    return transition(ticket, "pause", by=by, note=note, changes={"pause_reason": reason})


def resume(ticket: RepairTicket, *, by: Any) -> RepairTicket:
    return transition(ticket, "resume", by=by, changes={"pause_reason": ""})


def complete(ticket: RepairTicket, *, by: Any, materials: str = "") -> RepairTicket:
    """Work done. A paid repair needs the tenant's accepted quote, and is billed with it in the
    same transaction (repairs.quotes)."""
    with transaction.atomic():
        quotes.check_completable(ticket)
        transition(ticket, "complete", by=by, changes={"materials": materials, "completed_at": timezone.now()})
        quotes.quote_bill(ticket=ticket, by=by)
    return ticket


def close(ticket: RepairTicket, *, by: Any, note: str = "") -> RepairTicket:
    """The desk closes a completed ticket without the tenant's ratings (the tenant's own
    sign-off is ``sign_off``); its return visit is scheduled as for any closure."""
    with transaction.atomic():
        transition(ticket, "close", by=by, note=note, changes={"closed_at": timezone.now()})
        schedule_return_visit(ticket, by=by)
    return ticket


def cancel(ticket: RepairTicket, *, by: Any, reason: str) -> RepairTicket:
    return transition(ticket, "cancel", by=by, note=reason)


# --- photos (desk intake, portal, the engineer's before/after) ------------------------------------

# Attachment kinds of a ticket: the reporter's photos of the fault, the engineer's before and after.
PHOTO = "photo"
BEFORE = "before"
AFTER = "after"


def attach_photos(ticket: RepairTicket, *, photos: Any, by: Any, kind: str = PHOTO) -> list:
    """Photos on a ticket, content-checked and shrunk by the kernel. A bad one raises
    ValidationError on ``photos``; inside the caller's transaction nothing is kept then."""
    from jinyuan.attachments.services import attachment_add
    from jinyuan.uploads import IMAGE_TYPES

    added = []
    for upload in photos or ():
        try:
            added.append(attachment_add(record=ticket, upload=upload, by=by, kind=kind, allowed=IMAGE_TYPES))
        except ValidationError as exc:
            raise ValidationError({"photos": exc.messages}) from exc
    return added


@transaction.atomic
def report_with_photos(*, by: Any, category: RepairCategory, photos: Any = (), **fields: Any) -> RepairTicket:
    """``report`` and the reporter's photos in one transaction: a bad photo saves no ticket."""
    ticket = report(by=by, category=category, **fields)
    attach_photos(ticket, photos=photos, by=by, kind=PHOTO)
    return ticket


@transaction.atomic
def complete_with_photos(
    ticket: RepairTicket, *, by: Any, materials: str = "", before: Any = (), after: Any = ()
) -> RepairTicket:
    """The engineer completes with the materials used and before/after photos, all or nothing."""
    ticket = complete(ticket, by=by, materials=materials)
    attach_photos(ticket, photos=before, by=by, kind=BEFORE)
    attach_photos(ticket, photos=after, by=by, kind=AFTER)
    return ticket


# --- feedback part: sign-off, ratings, reopen, auto-close, return visits -----------------------

import datetime as dt  # noqa: E402
import math  # noqa: E402

from django.db.models import F  # noqa: E402
from django.utils.translation import gettext_noop  # noqa: E402

from jinyuan.followups.models import FollowUp  # noqa: E402
from jinyuan.followups.services import followup_schedule, visit_due_on  # noqa: E402
from jinyuan.workflow.services import check_transition  # noqa: E402

from .models import RepairRating  # noqa: E402

# Completed tickets without the tenant's word close after this many calendar days.
FEEDBACK_DAYS = 7
# At least this share of each month's other closures gets a return visit (as tenths: 3 = 30 %).
SAMPLE_TENTHS = 3
AUTO_CLOSE_BATCH = 500
SCORES = ("overall", "speed", "service")


def _score_errors(scores: dict[str, Any]) -> dict[str, str]:
    errors = {}
    for name in SCORES:
        value = scores.get(name)
        if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 5:
            errors[name] = _("Give a rating from 1 to 5.")
    return errors


@transaction.atomic
def sign_off(
    ticket: RepairTicket,
    *,
    by: Any,
    overall: int,
    speed: int,
    service: int,
    satisfied: bool,
    comment: str = "",
    channel: str = RepairRating.Channel.PORTAL,
) -> RepairRating:
    """The tenant's word on a completed repair (portal, or a form on the desk's screen).

    Satisfied: the ticket closes. Not satisfied: it is reopened to the engineer (the comment
    says why and is required). The ratings are kept either way, one row per completion. A
    second sign-off of the same completion is refused by transition()'s compare-and-swap and
    writes nothing.
    """
    # Who and when first: a second sign-off or the wrong person is refused whatever they typed.
    check_transition(ticket, "sign_off", by=by)
    comment = (comment or "").strip()
    errors = _score_errors({"overall": overall, "speed": speed, "service": service})
    if not satisfied and not comment:
        errors["comment"] = _("Tell us what is still wrong.")
    if channel not in RepairRating.Channel.values:
        errors["channel"] = _("Choose where the tenant signed off.")
    if errors:
        raise ValidationError(errors)
    round_ = ticket.reopen_count
    engineer_id, category_id = ticket.assignee_id, ticket.category_id
    scores = {"overall": overall, "speed": speed, "service": service, "satisfied": satisfied, "channel": channel}
    # On the timeline "channel" names a follow-up's way of contact; the sign-off's is its own.
    event_data = {**{k: v for k, v in scores.items() if k != "channel"}, "signed_via": channel}
    if satisfied:
        transition(ticket, "sign_off", by=by, note=comment, data=event_data, changes={"closed_at": timezone.now()})
    else:
        _reopen(ticket, by=by, reason=comment, data=event_data)
    rating = RepairRating.objects.create(
        ticket=ticket,
        round=round_,
        engineer_id=engineer_id,
        category_id=category_id,
        signed_by=by,
        comment=comment,
        **scores,
    )
    if satisfied:
        schedule_return_visit(ticket, by=by)
    return rating


def _reopen(ticket: RepairTicket, *, by: Any, reason: str, data: dict | None = None) -> RepairTicket:
    """Back to the engineer (or the desk / pool without one); counted; response and completion
    start again from now (the deadlines of the states it re-enters)."""
    check_transition(ticket, "reopen", by=by, note=reason)
    transition(
        ticket,
        "reopen",
        by=by,
        note=reason,
        data=data,
        changes={
            "reopen_count": F("reopen_count") + 1,
            "accepted_at": None,
            "arrived_at": None,
            "completed_at": None,
            "closed_at": None,
            "pause_reason": "",
        },
    )
    ticket.refresh_from_db(fields=["reopen_count"])
    return ticket


def reopen(ticket: RepairTicket, *, by: Any, reason: str) -> RepairTicket:
    """Reopen a completed or closed ticket the tenant is not satisfied with."""
    with transaction.atomic():
        return _reopen(ticket, by=by, reason=reason)


def reopen_after_visit(*, followup: FollowUp, by: Any) -> None:
    """The follow-ups hook: a return visit found the tenant dissatisfied (不满意). Runs in the
    visit's transaction: if the ticket cannot be reopened, the visit is not recorded either."""
    ticket = RepairTicket.objects.select_related("category").get(pk=followup.object_id)
    _reopen(ticket, by=by, reason=followup.comments, data={"followup": followup.pk})


def auto_close_due(now: dt.datetime | None = None) -> int:
    """Close the completed tickets nobody gave feedback on in 7 days, as the system (by=None),
    each with an event saying so; schedule their return visits. Safe to run twice, also at
    once: rows are taken with SKIP LOCKED and the transition is compare-and-swap."""
    from .selectors import feedback_due

    now = now or timezone.now()
    closed = 0
    while True:
        with transaction.atomic():
            batch = list(
                feedback_due(now)
                .select_related("category")
                .select_for_update(skip_locked=True, of=("self",))
                .order_by("completed_at", "pk")[:AUTO_CLOSE_BATCH]
            )
            for ticket in batch:
                transition(
                    ticket,
                    "auto_close",
                    by=None,
                    note=gettext_noop("no feedback in 7 days"),
                    data={"feedback_days": FEEDBACK_DAYS},
                    changes={"closed_at": now},
                )
                schedule_return_visit(ticket, by=None)
            closed += len(batch)
        if len(batch) < AUTO_CLOSE_BATCH:
            return closed


# --- return visits 回访 -------------------------------------------------------------------------


def sampled(k: int) -> bool:
    """Whether the k-th other closure of a month is visited: whenever ceil(0.3·k) steps up.
    After any n closures, ceil(0.3·n) of them are visited: at least 30 % whatever n is."""
    return math.ceil(SAMPLE_TENTHS * k / 10) > math.ceil(SAMPLE_TENTHS * (k - 1) / 10)


def _nth_other_closure(closed_at: dt.datetime) -> int:
    """Count this closure among its month's other closures. The kernel's gapless counter
    (insert-or-increment, the row locked until commit): two closures at once never get the
    same k, and a rollback gives k back."""
    local = timezone.localtime(closed_at)
    number = next_number(f"BXHF{local.month:02d}", year=local.year)
    return int(number.rsplit("-", 1)[1])


def visit_reason(ticket: RepairTicket) -> str:
    """Why a closing ticket gets a return visit ("" when it does not), counting the sample."""
    if ticket.category.paid:
        return "paid"
    if ticket.reopen_count > 0:
        return "unsatisfied"
    k = _nth_other_closure(ticket.closed_at or timezone.now())
    return f"sample:{k}" if sampled(k) else ""


def schedule_return_visit(ticket: RepairTicket, *, by: Any) -> FollowUp | None:
    """Schedule the return visit of a ticket that has just closed, when it needs one (every
    paid one, every one rated unsatisfied, a sample of at least 30 % of the rest)."""
    reason = visit_reason(ticket)
    if not reason:
        return None
    visit = followup_schedule(record=ticket, due=visit_due_on(ticket.closed_at or timezone.now()), by=by)
    record_event(ticket, "repair.visit_chosen", by=by, data={"visit_reason": reason, "followup": visit.pk})
    return visit
