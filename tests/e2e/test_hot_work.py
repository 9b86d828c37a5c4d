"""A company applies for hot work, engineering and security approve it, security checks the site
on a phone item by item, the board shows the permit, the work ends, and the recheck closes it
once the fire watch has lasted 30 minutes (refused before)."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from permits import hot_work
from permits.models import HotWorkPermit
from permits.models.hot_work import SiteCheck

from .conftest import login, submit

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "Jinyuan-e2e-2026"


@pytest.fixture
def people(engineer, guard, tenant_a_admin):
    for user in (engineer, guard, tenant_a_admin):
        user.set_password(PASSWORD)
        user.save()
    return engineer, guard, tenant_a_admin


def test_hot_work_from_application_to_the_recheck(new_page, people, tenant_a, unit_a):
    engineer, guard, tenant_admin = people

    # The company applies; too few extinguishers for the area is an error beside the field.
    office = new_page()
    login(office, tenant_admin.username, PASSWORD)
    office.goto("/portal/hot-work/new/")
    day = timezone.localdate(hot_work.earliest_start(timezone.now()))
    office.select_option("select[name=unit]", str(unit_a.pk))
    office.fill("input[name=part]", "厨房东墙")
    office.fill("input[name=work]", "焊接吧台钢架")
    office.select_option("select[name=method]", "electric_welding")
    office.fill("input[name=day]", day.isoformat())
    office.fill("input[name=starts_at]", "09:00")
    office.fill("input[name=ends_at]", "12:00")
    office.fill("input[name=operator_name]", "韦师傅")
    office.fill("input[name=certificate_number]", "T450103")
    office.fill("input[name=certificate_expiry]", (day + dt.timedelta(days=365)).isoformat())
    office.fill("input[name=fire_watch_name]", "黄看火")
    office.fill("input[name=fire_watch_phone]", "13877110099")
    office.fill("input[name=area_m2]", "120")
    office.fill("input[name=extinguishers]", "2")
    for measure in office.locator("input[name=measures]").all():
        measure.check()
    submit(office, "main button[type=submit]")
    assert office.locator("#id_extinguishers.is-invalid").count() == 1
    assert not HotWorkPermit.objects.exists()
    office.fill("input[name=extinguishers]", "3")
    submit(office, "main button[type=submit]")
    office.wait_for_url(re.compile(r"/portal/hot-work/\d+/$"))
    permit = HotWorkPermit.objects.get()
    assert permit.status == "submitted"

    # Engineering passes it, security approves it: the paper gets its number.
    desk_page = new_page()
    login(desk_page, engineer.username, PASSWORD)
    desk_page.goto(f"/desk/hot-work/{permit.pk}/")
    submit(desk_page, "button[value=engineering_approve]")
    site = new_page(phone=True)
    login(site, guard.username, PASSWORD)
    site.goto(f"/desk/hot-work/{permit.pk}/")
    submit(site, "button[value=security_approve]")
    permit.refresh_from_db()
    assert permit.status == "approved" and permit.document.number.startswith("DH-")

    # The day has come: the window starts now.
    now = timezone.now()
    HotWorkPermit.objects.filter(pk=permit.pk).update(
        starts_at=now - dt.timedelta(minutes=5), ends_at=now + dt.timedelta(hours=2)
    )

    # On site, on a phone: every item ticked, then the work is in progress.
    site.goto(f"/desk/hot-work/{permit.pk}/site/")
    for code in SiteCheck.values[:-1]:
        site.check(f"input[name=checks][value={code}]")
    submit(site, ".site-check button[type=submit]")
    assert site.locator(".invalid-feedback").count() >= 1  # one item left
    for code in SiteCheck.values:
        site.check(f"input[name=checks][value={code}]")
    submit(site, ".site-check button[type=submit]")
    permit.refresh_from_db()
    assert permit.status == "in_progress"

    # Security's board on the phone: the permit's card with its place, window and fire watch.
    site.goto("/desk/security-board/")
    card = site.locator(".board-card").first
    assert card.is_visible() and "黄看火" in card.inner_text() and "1201" in card.inner_text()

    # A guard scanning the posted permit sees its state and the checklist.
    site.goto(permit.document.verify_path)
    assert "黄看火" in site.content() and "✓" in site.content()

    # The work ends; the recheck right away is refused; 31 minutes later it closes the permit.
    site.goto(f"/desk/hot-work/{permit.pk}/site/")
    submit(site, "form:has(input[value=end]) button[type=submit]")
    permit.refresh_from_db()
    assert permit.status == "fire_watch"
    site.check("input[name=detectors_restored]")
    submit(site, ".site-recheck button[type=submit]")
    permit.refresh_from_db()
    assert permit.status == "fire_watch" and site.locator(".alert-warning").count() >= 1
    HotWorkPermit.objects.filter(pk=permit.pk).update(work_ended_at=permit.work_ended_at - dt.timedelta(minutes=31))
    site.goto(f"/desk/hot-work/{permit.pk}/site/")
    site.check("input[name=detectors_restored]")
    submit(site, ".site-recheck button[type=submit]")
    permit.refresh_from_db()
    assert permit.status == "closed" and permit.rechecked_by == guard

    # The company sees it closed.
    office.goto(f"/portal/hot-work/{permit.pk}/")
    assert "badge-state-closed" in office.content()
