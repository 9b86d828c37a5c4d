"""The URL-by-persona matrix, one helper for every app (DESIGN.md "Tests and quality").

Each app's ``test_access*.py`` owns its rows: a module-level ``PAGES`` list of ``Page`` rows and
a ``records`` fixture giving the records the URLs take (objects or pks, by key). This module
holds what they share: the personas' expectations (``DESK_PAGE``, ``MONEY_PAGE`` …), the
parametrisation, the assertions, the refused-POST row and the check that every desk, portal
and attachment URL has a row somewhere (``all_pages``).
"""

import importlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse

from tests.conftest import PERSONAS, STAFF_PERSONAS, TENANT_PERSONAS

OK, LOGIN_REDIRECT, FORBIDDEN, MISSING = 200, 302, 403, 404
EVERYONE = ("anonymous", *PERSONAS)
# Namespaces whose every named URL needs a row.
CHECKED_NAMESPACES = ("desk", "portal", "attachments")


def desk_page(*roles: str) -> dict[str, int]:
    """A desk page the given staff roles may open; other staff and tenants get 403."""
    return {
        "anonymous": LOGIN_REDIRECT,
        **{who: OK if who in roles else FORBIDDEN for who in STAFF_PERSONAS},
        **dict.fromkeys(TENANT_PERSONAS, FORBIDDEN),
    }


DESK_PAGE = desk_page(*STAFF_PERSONAS)  # every staff role reads it
DESK_ROLES_PAGE = desk_page("desk", "supervisor")  # front desk and supervisor only
MONEY_PAGE = desk_page("desk", "finance", "supervisor")
SUPERVISOR_PAGE = desk_page("supervisor")
PORTAL_PAGE = {
    "anonymous": LOGIN_REDIRECT,
    **dict.fromkeys(STAFF_PERSONAS, FORBIDDEN),
    **dict.fromkeys(TENANT_PERSONAS, OK),
}
PORTAL_ADMIN_PAGE = {**PORTAL_PAGE, "tenant_a_staff": FORBIDDEN}
TENANT_A_RECORD = {**PORTAL_PAGE, "tenant_b_admin": MISSING}  # another company's record is a 404
# Pages of a portal area (bills, archive: tenants.grants): staff open them only with the grant
# their company's admin gives them in the portal; the persona tenant_a_staff holds none.
GRANTED_PORTAL_PAGE = {**PORTAL_PAGE, "tenant_a_staff": FORBIDDEN}
GRANTED_TENANT_A_RECORD = {**TENANT_A_RECORD, "tenant_a_staff": FORBIDDEN}
ANY_USER = {"anonymous": LOGIN_REDIRECT, **dict.fromkeys(PERSONAS, OK)}


@dataclass(frozen=True)
class Page:
    name: str  # URL name
    expect: dict[str, int]  # persona -> status, every persona and "anonymous"
    record: str | None = None  # key of the ``records`` fixture whose pk the URL takes
    xfail: dict[str, str] = field(default_factory=dict)  # persona -> known bug in that cell
    query: str = ""  # e.g. "export=xlsx": the same page's export

    def __post_init__(self):
        assert set(self.expect) == set(EVERYONE), f"{self.name}: a status for every persona and anonymous"

    @property
    def id(self) -> str:
        return f"{self.name} {self.query.split('=')[-1]}" if self.query else self.name

    def url(self, records: Any) -> str:
        args = []
        if self.record:
            value = records[self.record]
            args = [getattr(value, "pk", value)]
        url = reverse(self.name, args=args)
        return f"{url}?{self.query}" if self.query else url


def by_persona(pages: list[Page]) -> list:
    """One test per page and persona (ids ``desk:home-guard``); xfails per cell."""
    return [
        pytest.param(
            page,
            who,
            id=f"{page.id}-{who}",
            marks=[pytest.mark.xfail(reason=page.xfail[who], strict=True)] if who in page.xfail else [],
        )
        for page in pages
        for who in EVERYONE
    ]


def by_page(pages: list[Page]) -> list:
    """One test per page, every persona in it: for records that are costly to make. A known
    bug in any cell marks the page's test."""
    return [
        pytest.param(
            page,
            id=page.id,
            marks=[pytest.mark.xfail(reason="; ".join(page.xfail.values()), strict=True)] if page.xfail else [],
        )
        for page in pages
    ]


def client_as(persona, who: str) -> Client:
    client = Client()
    user = persona(who)
    if user is not None:
        client.force_login(user)
    return client


def status_of(persona, who: str, url: str) -> int:
    """The status ``who`` gets; a login redirect must lead back to the page."""
    response = client_as(persona, who).get(url)
    if response.status_code == LOGIN_REDIRECT and who == "anonymous":
        location = urlsplit(response["Location"])
        assert location.path == reverse("accounts:login"), (url, response["Location"])
        assert parse_qs(location.query)["next"] == [url], (url, response["Location"])
    return response.status_code


def assert_page_by_persona(persona, records, page: Page, who: str) -> None:
    url = page.url(records)
    assert status_of(persona, who, url) == page.expect[who], (url, who)


def assert_page(persona, records, page: Page) -> None:
    url = page.url(records)
    assert {who: status_of(persona, who, url) for who in EVERYONE} == page.expect, url


# --- every URL has a row ---------------------------------------------------------------------------

TESTS = Path(__file__).resolve().parent


def all_pages() -> list[Page]:
    """The rows of every app: ``PAGES`` of each ``tests/**/test_access*.py``."""
    pages = []
    for path in sorted(TESTS.rglob("test_access*.py")):
        module = importlib.import_module(".".join(path.relative_to(TESTS.parent).with_suffix("").parts))
        pages += getattr(module, "PAGES", [])
    return pages


def named_urls(namespaces=CHECKED_NAMESPACES) -> set[str]:
    """Every URL name under the namespaces, nested ones too (``desk:billing:bill_list``)."""

    def walk(patterns, prefix: str):
        for p in patterns:
            if isinstance(p, URLResolver):
                yield from walk(p.url_patterns, f"{prefix}{p.namespace}:" if p.namespace else prefix)
            elif p.name:
                yield f"{prefix}{p.name}"

    named = set()
    for pattern in get_resolver().url_patterns:
        if isinstance(pattern, URLResolver) and pattern.namespace in namespaces:
            named |= set(walk(pattern.url_patterns, f"{pattern.namespace}:"))
    return named


# --- refused POSTs leave the record as it was --------------------------------------------------


@dataclass(frozen=True)
class Post:
    who: str
    side: str  # "desk" or "portal"
    state: str  # the record's state (key of ``records``)
    data: dict
    status: int


def assert_refused(response, url: str, post_status: int, who: str) -> None:
    """The refusal the persona gets: the status, and where a redirect leads (login for the
    anonymous, back to the record with a notice for a wrong state)."""
    assert response.status_code == post_status
    if post_status == LOGIN_REDIRECT and who == "anonymous":
        assert response["Location"].startswith(reverse("accounts:login"))
    elif post_status == LOGIN_REDIRECT:
        assert response["Location"] == url


# --- records -----------------------------------------------------------------------------------------


class LazyRecords(dict):
    """Records made on first use from ``makers`` (key -> maker(records)): most rows need one of
    them, or none. ``records.fixture(name)`` gives a pytest fixture to a maker."""

    def __init__(self, request, makers: dict):
        super().__init__()
        self.fixture = request.getfixturevalue
        self.makers = makers

    def __missing__(self, key):
        value = self[key] = self.makers[key](self)
        return value
