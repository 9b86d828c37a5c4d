"""Statements 对账单: a hand-computed small ledger, continuity over 36 months, deposits apart,
the period form, the pages and PDFs at the desk and in the portal (another tenant's never)."""

from datetime import date
from decimal import Decimal
from io import BytesIO
from itertools import pairwise

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from billing.selectors import tenant_balance
from billing.services import deposit_refund
from billing.statements import BILL, LATE_FEE, PAYMENT, VOID, Period, add_months, statement
from jinyuan.documents.services import PRINT_LANGUAGE
from tests import factories
from tests.billing.helpers import D
from tests.billing.late_fee_helpers import noon, on_day
from tests.billing.statement_helpers import long_ledger, small_ledger

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("price_list")]

TODAY = date(2026, 3, 20)


def month(year: int, number: int, today: date = TODAY) -> Period:
    return Period.of_month(date(year, number, 1), today)


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(content)).pages)


@pytest.fixture
def ledger(tenant_a, desk, supervisor):
    return small_ledger(tenant_a, desk, supervisor)


# --- the figures, by hand ---------------------------------------------------------------------------


def test_january_by_hand(ledger, tenant_a):
    s = statement(tenant_a, month(2026, 1))
    assert (s.period.first, s.as_of) == (date(2026, 1, 1), date(2026, 1, 31))
    rows = [(x.day, x.kind, x.number, x.charge, x.credit, x.balance) for x in s.lines]
    assert rows == [
        (date(2026, 1, 5), BILL, ledger["b1"].number, D("1000.00"), D(0), D("1000.00")),
        (date(2026, 1, 10), BILL, ledger["b2"].number, D("300.00"), D(0), D("1300.00")),
        (date(2026, 1, 15), PAYMENT, ledger["p1"].receipt.number, D(0), D("400.00"), D("900.00")),
        # Voided in February: January, as printed then, still carries it.
        (date(2026, 1, 28), BILL, ledger["b3"].number, D("200.00"), D(0), D("1100.00")),
    ]
    t = s.totals
    assert (t.opening, t.billed, t.late_fees_billed, t.voided, t.paid, t.closing) == (
        D(0),
        D("1500.00"),
        D(0),
        D(0),
        D("400.00"),
        D("1100.00"),
    )
    # 0.03 % a day: 1000-400 from the 21st to the 31st (11 × 0.18), 300 from the 26th (6 × 0.09).
    # Billed on 1 February, so on 31 January still accruing and not yet billed.
    assert [(u.bill_number, u.days, u.amount) for u in s.unbilled] == [
        (ledger["b1"].number, 11, D("1.98")),
        (ledger["b2"].number, 6, D("0.54")),
    ]
    assert t.late_fee_unbilled == D("2.52") and t.waived == D(0) and s.waivers == []
    assert str(s.lines[2].description) in ("银行转账", "Bank transfer")


def test_february_by_hand(ledger, tenant_a):
    s = statement(tenant_a, month(2026, 2))
    rows = [(x.day, x.kind, x.number, x.charge, x.credit, x.balance) for x in s.lines]
    assert rows == [
        (date(2026, 2, 1), LATE_FEE, ledger["lf1"].number, D("2.52"), D(0), D("1102.52")),
        (date(2026, 2, 3), VOID, ledger["b3"].number, D(0), D("200.00"), D("902.52")),
        # 1000 paid, the oldest due first: 600 + 300 + the late fee 2.52; 97.48 left as credit.
        (date(2026, 2, 20), PAYMENT, ledger["p2"].receipt.number, D(0), D("1000.00"), D("-97.48")),
    ]
    assert s.lines[1].note == "金额开错" and s.lines[1].kind_label
    t = s.totals
    assert (t.opening, t.billed, t.late_fees_billed, t.voided, t.paid, t.closing) == (
        D("1100.00"),
        D(0),
        D("2.52"),
        D("200.00"),
        D("1000.00"),
        D("-97.48"),
    )
    assert [(w.day, w.bill_number, w.amount) for w in s.waivers] == [
        (date(2026, 2, 10), ledger["b1"].number, D("0.50"))
    ]
    assert t.waived == D("0.50")
    # Paid off on the 20th, billed on 1 March: on 28 February 1st–20th accrued and not billed.
    # B1: 20 × 0.18 = 3.60 less the 0.50 waived; B2: 20 × 0.09.
    assert [(u.bill_number, u.amount) for u in s.unbilled] == [
        (ledger["b1"].number, D("3.10")),
        (ledger["b2"].number, D("1.80")),
    ]
    assert t.late_fee_unbilled == D("4.90")


