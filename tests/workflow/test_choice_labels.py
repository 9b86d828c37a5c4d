"""get_<field>_display() on procedure records: the label of the value, in the active language,
found without translating every other choice (jinyuan.workflow.models.ChoiceLabels)."""

from django.utils import translation

from permits.models import TemporaryPower


def test_the_label_follows_the_active_language():
    permit = TemporaryPower(status=TemporaryPower.Status.SWITCHED_ON, voltage=380, phases=3)
    with translation.override("en"):
        assert permit.get_status_display() == "Switched on"
        assert permit.get_phases_display() == "Three phase"
    with translation.override("zh-hans"):
        assert permit.get_status_display() == str(TemporaryPower.Status.SWITCHED_ON.label)
        assert permit.get_status_display() != "Switched on"


def test_a_value_outside_the_choices_is_shown_as_it_is():
    assert TemporaryPower(status="unheard_of").get_status_display() == "unheard_of"
    assert TemporaryPower(voltage=110).get_voltage_display() == 110


def test_only_the_shown_label_is_translated(monkeypatch):
    calls = []
    real = translation._trans.gettext  # what gettext() and lazy labels call
    monkeypatch.setattr(translation._trans, "gettext", lambda message: calls.append(message) or real(message))
    permit = TemporaryPower(status=TemporaryPower.Status.CLOSED)
    permit.get_status_display()  # the field's label map is built on first use
    calls.clear()
    with translation.override("zh-hans"):
        permit.get_status_display()
    assert len(calls) == 1
