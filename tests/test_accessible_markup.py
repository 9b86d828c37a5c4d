"""Accessibility by construction in the shared templates, without a browser (the axe checks in
tests/e2e/test_accessibility.py run the same pages in Chromium)."""

import re

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils.html import escape

from jinyuan.context_processors import language_tag


@pytest.mark.parametrize(("code", "tag"), [("zh-hans", "zh-Hans"), ("en", "en"), (None, "zh-Hans")])
def test_language_codes_become_bcp47_tags(code, tag):
    assert language_tag(code) == tag


@pytest.mark.parametrize(
    ("status", "tone", "icon"),
    [
        ("issued", "ok", "check-circle-fill"),
        ("revoked", "bad", "x-octagon-fill"),
        ("used", "off", "dash-circle"),
        ("submitted", "open", "hourglass-split"),
        ("partly_paid", "open", "hourglass-split"),
        ("<x>", "open", "hourglass-split"),
    ],
)
def test_a_state_is_shown_by_words_and_an_icon_not_colour_alone(status, tone, icon):
    html = Template("{% status_badge status label %}").render(Context({"status": status, "label": "标签"}))
    assert f"badge-state-{tone}" in html and f"badge-state-{escape(status)}" in html
    assert f'<i class="bi bi-{icon}" aria-hidden="true"></i> 标签' in html


@pytest.mark.django_db
def test_every_page_has_a_skip_link_landmarks_and_a_named_icon_button(client_for, desk):
    html = client_for(desk).get(reverse("desk:home")).content.decode()
    assert '<a class="skip-link visually-hidden-focusable" href="#content">' in html
    assert '<main id="content"' in html and "<header>" in html and "<footer" in html
    assert '<label class="visually-hidden" for="quick-search">' in html
    assert re.search(r'<button class="btn btn-primary" type="submit" aria-label="[^"]+"', html)


@pytest.mark.django_db
def test_both_inputs_of_a_date_range_filter_are_named(client_for, desk):
    html = client_for(desk).get(reverse("desk:permits:certificate_list")).content.decode()
    for name in ("created_min", "created_max"):
        assert re.search(rf'<input type="date" name="{name}"[^>]* aria-label="[^"]+"', html), name


@pytest.mark.django_db
def test_a_filter_error_is_tied_to_its_field(client_for, desk):
    html = client_for(desk).get(reverse("desk:permits:certificate_list"), {"status": "nonsense"}).content.decode()
    field = re.search(r'<select name="status"[^>]*>', html).group(0)
    assert 'aria-invalid="true"' in field and 'aria-describedby="id_status_error"' in field
    assert 'id="id_status_error"' in html


@pytest.mark.django_db
def test_a_form_error_is_tied_to_its_field(client_for, tenant_a_admin):
    html = client_for(tenant_a_admin).post(reverse("portal:permits:certificate_new"), {}).content.decode()
    field = re.search(r'<select name="unit"[^>]*>', html).group(0)
    assert 'aria-invalid="true"' in field
    described = re.search(r'aria-describedby="([^"]+)"', field).group(1)
    assert all(f'id="{part}"' in html for part in described.split())


def _tied(html: str, tag: str, name: str) -> None:
    field = re.search(rf'<{tag} name="{name}"[^>]*>', html).group(0)
    assert 'aria-invalid="true"' in field, field
    described = re.search(r'aria-describedby="([^"]+)"', field).group(1)
    assert all(f'id="{part}"' in html for part in described.split())


@pytest.mark.django_db
def test_complaint_form_errors_are_tied_to_their_fields(client_for, desk, supervisor, engineer, tenant_a_admin):
    from tests.complaints.helpers import in_state

    html = client_for(desk).post(reverse("desk:complaints:complaint_new"), {"content": ""}).content.decode()
    _tied(html, "textarea", "content")
    _tied(html, "select", "category")
    html = client_for(tenant_a_admin).post(reverse("portal:complaints:complaint_new"), {}).content.decode()
    _tied(html, "textarea", "content")
    complaint = in_state("assigned", desk=desk, supervisor=supervisor, engineer=engineer)
    url = reverse("desk:complaints:complaint_detail", args=[complaint.pk])
    html = client_for(engineer).post(url, {"action": "propose_reply"}).content.decode()
    _tied(html, "textarea", "propose_reply-reply_draft")
    html = client_for(desk).post(url, {"action": "hand_over", "hand_over-department": "engineering"}).content.decode()
    _tied(html, "select", "hand_over-assignee")
    _tied(html, "textarea", "hand_over-note")
