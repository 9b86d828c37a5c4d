"""The collection dashboard 收缴: figures worked out by hand on a small fixed ledger
(tests/billing/collection_data.py), the aging buckets' boundaries, the largest debtors, the
reminders sent and the promises, the building a bill counts in, the page and its Excel file."""

from datetime import date, datetime, time, timedelta
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from billing import collection as sel
from billing.arrears_models import ArrearsContact, ReminderSent
from billing.models import Bill
from tests import factories
from tests.billing.arrears_helpers import ensure_schedule
from tests.billing.collection_data import TODAY, D, bill, ledger, occupy
from tests.billing.late_fee_helpers import TZ, on_day, pay_on

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("price_list")]


@pytest.fixture
def data(desk):
    return ledger(desk)


def months_of(building_id=None, month=TODAY) -> dict[date, sel.Collection]:
    with on_day(TODAY):
        rows = sel.collection_rates(month)
        return {c.month: c for c in sel.by_month(rows, sel.window(month), building_id)}


# --- the building a bill counts in -------------------------------------------------------------------


def test_a_bill_counts_in_the_building_of_its_units_else_of_its_tenant(data):
    assert data["b1"].building_id == data["A"].pk
    assert data["b2"].building_id == data["B"].pk
    # Units in both buildings: the one holding more of the amount (700 of 1000 in B).
    assert data["b3"].building_id == data["B"].pk
    # No unit on its line: the tenant's occupancy.
    assert data["b4"].building_id == data["A"].pk


def test_a_bill_without_units_takes_the_occupancy_of_its_issue_date(desk):
    a, b = factories.BuildingFactory(code="A"), factories.BuildingFactory(code="B")
    tenant = factories.TenantFactory()
    occupy(tenant, factories.UnitFactory(floor__building=a), date(2025, 1, 1), date(2026, 1, 1))
    occupy(tenant, factories.UnitFactory(floor__building=b), date(2026, 1, 1))
    nobody = factories.TenantFactory()
    assert bill(tenant, desk, "10.00", date(2025, 12, 15), date(2025, 12, 30)).building_id == a.pk
    assert bill(tenant, desk, "10.00", date(2026, 3, 1), date(2026, 3, 16)).building_id == b.pk
    # Before its first occupancy (first charges at move-in): the first one.
    assert bill(tenant, desk, "10.00", date(2024, 12, 20), date(2025, 1, 4)).building_id == a.pk
    assert bill(nobody, desk, "10.00", date(2026, 3, 1), date(2026, 3, 16)).building_id is None


# --- rates -------------------------------------------------------------------------------------------


def test_the_rates_of_may_by_hand(data):
    may = months_of()[date(2026, 5, 1)]
    assert (may.billed, may.collected, may.collected_to_date) == (D("4200.00"), D("1700.00"), D("3200.00"))
    assert (may.arrears, may.arrears_collected) == (D("1150.00"), D("500.00"))
    assert (may.rate, may.rate_to_date, may.rate_with_arrears) == (D("40.5"), D("76.2"), D("41.1"))


def test_the_rates_of_may_per_building(data):
    a = months_of(data["A"].pk)[date(2026, 5, 1)]
    b = months_of(data["B"].pk)[date(2026, 5, 1)]
    assert (a.billed, a.collected, a.arrears, a.arrears_collected) == (
        D("1200.00"),
        D("1200.00"),
        D("500.00"),
        D("500.00"),
    )
    assert (a.rate, a.rate_with_arrears) == (D("100.0"), D("100.0"))
    assert (b.billed, b.collected, b.collected_to_date) == (D("3000.00"), D("500.00"), D("2000.00"))
    assert (b.arrears, b.arrears_collected) == (D("650.00"), D("0.00"))
    assert (b.rate, b.rate_to_date, b.rate_with_arrears) == (D("16.7"), D("66.7"), D("13.7"))