def test_march_runs_to_today_and_ends_at_the_account_balance(ledger, tenant_a):
    s = statement(tenant_a, month(2026, 3))
    assert s.as_of == TODAY
    # The 4.90 late fee is billed on the 1st and paid at once from the credit.
    assert [(x.kind, x.charge, x.credit, x.balance) for x in s.lines] == [
        (LATE_FEE, D("4.90"), D(0), D("-92.58")),
        (PAYMENT, D(0), D("50.00"), D("-142.58")),
    ]
    assert s.totals.late_fee_unbilled == D(0) and s.unbilled == []
    balance = tenant_balance(tenant_a)
    assert s.totals.closing == balance["owed"] - balance["credit"] == D("-142.58")


def test_a_range_of_months_is_the_months_in_one(ledger, tenant_a):
    quarter = statement(tenant_a, Period.of_months(date(2026, 1, 1), date(2026, 3, 1), TODAY))
    months = [statement(tenant_a, month(2026, n)) for n in (1, 2, 3)]
    assert quarter.lines == [line for m in months for line in m.lines]
    assert quarter.totals.opening == months[0].totals.opening
    assert quarter.totals.closing == months[-1].totals.closing
    assert quarter.totals.waived == D("0.50") and quarter.totals.voided == D("200.00")
    assert quarter.totals.late_fees_billed == D("7.42")


def test_a_month_before_any_bill_is_empty(ledger, tenant_a):
    s = statement(tenant_a, month(2025, 12))
    assert s.lines == [] and s.totals.opening == s.totals.closing == D(0)


def test_another_tenants_ledger_never_shows(ledger, tenant_b, desk):
    factories.make_bill(tenant_b, desk, "77.00")
    s = statement(tenant_b, Period.of_months(date(2026, 1, 1), date(2026, 12, 1)))
    assert [x.charge for x in s.lines] == [D("77.00")]
    assert s.totals.opening == D(0) and s.waivers == [] and s.unbilled == []


def test_a_bill_issued_and_voided_in_one_month_shows_both_lines(tenant_a, desk):
    from billing.services import bill_void
    from tests.billing.statement_helpers import bill_on

    bill = bill_on(date(2026, 1, 5), tenant_a, desk, "80.00", "开错")
    with on_day(date(2026, 1, 6)):
        bill_void(bill=bill, by=desk, reason="重复")
    s = statement(tenant_a, month(2026, 1))
    assert [(x.kind, x.charge, x.credit, x.balance) for x in s.lines] == [
        (BILL, D("80.00"), D(0), D("80.00")),
        (VOID, D(0), D("80.00"), D(0)),
    ]


def test_deposits_are_billed_and_paid_in_the_balance_the_deposit_held_apart(tenant_a, desk, supervisor):
    with on_day(date(2026, 1, 10)):
        factories.make_deposit(tenant_a, desk, "5000.00")
    with on_day(date(2026, 2, 10)):
        deposit_refund(tenant=tenant_a, refund=D("4800.00"), deductions=[(D("200.00"), "墙面修补")], by=supervisor)
    january = statement(tenant_a, month(2026, 1))
    assert [(x.kind, x.charge, x.credit) for x in january.lines] == [
        (BILL, D("5000.00"), D(0)),
        (PAYMENT, D(0), D("5000.00")),
    ]
    assert january.totals.closing == D(0) and january.totals.deposit_held == D("5000.00")
    february = statement(tenant_a, month(2026, 2))
    assert february.lines == [] and february.totals.closing == D(0)
    assert february.totals.deposit_held == D(0)


