"""Writes of emergency records 应急事件: record one, update the response, add follow-up items,
create a repair ticket from it (one, even on a double submit), link other records, close it
with the supervisor's summary. Every step writes an audit event on the emergency."""

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jinyuan.accounts.roles import STAFF_ROLES
from jinyuan.records import content_type_of, of_record
from jinyuan.workflow.services import TransitionRefused, next_number, record_event, transition

from . import action_services, emergency_links
from .models import ActionItem, Emergency, EmergencyLink

NUMBER_PREFIX = "YJ"
# The repair ticket made from an emergency is linked under this kind (frontdesk.liaison_menus).
REPAIR_LINK = "repair"
FUTURE_SLACK = dt.timedelta(minutes=10)


def _check_staff(users: Sequence[Any]) -> None:
    if any(not (u.is_active and u.has_role(*STAFF_ROLES)) for u in users):
        raise ValidationError({"responders": _("Only members of staff can be chosen here.")})


def _response_data(obj: Emergency, responders: Sequence[Any]) -> dict:
    """What the timeline shows of a response: who responded, the outside help called."""
    return {"responders": [str(u) for u in responders], "outside_help": obj.outside_help}


def _must_be_open(obj: Emergency) -> None:
    if obj.status != Emergency.Status.OPEN:
        raise TransitionRefused(_("This emergency record is closed."))


def emergency_report(
    *,
    by: Any,
    kind: str,
    occurred_at: dt.datetime,
    building: Any,
    description: str,
    floor: Any = None,
    place: str = "",
    responders: Sequence[Any] = (),
    outside_help: str = "",
    actions: str = "",
    tenants: Sequence[Any] = (),
    now: dt.datetime | None = None,
) -> Emergency:
    now = now or timezone.now()
    errors = {}
    if kind not in Emergency.Kind.values:
        errors["kind"] = _("Choose what kind of emergency it is.")
    if occurred_at is None:
        errors["occurred_at"] = _("Give the time it happened.")
    elif occurred_at > now + FUTURE_SLACK:
        errors["occurred_at"] = _("The time is in the future.")
    if not (description or "").strip():
        errors["description"] = _("Say what happened.")
    if floor is not None and building is not None and floor.building_id != building.pk:
        errors["floor"] = _("This floor is in another building.")
    if errors:
        raise ValidationError(errors)
    responders = list(responders)
    _check_staff(responders)
    with transaction.atomic():
        obj = Emergency.objects.create(
            applicant=by,
            number=next_number(NUMBER_PREFIX),
            kind=kind,
            occurred_at=occurred_at,
            building=building,
            floor=floor,
            place=(place or "").strip(),
            description=description.strip(),
            outside_help=(outside_help or "").strip(),
            actions=(actions or "").strip(),
        )
        obj.responders.set(responders)
        obj.tenants.set(list(tenants))
        record_event(obj, "emergency.reported", by=by, to_state=obj.status, data=_response_data(obj, responders))
    return obj


def emergency_update(
    *,
    obj: Emergency,
    by: Any,
    responders: Sequence[Any],
    outside_help: str,
    actions: str,
    tenants: Sequence[Any] | None = None,
) -> Emergency:
    """Who responded, the outside help called and the actions taken, as they now stand; the
    tenants affected too, unless ``tenants`` is None (left as they are)."""
    _must_be_open(obj)
    responders = list(responders)
    _check_staff(responders)
    with transaction.atomic():
        locked = Emergency.objects.select_for_update().get(pk=obj.pk)
        _must_be_open(locked)
        obj.outside_help = (outside_help or "").strip()
        obj.actions = (actions or "").strip()
        obj.save(update_fields=["outside_help", "actions", "updated_at"])
        obj.responders.set(responders)
        data = _response_data(obj, responders)
        if tenants is not None:
            tenants = list(tenants)
            obj.tenants.set(tenants)
            data["tenants"] = [t.name for t in tenants]
        record_event(obj, "emergency.updated", by=by, note=obj.actions, data=data)
    return obj