def test_the_buildings_add_up_to_the_whole(data):
    with on_day(TODAY):
        rows = sel.collection_rates(TODAY)
        per = sel.by_building(rows, date(2026, 5, 1), [data["A"], data["B"]])
    whole = months_of()[date(2026, 5, 1)]
    summed = per[0].figures + per[1].figures
    assert (summed.billed, summed.collected, summed.arrears, summed.arrears_collected) == (
        whole.billed,
        whole.collected,
        whole.arrears,
        whole.arrears_collected,
    )
    assert [row.building for row in per] == [data["A"], data["B"]]


def test_the_other_months_by_hand(data):
    months = months_of()
    assert len(months) == 12 and min(months) == date(2025, 7, 1) and max(months) == date(2026, 6, 1)
    june, april, march, february = (months[date(2026, m, 1)] for m in (6, 4, 3, 2))
    assert (june.billed, june.collected, june.rate) == (D("500.00"), D("0.00"), D("0.0"))
    assert (june.arrears, june.arrears_collected, june.rate_with_arrears) == (D("3250.00"), D("1500.00"), D("40.0"))
    assert (april.billed, april.collected, april.rate) == (D("1100.00"), D("400.00"), D("36.4"))
    assert (april.arrears, april.arrears_collected, april.rate_with_arrears) == (D("850.00"), D("300.00"), D("35.9"))
    assert (march.billed, march.rate, march.arrears, march.rate_with_arrears) == (
        D("800.00"),
        D("0.0"),
        D("50.00"),
        D("0.0"),
    )
    assert (february.billed, february.rate, february.arrears, february.rate_with_arrears) == (
        D("0"),
        None,
        D("50.00"),
        D("0.0"),
    )
    july, august, september = months[date(2025, 7, 1)], months[date(2025, 8, 1)], months[date(2025, 9, 1)]
    assert (july.arrears, august.arrears, august.arrears_collected, august.rate_with_arrears) == (
        D("350.00"),
        D("350.00"),
        D("300.00"),
        D("85.7"),
    )
    assert september.arrears == D("50.00")


def test_a_closed_month_keeps_its_rate_when_a_tenant_pays_late(data, desk):
    before = months_of()[date(2026, 5, 1)]
    pay_on(TODAY, data["t3"], desk, "1000.00", [data["b3"]])
    after = months_of()[date(2026, 5, 1)]
    assert after.rate == before.rate == D("40.5")
    assert after.collected_to_date == before.collected_to_date + D("1000.00")
    # June collected it on May's bill, overdue at June's start.
    assert months_of()[date(2026, 6, 1)].arrears_collected == D("2500.00")


def test_an_earlier_month_is_a_window_of_its_own(data):
    months = months_of(month=date(2026, 5, 1))
    assert min(months) == date(2025, 6, 1) and max(months) == date(2026, 5, 1)
    assert months[date(2026, 5, 1)].rate == D("40.5")
    # June 2025 billed z1 (nothing paid) and its arrears at the start were z2 (not yet due: none).
    assert (months[date(2025, 6, 1)].billed, months[date(2025, 6, 1)].arrears) == (D("50.00"), D("300.00"))


# --- aging -------------------------------------------------------------------------------------------


def test_aging_of_the_ledger(data):
    totals = sel.aging_totals(TODAY)
    assert totals.buckets == (D("1000.00"), D("700.00"), D("0.00"), D("50.00"))
    assert (totals.total, totals.tenants, totals.bills) == (D("1750.00"), 3, 4)
    rows = list(sel.aging_by_tenant(TODAY))
    assert [(r["tenant__name"], r["total"]) for r in rows] == [
        ("三号公司", D("1000.00")),
        ("二号公司", D("650.00")),
        ("一号公司", D("100.00")),
    ]
    assert (rows[1]["bucket2"], rows[1]["bucket4"], rows[1]["bills"]) == (D("600.00"), D("50.00"), 2)
    assert rows[1]["oldest_due"] == date(2025, 6, 16)
    in_b = sel.aging_totals(TODAY, data["B"].pk)
    assert (in_b.total, in_b.tenants) == (D("1650.00"), 2)


