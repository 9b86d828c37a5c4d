"""Writes of quality checks 品质检查: submit a scored check (its non-conformities opened with
their rectification deadlines), record a rectification, re-check it (passed: closed; failed:
open again with a new deadline). Every step writes an audit event; the deadlines are the
kernel's, started and stopped by ``transition()``."""

import datetime as dt
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jinyuan.attachments.services import attachment_add
from jinyuan.uploads import IMAGE_TYPES
from jinyuan.workflow import deadlines
from jinyuan.workflow.services import TransitionRefused, next_number, next_numbers, record_event, transition

from .models import CheckItem, CheckScore, CheckSheet, NonConformity, QualityCheck
from .models.quality import RECTIFICATION_DEADLINE, TOTAL_PLACES

CHECK_PREFIX = "PJ"
NONCONFORMITY_PREFIX = "BHG"
FUTURE_SLACK = dt.timedelta(minutes=10)
MAX_PHOTOS = 6


@dataclass(frozen=True)
class ItemScore:
    """What the inspector entered for one item."""

    score: Any  # a Decimal, or what was typed (checked here)
    nonconforming: bool = False
    remark: str = ""


def score_field(item: CheckItem | int) -> str:
    """The form field (and error key) of an item's score."""
    return f"score_{getattr(item, 'pk', item)}"


def _as_score(value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        score = Decimal(str(value).strip())
    except InvalidOperation:
        return None
    return score if score.is_finite() else None


def score_errors(items: Sequence[CheckItem], entered: Mapping[int, ItemScore]) -> dict[str, str]:
    """Each item scored, with a number in its range and at most one decimal place."""
    errors = {}
    for item in items:
        given = entered.get(item.pk)
        score = _as_score(given.score) if given else None
        if score is None:
            errors[score_field(item)] = _("Give a score.")
        elif not (item.min_score <= score <= item.max_score):
            errors[score_field(item)] = _("The score must be between %(low)s and %(high)s.") % {
                "low": item.min_score,
                "high": item.max_score,
            }
        elif score != score.quantize(Decimal("0.1")):
            errors[score_field(item)] = _("At most one decimal place.")
    return errors


def weighted_total(rows: Iterable[Any]) -> Decimal:
    """The check's total out of 100: each item's share of its range, weighted.

    ``rows`` have ``score``, ``min_score``, ``max_score`` and ``weight`` (items as scored)."""
    rows = list(rows)
    weights = sum(r.weight for r in rows)
    if not weights:
        return Decimal(0).quantize(TOTAL_PLACES)
    points = sum(Decimal(r.weight) * (r.score - r.min_score) / (r.max_score - r.min_score) for r in rows)
    return (points * 100 / weights).quantize(TOTAL_PLACES)


def is_nonconforming(item: CheckItem | CheckScore, score: Decimal, marked: bool) -> bool:
    return marked or score < item.pass_score


def quality_check_submit(
    *,
    sheet: CheckSheet,
    by: Any,
    checked_at: dt.datetime,
    location: str,
    scores: Mapping[int, ItemScore],
    notes: str = "",
    photos: Sequence[Any] = (),
    responsible: Any = None,
    due_at: dt.datetime | None = None,
    submit_key: uuid.UUID | None = None,
    now: dt.datetime | None = None,
) -> QualityCheck:
    """A check of ``sheet`` by ``by``: the items copied with their scores, the weighted total
    stored, a non-conformity opened for each item below its pass mark (or marked so), due at
    ``due_at`` (default: the sheet's days to rectify after the check).

    ``submit_key`` (the form's): the same form sent again returns the check it recorded, and
    of two sent at once one records it (the unique key), the other returns it."""
    now = now or timezone.now()
    if submit_key is not None:
        earlier = QualityCheck.objects.filter(submit_key=submit_key).first()
        if earlier is not None:
            earlier.opened = []  # type: ignore[attr-defined]
            return earlier
    items = list(sheet.items.order_by("order", "pk"))
    errors = score_errors(items, scores)
    if not sheet.is_active:
        errors["sheet"] = _("This check sheet is no longer in use.")
    if not items:
        errors["sheet"] = _("This check sheet has no items.")
    if not (location or "").strip():
        errors["location"] = _("Say where the check was made.")
    if checked_at is None:
        errors["checked_at"] = _("Give the time of the check.")
    elif checked_at > now + FUTURE_SLACK:
        errors["checked_at"] = _("The time is in the future.")
    if len(photos) > MAX_PHOTOS:
        errors["photos"] = _("At most %(n)s files.") % {"n": MAX_PHOTOS}
    failing = [i for i in items if i.pk in scores and score_field(i) not in errors and _failing(i, scores[i.pk])]
    if failing and not errors:
        due_at = due_at or (checked_at + dt.timedelta(days=sheet.rectify_days))
        if due_at <= now:
            errors["due_at"] = _("The rectification deadline must be in the future.")
    if errors:
        raise ValidationError(errors)
    check = QualityCheck(
        submit_key=submit_key,
        sheet=sheet,
        department=sheet.department,
        checked_at=checked_at,
        location=location.strip(),
        inspector=by,
        notes=(notes or "").strip(),
        total=Decimal(0),
    )
    try:
        return _record(check, items, scores, failing, photos=photos, responsible=responsible, due_at=due_at, now=now)
    except IntegrityError:
        earlier = QualityCheck.objects.filter(submit_key=submit_key).first() if submit_key else None
        if earlier is None:
            raise
        earlier.opened = []  # type: ignore[attr-defined]  # the other submit opened them
        return earlier


def _record(
    check: QualityCheck,
    items: list[CheckItem],
    scores: Mapping[int, ItemScore],
    failing: list[CheckItem],
    *,
    photos: Sequence[Any],
    responsible: Any,
    due_at: dt.datetime | None,
    now: dt.datetime,
) -> QualityCheck:
    by = check.inspector
    with transaction.atomic():
        check.number = next_number(CHECK_PREFIX)
        rows = [
            CheckScore(
                item=item,
                order=index,
                text=item.text,
                weight=item.weight,
                min_score=item.min_score,
                max_score=item.max_score,
                pass_score=item.pass_score,
                score=_as_score(scores[item.pk].score),
                nonconforming=item in failing,
                remark=(scores[item.pk].remark or "").strip()[:200],
            )
            for index, item in enumerate(items)
        ]
        check.total = weighted_total(rows)
        check.failed_items = len(failing)
        check.save(force_insert=True)
        for row in rows:
            row.check_record = check
        CheckScore.objects.bulk_create(rows)
        record_event(
            check,
            "quality_check.submitted",
            by=by,
            note=check.notes,
            data={"total": str(check.total), "failed_items": check.failed_items, "location": check.location},
        )
        opened = _open_nonconformities(check, [r for r in rows if r.nonconforming], by, responsible, due_at, now)
        for photo in photos:
            attachment_add(record=check, upload=photo, by=by, allowed=IMAGE_TYPES)
    check.opened = opened  # type: ignore[attr-defined]
    return check


def _failing(item: CheckItem, given: ItemScore) -> bool:
    return is_nonconforming(item, _as_score(given.score), given.nonconforming)


def _open_nonconformities(
    check: QualityCheck, rows: list[CheckScore], by: Any, responsible: Any, due_at: Any, now: dt.datetime
) -> list[NonConformity]:
    if not rows:
        return []
    numbers = next_numbers(NONCONFORMITY_PREFIX, len(rows))
    opened = []
    for number, row in zip(numbers, rows, strict=True):
        description = row.remark or _("%(item)s: scored %(score)s of %(max)s") % {
            "item": row.text,
            "score": row.score,
            "max": row.max_score,
        }
        nc = NonConformity.objects.create(
            number=number,
            applicant=by,
            check_record=check,
            score=row,
            department=check.department,
            responsible=responsible,
            description=description[:300],
            due_at=due_at,
        )
        record_event(
            nc,
            "nonconformity.opened",
            by=by,
            to_state=nc.status,
            note=nc.description,
            data={"check": check.number, "responsible": str(responsible) if responsible else ""},
        )
        # A created record has no transition: its deadline starts here, as a transition would.
        deadlines.on_transition(nc, "", nc.status, now=now)
        opened.append(nc)
    return opened


def nonconformity_rectify(*, obj: NonConformity, by: Any, note: str, photos: Sequence[Any] = ()) -> NonConformity:
    """The responsible department says what it did; the rectification deadline stops (met or
    not) and the non-conformity waits for its re-check."""
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("Say what was done.")})
    with transaction.atomic():
        transition(obj, "rectify", by=by, note=note, changes={"rectification": note, "rectified_at": timezone.now()})
        for photo in photos:
            attachment_add(record=obj, upload=photo, by=by, allowed=IMAGE_TYPES)
    return obj


