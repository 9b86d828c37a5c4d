"""Writes of tenant liaison 业户走访: record a visit with the needs raised (each a follow-up
item with an owner and a due time, in the same transaction), void a visit recorded by mistake."""

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jinyuan.accounts.roles import STAFF_ROLES
from jinyuan.records import of_record
from jinyuan.workflow.services import record_event, transition

from . import action_services
from .models import ActionItem, Visit

# A visit is recorded when it happened: a little clock skew between a phone and the server.
FUTURE_SLACK = dt.timedelta(minutes=10)


def visit_errors(*, visited_at: dt.datetime | None, staff: Sequence[Any], met_name: str, topics: str, now) -> dict:
    errors = {}
    if visited_at is None:
        errors["visited_at"] = _("Give the time of the visit.")
    elif visited_at > now + FUTURE_SLACK:
        errors["visited_at"] = _("A visit is recorded after it took place: the time is in the future.")
    if not staff:
        errors["staff"] = _("Choose who made the visit.")
    elif any(not (u.is_active and u.has_role(*STAFF_ROLES)) for u in staff):
        errors["staff"] = _("Only members of staff make visits.")
    if not (met_name or "").strip():
        errors["met_name"] = _("Whom did you meet?")
    if not (topics or "").strip():
        errors["topics"] = _("Note the topics discussed.")
    return errors


def visit_record(
    *,
    by: Any,
    tenant: Any,
    visited_at: dt.datetime,
    staff: Sequence[Any],
    met_name: str,
    topics: str,
    met_title: str = "",
    channel: str = Visit.Channel.ON_SITE,
    impression: str = "",
    plan: Any = None,
    needs: Iterable[dict] = (),
    now: dt.datetime | None = None,
) -> Visit:
    """A visit and its needs: ``needs`` are dicts ``text``, ``owner``, ``due_at``; each becomes a
    follow-up item of the visit for the company. All or nothing."""
    now = now or timezone.now()
    staff = list(staff)
    errors = visit_errors(visited_at=visited_at, staff=staff, met_name=met_name, topics=topics, now=now)
    if channel not in Visit.Channel.values:
        errors["channel"] = _("Choose how the visit was made.")
    if impression and impression not in Visit.Impression.values:
        errors["impression"] = _("Choose an impression from the list.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        visit = Visit.objects.create(
            applicant=by,
            tenant=tenant,
            plan=plan,
            visited_at=visited_at,
            met_name=met_name.strip(),
            met_title=(met_title or "").strip(),
            channel=channel,
            topics=topics.strip(),
            impression=impression or "",
        )
        visit.staff.set(staff)
        needs = list(needs)
        record_event(
            visit,
            "liaison_visit.recorded",
            by=by,
            to_state=visit.status,
            data={"visit_staff": [str(u) for u in staff], "needs_raised": len(needs)},
        )
        for need in needs:
            action_services.action_item_add(
                record=visit,
                tenant=tenant,
                by=by,
                now=now,
                text=need["text"],
                owner=need["owner"],
                due_at=need["due_at"],
            )
    return visit


def visit_void(*, obj: Visit, by: Any, note: str) -> Visit:
    """Void a visit recorded by mistake; its open needs are cancelled with the same reason."""
    with transaction.atomic():
        transition(obj, "void", by=by, note=note)
        items = of_record(ActionItem.objects, obj).filter(status=ActionItem.Status.OPEN).order_by("pk")
        for item in items:
            action_services.action_item_cancel(obj=item, by=by, note=note)
    return obj