@pytest.mark.parametrize(
    "days, bucket",
    [(1, 0), (30, 0), (31, 1), (90, 1), (91, 2), (180, 2), (181, 3), (400, 3)],
)
def test_aging_bucket_boundaries(desk, days, bucket):
    tenant, _unit = factories.occupied_unit()
    due = TODAY - timedelta(days=days)
    bill(tenant, desk, "10.00", due - timedelta(days=15), due)
    bill(tenant, desk, "99.00", TODAY - timedelta(days=15), TODAY)  # due today: not overdue
    buckets = sel.aging_totals(TODAY).buckets
    assert buckets == tuple(D("10.00") if i == bucket else D("0.00") for i in range(4))


def test_a_partly_paid_bill_ages_with_what_is_unpaid(desk):
    tenant, _unit = factories.occupied_unit()
    due = TODAY - timedelta(days=45)
    overdue = bill(tenant, desk, "1000.00", due - timedelta(days=15), due)
    pay_on(due, tenant, desk, "250.00", [overdue])
    assert sel.aging_totals(TODAY).buckets[1] == D("750.00")


def test_largest_debtors_are_the_ten_owing_most(desk):
    for n in range(1, 12):
        tenant, _unit = factories.occupied_unit(tenant=factories.TenantFactory(name=f"欠费{n:02d}"))
        bill(tenant, desk, f"{n * 100}.00", date(2026, 3, 1), date(2026, 3, 16))
    with on_day(date(2026, 6, 1)):
        debtors = sel.largest_debtors(TODAY)
    assert [d["tenant__name"] for d in debtors] == [f"欠费{n:02d}" for n in range(11, 1, -1)]
    assert debtors[0]["total"] == D("1100.00") and debtors[0]["last_contact"] is None


def test_largest_debtors_show_the_last_contact(data, desk):
    with on_day(date(2026, 6, 10)):
        from billing import arrears

        contact = arrears.contact_record(tenant=data["t2"], by=desk, method="phone", person="王")
    debtors = sel.largest_debtors(TODAY)
    assert [d["tenant__name"] for d in debtors] == ["三号公司", "二号公司", "一号公司"]
    assert debtors[1]["last_contact"] == contact.contacted_at


# --- reminders and promises --------------------------------------------------------------------------


def sent(bill_, step, at: datetime, recipients: int = 1) -> None:
    ReminderSent.objects.create(bill=bill_, step=step, sent_at=at, channels=["inapp"], recipients=recipients)


def local(day: date, hour: int = 9, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), TZ)


def test_reminders_sent_in_the_month_by_step(data):
    steps = {s.offset_days: s for s in ensure_schedule()}
    sent(data["b1"], steps[-3], local(date(2026, 5, 13)), 2)
    sent(data["b2"], steps[7], local(date(2026, 5, 23)), 3)
    sent(data["b3"], steps[7], local(date(2026, 5, 23)), 1)
    sent(data["a2"], steps[30], local(date(2026, 5, 16)), 3)
    sent(data["b2"], steps[15], local(date(2026, 5, 31), 23, 59), 3)  # still May in Nanning
    sent(data["a1"], steps[30], local(date(2026, 4, 15)), 2)  # April
    sent(data["b3"], steps[15], local(date(2026, 6, 1), 0, 0), 1)  # June
    may = {s.step.offset_days: (s.bills, s.recipients) for s in sel.reminders_sent(date(2026, 5, 1))}
    assert may == {-3: (1, 2), 0: (0, 0), 7: (2, 4), 15: (1, 3), 30: (1, 3)}
    in_a = {s.step.offset_days: s.bills for s in sel.reminders_sent(date(2026, 5, 1), data["A"].pk)}
    assert in_a == {-3: 1, 0: 0, 7: 0, 15: 0, 30: 0}


def test_an_inactive_step_shows_only_when_it_was_sent(data):
    steps = {s.offset_days: s for s in ensure_schedule()}
    steps[0].is_active = False
    steps[0].save()
    assert 0 not in {s.step.offset_days for s in sel.reminders_sent(date(2026, 5, 1))}
    sent(data["b1"], steps[0], local(date(2026, 5, 16)))
    assert 0 in {s.step.offset_days for s in sel.reminders_sent(date(2026, 5, 1))}