# --- continuity over 36 months --------------------------------------------------------------------


def test_36_months_each_opening_is_the_closing_before_and_the_last_the_balance(tenant_a, desk, supervisor):
    first = date(2023, 6, 1)
    long_ledger(tenant_a, desk, supervisor, first)
    today = date(2026, 6, 10)
    months = [statement(tenant_a, Period.of_month(add_months(first, n), today)) for n in range(36)]
    kinds = {line.kind for m in months for line in m.lines}
    assert kinds == {BILL, LATE_FEE, VOID, PAYMENT}
    assert sum(m.totals.waived for m in months) == D("1.00")
    # Voids in the month of their bill and in the month after it (a reversal of an earlier month).
    same, later = 0, 0
    for m in months:
        billed_here = {line.number for line in m.lines if line.kind == BILL}
        for line in m.lines:
            if line.kind == VOID:
                same, later = (same + 1, later) if line.number in billed_here else (same, later + 1)
    assert same and later
    assert months[0].totals.opening == D(0)
    for before, after in pairwise(months):
        assert after.totals.opening == before.totals.closing, after.period.label
        assert after.period.first == add_months(before.period.first, 1)
    for m in months:
        t = m.totals
        assert t.closing == t.opening + t.billed + t.late_fees_billed - t.voided - t.paid
    balance = tenant_balance(tenant_a)
    assert months[-1].totals.closing == balance["owed"] - balance["credit"]
    whole = statement(tenant_a, Period.of_months(first, add_months(first, 35), today))
    assert whole.period.months == 36
    assert whole.lines == [line for m in months for line in m.lines]
    assert whole.totals.closing == months[-1].totals.closing


# --- the period ---------------------------------------------------------------------------------------


def test_the_period_of_a_month_and_its_neighbours():
    march = month(2026, 3)
    assert (march.first, march.last, march.label, march.query) == (
        date(2026, 3, 1),
        TODAY,
        "2026-03",
        "month=2026-03",
    )
    assert march.previous() == Period(date(2026, 2, 1), date(2026, 2, 28))
    assert march.next_month(TODAY) is None
    assert month(2026, 1).next_month(TODAY) == month(2026, 2)
    many = Period.of_months(date(2023, 4, 1), date(2026, 3, 1), TODAY)
    assert (many.months, many.label, many.query) == (36, "2023-04 – 2026-03", "start=2023-04&end=2026-03")


# --- the pages ------------------------------------------------------------------------------------------


def desk_url(tenant) -> str:
    return reverse("desk:billing:statement", args=[tenant.pk])


@time_machine.travel(noon(TODAY), tick=False)
def test_the_desk_page_shows_the_month_with_links(ledger, client_for, finance, tenant_a):
    page = client_for(finance).get(desk_url(tenant_a), {"month": "2026-02"})
    assert page.status_code == 200
    html = page.content.decode()
    assert ledger["lf1"].number in html and ledger["p2"].receipt.number in html
    assert "-97.48" in html and "1,100.00" in html
    assert "?month=2026-01" in html and "?month=2026-03" in html
    assert reverse("desk:billing:statement_pdf", args=[tenant_a.pk]) + "?month=2026-02" in html
    assert "首次逾期" in html  # the waiver's reason, for the desk


@time_machine.travel(noon(TODAY), tick=False)
def test_the_desk_page_defaults_to_this_month(ledger, client_for, finance, tenant_a):
    page = client_for(finance).get(desk_url(tenant_a))
    assert page.status_code == 200 and page.context["period"] == month(2026, 3)


@time_machine.travel(noon(TODAY), tick=False)
def test_the_account_page_and_the_portal_home_link_to_the_statement(client_for, finance, tenant_a, tenant_a_admin):
    account = client_for(finance).get(reverse("desk:billing:account", args=[tenant_a.pk])).content.decode()
    assert desk_url(tenant_a) in account
    home = client_for(tenant_a_admin).get(reverse("portal:billing:billing_home")).content.decode()
    assert reverse("portal:billing:statement") in home


