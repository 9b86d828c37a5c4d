"""The dashboard's figures from a fixed data set equal the ones worked out by hand
(tests/frontdesk/dashboard_data.py says how), this month against the last."""

import pytest
import time_machine

from frontdesk.dashboard import chart_data, dashboard
from tests.frontdesk import dashboard_data as data

pytestmark = pytest.mark.django_db


@pytest.fixture
def now(english):
    with time_machine.travel(data.NOW, tick=False):
        yield data.NOW


def work_row(board: dict, label_lower: str) -> dict:
    return next(row for row in board["work"] if row["key"] == label_lower)


def figure(board: dict, name: str) -> dict:
    return next(f for section in board["sections"] for f in section["figures"] if f["name"] == name)


def test_open_overdue_and_on_time_work_per_procedure(now, supervisor):
    data.add_deadlines()
    board = dashboard()
    repairs = work_row(board, "repairs.repairticket")
    assert (repairs["open"], repairs["overdue"]) == (3, 1)
    assert (repairs["met_this"], repairs["missed_this"], repairs["met_last"], repairs["missed_last"]) == (3, 2, 1, 1)
    assert (repairs["rate_this"], repairs["rate_last"]) == (60.0, 50.0)
    assert (repairs["rate_this_text"], repairs["change_text"], repairs["trend"]) == ("60.0%", "+10.0 pt", "up")
    complaints = work_row(board, "complaints.complaint")
    assert (complaints["open"], complaints["rate_this"], complaints["rate_last"]) == (0, 100.0, None)
    assert (complaints["rate_last_text"], complaints["change_text"]) == ("—", "—")
    # The unit's run belongs to no procedure: in no row and not in the totals.
    total = board["total"]
    assert (total["open"], total["overdue"], total["rate_this"], total["rate_last"]) == (3, 1, 66.7, 50.0)
    # Every procedure that starts deadlines is there, also with nothing open.
    keys = {row["key"] for row in board["work"]}
    assert {"frontdesk.shift", "venues.venueapplication", "renovation.renovation", "tenants.movein"} <= keys


def test_last_month_is_this_month_of_the_month_before(now, supervisor):
    data.add_deadlines()
    board = dashboard(data.LAST_MONTH)
    repairs = work_row(board, "repairs.repairticket")
    assert (repairs["rate_this"], repairs["rate_last"]) == (50.0, None)
    assert board["month_text"] == "2026-10" and board["previous_text"] == "2026-09"


def test_registered_figures_equal_the_hand_computed_ones(now, building, tenant_a, tenant_b, finance, supervisor):
    data.fixed_data_set(building, tenant_a, tenant_b, finance, supervisor)
    board = dashboard()
    rate = figure(board, "collection_rate")["rows"][0]
    assert (rate["this"], rate["last"], rate["this_text"], rate["last_text"]) == (25.0, 83.3, "25.0%", "83.3%")
    assert (rate["change_text"], rate["trend"]) == ("−58.3 pt", "down")
    assert rate["value"] == 25.0  # now: this month so far
    arrears = figure(board, "arrears")["rows"][0]
    assert (arrears["value"], arrears["value_text"], arrears["this_text"]) == (200.0, "¥200.00", "")
    assert figure(board, "occupancy_rate")["rows"][0]["value_text"] == "66.7%"
    assert figure(board, "occupancy_area_rate")["rows"][0]["value_text"] == "71.1%"
    satisfaction = {row["label"]: row for row in figure(board, "satisfaction")["rows"]}
    repairs, complaints = satisfaction["Repairs"], satisfaction["Complaints"]
    assert (repairs["this"], repairs["last"], repairs["change_text"]) == (75.0, 100.0, "−25.0 pt")
    assert (complaints["this"], complaints["last_text"]) == (0.0, "—")
    assert figure(board, "overdue_bills")["rows"][0]["value"] == 1


def test_every_figure_links_to_its_register(now, building, tenant_a, tenant_b, finance, supervisor):
    board = dashboard()
    assert figure(board, "overdue_bills")["url"] == "/desk/billing/bills/?overdue=true"
    assert figure(board, "collection_rate")["url"] == "/desk/billing/collection/"
    assert figure(board, "occupancy_area_rate")["url"] == "/desk/units/?vacant=false"
    repairs = work_row(board, "repairs.repairticket")
    assert (repairs["url"], repairs["overdue_url"]) == ("/desk/repairs/", "/desk/repairs/?overdue=true")
    assert all(f["url"] for section in board["sections"] for f in section["figures"])
    assert all(row["url"] for row in board["work"])


def test_sections_group_the_figures_and_satisfaction_has_a_trend(now, supervisor):
    data.add_visits(supervisor)
    board = dashboard()
    titles = [section["title"] for section in board["sections"]]
    assert titles[0] == "General" and "Billing" in titles and "Service" in titles
    satisfaction = figure(board, "satisfaction")
    assert len(satisfaction["trend"]) == 12 and satisfaction["trend"][-1][0] == "2026-11"
    lines = {line["label"]: line for line in satisfaction["trend_lines"]}
    assert lines["Repairs"]["values"][-2:] == [100.0, 75.0] and lines["Repairs"]["texts"][-1] == "75.0%"
    assert lines["Complaints"]["values"][-2:] == [None, 0.0] and lines["Repairs"]["values"][0] is None
    # This month and the last come from the trend: the same as the month's own figure.
    rows = {row["label"]: row for row in satisfaction["rows"]}
    assert (rows["Repairs"]["this"], rows["Repairs"]["last"]) == (75.0, 100.0)
    charts = chart_data(board)
    trend = next(t for t in charts["trends"] if t["name"] == "satisfaction")
    assert [line["label"] for line in trend["lines"]] == ["Repairs", "Complaints"]


def test_the_page_shows_the_figures_with_their_links(now, client_for, supervisor, tenant_a, finance):
    data.add_deadlines()
    data.add_bills(tenant_a, finance)
    response = client_for(supervisor).get("/desk/frontdesk/dashboard/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'href="/desk/repairs/?overdue=true"' in html and "60.0%" in html and "25.0%" in html
    assert 'id="dashboard-data"' in html and "js/dashboard_charts.js" in html
    assert "<script>" not in html  # CSP: data through json_script only