def promise(tenant, by, on: date, promised: date, person: str = "王") -> ArrearsContact:
    with on_day(on):
        from billing import arrears

        return arrears.contact_record(tenant=tenant, by=by, method="phone", person=person, promise_date=promised)


def test_promises_due_and_broken(data, desk):
    due_soon = promise(data["t3"], desk, date(2026, 6, 12), TODAY + timedelta(days=3))  # b3 unpaid
    promise(data["t1"], desk, date(2026, 6, 12), TODAY + timedelta(days=8))  # past the seven days
    due_today = promise(data["t2"], desk, date(2026, 6, 12), TODAY)
    broken = promise(data["t2"], desk, date(2026, 6, 1), TODAY - timedelta(days=5))  # a2, z1 unpaid
    promise(data["t1"], desk, date(2026, 5, 1), TODAY - timedelta(days=31))  # broken too long ago
    # Kept: the tenant paid what was due by the promised date.
    kept_tenant, unit = factories.occupied_unit()
    kept_bill = bill(kept_tenant, desk, "80.00", date(2026, 5, 20), date(2026, 6, 4), unit)
    promise(kept_tenant, desk, date(2026, 6, 2), date(2026, 6, 8))
    pay_on(date(2026, 6, 8), kept_tenant, desk, "80.00", [kept_bill])
    with on_day(TODAY):
        due = sel.promises_due(TODAY)
        gone = sel.promises_broken(TODAY)
    assert [c.pk for c in due] == [due_today.pk, due_soon.pk] and due.count == 2
    assert [c.pk for c in gone] == [broken.pk] and gone.count == 1
    assert gone.rows[0].overdue == D("650.00")
    with on_day(TODAY):
        in_a = sel.promises_due(TODAY, data["A"].pk)
    assert list(in_a) == []  # T3's unpaid bill b3 counts in B, T2's in B


def test_promises_beyond_the_page_are_counted(data, desk):
    for day in range(1, 4):
        promise(data["t2"], desk, date(2026, 6, 12), TODAY + timedelta(days=day))
    with on_day(TODAY):
        first_two = sel.promises_due(TODAY, limit=2)
    assert len(first_two.rows) == 2 and first_two.count == 3


# --- the page and its Excel file -----------------------------------------------------------------------


def page(client, **params):
    with on_day(TODAY):
        return client.get(reverse("desk:billing:collection"), params)


def test_the_page_shows_the_figures(client_for, finance, data):
    response = page(client_for(finance, HTTP_ACCEPT_LANGUAGE="en"), month="2026-05")
    assert response.status_code == 200
    html = response.content.decode()
    assert "4,200.00" in html and "40.5%" in html and "41.1%" in html and "76.2%" in html
    assert reverse("desk:billing:arrears_account", args=[data["t3"].pk]) in html
    assert "vendor/chartjs/chart.umd.js" in html and "collection-data" in html
    charts = response.context["charts"]
    assert charts["months"][-1] == "2026-05" and charts["rate"][-1] == D("40.5")
    assert charts["aging"]["amounts"] == [D("1000.00"), D("700.00"), D("0.00"), D("50.00")]


def test_the_page_for_a_building(client_for, supervisor, data):
    response = page(client_for(supervisor), month="2026-05", building=data["B"].pk)
    assert response.status_code == 200
    assert response.context["dash"].current.rate == D("16.7")
    assert [r["tenant__name"] for r in response.context["page_obj"]] == ["三号公司", "二号公司"]


@pytest.mark.parametrize(
    "params, field",
    [
        ({"month": "2026-13"}, "month"),
        ({"month": "'; DROP TABLE"}, "month"),
        ({"month": "2026-07"}, "month"),  # after the current month
        ({"month": "1999-12"}, "month"),
        ({"building": "abc"}, "building"),
        ({"building": "999999"}, "building"),
    ],
)
def test_bad_input_is_a_field_error_and_the_default_is_shown(client_for, finance, data, params, field):
    response = page(client_for(finance), **params)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert response.context["month"] == date(2026, 6, 1)


def test_a_bad_page_number_shows_a_page(client_for, finance, data):
    assert page(client_for(finance), page="x").status_code == 200
    assert page(client_for(finance), page="999").status_code == 200