@time_machine.travel(noon(TODAY), tick=False)
@pytest.mark.parametrize(
    "params",
    [
        {"month": "2026-13"},
        {"month": "abc"},
        {"month": "2026-04"},  # next month: the future
        {"month": "1999-12"},
        {"start": "2026-03", "end": "2026-01"},
        {"start": "2020-01", "end": "2026-03"},  # more than 60 months
        {"start": "2026-01", "end": "2999-01"},
        {"month": "9" * 30},
    ],
)
def test_a_bad_period_is_a_field_error_never_a_500(client_for, finance, tenant_a, tenant_a_admin, params):
    for client, url in (
        (client_for(finance), desk_url(tenant_a)),
        (client_for(finance), reverse("desk:billing:statement_pdf", args=[tenant_a.pk])),
        (client_for(tenant_a_admin), reverse("portal:billing:statement")),
        (client_for(tenant_a_admin), reverse("portal:billing:statement_pdf")),
    ):
        page = client.get(url, params)
        assert page.status_code == 400, (url, params)
        html = page.content.decode()
        assert 'aria-invalid="true"' in html and "invalid-feedback" in html
        assert page.context.get("statement") is None


@time_machine.travel(noon(TODAY), tick=False)
@settings(max_examples=30, deadline=None, database=None, suppress_health_check=list(HealthCheck))
@given(
    month_value=st.one_of(st.none(), st.text(max_size=12), st.text(alphabet="0123456789-", max_size=8)),
    start=st.one_of(st.none(), st.text(alphabet="0123456789-", max_size=8)),
    end=st.one_of(st.none(), st.text(alphabet="0123456789-", max_size=8)),
)
def test_any_query_string_gives_a_page_never_a_500(client_for, finance, tenant_a, month_value, start, end):
    params = {k: v for k, v in {"month": month_value, "start": start, "end": end}.items() if v is not None}
    assert client_for(finance).get(desk_url(tenant_a), params).status_code in (200, 400)


@time_machine.travel(noon(TODAY), tick=False)
def test_a_range_of_months_at_the_desk(ledger, client_for, finance, tenant_a):
    page = client_for(finance).get(desk_url(tenant_a), {"start": "2026-01", "end": "2026-03"})
    assert page.status_code == 200
    s = page.context["statement"]
    assert s.period.months == 3 and s.totals.closing == D("-142.58")
    assert "start=2026-01&amp;end=2026-03" in page.content.decode()


@time_machine.travel(noon(TODAY), tick=False)
def test_the_desk_pdf_prints_the_statement_in_chinese(ledger, client_for, finance, tenant_a):
    url = reverse("desk:billing:statement_pdf", args=[tenant_a.pk])
    response = client_for(finance, HTTP_ACCEPT_LANGUAGE="en").get(url, {"month": "2026-02"})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert response["Content-Disposition"].startswith("inline;")
    text = pdf_text(response.content)
    assert tenant_a.name in text and ledger["lf1"].number in text
    assert "违约金" in text and "滞纳金" not in text
    assert "银行转账" in text and "Bank transfer" not in text  # Chinese for an English reader too
    assert "-97.48" in text and "1,100.00" in text


@time_machine.travel(noon(TODAY), tick=False)
def test_the_portal_shows_the_members_own_company_only(ledger, client_for, tenant_a_admin, tenant_b_admin, tenant_b):
    mine = client_for(tenant_a_admin).get(reverse("portal:billing:statement"), {"month": "2026-02"})
    assert mine.status_code == 200 and ledger["lf1"].number in mine.content.decode()
    theirs = client_for(tenant_b_admin).get(reverse("portal:billing:statement"), {"month": "2026-02"})
    assert theirs.status_code == 200
    html = theirs.content.decode()
    assert theirs.context["statement"].tenant == tenant_b
    for record in ("b1", "b2", "b3", "lf1"):
        assert ledger[record].number not in html
    assert ledger["p2"].receipt.number not in html
    # A tenant id in the query string changes nothing: the company is the member's.
    forced = client_for(tenant_b_admin).get(reverse("portal:billing:statement"), {"month": "2026-02", "tenant": 1})
    assert forced.context["statement"].tenant == tenant_b


