"""Records of the quality check tests: sheets with items, checks submitted through the service."""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from frontdesk import quality_services
from frontdesk.models import CheckItem, CheckSheet
from frontdesk.models.quality import Department
from frontdesk.quality_services import ItemScore

# (standard, weight, max score, pass mark): a cleaning sheet of three items, weights 2, 1, 1.
CLEANING_ITEMS = (
    ("大堂地面无污渍、无积水", 2, 10, 6),
    ("卫生间无异味，纸巾洗手液齐全", 1, 10, 6),
    ("垃圾桶及时清理，不满溢", 1, 5, 3),
)


def make_sheet(department=Department.CLEANING, items=CLEANING_ITEMS, name: str = "", **over) -> CheckSheet:
    sheet = CheckSheet.objects.create(name=name or f"{department}检查表", department=department, **over)
    CheckItem.objects.bulk_create(
        CheckItem(sheet=sheet, order=i, text=text, weight=weight, max_score=high, pass_score=passing)
        for i, (text, weight, high, passing) in enumerate(items)
    )
    return sheet


def items_of(sheet: CheckSheet) -> list[CheckItem]:
    return list(sheet.items.order_by("order", "pk"))


def make_check(sheet: CheckSheet, by, scores=None, *, at: dt.datetime | None = None, marked=(), **over):
    """A check of ``sheet`` with ``scores`` in item order (default: every item at its maximum)."""
    items = items_of(sheet)
    scores = scores if scores is not None else [i.max_score for i in items]
    entered = {
        item.pk: ItemScore(Decimal(str(score)), nonconforming=index in marked)
        for index, (item, score) in enumerate(zip(items, scores, strict=True))
    }
    at = at or timezone.now() - dt.timedelta(hours=1)
    fields = {"checked_at": at, "location": "A座大堂", **over}
    now = over.pop("now", None) or max(timezone.now(), at + dt.timedelta(minutes=1))
    fields.pop("now", None)
    return quality_services.quality_check_submit(sheet=sheet, by=by, scores=entered, now=now, **fields)


def later(hours: float = 24) -> dt.datetime:
    return timezone.now() + dt.timedelta(hours=hours)
