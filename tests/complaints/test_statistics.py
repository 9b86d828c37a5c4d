"""The monthly statistics of a fixed data set (tests/complaints/statistics_data.py, each record's
story told there) equal figures counted by hand, written out here; an empty month gives zeros
and "—"; the frozen figures read back the same."""

import datetime as dt

import pytest

from complaints.statistics import (
    Compare,
    ComplaintGroup,
    RepairGroup,
    Share,
    Visits,
    from_data,
    month_figures,
    tables,
    to_data,
)

from .statistics_data import LAST, NOW, THIS, build_complaints, build_repairs, people

pytestmark = pytest.mark.django_db


@pytest.fixture
def figures(desk, supervisor, engineer, guard, tenant_a_admin, tenant_a):
    p = people(desk, supervisor, engineer, guard, tenant_a_admin, tenant_a)
    build_repairs(p)
    build_complaints(p)
    return month_figures(THIS, now=NOW)


def test_repairs_of_this_month(figures):
    r = figures.this.repairs
    assert figures.month == THIS and figures.previous == LAST
    assert (r.received, r.completed, r.cancelled, r.paid_received, r.paid_completed) == (3, 3, 0, 1, 1)
    # Response: T3 and T4 met, T5 overdue. Completion: T4 met, T3 late, T5 overdue.
    assert r.response == Share(2, 3)
    assert r.completion == Share(1, 3)
    # Sign-offs: T2 again (4/3/4) and T3 (4/3/5), both satisfied.
    assert (r.ratings.count, r.ratings.overall, r.ratings.speed, r.ratings.service) == (2, 4.0, 3.0, 4.5)
    assert r.ratings.satisfied_share == Share(2, 2)
    assert r.visits == Visits(satisfied=1) and r.visits.satisfaction == Share(1, 1)
    # No reopening against three completions (T2, T3, T4).
    assert r.reopens == Share(0, 3)


def test_repairs_of_last_month(figures):
    r = figures.last.repairs
    assert (r.received, r.completed, r.cancelled, r.paid_received, r.paid_completed) == (3, 1, 1, 0, 0)
    # T1 met both; T2's first response late, its second met; its first completion met, the
    # second (after the reopen) late; the cancelled T6 counts in neither.
    assert r.response == Share(2, 3)
    assert r.completion == Share(2, 3)
    assert (r.ratings.count, r.ratings.overall, r.ratings.speed, r.ratings.service) == (2, 3.5, 3.0, 4.0)
    assert r.ratings.satisfied_share == Share(1, 2)
    assert r.visits == Visits(fairly_satisfied=1) and r.visits.satisfaction == Share(1, 1)
    # T2 sent back once against two completions (T1, T2).
    assert r.reopens == Share(1, 2)


def test_repairs_by_category_and_engineer(figures):
    this, last = figures.this.repairs, figures.last.repairs
    water, lock = this.by_category
    assert (water.name, water.received, water.completed, water.response, water.completion) == (
        "水电",
        2,
        2,
        Share(1, 2),
        Share(0, 2),
    )
    assert water.ratings.overall == 4.0
    assert (lock.name, lock.received, lock.completed, lock.response, lock.completion) == (
        "门锁更换",
        1,
        1,
        Share(1, 1),
        Share(1, 1),
    )
    assert lock.ratings.count == 0 and lock.ratings.overall is None
    (water_before,) = last.by_category
    assert (water_before.received, water_before.completed, water_before.response, water_before.completion) == (
        3,
        1,
        Share(2, 3),
        Share(2, 3),
    )
    assert water_before.ratings.overall == 3.5

    eng2, engineer, nobody = this.by_engineer
    assert (eng2.name, eng2.received, eng2.completed, eng2.response, eng2.completion, eng2.ratings.overall) == (
        "eng2",
        1,
        1,
        Share(1, 1),
        Share(0, 1),
        4.0,
    )
    assert (engineer.name, engineer.received, engineer.completed, engineer.response, engineer.completion) == (
        "engineer",
        1,
        2,
        Share(1, 1),
        Share(1, 1),
    )
    assert engineer.ratings.overall == 4.0
    assert (nobody.key, nobody.received, nobody.completed, nobody.response, nobody.completion) == (
        None,
        1,
        0,
        Share(0, 1),
        Share(0, 1),
    )
    eng2, engineer, nobody = last.by_engineer
    assert (eng2.completed, eng2.response, eng2.completion, eng2.ratings.overall) == (1, Share(1, 1), Share(1, 1), 5.0)
    assert (engineer.completed, engineer.response, engineer.completion, engineer.ratings.overall) == (
        0,
        Share(1, 2),
        Share(1, 2),
        2.0,
    )
    # The cancelled T6: received, nobody on it, no on-time figure.
    assert (nobody.received, nobody.response, nobody.completion) == (1, Share(), Share())


