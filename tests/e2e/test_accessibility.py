"""Every page passes axe's WCAG 2.1 A/AA rules without a serious or critical finding, as each
persona who works with it sees it: the desk and a supervisor on a desktop, a tenant on a
390 px phone, a guard and anonymous visitors on the verify and login pages.

The pages come from the access matrix (``PAGES`` of every ``tests/**/test_access*.py``), so a
new app's registers, detail pages and forms are checked as soon as they have their rows. One
test per persona walks all its pages in one browser context and reports every finding at once
(see ``axe.py``); pages that are not HTML (PDFs, Excel exports, files) are skipped.
"""

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from tests import factories
from tests.matrix import OK, LazyRecords, all_pages
from tests.test_access_matrix import MAKERS

from .conftest import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "Jinyuan-a11y-2026"

# The apps' ``records`` fixtures name some records differently; here they share the makers of
# tests/test_access_matrix.py. A new record key needs a maker or an alias here.
ALIASES = {"tenant": "tenant_a", "move_in": "movein", "move_out": "moveout"}


@pytest.fixture
def price_list(db):
    """Transactional tests flush the tables between tests, the migrated price list too."""
    from importlib import import_module

    from django.apps import apps

    import_module("billing.migrations.0002_price_list").load(apps, None)


@pytest.fixture
def records(request, price_list, tenant_a, tenant_b_admin, tenant_a_staff):
    makers = {**MAKERS, **{alias: MAKERS[key] for alias, key in ALIASES.items()}}
    return LazyRecords(request, makers)


def pages_for(who: str, side: str) -> list:
    """The matrix rows ``who`` may open on ``side`` ("desk" or "portal"; pages of both sides,
    such as notifications, go with either), once per URL name (exports are the same page)."""
    other = "portal:" if side == "desk" else "desk:"
    seen, pages = set(), []
    for page in all_pages():
        if page.query or page.name in seen or page.name.startswith(other) or page.expect[who] != OK:
            continue
        seen.add(page.name)
        pages.append(page)
    return pages


def visit_all(page, checker, urls: list[str]) -> None:
    """Opens each HTML page (axe checks it on arrival); files and exports are skipped."""
    for url in urls:
        response = page.request.get(url)
        if response.headers.get("content-type", "").startswith("text/html"):
            page.goto(url)
    assert checker.pages, "no page was checked"


def logged_in(new_page, user, phone: bool = False):
    user.set_password(PASSWORD)
    user.save()
    page = new_page(phone=phone)
    login(page, user.username, PASSWORD)
    return page


@pytest.mark.parametrize("who", ["desk", "supervisor"])
def test_desk_pages_on_a_desktop(new_page, axe, persona, records, who):
    page = logged_in(new_page, persona(who))
    urls = [p.url(records) for p in pages_for(who, "desk")]
    urls += [reverse("accounts:password_change_done"), "/desk/no-such-page/"]
    visit_all(page, axe, urls)


def test_portal_pages_on_a_phone(new_page, axe, records, tenant_a_admin):
    page = logged_in(new_page, tenant_a_admin, phone=True)
    visit_all(page, axe, [p.url(records) for p in pages_for("tenant_a_admin", "portal")])


def test_guard_checks_documents_on_a_phone(new_page, axe, records, guard, make_certificate):
    page = logged_in(new_page, guard, phone=True)
    valid = make_certificate("issued").document.verify_url.split("/verify/", 1)[1]
    revoked = make_certificate("revoked").document.verify_url.split("/verify/", 1)[1]
    urls = [f"/verify/{valid}", f"/verify/{revoked}", f"/verify/{valid[:-3]}xyz/"]
    visit_all(page, axe, urls + [p.url(records) for p in pages_for("guard", "desk")])


def test_anonymous_pages(new_page, axe, make_certificate):
    newcomer = factories.UserFactory(username="newcomer")
    invite = reverse(
        "accounts:invite",
        args=[urlsafe_base64_encode(force_bytes(newcomer.pk)), default_token_generator.make_token(newcomer)],
    )
    valid = make_certificate("issued").document.verify_url.split("/verify/", 1)[1]
    page = new_page(phone=True)
    visit_all(page, axe, ["/login/", f"/verify/{valid}", "/verify/not-a-token/", invite, "/no-such-page/"])
    desktop = new_page()
    desktop.goto("/login/")
    desktop.fill("input[name=username]", "nobody")
    desktop.fill("input[name=password]", "wrong-password")
    with desktop.expect_navigation():
        desktop.press("input[name=password]", "Enter")  # Enter submits; the error page is checked too
    axe.check(desktop, "login error")


