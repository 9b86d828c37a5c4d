"""The working calendar: which days are worked, office hours, and arithmetic in working time.

A day is a working day when its weekday says so (Monday to Friday) unless a ``CalendarDay``
row says otherwise: a public holiday on a weekday, or a make-up working day (调休) on a weekend.
Office hours come from the day's ``CalendarYear`` (default ``settings.OFFICE_HOURS``).

Everything is computed in local time (``settings.TIME_ZONE``; China has no summer time).
A ``WorkingCalendar`` is loaded in two queries and then answers any number of questions, so a
scan over thousands of deadlines costs the same two queries.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from .models import CalendarDay, CalendarYear, default_office_closes, default_office_opens

logger = logging.getLogger(__name__)

ZERO = dt.timedelta(0)
# A calendar without a single working day would loop forever: give up after ten years.
_MAX_DAYS = 3660


@dataclass
class WorkingCalendar:
    exceptions: dict[dt.date, bool] = field(default_factory=dict)
    hours: dict[int, tuple[dt.time, dt.time]] = field(default_factory=dict)
    default_hours: tuple[dt.time, dt.time] = field(
        default_factory=lambda: (default_office_opens(), default_office_closes())
    )

    def is_working_day(self, day: dt.date) -> bool:
        if day in self.exceptions:
            return self.exceptions[day]
        return day.weekday() < 5

    def office(self, day: dt.date) -> tuple[dt.datetime, dt.datetime]:
        """Opening and closing time of ``day`` as aware local datetimes."""
        opens, closes = self.hours.get(day.year, self.default_hours)
        tz = timezone.get_current_timezone()
        return dt.datetime.combine(day, opens, tz), dt.datetime.combine(day, closes, tz)

    def add(self, start: dt.datetime, amount: dt.timedelta) -> dt.datetime:
        """``start`` plus ``amount`` of working time (minus, when negative).

        Time outside office hours does not count: 1 hour from Friday 17:00 with offices open
        08:30-17:30 is Monday 09:00 (or the make-up Saturday's 09:00). An amount that exactly
        fills a day ends at that day's closing time, not the next morning.
        """
        if amount == ZERO:
            return start
        if amount < ZERO:
            return self._subtract(start, -amount)
        t = timezone.localtime(start)
        day = t.date()
        for _ in range(_MAX_DAYS):
            if self.is_working_day(day):
                opens, closes = self.office(day)
                begin = max(t, opens)
                if begin < closes:
                    available = closes - begin
                    if amount <= available:
                        return begin + amount
                    amount -= available
            day += dt.timedelta(days=1)
            t = dt.datetime.combine(day, dt.time(0), timezone.get_current_timezone())
        raise ValueError("the working calendar has no working day in ten years")

    def _subtract(self, start: dt.datetime, amount: dt.timedelta) -> dt.datetime:
        t = timezone.localtime(start)
        day = t.date()
        for _ in range(_MAX_DAYS):
            if self.is_working_day(day):
                opens, closes = self.office(day)
                end = min(t, closes)
                if end > opens:
                    available = end - opens
                    if amount <= available:
                        return end - amount
                    amount -= available
            day -= dt.timedelta(days=1)
            t = dt.datetime.combine(day, dt.time.max, timezone.get_current_timezone())
        raise ValueError("the working calendar has no working day in ten years")

    def between(self, a: dt.datetime, b: dt.datetime) -> dt.timedelta:
        """Working time from ``a`` to ``b`` (negative when ``b`` is earlier)."""
        if b < a:
            return -self.between(b, a)
        a, b = timezone.localtime(a), timezone.localtime(b)
        total = ZERO
        day = a.date()
        while day <= b.date():
            if self.is_working_day(day):
                opens, closes = self.office(day)
                begin, end = max(a, opens), min(b, closes)
                if end > begin:
                    total += end - begin
            day += dt.timedelta(days=1)
        return total


def load_calendar() -> WorkingCalendar:
    """The calendar as the database holds it now: two queries, whatever is asked of it later."""
    exceptions = dict(CalendarDay.objects.values_list("date", "is_working"))
    hours = {y: (o, c) for y, o, c in CalendarYear.objects.values_list("year", "office_opens", "office_closes")}
    return WorkingCalendar(exceptions=exceptions, hours=hours)


def add_working_time(start: dt.datetime, amount: dt.timedelta, calendar: WorkingCalendar | None = None) -> dt.datetime:
    return (calendar or load_calendar()).add(start, amount)


def working_time_between(a: dt.datetime, b: dt.datetime, calendar: WorkingCalendar | None = None) -> dt.timedelta:
    return (calendar or load_calendar()).between(a, b)


# --- seeding ----------------------------------------------------------------------------------


def package_days(year: int) -> dict[dt.date, tuple[bool, str]] | None:
    """Dates of ``year`` that differ from their weekday according to ``chinese-calendar``, or
    None when the package does not know the year (it raises NotImplementedError)."""
    import chinese_calendar

    days: dict[dt.date, tuple[bool, str]] = {}
    day = dt.date(year, 1, 1)
    try:
        while day.year == year:
            working = chinese_calendar.is_workday(day)
            if working != (day.weekday() < 5):
                _, name = chinese_calendar.get_holiday_detail(day)
                days[day] = (working, name or "")
            day += dt.timedelta(days=1)
    except NotImplementedError:
        return None
    return days


def package_label() -> str:
    import chinese_calendar

    return f"chinese-calendar {getattr(chinese_calendar, '__version__', '')}".strip()


def seed_year(year: int, *, replace: bool = False) -> CalendarYear:
    """Create ``year`` in the working calendar unless it is there (or ``replace``).

    A year the package knows is seeded from it and confirmed; any other year gets plain
    weekdays, unconfirmed, so the supervisor's home asks for its holidays.
    """
    with transaction.atomic():
        existing = CalendarYear.objects.select_for_update().filter(year=year).first()
        if existing and not replace:
            return existing
        days = package_days(year)
        CalendarDay.objects.filter(date__year=year).delete()
        if days is None:
            logger.warning("chinese-calendar does not know %s: seeded as plain weekdays, unconfirmed", year)
            fields = {"confirmed": False, "seeded_from": "weekdays"}
        else:
            CalendarDay.objects.bulk_create(
                CalendarDay(date=d, is_working=working, name=name) for d, (working, name) in sorted(days.items())
            )
            fields = {"confirmed": True, "seeded_from": package_label()}
        if existing:
            for k, v in fields.items():
                setattr(existing, k, v)
            existing.save()
            return existing
        return CalendarYear.objects.create(year=year, **fields)


def seed_missing_years(today: dt.date | None = None) -> list[int]:
    """This year and next, where missing. Run daily (Celery beat) and after migrate, so the
    year to come is there, and flagged if unconfirmed, well before New Year."""
    today = today or timezone.localdate()
    wanted = [today.year, today.year + 1]
    have = set(CalendarYear.objects.filter(year__in=wanted).values_list("year", flat=True))
    missing = [y for y in wanted if y not in have]
    for year in missing:
        seed_year(year)
    return missing


def unconfirmed_years(today: dt.date | None = None) -> list[int]:
    """Years from this one on whose holidays nobody has confirmed yet."""
    today = today or timezone.localdate()
    return list(
        CalendarYear.objects.filter(year__gte=today.year, confirmed=False)
        .order_by("year")
        .values_list("year", flat=True)
    )