def test_complaints_of_both_months(figures):
    c, before = figures.this.complaints, figures.last.complaints
    assert (c.received, c.closed, c.cancelled, c.valid, c.invalid, c.undecided) == (2, 1, 1, 0, 0, 2)
    # K3 acknowledged in time, its reply overdue; the cancelled K4 counts in neither.
    assert (c.acknowledgement, c.reply) == (Share(1, 1), Share(0, 1))
    assert c.visits == Visits(fairly_satisfied=1) and c.reopens == Share(0, 1)
    assert (before.received, before.closed, before.cancelled, before.valid, before.invalid) == (2, 1, 0, 1, 1)
    # K2 acknowledged two days late; replies: K1 met, K2 met, K2 after its reopen late.
    assert (before.acknowledgement, before.reply) == (Share(1, 2), Share(2, 3))
    assert before.visits == Visits(satisfied=1, dissatisfied=1) and before.visits.satisfaction == Share(1, 2)
    assert before.reopens == Share(1, 2)


def test_complaints_by_type_category_and_department(figures):
    c, before = figures.this.complaints, figures.last.complaints
    assert c.by_kind == (
        ComplaintGroup("complaint", "", 1, 0, Share(1, 1), Share(0, 1)),
        ComplaintGroup("suggestion", "", 0, 1),
        ComplaintGroup("inquiry", "", 1, 0),
    )
    assert before.by_kind == (
        ComplaintGroup("complaint", "", 1, 1, Share(1, 1), Share(1, 1)),
        ComplaintGroup("suggestion", "", 1, 0, Share(0, 1), Share(1, 2)),
    )
    assert [(g.name, g.received, g.closed, g.acknowledgement, g.reply) for g in c.by_category] == [
        ("保洁", 0, 1, Share(), Share()),
        ("噪音", 2, 0, Share(1, 1), Share(0, 1)),
    ]
    assert [(g.key, g.received, g.closed, g.acknowledgement, g.reply) for g in c.by_department] == [
        ("security", 1, 0, Share(1, 1), Share(0, 1)),
        ("cleaning", 0, 1, Share(), Share()),
        ("", 1, 0, Share(), Share()),
    ]
    assert [(g.key, g.received, g.closed, g.acknowledgement, g.reply) for g in before.by_department] == [
        ("engineering", 1, 1, Share(1, 1), Share(1, 1)),
        ("cleaning", 1, 0, Share(0, 1), Share(1, 2)),
    ]


def test_the_tables_show_this_month_against_the_last(figures, english):
    by_key = {t.key: t for t in tables(figures)}
    rows = {row.label: row.values[0] for row in by_key["repairs"].rows}
    assert (rows["Received"].this_text, rows["Received"].last_text, rows["Received"].change_text) == ("3", "3", "±0")
    assert (rows["Completed"].this_text, rows["Completed"].change_text) == ("3", "+2")
    on_time = rows["Completion on time"]
    assert (on_time.this_text, on_time.last_text, on_time.change_text) == ("33.3%", "66.7%", "−33.3 pts")
    assert rows["Average rating: overall"].change_text == "+0.50"
    engineers = [row.label for row in by_key["repair_engineers"].rows]
    assert engineers == ["eng2", "engineer", "Not assigned"]
    departments = [row.label for row in by_key["complaint_departments"].rows]
    # This month's groups first, then those only last month had.
    assert departments == ["Security", "Cleaning", "Not assigned", "Engineering"]


def test_the_frozen_figures_read_back_the_same(figures):
    assert from_data(to_data(figures)) == figures


def test_an_empty_month_is_zeros_and_dashes(db, english):
    empty = month_figures(dt.date(2026, 3, 1), now=NOW)
    assert empty.this.repairs.received == 0 and empty.this.repairs.response == Share()
    assert empty.this.repairs.ratings.overall is None and empty.this.complaints.reopens.value is None
    texts = {v.this_text for table in tables(empty) for row in table.rows for v in row.values}
    assert texts <= {"0", "—"}
    changes = {v.change_text for table in tables(empty) for row in table.rows for v in row.values}
    assert changes <= {"±0", "—"}


def test_a_change_in_rates_is_in_points_and_none_without_a_base():
    assert Compare(Share(19, 20), Share(9, 10), "share").change_text.startswith("+5.0")
    assert Compare(Share(1, 2), Share(), "share").change_text == "—"
    assert Compare(4, 7).change_text == "−3"
    assert RepairGroup(key=None, name="").response.value is None