def test_the_aging_list_pages_by_25(client_for, finance, desk):
    for n in range(30):
        tenant, _unit = factories.occupied_unit()
        bill(tenant, desk, f"{100 + n}.00", date(2026, 3, 1), date(2026, 3, 16))
    first = page(client_for(finance))
    second = page(client_for(finance), page=2)
    assert len(first.context["page_obj"]) == 25 and len(second.context["page_obj"]) == 5
    assert first.context["page_obj"][0]["total"] == D("129.00")
    assert second.context["page_obj"][4]["total"] == D("100.00")


def workbook(response):
    return load_workbook(BytesIO(response.content))


def rows_of(sheet) -> list[list]:
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def test_the_excel_file_has_every_table(client_for, finance, data, desk):
    promise(data["t3"], desk, date(2026, 6, 12), TODAY + timedelta(days=3))
    with on_day(TODAY):
        response = client_for(finance, HTTP_ACCEPT_LANGUAGE="en").get(
            reverse("desk:billing:collection_export"), {"month": "2026-05"}
        )
    assert response.status_code == 200
    book = workbook(response)
    assert book.sheetnames == [
        "Collection rate by month",
        "Collection rate by building",
        "Aging by tenant",
        "Largest debtors",
        "Reminders sent",
        "Promises due",
        "Broken promises",
        "About",
    ]
    months = rows_of(book["Collection rate by month"])
    assert months[0][:4] == ["Month", "Billed", "Collected by the month's end", "Collection rate (%)"]
    may = next(r for r in months if r[0] == "2026-05")
    assert may[1:] == pytest.approx([4200, 1700, 40.5, 3200, 76.2, 1150, 500, 41.1])
    assert len(months) == 1 + 12 + 1  # header, the months, the total row
    buildings = rows_of(book["Collection rate by building"])
    assert [r[0] for r in buildings[1:3]] == ["A座", "B座"]
    assert buildings[2][1:4] == pytest.approx([3000, 500, 16.7])
    aging = rows_of(book["Aging by tenant"])
    assert aging[1][:6] == ["三号公司", 1000, 0, 0, 0, 1000]
    assert aging[-1][0] == "Total" and aging[-1][1:6] == [1000, 700, 0, 50, 1750]
    assert rows_of(book["Promises due"])[1][0] == "三号公司"


def test_the_excel_file_lists_every_tenant_in_arrears(client_for, finance, desk):
    for _n in range(30):
        tenant, _unit = factories.occupied_unit()
        bill(tenant, desk, "10.00", date(2026, 3, 1), date(2026, 3, 16))
    with on_day(TODAY):
        response = client_for(finance).get(reverse("desk:billing:collection_export"))
    assert len(rows_of(workbook(response)["业户账龄"])) == 1 + 30 + 1


def test_the_desk_menu_offers_it_to_finance_and_the_supervisor_only(client_for, finance, supervisor, desk):
    url = reverse("desk:billing:collection")
    for user, shown in ((finance, True), (supervisor, True), (desk, False)):
        html = client_for(user).get(reverse("desk:home")).content.decode()
        assert (f'href="{url}"' in html) is shown, user


def test_void_bills_count_nowhere(data):
    assert Bill.objects.get(pk=data["b5"].pk).status == Bill.Status.VOID
    assert months_of()[date(2026, 5, 1)].billed == D("4200.00")


@pytest.mark.parametrize("name", ["desk:billing:collection", "desk:billing:collection_export"])
def test_junk_in_the_query_string_never_fails(client_for, finance, name):
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    junk = st.one_of(
        st.text(max_size=30),
        st.integers(min_value=-(2**70), max_value=2**70).map(str),
        st.sampled_from(["", "0", "-1", "\x00", "２０２６-05", "2026-5", "9999-12", "2026-00", "1" * 30]),
        st.dates().map(lambda d: f"{d:%Y-%m}"),
    )
    client = client_for(finance)

    @settings(max_examples=25, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(st.fixed_dictionaries({}, optional={"month": junk, "building": junk, "page": junk}))
    def get_junk(query):
        assert client.get(reverse(name), query).status_code == 200, query

    get_junk()