@time_machine.travel(noon(TODAY), tick=False)
def test_the_portal_pdf_downloads_the_members_statement(ledger, client_for, tenant_a_admin, tenant_b_admin, tenant_a):
    url = reverse("portal:billing:statement_pdf")
    response = client_for(tenant_a_admin).get(url, {"start": "2026-01", "end": "2026-03"})
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert response["Content-Disposition"].startswith("attachment;")
    text = pdf_text(response.content)
    assert tenant_a.name in text and ledger["b1"].number in text
    other = pdf_text(client_for(tenant_b_admin).get(url, {"start": "2026-01", "end": "2026-03"}).content)
    assert tenant_a.name not in other and ledger["b1"].number not in other


@time_machine.travel(noon(TODAY), tick=False)
def test_the_statement_costs_the_same_queries_for_one_month_or_many(ledger, tenant_a):
    def count(period: Period) -> int:
        with CaptureQueriesContext(connection) as captured:
            statement(tenant_a, period)
        return len(captured)

    assert count(month(2026, 2)) == count(Period.of_months(date(2026, 1, 1), date(2026, 3, 1))) == 9


def test_amounts_are_decimals_with_two_places(ledger, tenant_a):
    s = statement(tenant_a, Period.of_months(date(2026, 1, 1), date(2026, 3, 1), TODAY))
    for line in s.lines:
        for value in (line.charge, line.credit, line.balance):
            assert isinstance(value, Decimal)
    assert all(isinstance(getattr(s.totals, f), Decimal) for f in ("opening", "closing", "late_fee_unbilled"))


# --- the PDF's ledger: columns of one monospaced face --------------------------------------------


def test_a_gap_is_filled_exactly_in_fifths_of_an_em():
    from billing.statement_documents import fill, text_width

    for gap in (0, 3, 5, 6, 8, 9, *range(10, 80)):
        assert text_width(fill(gap)) == gap, gap


def test_every_ledger_row_ends_at_the_same_width_whatever_its_chinese(ledger, tenant_a):
    from billing.statement_documents import COLUMNS, SEPARATOR, ledger_header, ledger_lines, text_width

    s = statement(tenant_a, Period.of_months(date(2026, 1, 1), date(2026, 3, 1), TODAY))
    full = sum(w for w, _right in COLUMNS) + (len(COLUMNS) - 1) * text_width(SEPARATOR)
    description_at = sum(w for w, _right in COLUMNS[:3]) + 3 * text_width(SEPARATOR)
    with translation.override(PRINT_LANGUAGE):  # as statement_pdf prints it, whatever a test before left active
        lines = list(ledger_lines(s))
        header = ledger_header()
    rows = [line for line in lines if line[:1].isdigit()]
    runs_on = [line for line in lines if not line[:1].isdigit()]
    assert len(rows) == len(s.lines) + 2  # the opening and the closing balance
    assert {text_width(row) for row in rows} == {full}  # the balance column ends each row
    assert text_width(header) == full
    for line in runs_on:  # a description too wide runs on in its own column
        assert text_width(line) - text_width(line.lstrip()) == description_at
    assert any("金额开错" in line for line in lines)  # the void's reason


def test_a_long_description_wraps_at_a_space_and_keeps_dates_whole():
    from billing.statement_documents import text_width, wrap

    assert wrap("违约金 2024-05 2024-04-01–05-31", 88) == ["违约金 2024-05", "2024-04-01–05-31"]
    pieces = wrap("空调维修" * 10, 88)
    assert "".join(pieces) == "空调维修" * 10 and all(text_width(p) <= 88 for p in pieces)
