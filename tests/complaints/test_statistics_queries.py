"""The monthly statistics cost the same queries for 1 record as for 30 (aggregates in the
database): month_figures 13 (an empty month too), the supervisor's page 13 more than nothing of its own."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from complaints import services as complaint_services
from complaints.statistics import first_of, month_figures
from repairs import services as repair_services
from tests import factories
from tests.repairs.feedback_helpers import completed, scores, water_category

from .helpers import category, in_state

pytestmark = pytest.mark.django_db

FIGURES_QUERIES = 13
# The session and the user (2), the figures (13), the month's report (1).
PAGE_QUERIES = 16


def add_rows(n: int, desk, supervisor, water) -> None:
    """n repairs signed off and n complaints answered, each by an engineer of their own."""
    for _ in range(n):
        engineer = factories.UserFactory(roles=["engineering"])
        ticket = completed(desk, engineer, water)
        repair_services.sign_off(ticket, by=desk, channel="desk", **scores())
        complaint = in_state(
            "closed", desk=desk, supervisor=supervisor, engineer=engineer, category=category(f"类{engineer.pk}")
        )
        complaint_services.mark_validity(complaint, valid=True, reason="属实", by=desk)


def figures_queries() -> int:
    with CaptureQueriesContext(connection) as ctx:
        month_figures(first_of(timezone.localdate()))
    return len(ctx.captured_queries)


def test_month_figures_cost_the_same_for_one_and_thirty(desk, supervisor):
    water = water_category()
    month_figures(first_of(timezone.localdate()))  # content types cached, as in any process after its first use
    add_rows(1, desk, supervisor, water)
    one = figures_queries()
    add_rows(29, desk, supervisor, water)
    figures = month_figures(first_of(timezone.localdate()))
    assert figures.this.repairs.completed == 30 and len(figures.this.repairs.by_engineer) == 30
    assert figures.this.complaints.closed == 30 and len(figures.this.complaints.by_category) == 30
    assert figures_queries() == one == FIGURES_QUERIES


def test_an_empty_month_costs_the_same_as_a_busy_one(desk, supervisor):
    month_figures(first_of(timezone.localdate()))  # content types cached
    empty = figures_queries()
    add_rows(2, desk, supervisor, water_category())
    assert month_figures(first_of(timezone.localdate())).this.repairs.by_engineer
    assert empty == figures_queries() == FIGURES_QUERIES


def test_the_page_costs_the_same_for_one_and_thirty(client_for, desk, supervisor):
    water = water_category()
    client = client_for(supervisor)
    url = reverse("desk:complaints:statistics") + f"?month={timezone.localdate():%Y-%m}"
    client.get(url)  # warm up: content types, session, translations
    counts = []
    for n in (1, 29):
        add_rows(n, desk, supervisor, water)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts == [PAGE_QUERIES, PAGE_QUERIES]
