"""Writes of visitor inquiries: logging (with its line in the duty log), answering, turning one
into a repair ticket or a complaint (exactly one, under the inquiry's row lock), escalating to
the supervisor and the supervisor's answer."""

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from complaints import services as complaint_services
from jinyuan.phones import normalize_mobile, validate_phone
from jinyuan.workflow.services import TransitionRefused, check_transition, record_event, transition
from repairs import services as repair_services

from . import duty_services
from .models import DutyEntry, Inquiry

QUESTION_MAX = Inquiry._meta.get_field("question").max_length
ANSWER_MAX = Inquiry._meta.get_field("answer").max_length

# The duty log's kind of an inquiry's line, by channel.
ENTRY_KIND = {Inquiry.Channel.WALK_IN: DutyEntry.Kind.VISITOR, Inquiry.Channel.PHONE: DutyEntry.Kind.PHONE}


def _text_errors(name: str, value: str, limit: int, empty: str) -> dict[str, str]:
    if not value:
        return {name: empty}
    if len(value) > limit:
        return {name: _("Keep it to %(max)s characters.") % {"max": limit}}
    return {}


def _entry_text(inquiry: Inquiry) -> str:
    company = f"{inquiry.tenant.name} · " if inquiry.tenant_id else ""
    return f"{inquiry.get_kind_display()}: {company}{inquiry.question}"[: duty_services.TEXT_MAX]


@transaction.atomic
def inquiry_log(
    *,
    by: Any,
    channel: str,
    kind: str,
    question: str,
    answer: str = "",
    tenant: Any = None,
    unit: Any = None,
    visitor_name: str = "",
    visitor_phone: str = "",
    now: dt.datetime | None = None,
) -> Inquiry:
    """Log an inquiry or walk-in request in the live shift; with an answer it is answered at once.
    Its line in the duty log links to it and stays open until it is resolved."""
    now = now or timezone.now()
    question, answer = (question or "").strip(), (answer or "").strip()
    visitor_phone = normalize_mobile(visitor_phone or "")
    errors = _text_errors("question", question, QUESTION_MAX, _("Write what the visitor asked."))
    if len(answer) > ANSWER_MAX:
        errors["answer"] = _("Keep it to %(max)s characters.") % {"max": ANSWER_MAX}
    if channel not in Inquiry.Channel.values:
        errors["channel"] = _("Choose walk-in or phone.")
    if kind not in Inquiry.Kind.values:
        errors["kind"] = _("Choose a kind from the list.")
    if visitor_phone:
        try:
            validate_phone(visitor_phone)
        except ValidationError as exc:
            errors["visitor_phone"] = exc.messages[0]
    if errors:
        raise ValidationError(errors)
    shift = duty_services.shift_open(by=by, now=now)
    inquiry = Inquiry.objects.create(
        applicant=by,
        received_at=now,
        channel=channel,
        kind=kind,
        question=question,
        tenant=tenant,
        unit=unit,
        visitor_name=(visitor_name or "").strip()[:40],
        visitor_phone=visitor_phone,
        shift=shift,
    )
    record_event(inquiry, "inquiry.logged", by=by, to_state=inquiry.status)
    duty_services.entry_log(
        by=by, kind=ENTRY_KIND[channel], text=_entry_text(inquiry), is_open=not answer, record=inquiry, now=now
    )
    if answer:
        transition(inquiry, "answer_it", by=by, changes={"answer": answer})
    return inquiry


def _resolved(inquiry: Inquiry, *, by: Any, how: str) -> None:
    duty_services.entries_close_for(inquiry, by=by, note=how)


@transaction.atomic
def inquiry_answer(*, obj: Inquiry, by: Any, answer: str) -> Inquiry:
    answer = (answer or "").strip()
    errors = _text_errors("answer", answer, ANSWER_MAX, _("Write the answer given."))
    if errors:
        raise ValidationError(errors)
    transition(obj, "answer_it", by=by, changes={"answer": answer})
    _resolved(obj, by=by, how=_("Answered: %(answer)s") % {"answer": answer})
    return obj


def _locked_open(obj: Inquiry, by: Any) -> Inquiry:
    """The inquiry's row, locked until the transaction ends: a double submit or a second clerk
    waits here, then finds it converted and makes nothing."""
    locked = Inquiry.objects.select_for_update(of=("self",)).select_related("repair", "complaint").get(pk=obj.pk)
    if locked.status == Inquiry.Status.CONVERTED:
        raise TransitionRefused(_("This inquiry has already become %(ticket)s.") % {"ticket": locked.ticket})
    check_transition(locked, "convert", by=by)
    return locked


@transaction.atomic
def inquiry_to_repair(*, obj: Inquiry, by: Any, category: Any, photos: Any = (), **fields: Any) -> Inquiry:
    """Turn the inquiry into one repair ticket whose source is the inquiry (the details carried
    over by the form: company, unit, caller, phone, description)."""
    locked = _locked_open(obj, by)
    ticket = repair_services.report_with_photos(by=by, category=category, photos=photos, source=locked, **fields)
    transition(locked, "convert", by=by, changes={"repair": ticket}, data={"ticket": ticket.number})
    _resolved(locked, by=by, how=_("Repair ticket %(number)s") % {"number": ticket.number})
    return locked


@transaction.atomic
def inquiry_to_complaint(*, obj: Inquiry, by: Any, category: Any, files: Any = (), **fields: Any) -> Inquiry:
    """Turn the inquiry into one complaint whose source is the inquiry."""
    locked = _locked_open(obj, by)
    complaint = complaint_services.record_with_attachments(
        by=by, category=category, files=files, source=locked, **fields
    )
    transition(locked, "convert", by=by, changes={"complaint": complaint}, data={"ticket": complaint.number})
    _resolved(locked, by=by, how=_("Complaint %(number)s") % {"number": complaint.number})
    return locked


def inquiry_escalate(*, obj: Inquiry, by: Any, note: str) -> Inquiry:
    """What the desk cannot solve goes to the supervisor; the answer deadline starts."""
    return transition(obj, "escalate", by=by, note=note)


@transaction.atomic
def inquiry_close(*, obj: Inquiry, by: Any, note: str, now: dt.datetime | None = None) -> Inquiry:
    """The supervisor answers an escalated inquiry and closes it."""
    note = (note or "").strip()
    now = now or timezone.now()
    transition(obj, "close", by=by, note=note, changes={"supervisor_note": note[:ANSWER_MAX], "closed_at": now})
    _resolved(obj, by=by, how=_("Answered by the supervisor: %(note)s") % {"note": note})
    return obj
