"""Query counts: a page makes the same, pinned number of queries with 1 row and with 30.

A count that grows with the rows is an N+1. A pinned number that changes means a page started
(or stopped) querying something: look at why, then update the number in the app's
``test_queries.py``. Each app lists its pages as ``Case`` rows; ``assert_fixed_queries`` runs one.
"""

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import factories


@dataclass(frozen=True)
class Case:
    who: str  # persona fixture, or "superuser"
    url: Callable[[dict], str]  # from the context to the page's URL
    add_rows: Callable[[dict, int], None]  # add n rows to what the page lists
    queries: int  # the pinned count
    xfail: str = ""  # the reason, when the page has a known N+1

    def param(self, name: str):
        marks = [pytest.mark.xfail(reason=self.xfail, strict=True)] if self.xfail else []
        return pytest.param(name, marks=marks, id=name)


def admin_changelist(label: str) -> Callable[[dict], str]:
    app, model = label.lower().split(".")
    return lambda ctx: reverse(f"admin:{app}_{model}_changelist")


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def assert_fixed_queries(request, ctx, client_for, name: str, case: Case) -> None:
    if case.who == "superuser":
        user = factories.UserFactory(username="root", is_staff=True, is_superuser=True)
    else:
        user = request.getfixturevalue(case.who)
    client = client_for(user)
    url = case.url(ctx)
    client.get(url)  # warm up: content types, session, translations
    case.add_rows(ctx, 1)
    with_one = _count(client, url)
    case.add_rows(ctx, 29)
    with_thirty = _count(client, url)
    assert with_one == with_thirty, f"{name}: {with_one} queries with 1 row, {with_thirty} with 30 (N+1)"
    assert with_thirty == case.queries, f"{name}: {with_thirty} queries, pinned {case.queries}"