# --- the keyboard: the desk's day is keyboard work ------------------------------------------------

FOCUSED = """() => {
  const el = document.activeElement, style = getComputedStyle(el);
  return {
    html: el.outerHTML.slice(0, 120),
    // Fields show their focus always; a date field's focus sits in its parts (:focus-within).
    visible: el.matches(":focus-visible, input:focus-within, select:focus, textarea:focus")
      && style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2,
  };
}"""


def tab_to(page, selector: str, limit: int = 120) -> None:
    """Presses Tab until ``selector`` has the focus (it may have it already: autofocus); every
    stop on the way must show its focus (the body is the browser's own bar, past the page's end)."""
    for _ in range(limit):
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        assert focused["visible"] or focused["html"].startswith("<body"), f"focus not visible on {focused['html']}"
    raise AssertionError(f"{selector} not reached with Tab")


def press_enter_and_wait(page) -> None:
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.axe.check(page)


def test_desk_checks_a_certificate_with_the_keyboard_only(new_page, desk, make_certificate):
    cert = make_certificate("submitted")
    desk.set_password(PASSWORD)
    desk.save()
    page = new_page()
    page.goto("/login/")
    tab_to(page, "input[name=username]")
    page.keyboard.type(desk.username)
    tab_to(page, "input[name=password]")
    page.keyboard.type(PASSWORD)
    press_enter_and_wait(page)  # Enter submits
    assert page.url.endswith("/desk/")

    # A menu opens with Enter and closes with Esc; the skip link is the first stop.
    page.goto("/desk/certificates/?status=submitted")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.classList.contains('skip-link')")
    tab_to(page, "[data-bs-toggle=dropdown]")
    page.keyboard.press("Enter")
    assert page.locator("[data-bs-toggle=dropdown][aria-expanded=true]").count() == 1
    page.keyboard.press("Escape")
    assert page.locator("[data-bs-toggle=dropdown][aria-expanded=true]").count() == 0

    # The register's row, then (past the menus by the skip link) the transition button.
    tab_to(page, f"a[href='/desk/certificates/{cert.pk}/']")
    press_enter_and_wait(page)
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "content"
    tab_to(page, "button[value=pass_check]")
    press_enter_and_wait(page)
    cert.refresh_from_db()
    assert cert.status == "checked"


def test_engineer_repair_pages_on_a_phone(new_page, axe, records, engineer):
    """The engineer's phone pages (worklist, a ticket assigned to them, one in the pool)."""
    page = logged_in(new_page, engineer, phone=True)
    urls = [
        p.url(records) for p in all_pages() if p.name.startswith("desk:repairs:engineer") and p.expect["engineer"] == OK
    ]
    visit_all(page, axe, urls)


def test_complaint_pages_in_each_state(new_page, axe, records, desk, supervisor, engineer):
    """A complaint's page as each reader works it: the desk's intake with its errors and a
    closed complaint (return visit, reopen), the engineer's reply form, the supervisor's
    approval form."""
    clerk = logged_in(new_page, desk)
    clerk.goto(reverse("desk:complaints:complaint_new"))
    with clerk.expect_navigation():
        clerk.click("main button[type=submit]")  # empty: every error beside its field
    axe.check(clerk, "complaint intake with errors")
    clerk.goto(reverse("desk:complaints:complaint_detail", args=[records["complaint_recorded"].pk]))
    clerk.goto(reverse("desk:complaints:complaint_detail", args=[records["complaint_closed"].pk]))
    field = logged_in(new_page, engineer)
    visit_all(
        field,
        axe,
        [p.url(records) for p in all_pages() if p.name.startswith("desk:complaints:") and p.expect["engineer"] == OK],
    )
    boss = logged_in(new_page, supervisor)
    boss.goto(reverse("desk:complaints:complaint_detail", args=[records["complaint_proposed"].pk]))
