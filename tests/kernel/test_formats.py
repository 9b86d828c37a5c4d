"""Date fields keep their value when a form is shown again in Chinese (jinyuan/formats)."""

import datetime

from django import forms
from django.utils import translation


class DayForm(forms.Form):
    day = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField()


def test_a_date_input_shown_again_in_chinese_keeps_an_iso_value_the_browser_accepts():
    with translation.override("zh-hans"):
        form = DayForm({"day": "2026-12-05", "note": ""})
        assert not form.is_valid()  # the note is missing: the form is shown again
        assert 'value="2026-12-05"' in str(form["day"])
        assert 'value="2026-12-05"' in str(DayForm(initial={"day": datetime.date(2026, 12, 5)})["day"])


def test_chinese_and_slashed_dates_are_still_read():
    with translation.override("zh-hans"):
        for typed in ("2026/12/05", "2026-12-05"):
            form = DayForm({"day": typed, "note": "x"})
            assert form.is_valid() and form.cleaned_data["day"] == datetime.date(2026, 12, 5)
