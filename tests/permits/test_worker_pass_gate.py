"""A badge at the gate: a logged-in guard sees the photo on file, the worker's name and
company and the verdict; the public page shows the name masked and no photo."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from jinyuan.attachments.selectors import attachments_of
from jinyuan.documents.models import GateCheck
from permits import passes

pytestmark = pytest.mark.django_db


def test_guard_sees_photo_name_company_and_verdict(issue, client_for, guard, works):
    p = issue()
    photo = attachments_of(p).get()
    page = client_for(guard).get(p.document.verify_path)
    html = page.content.decode()
    assert page.status_code == 200
    assert reverse("attachments:thumbnail", args=[photo.pk]) in html
    assert "李建军" in html and works.contractor_name in html and works.tenant.name in html
    assert 'class="alert alert-success' in html  # valid
    # The whole ID number is on the pass, not on the gate's page.
    assert p.id_number not in html
    assert client_for(guard).get(reverse("attachments:thumbnail", args=[photo.pk])).status_code == 200


def test_public_verdict_masks_the_name_and_shows_no_photo(issue, client):
    p = issue()
    photo = attachments_of(p).get()
    html = client.get(p.document.verify_path).content.decode()
    assert "李*军" in html and "李建军" not in html
    assert reverse("attachments:thumbnail", args=[photo.pk]) not in html and "guard-photo" not in html
    assert p.id_number not in html
    assert client.get(reverse("attachments:thumbnail", args=[photo.pk])).status_code == 302


def test_tenant_and_desk_see_the_public_page_without_photo(issue, client_for, tenant_a_admin, desk):
    p = issue()
    for user in (tenant_a_admin, desk):
        html = client_for(user).get(p.document.verify_path).content.decode()
        assert "李*军" in html and "guard-photo" not in html


def test_guard_records_a_check_on_a_valid_badge_and_is_refused_on_a_suspended_one(issue, client_for, guard, engineer):
    p = issue()
    client = client_for(guard)
    assert client.post(p.document.verify_path, {"action": "check"}).status_code == 302
    passes.suspend_passes_of(p.renovation, by=engineer, reason="停工")
    html = client.get(p.document.verify_path).content.decode()
    assert "alert alert-danger" in html  # suspended: do not let through
    client.post(p.document.verify_path, {"action": "check"})
    assert list(
        GateCheck.objects.filter(document=p.document).order_by("at", "id").values_list("result", flat=True)
    ) == [
        "done",
        "refused",
    ]


def test_expired_badge_shows_expired_to_the_guard(issue, client_for, guard):
    p = issue(valid_until=timezone.localdate() + timedelta(days=1))
    with time_machine.travel(timezone.now() + timedelta(days=2)):
        html = client_for(guard).get(p.document.verify_path).content.decode()
    assert "alert alert-warning" in html and "李建军" in html
