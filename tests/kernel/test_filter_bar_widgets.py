"""The filter bar writes plain inputs and selects itself (the widget templates cost a register
page a sixth of its time): the markup must be the one Django's widgets render."""

import pytest
from django import forms
from django.test.html import parse_html

from jinyuan.workflow.templatetags.a11y import labelled_parts
from tenants.filters import TenantFilter, UnitFilter
from tenants.models import Tenant, Unit


class _Form(forms.Form):
    name = forms.CharField(required=False, help_text="公司名称的一部分")
    count = forms.IntegerField(required=False)
    kind = forms.ChoiceField(choices=[("", "全部"), ("a", "甲 & 乙"), ("b", '"引号"')], required=False)
    grouped = forms.ChoiceField(choices=[("组一", [("1", "一")]), ("组二", [("2", "二")])], required=False)
    many = forms.MultipleChoiceField(choices=[("x", "X"), ("y", "Y")], required=False)
    when = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))


@pytest.mark.parametrize(
    "data",
    [{}, {"name": '<b>"甲"</b>', "count": "x", "kind": "a", "grouped": "2", "many": ["x", "y"], "when": "2026-10-01"}],
)
def test_plain_widgets_render_as_django_renders_them(data):
    form = _Form(data or None)
    form.is_valid()
    for field in form:
        assert parse_html(str(labelled_parts(field))) == parse_html(str(field)), field.name


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("filterset", "model", "data"),
    [
        (TenantFilter, Tenant, {"q": "邕江", "occupying": "true"}),
        (UnitFilter, Unit, {"floor": "not a number", "use": "retail", "vacant": "false"}),
    ],
)
def test_register_filters_render_as_django_renders_them(filterset, model, data, building):
    form = filterset(data, queryset=model.objects.all()).form
    form.is_valid()
    for field in form:
        assert parse_html(str(labelled_parts(field))) == parse_html(str(field)), field.name


def test_a_date_range_keeps_its_widgets_and_names_each_part():
    class RangeForm(forms.Form):
        issued = forms.SplitDateTimeField(required=False)

    field = RangeForm()["issued"]
    html = str(labelled_parts(field))
    assert html.count("<input") == 2 and "aria-label" in html


@pytest.mark.django_db
def test_a_chosen_building_is_found_among_the_choices_without_a_query(rf, django_assert_num_queries):
    """A register's model-choice filter reads its choices once; the chosen value is checked
    against them (the same object, the same error for one that is not there)."""
    from jinyuan.lists import RegisterView
    from tests import factories

    a, b = factories.BuildingFactory(code="A"), factories.BuildingFactory(code="B")

    def bound(value):
        view = RegisterView()
        view.setup(rf.get("/", {"building": value}))
        view.get_queryset = lambda: Tenant.objects.order_by("pk")
        return view.get_filterset(TenantFilter)

    filterset = bound(str(b.pk))
    with django_assert_num_queries(1):  # the choices, then the bar lists them without another
        assert filterset.is_valid()
        assert filterset.form.cleaned_data["building"] == b
        select = str(labelled_parts(filterset.form["building"]))
    assert f'<option value="{b.pk}" selected>' in select and f'<option value="{a.pk}">' in select
    missing = bound("999999")
    assert not missing.is_valid()
    assert missing.form.errors["building"]
