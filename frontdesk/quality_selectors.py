"""Reads of quality checks: the registers, a check's page, the non-conformities a member of
staff may see, and the monthly scores per department and per item (aggregated in the
database: one query for each table, this month and last side by side)."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Avg, Count, DecimalField, ExpressionWrapper, F, Max, Q, QuerySet
from django.db.models.functions import Round
from django.shortcuts import get_object_or_404
from django.utils import timezone

from billing.collection import add_months, month_start
from jinyuan.accounts.roles import DESK_ROLES
from jinyuan.attachments.selectors import attachments_of

from .models import CheckScore, CheckSheet, NonConformity, QualityCheck
from .models.quality import DEPARTMENT_ROLES, Department

OPEN_STATES = (NonConformity.Status.OPEN, NonConformity.Status.RECTIFIED)


def checks() -> QuerySet[QualityCheck]:
    return QualityCheck.objects.all()


def check_for_desk(pk: int) -> QualityCheck:
    return get_object_or_404(checks().select_related("sheet", "inspector"), pk=pk)


def scores_of(check: QualityCheck) -> list[CheckScore]:
    return list(check.scores.select_related("nonconformity").order_by("order", "pk"))


def photos_of(record: Any) -> list:
    return list(attachments_of(record).order_by("uploaded_at", "id"))


def active_sheets() -> QuerySet[CheckSheet]:
    return CheckSheet.objects.filter(is_active=True).annotate(item_count=Count("items")).order_by("department", "name")


def sheet_for_check(pk: int) -> CheckSheet:
    return get_object_or_404(CheckSheet.objects.filter(is_active=True), pk=pk)


def departments_of(user: Any) -> list[str]:
    """The departments whose non-conformities a member of staff answers for, by role."""
    return [dept for dept, role in DEPARTMENT_ROLES.items() if user.has_role(role)]


def nonconformities_for(user: Any) -> QuerySet[NonConformity]:
    """Every one for the desk and supervisors; else their department's and their own."""
    qs = NonConformity.objects.all()
    if user.has_role(*DESK_ROLES):
        return qs
    return qs.filter(Q(department__in=departments_of(user)) | Q(responsible=user))


def nonconformity_for(pk: int, user: Any) -> NonConformity:
    return get_object_or_404(
        nonconformities_for(user).select_related("check_record", "score", "responsible"),
        pk=pk,
    )


def open_nonconformities() -> int:
    """Open and awaiting re-check: one query."""
    return NonConformity.objects.filter(status__in=OPEN_STATES).count()


# --- monthly scores ------------------------------------------------------------------------------


def month_range(month: dt.date) -> tuple[dt.datetime, dt.datetime]:
    return month_start(month), month_start(add_months(month, 1))


def this_month() -> dt.date:
    return timezone.localdate().replace(day=1)


def _avg(field: Any, start: dt.datetime, end: dt.datetime, at: str) -> Any:
    return Round(Avg(field, filter=Q(**{f"{at}__gte": start, f"{at}__lt": end})), 2)


@dataclass(frozen=True)
class ScoreRow:
    label: str
    checks: int
    score: Decimal | None
    last: Decimal | None
    department: str = ""

    @property
    def change(self) -> Decimal | None:
        return None if self.score is None or self.last is None else self.score - self.last


def department_scores(month: dt.date) -> list[ScoreRow]:
    """Each department's average check total in ``month`` and in the month before, and its
    number of checks in ``month``: one query. Every department has a row."""
    start, end = month_range(month)
    last_start = month_start(add_months(month, -1))
    rows = {
        r["department"]: r
        for r in QualityCheck.objects.filter(checked_at__gte=last_start, checked_at__lt=end)
        .values("department")
        .annotate(
            score=_avg("total", start, end, "checked_at"),
            last=_avg("total", last_start, start, "checked_at"),
            checks=Count("pk", filter=Q(checked_at__gte=start)),
        )
        .order_by()
    }
    return [
        ScoreRow(
            label=str(label),
            department=dept,
            checks=rows.get(dept, {}).get("checks", 0),
            score=rows.get(dept, {}).get("score"),
            last=rows.get(dept, {}).get("last"),
        )
        for dept, label in Department.choices
    ]


def item_scores(month: dt.date) -> list[ScoreRow]:
    """Each item's average score as a share of its range (0–100) in ``month`` and the month
    before, per department, for the items scored in either: one query."""
    start, end = month_range(month)
    last_start = month_start(add_months(month, -1))
    percent = ExpressionWrapper(
        (F("score") - F("min_score")) * 100 / (F("max_score") - F("min_score")),
        output_field=DecimalField(max_digits=7, decimal_places=2),
    )
    at = "check_record__checked_at"
    rows = (
        CheckScore.objects.filter(**{f"{at}__gte": last_start, f"{at}__lt": end})
        .values("check_record__department", "item_id")
        .annotate(
            label=Max("text"),
            now_avg=_avg(percent, start, end, at),
            last_avg=_avg(percent, last_start, start, at),
            scored=Count("pk", filter=Q(**{f"{at}__gte": start})),
            position=Max("order"),
        )
        .order_by("check_record__department", "position", "item_id")
    )
    labels = dict(Department.choices)
    return [
        ScoreRow(
            label=r["label"],
            department=str(labels.get(r["check_record__department"], "")),
            checks=r["scored"],
            score=r["now_avg"],
            last=r["last_avg"],
        )
        for r in rows
    ]


def department_series(start: dt.date, end: dt.date) -> list[tuple[str, Decimal]]:
    """The dashboard figure: each department's average check total over ``[start, end)`` (two
    dates), 0 for a department without checks: one query."""
    begin = dt.datetime.combine(start, dt.time.min, timezone.get_current_timezone())
    until = dt.datetime.combine(end, dt.time.min, timezone.get_current_timezone())
    rows = dict(
        QualityCheck.objects.filter(checked_at__gte=begin, checked_at__lt=until)
        .values("department")
        .annotate(score=Round(Avg("total"), 2))
        .order_by()
        .values_list("department", "score")
    )
    return [(str(label), rows.get(dept) or Decimal(0)) for dept, label in Department.choices]


def department_series_now() -> list[tuple[str, Decimal]]:
    month = this_month()
    return department_series(month, add_months(month, 1))
