"""The working calendar: seeded from chinese-calendar, arithmetic in working hours.

2026 as chinese-calendar 1.11.0 has it (checked by ``test_2026_is_seeded_from_the_package``):
Mid-autumn Festival Fri 25 - Sun 27 September; make-up working day Sun 20 September;
National Day Thu 1 - Wed 7 October; make-up working day Sat 10 October. Offices 08:30-17:30,
nine working hours a day.
"""

import datetime as dt

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from jinyuan.workflow import calendar
from jinyuan.workflow.calendar import WorkingCalendar, load_calendar
from jinyuan.workflow.models import CalendarDay, CalendarYear

pytestmark = pytest.mark.django_db

H = dt.timedelta(hours=1)


def at(y, m, d, hh=0, mm=0) -> dt.datetime:
    return timezone.make_aware(dt.datetime(y, m, d, hh, mm))


@pytest.fixture
def cal() -> WorkingCalendar:
    calendar.seed_year(2026)
    return load_calendar()


def test_2026_is_seeded_from_the_package(cal):
    year = CalendarYear.objects.get(year=2026)
    assert year.confirmed and year.seeded_from.startswith("chinese-calendar")
    assert not cal.is_working_day(dt.date(2026, 9, 25))  # Mid-autumn, a Friday
    assert cal.is_working_day(dt.date(2026, 9, 20))  # make-up Sunday
    assert not any(cal.is_working_day(dt.date(2026, 10, d)) for d in range(1, 8))
    assert cal.is_working_day(dt.date(2026, 10, 8))
    assert cal.is_working_day(dt.date(2026, 10, 10))  # make-up Saturday
    assert not cal.is_working_day(dt.date(2026, 10, 11))


def test_48_working_hours_from_the_last_afternoon_before_national_day(cal):
    """Wed 30 Sep 15:00: 2.5 h that day; 1-7 Oct off; Thu 8, Fri 9, Sat 10 (make-up): 27 h
    (29.5); Sun 11 off; Mon 12: 9 h (38.5); Tue 13: 9 h (47.5); Wed 14: 0.5 h -> 09:00."""
    assert cal.add(at(2026, 9, 30, 15), 48 * H) == at(2026, 10, 14, 9, 0)


def test_48_working_hours_from_the_mid_autumn_friday_afternoon(cal):
    """Fri 25 Sep 15:00 is a holiday, so counting starts Mon 28 08:30: Mon-Wed 27 h; 1-7 Oct
    off; Thu 8: 9 h (36); Fri 9: 9 h (45); Sat 10 (make-up): 3 h -> 11:30."""
    assert cal.add(at(2026, 9, 25, 15), 48 * H) == at(2026, 10, 10, 11, 30)


def test_time_after_closing_counts_from_the_next_working_morning(cal):
    assert cal.add(at(2026, 11, 30, 18), H) == at(2026, 12, 1, 9, 30)
    assert cal.add(at(2026, 11, 27, 18), H) == at(2026, 11, 30, 9, 30)  # Friday evening -> Monday


def test_a_full_day_ends_at_closing_time_not_next_morning(cal):
    assert cal.add(at(2026, 12, 1, 8, 30), 9 * H) == at(2026, 12, 1, 17, 30)


def test_subtracting_working_time_goes_back_over_the_holiday(cal):
    assert cal.add(at(2026, 10, 8, 9, 30), -2 * H) == at(2026, 9, 30, 16, 30)


def test_working_time_between_skips_nights_weekends_and_holidays(cal):
    assert cal.between(at(2026, 9, 30, 15), at(2026, 10, 14, 9)) == 48 * H
    assert cal.between(at(2026, 10, 14, 9), at(2026, 9, 30, 15)) == -48 * H
    assert cal.between(at(2026, 10, 3, 9), at(2026, 10, 4, 12)) == dt.timedelta(0)


def test_office_hours_of_a_year_are_kept_per_year(cal):
    CalendarYear.objects.filter(year=2026).update(office_opens=dt.time(9), office_closes=dt.time(18))
    assert load_calendar().add(at(2026, 12, 1, 17), 2 * H) == at(2026, 12, 2, 10)


def test_a_year_the_package_does_not_know_is_weekdays_and_unconfirmed():
    year = calendar.seed_year(2031)
    assert not year.confirmed and year.seeded_from == "weekdays"
    assert not CalendarDay.objects.filter(date__year=2031).exists()
    cal = load_calendar()
    assert cal.is_working_day(dt.date(2031, 10, 1))  # National Day is not known: a Wednesday
    assert not cal.is_working_day(dt.date(2031, 10, 4))


def test_seeding_twice_keeps_what_a_supervisor_entered():
    calendar.seed_year(2031)
    CalendarDay.objects.create(date=dt.date(2031, 10, 1), is_working=False, name="National Day")
    calendar.seed_year(2031)
    assert CalendarDay.objects.filter(date=dt.date(2031, 10, 1)).exists()


def test_seed_missing_years_adds_next_year_once():
    CalendarYear.objects.filter(year__in=[2030, 2031]).delete()
    assert calendar.seed_missing_years(dt.date(2030, 12, 1)) == [2030, 2031]
    assert calendar.seed_missing_years(dt.date(2030, 12, 1)) == []


def test_seed_calendar_command_replaces_a_year():
    call_command("seed_calendar", "--year", "2026", "--replace")
    assert CalendarDay.objects.filter(date=dt.date(2026, 10, 1), is_working=False).exists()


def test_supervisor_home_shows_an_unconfirmed_year(client_for, supervisor, desk):
    CalendarYear.objects.filter(year__gte=2027).delete()
    calendar.seed_year(2031)
    html = client_for(supervisor).get(reverse("desk:home")).content.decode()
    assert "2031" in html
    assert "2031" not in client_for(desk).get(reverse("desk:home")).content.decode()
    CalendarYear.objects.filter(year=2031).update(confirmed=True)
    assert "2031" not in client_for(supervisor).get(reverse("desk:home")).content.decode()


def test_the_daily_seeding_task_run_twice_seeds_once():
    from jinyuan.workflow.tasks import seed_calendar

    CalendarYear.objects.all().delete()
    first = seed_calendar.delay().get()
    assert first == [timezone.localdate().year, timezone.localdate().year + 1]
    assert seed_calendar.delay().get() == []
