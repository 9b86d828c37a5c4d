"""Monthly scores per department and per item, and the dashboard's quality figures, from a
fixed data set: they equal the hand-computed values."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from frontdesk import quality_selectors, quality_services
from frontdesk.models import NonConformity
from frontdesk.models.quality import Department
from jinyuan import navigation as nav
from tests.frontdesk.quality_data import make_check, make_sheet

pytestmark = pytest.mark.django_db

TZ = timezone.get_fixed_timezone(8 * 60)
NOW = dt.datetime(2026, 11, 20, 10, 0, tzinfo=TZ)


def at(month: int, day: int, hour: int = 10) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, 0, tzinfo=TZ)


@pytest.fixture
def data(supervisor):
    """Cleaning (weights 2, 1, 1; ranges 10, 10, 5):
        Nov 3  [8, 5, 5]  -> (1.6 + 0.5 + 1) / 4 = 77.50
        Nov 10 [10, 10, 5] -> 100.00
        Oct 31 23:30 [5, 5, 5] -> (1 + 0.5 + 1) / 4 = 62.50   (last month, by local time)
    Security (one item 0-10, weight 1):
        Nov 1 00:10 [6] -> 60.00; Nov 30 23:59 [9] -> 90.00; Dec 1 00:00 [1] -> next month.
    Engineering: no checks.
    """
    with time_machine.travel(NOW + dt.timedelta(days=15), tick=False):
        cleaning = make_sheet()
        security = make_sheet(Department.SECURITY, items=(("岗亭值守，着装规范", 1, 10, 6),))
        for when, scores in (
            (at(11, 3), [8, 5, 5]),
            (at(11, 10), [10, 10, 5]),
            (at(10, 31, 23) + dt.timedelta(minutes=30), [5, 5, 5]),
        ):
            make_check(cleaning, supervisor, scores, at=when, due_at=at(12, 30))
        for when, scores in (
            (at(11, 1, 0) + dt.timedelta(minutes=10), [6]),
            (at(11, 30, 23) + dt.timedelta(minutes=59), [9]),
            (at(12, 1, 0), [1]),
        ):
            make_check(security, supervisor, scores, at=when, due_at=at(12, 30))
    return cleaning, security


def test_department_scores_this_month_against_last(data):
    with timezone.override(TZ):
        rows = {r.department: r for r in quality_selectors.department_scores(dt.date(2026, 11, 1))}
    assert (rows["cleaning"].score, rows["cleaning"].last, rows["cleaning"].checks) == (
        Decimal("88.75"),
        Decimal("62.50"),
        2,
    )
    assert rows["cleaning"].change == Decimal("26.25")
    assert (rows["security"].score, rows["security"].last, rows["security"].checks) == (Decimal("75.00"), None, 2)
    assert (rows["engineering"].score, rows["engineering"].checks) == (None, 0)


def test_item_scores_are_each_items_share_of_its_range(data, english):
    with timezone.override(TZ):
        rows = quality_selectors.item_scores(dt.date(2026, 11, 1))
    got = [(r.department, r.label, r.score, r.last, r.checks) for r in rows]
    assert got == [
        # floor: 80, 100 -> 90; Oct 50
        ("Cleaning", "大堂地面无污渍、无积水", Decimal("90.00"), Decimal("50.00"), 2),
        # toilets: 50, 100 -> 75; Oct 50
        ("Cleaning", "卫生间无异味，纸巾洗手液齐全", Decimal("75.00"), Decimal("50.00"), 2),
        # bins: 5/5 twice -> 100; Oct 100
        ("Cleaning", "垃圾桶及时清理，不满溢", Decimal("100.00"), Decimal("100.00"), 2),
        ("Security", "岗亭值守，着装规范", Decimal("75.00"), None, 2),
    ]


def test_the_dashboard_figure_for_a_month_and_for_now(data, english):
    figure = nav.figure("quality_scores")
    with timezone.override(TZ):
        november = figure.month(dt.date(2026, 11, 1), dt.date(2026, 12, 1))
        with time_machine.travel(NOW, tick=False):
            now = figure.compute()
    assert november == [("Security", Decimal("75.00")), ("Engineering", Decimal(0)), ("Cleaning", Decimal("88.75"))]
    assert now == november
    assert figure.url == "desk:frontdesk:quality_scores" and str(figure.section) == "Quality"


def test_the_open_nonconformities_figure_counts_open_and_awaiting_recheck(supervisor, engineer):
    sheet = make_sheet(Department.ENGINEERING)
    make_check(sheet, supervisor, [1, 1, 1], responsible=engineer, due_at=timezone.now() + dt.timedelta(days=2))
    ncs = list(NonConformity.objects.order_by("pk"))
    assert len(ncs) == 3
    quality_services.nonconformity_rectify(obj=ncs[0], by=engineer, note="已修")
    quality_services.nonconformity_rectify(obj=ncs[1], by=engineer, note="已修")
    quality_services.nonconformity_recheck_pass(obj=ncs[1], by=supervisor)
    assert nav.figure("quality_open_nonconformities").compute() == 2