def emergency_add_item(*, obj: Emergency, by: Any, text: str, owner: Any, due_at: dt.datetime) -> ActionItem:
    """A follow-up item of the emergency (its timeline shows it: ``emergency.item_added``)."""
    with transaction.atomic():
        # Locked: a close running at the same moment waits, and no item lands on a closed record.
        _must_be_open(Emergency.objects.select_for_update().get(pk=obj.pk))
        return action_services.action_item_add(record=obj, text=text, owner=owner, due_at=due_at, by=by)


def repair_ticket_of(obj: Emergency) -> Any:
    from repairs.models import RepairTicket

    return (
        RepairTicket.objects.filter(source_type=ContentType.objects.get_for_model(Emergency), source_id=obj.pk)
        .order_by("pk")
        .first()
    )


def emergency_create_ticket(*, obj: Emergency, by: Any, category: Any, description: str = "") -> tuple[Any, bool]:
    """A repair ticket from the emergency, its ``source`` the emergency, linked to it. The
    emergency's row is locked first, so of two submits (a double click, two clerks) the second
    waits and finds the first one's ticket: ``(ticket, created)``."""
    from repairs import services as repairs

    with transaction.atomic():
        locked = Emergency.objects.select_for_update().get(pk=obj.pk)
        existing = repair_ticket_of(locked)
        if existing is not None:
            return existing, False
        _must_be_open(locked)
        text = (description or "").strip() or f"{locked.get_kind_display()}: {locked.description}"
        ticket = repairs.report(
            by=by,
            category=category,
            place=locked.place_text[:100],
            reporter_name=str(by)[:40],
            phone="",
            description=text[:1000],
            urgency="emergency",
            source=locked,
        )
        _add_link(locked, by=by, kind=REPAIR_LINK, record=ticket, label=f"{ticket.number} {category.name}")
        record_event(locked, "emergency.ticket_created", by=by, data={"repair_ticket": ticket.number})
    return ticket, True


def _add_link(obj: Emergency, *, by: Any, kind: str, record: Any, label: str) -> EmergencyLink:
    link = EmergencyLink(emergency=obj, kind=kind, label=label[:120], created_by=by)
    link.set_record(record)
    link.save(force_insert=True)
    return link


def emergency_link(*, obj: Emergency, by: Any, kind: str, number: str) -> EmergencyLink:
    """Link an existing record (a repair ticket by its number ...) to the emergency."""
    linkable = emergency_links.linkable(kind)
    if linkable is None:
        raise ValidationError({"kind": _("Choose what kind of record to link.")})
    number = (number or "").strip()
    if not number:
        raise ValidationError({"number": _("Give the record's number.")})
    record = linkable.find(number)
    if record is None:
        raise ValidationError({"number": _("No record with this number.")})
    if EmergencyLink.objects.filter(emergency=obj, content_type=content_type_of(record), object_id=record.pk).exists():
        raise ValidationError({"number": _("This record is already linked.")})
    try:
        with transaction.atomic():
            _must_be_open(Emergency.objects.select_for_update().get(pk=obj.pk))
            link = _add_link(obj, by=by, kind=kind, record=record, label=linkable.describe(record))
            record_event(obj, "emergency.linked", by=by, data={"linked_record": link.label})
    except IntegrityError as exc:  # linked by someone else a moment ago
        raise ValidationError({"number": _("This record is already linked.")}) from exc
    return link


def emergency_close(*, obj: Emergency, by: Any, note: str) -> Emergency:
    """The supervisor closes the record with a summary (the note)."""
    summary = (note or "").strip()
    if not summary:
        raise ValidationError({"note": _("Write the closing summary.")})
    return transition(obj, "close", by=by, note=summary, changes={"summary": summary, "closed_at": timezone.now()})


def emergency_void(*, obj: Emergency, by: Any, note: str) -> Emergency:
    """Void a record made by mistake; its open follow-up items are cancelled with the same reason
    (as a voided visit's), so their deadlines stop reminding and escalating."""
    with transaction.atomic():
        transition(obj, "void", by=by, note=note)
        for item in of_record(ActionItem.objects, obj).filter(status=ActionItem.Status.OPEN).order_by("pk"):
            action_services.action_item_cancel(obj=item, by=by, note=note)
    return obj
