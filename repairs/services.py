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
    """Closing after the tenant's sign-off (the sign-off part calls this)."""
    return transition(ticket, "close", by=by, note=note, changes={"closed_at": timezone.now()})


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