def nonconformity_recheck_pass(*, obj: NonConformity, by: Any, note: str = "") -> NonConformity:
    """Re-checked and found put right: closed."""
    return transition(
        obj,
        "recheck_pass",
        by=by,
        note=note,
        changes={"closed_at": timezone.now(), "rechecks": obj.rechecks + 1},
    )


def nonconformity_recheck_fail(
    *, obj: NonConformity, by: Any, note: str, due_at: dt.datetime | None, now: dt.datetime | None = None
) -> NonConformity:
    """Re-checked and not put right: open again, to be rectified by the new ``due_at`` (a new
    run of the rectification deadline, with its reminders)."""
    now = now or timezone.now()
    errors = {}
    if not (note or "").strip():
        errors["note"] = _("Say what is still wrong.")
    if due_at is None:
        errors["due_at"] = _("Give the new rectification deadline.")
    elif due_at <= now:
        errors["due_at"] = _("The rectification deadline must be in the future.")
    if errors:
        raise ValidationError(errors)
    if obj.status != NonConformity.Status.RECTIFIED:
        raise TransitionRefused(_("This action is not possible in the current state."))
    with transaction.atomic():
        # The rectification said done was not: its deadline run was missed, whenever it stopped.
        deadlines.deadline_found_missed(obj, RECTIFICATION_DEADLINE)
        return transition(
            obj,
            "recheck_fail",
            by=by,
            note=note.strip(),
            data={"due": timezone.localtime(due_at).strftime("%Y-%m-%d %H:%M")},
            changes={"due_at": due_at, "rechecks": obj.rechecks + 1, "rectified_at": None},
        )


def sheet_new_version(*, sheet: CheckSheet, by: Any) -> CheckSheet:
    """A copy of ``sheet`` as its next version, items included, to edit; the old one is taken
    out of use (its checks keep their scores: they copied them)."""
    with transaction.atomic():
        locked = CheckSheet.objects.select_for_update().get(pk=sheet.pk)
        latest = CheckSheet.objects.filter(name=locked.name).order_by("-version").first()
        copy = CheckSheet.objects.create(
            name=locked.name,
            department=locked.department,
            version=latest.version + 1,
            rectify_days=locked.rectify_days,
        )
        CheckItem.objects.bulk_create(
            CheckItem(
                sheet=copy,
                order=i.order,
                text=i.text,
                weight=i.weight,
                min_score=i.min_score,
                max_score=i.max_score,
                pass_score=i.pass_score,
            )
            for i in locked.items.order_by("order", "pk")
        )
        CheckSheet.objects.filter(pk=locked.pk).update(is_active=False)
        record_event(copy, "check_sheet.versioned", by=by, data={"from_version": locked.version})
    return copy
