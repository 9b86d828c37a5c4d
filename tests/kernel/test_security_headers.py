"""Private pages are not cached, the CSP forbids inline script, idle staff sessions end."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from jinyuan import middleware

pytestmark = pytest.mark.django_db

TEMPLATE_DIRS = [Path(settings.BASE_DIR) / "templates", *Path(settings.BASE_DIR).glob("*/templates")]
INLINE_HANDLER = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
INLINE_STYLE = re.compile(r"\sstyle\s*=|<style", re.IGNORECASE)


def _page_templates():
    for root in TEMPLATE_DIRS:
        for path in root.rglob("*.html"):
            # PDFs are rendered by WeasyPrint, not a browser: their styles are not under the CSP.
            if "pdf" not in path.parts:
                yield path


def test_logged_in_pages_are_private_and_not_stored(client_for, desk, tenant_a_admin):
    for user, url in ((desk, reverse("desk:home")), (tenant_a_admin, reverse("portal:home"))):
        response = client_for(user).get(url)
        assert response.status_code == 200
        cache_control = response["Cache-Control"]
        assert "private" in cache_control and "no-store" in cache_control, url


def test_private_pdf_is_not_stored(client_for, tenant_a_admin, make_certificate):
    cert = make_certificate("issued")
    response = client_for(tenant_a_admin).get(reverse("portal:permits:certificate_pdf", args=[cert.pk]))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_every_page_carries_a_csp_without_inline_script(client, client_for, desk):
    for response in (client.get(reverse("accounts:login")), client_for(desk).get(reverse("desk:home"))):
        policy = response["Content-Security-Policy"]
        script_src = next(d for d in policy.split(";") if d.strip().startswith("script-src"))
        assert "'self'" in script_src
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
        assert "frame-ancestors 'none'" in policy


@pytest.mark.parametrize("path", list(_page_templates()), ids=lambda p: str(p.relative_to(settings.BASE_DIR)))
def test_templates_hold_no_inline_script_or_style(path):
    text = path.read_text()
    assert not INLINE_SCRIPT.search(text), "inline <script>: move it to static/js"
    assert not INLINE_HANDLER.search(text), "on...= handler: use a data attribute and static/js/app.js"
    assert not INLINE_STYLE.search(text), "inline style: use a class in static/css/app.css"


def _clock(monkeypatch, start: float):
    now = {"t": start}
    monkeypatch.setattr(middleware.time, "time", lambda: now["t"])
    return now


def test_staff_session_ends_after_thirty_idle_minutes(client_for, desk, monkeypatch):
    now = _clock(monkeypatch, 1_800_000_000)
    client = client_for(desk)
    home = reverse("desk:home")
    assert client.get(home).status_code == 200
    now["t"] += 29 * 60
    assert client.get(home).status_code == 200  # activity moves the stamp on
    now["t"] += 29 * 60
    assert client.get(home).status_code == 200
    now["t"] += 31 * 60
    response = client.get(home)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    # Logged out for good, not just redirected once.
    assert client.get(home).status_code == 302


def test_tenant_session_outlasts_the_staff_limit(client_for, tenant_a_admin, monkeypatch):
    now = _clock(monkeypatch, 1_800_000_000)
    client = client_for(tenant_a_admin)
    assert client.get(reverse("portal:home")).status_code == 200
    now["t"] += 8 * 3600
    assert client.get(reverse("portal:home")).status_code == 200


def test_anonymous_requests_load_no_session(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        client.get(reverse("healthz"))
