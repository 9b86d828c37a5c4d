"""Browser tests: Debian's Chromium driven by Playwright against pytest-django's live server."""

import os
from pathlib import Path

import pytest

from .axe import AxeChecker, record_summary

CHROMIUM = "/usr/bin/chromium"
# Playwright's sync API runs an event loop in the test thread; Django's ORM calls from the
# test body are still synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium package")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


SUMMARY = Path(__file__).resolve().parents[2] / "var" / "axe-summary.json"


@pytest.fixture(scope="session")
def axe_checkers():
    """Every test's checker, for the run's counts in var/axe-summary.json."""
    checkers = []
    yield checkers
    record_summary(SUMMARY, checkers)


@pytest.fixture
def axe(axe_checkers):
    """This test's accessibility findings; serious or critical ones fail the test at its end."""
    checker = AxeChecker()
    axe_checkers.append(checker)
    yield checker
    if checker.blocking:
        pytest.fail(checker.report(), pytrace=False)


def checked_goto(page, checker: AxeChecker):
    """``page.goto`` that runs the accessibility check on the page it lands on."""
    goto = page.goto

    def go(url, **kwargs):
        response = goto(url, **kwargs)
        checker.check(page)
        return response

    return go


@pytest.fixture
def new_page(browser, live_server, axe):
    """A fresh browser context per person; ``phone=True`` gives a phone-sized screen. Every page
    reached by ``goto``, ``submit()`` or ``login()`` is checked with axe."""
    contexts = []

    def make(phone: bool = False):
        kwargs = {"base_url": live_server.url, "locale": "zh-CN"}
        if phone:
            kwargs.update(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
        context = browser.new_context(**kwargs)
        context.set_default_timeout(15_000)
        contexts.append(context)
        page = context.new_page()
        page.axe = axe
        page.goto = checked_goto(page, axe)
        return page

    yield make
    for context in contexts:
        context.close()


def submit(page, selector) -> None:
    """Click and wait for the page the click leads to (a POST answered by a redirect or a page
    with errors), so the next step never acts on the old page; then check that page with axe."""
    locator = page.locator(selector) if isinstance(selector, str) else selector
    with page.expect_navigation():
        locator.click()
    if checker := getattr(page, "axe", None):
        checker.check(page)


def login(page, username: str, password: str) -> None:
    page.goto("/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    submit(page, "main button[type=submit]")
