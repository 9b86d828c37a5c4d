"""Writes of follow-up items 跟进事项: add one to a record, mark it done, cancel it. Each writes
an audit event on the item and one on the record it belongs to, so the record's timeline tells
the whole story; the item's deadline starts and stops with it (``jinyuan.workflow.deadlines``)."""

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jinyuan.accounts.roles import STAFF_ROLES
from jinyuan.workflow import deadlines
from jinyuan.workflow.services import event_prefix, record_event, transition

from .models import ActionItem
from .models.liaison import ITEM_TEXT_MAX


def staff_users() -> models.QuerySet:
    """Who may own a follow-up item: active users holding a staff role."""
    return get_user_model().objects.filter(is_active=True, groups__name__in=list(STAFF_ROLES)).distinct()


def item_errors(*, text: str, owner: Any, due_at: dt.datetime | None, now: dt.datetime) -> dict[str, str]:
    """What is wrong with a follow-up item's text, owner and due time (the form's fields)."""
    errors = {}
    text = (text or "").strip()
    if not text:
        errors["text"] = _("Say what is to be done.")
    elif len(text) > ITEM_TEXT_MAX:
        errors["text"] = _("At most %(n)d characters.") % {"n": ITEM_TEXT_MAX}
    if owner is None:
        errors["owner"] = _("Choose who owns it.")
    elif not (owner.is_active and owner.has_role(*STAFF_ROLES)):
        errors["owner"] = _("The owner must be a member of staff.")
    if due_at is None:
        errors["due_at"] = _("Give the time it is due.")
    elif due_at <= now:
        errors["due_at"] = _("The due time must be in the future.")
    return errors


def action_item_add(
    *,
    record: models.Model,
    text: str,
    owner: Any,
    due_at: dt.datetime,
    by: Any,
    tenant: Any = None,
    now: dt.datetime | None = None,
) -> ActionItem:
    """A follow-up item on ``record``, owned by ``owner``, due at ``due_at``; its deadline starts."""
    now = now or timezone.now()
    errors = item_errors(text=text, owner=owner, due_at=due_at, now=now)
    if errors:
        raise ValidationError(errors)
    item = ActionItem(text=text.strip(), owner=owner, due_at=due_at, applicant=by, tenant=tenant)
    item.set_record(record)
    with transaction.atomic():
        item.save(force_insert=True)
        record_event(item, "action_item.created", by=by, to_state=item.status, data={"item_owner": str(owner)})
        record_event(
            record,
            f"{event_prefix(record)}.item_added",
            by=by,
            note=item.text,
            data={
                "item": item.pk,
                "item_owner": str(owner),
                "item_due": timezone.localtime(due_at).strftime("%Y-%m-%d %H:%M"),
            },
        )
        # A created record has no transition: its deadline starts here, as a transition would.
        deadlines.on_transition(item, "", item.status, now=now)
    return item


def _close(item: ActionItem, name: str, *, by: Any, note: str, record_action: str) -> ActionItem:
    note = (note or "").strip()
    if len(note) > 1000:
        raise ValidationError({"note": _("At most %(n)d characters.") % {"n": 1000}})
    with transaction.atomic():
        transition(
            item,
            name,
            by=by,
            note=note,
            changes={"outcome": note, "closed_at": timezone.now(), "closed_by": by},
        )
        record = item.record
        record_event(record, f"{event_prefix(record)}.{record_action}", by=by, note=note, data={"item": item.pk})
    return item


def action_item_complete(*, obj: ActionItem, by: Any, note: str) -> ActionItem:
    """Done, with what was done (the note); the deadline stops, met or not."""
    return _close(obj, "complete", by=by, note=note, record_action="item_done")


def action_item_cancel(*, obj: ActionItem, by: Any, note: str) -> ActionItem:
    """No longer to be done, with the reason."""
    return _close(obj, "cancel", by=by, note=note, record_action="item_cancelled")
