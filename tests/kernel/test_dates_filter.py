"""{{ value|date:"…" }} is the project's filter (jinyuan.templatetags.dates): for every format and
value its output must be exactly Django's, aware datetimes in local time included."""

import datetime as dt
import zoneinfo

import pytest
from django.template import Context, Template, defaultfilters
from django.utils import timezone, translation

from jinyuan.templatetags import dates

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
VALUES = [
    dt.datetime(2026, 12, 6, 23, 59, 30, tzinfo=dt.UTC),  # the next day in Shanghai
    dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=SHANGHAI),
    dt.datetime(2026, 7, 1, 8, 30),  # naive
    dt.datetime(999, 3, 4, 5, 6, tzinfo=dt.UTC),  # a year of three digits
    dt.date(2026, 2, 28),
    dt.date(5, 1, 9),
]
FORMATS = [*dates.FORMATS, "c", "m-d D", "Y年m月d日", "N j, Y", "", None]


def _render(source: str, **context) -> str:
    return Template(source).render(Context(context))


def test_the_project_filter_replaces_djangos():
    assert Template("{{ x|date:'Y' }}").nodelist[0].filter_expression.filters[0][0] is dates.date


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("value", VALUES, ids=str)
def test_output_is_djangos(language, fmt, value):
    with translation.override(language), timezone.override(SHANGHAI):
        local = timezone.localtime(value) if isinstance(value, dt.datetime) and timezone.is_aware(value) else value
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime) and fmt and "H" in fmt:
            with pytest.raises(TypeError):  # Django refuses a time format for a date; so does this
                defaultfilters.date(local, fmt)
            with pytest.raises(TypeError):
                _render("{{ v|date:f }}", v=value, f=fmt)
            return
        expected = defaultfilters.date(local, fmt)
        assert _render("{{ v|date:f }}", v=value, f=fmt) == expected


@pytest.mark.parametrize("value", [None, "", "not a date", 17])
def test_other_values_as_django(value):
    assert _render('{{ v|date:"Y-m-d" }}', v=value) == _render('{{ v|date:"c" }}', v=value) == ""
