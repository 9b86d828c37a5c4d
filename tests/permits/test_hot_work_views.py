"""Hot-work pages: the application form (portal and desk), the reviews, the phone page on site,
security's board, the register's filters and export, and what a guard sees on the verify page."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from permits.models import HotWorkPermit
from permits.models.hot_work import FIRE_WATCH, Measure, SiteCheck
from tests.permits.hot_work_data import make_hot_work, window

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(tenant_a_admin, engineer, guard):
    return {"applicant": tenant_a_admin, "engineer": engineer, "guard": guard}


def form_data(unit, **over) -> dict:
    start, end = window()
    start, end = timezone.localtime(start), timezone.localtime(end)
    return {
        "renovation": "",
        "unit": unit.pk,
        "part": "厨房东墙",
        "work": "焊接吧台钢架",
        "method": "electric_welding",
        "day": start.date().isoformat(),
        "starts_at": f"{start:%H:%M}",
        "ends_at": f"{end:%H:%M}",
        "operator_name": "韦师傅",
        "certificate_number": "t4501",
        "certificate_expiry": (start.date() + dt.timedelta(days=300)).isoformat(),
        "fire_watch_name": "黄看火",
        "fire_watch_phone": "13877110099",
        "area_m2": "60",
        "extinguishers": "2",
        "measures": list(Measure.values),
        **over,
    }


def test_the_company_applies_in_the_portal(client_for, tenant_a_admin, unit_a):
    response = client_for(tenant_a_admin).post(reverse("portal:permits:hot_work_new"), form_data(unit_a))
    permit = HotWorkPermit.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/hot-work/{permit.pk}/")
    assert permit.status == "submitted" and permit.certificate_number == "T4501"
    assert timezone.localtime(permit.starts_at).hour == 9


@pytest.mark.parametrize(
    ("over", "field", "words"),
    [
        ({"starts_at": "20:00", "ends_at": "02:00"}, "ends_at", "午夜"),
        ({"starts_at": "08:00", "ends_at": "17:00"}, "ends_at", "8"),
        ({"area_m2": "120", "extinguishers": "2"}, "extinguishers", "3"),
        ({"measures": ["cover"]}, "measures", ""),
        ({"fire_watch_phone": "12"}, "fire_watch_phone", ""),
        ({"extinguishers": "many"}, "extinguishers", ""),
    ],
    ids=["across midnight", "over 8 hours", "too few extinguishers", "measures", "phone", "not a number"],
)
def test_bad_input_is_shown_beside_the_field_and_kept(client_for, tenant_a_admin, unit_a, over, field, words):
    response = client_for(tenant_a_admin).post(reverse("portal:permits:hot_work_new"), form_data(unit_a, **over))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors and words in " ".join(errors[field])
    assert response.context["form"]["operator_name"].value() == "韦师傅"
    assert not HotWorkPermit.objects.exists()


def test_an_expired_certificate_is_a_field_error(client_for, tenant_a_admin, unit_a):
    data = form_data(unit_a, certificate_expiry=(timezone.localdate() - dt.timedelta(days=1)).isoformat())
    response = client_for(tenant_a_admin).post(reverse("portal:permits:hot_work_new"), data)
    assert "certificate_expiry" in response.context["form"].errors
    assert not HotWorkPermit.objects.exists()


def test_another_companys_unit_is_refused(client_for, tenant_a_admin, unit_b, tenant_b):
    response = client_for(tenant_a_admin).post(reverse("portal:permits:hot_work_new"), form_data(unit_b))
    assert "unit" in response.context["form"].errors


def test_the_desk_applies_for_a_company(client_for, desk, tenant_a, unit_a):
    response = client_for(desk).post(reverse("desk:permits:hot_work_new", args=[tenant_a.pk]), form_data(unit_a))
    permit = HotWorkPermit.objects.get()
    assert response.status_code == 302 and permit.tenant == tenant_a and permit.applicant == desk


def test_another_companys_permit_is_404(client_for, tenant_a, people, tenant_b_admin):
    permit = make_hot_work("approved", tenant=tenant_a, **people)
    client = client_for(tenant_b_admin)
    for name in ("hot_work_detail", "hot_work_pdf", "hot_work_correct"):
        assert client.get(reverse(f"portal:permits:{name}", args=[permit.pk])).status_code == 404


def test_engineering_and_security_approve_from_the_detail_page(client_for, tenant_a, people, engineer, guard):
    permit = make_hot_work("submitted", tenant=tenant_a, **people)
    url = reverse("desk:permits:hot_work_detail", args=[permit.pk])
    client_for(engineer).post(url, {"action": "engineering_approve"})
    client_for(guard).post(url, {"action": "security_approve"})
    permit.refresh_from_db()
    assert permit.status == "approved" and permit.document.number.startswith("DH-")
    assert "DH-" in client_for(guard).get(url).content.decode()


def test_the_site_page_checks_ends_and_rechecks(client_for, tenant_a, people, guard):
    permit = make_hot_work("approved", tenant=tenant_a, **people)
    client = client_for(guard)
    url = reverse("desk:permits:hot_work_site", args=[permit.pk])
    with time_machine.travel(permit.starts_at + dt.timedelta(minutes=5), tick=False):
        client = client_for(guard)
        response = client.post(url, {"step": "check", "checks": SiteCheck.values[:2]})
        assert response.status_code == 400 and "checks" in response.context["check_form"].errors
        client.post(url, {"step": "check", "checks": SiteCheck.values})
        permit.refresh_from_db()
        assert permit.status == "in_progress"
        client.post(url, {"step": "end"})
        permit.refresh_from_db()
        assert permit.status == "fire_watch"
        response = client.post(url, {"step": "recheck", "detectors_restored": "on"}, follow=True)
        assert "30" in response.content.decode()
        permit.refresh_from_db()
        assert permit.status == "fire_watch"
    with time_machine.travel(permit.work_ended_at + FIRE_WATCH + dt.timedelta(seconds=5), tick=False):
        client = client_for(guard)  # a fresh login: the session of the day before timed out
        response = client.post(url, {"step": "recheck"})
        assert response.status_code == 400
        client.post(url, {"step": "recheck", "detectors_restored": "on"})
    permit.refresh_from_db()
    assert permit.status == "closed" and permit.rechecked_by == guard


def test_the_board_shows_live_permits_of_today_and_the_next_24_hours(client_for, tenant_a, people, guard):
    soon = make_hot_work("approved", tenant=tenant_a, **people)
    later = make_hot_work("approved", tenant=tenant_a, **people)
    submitted = make_hot_work("submitted", tenant=tenant_a, **people)
    now = timezone.now()
    HotWorkPermit.objects.filter(pk__in=[soon.pk, submitted.pk]).update(
        starts_at=now + dt.timedelta(hours=2), ends_at=now + dt.timedelta(hours=4)
    )
    HotWorkPermit.objects.filter(pk=later.pk).update(
        starts_at=now + dt.timedelta(days=3), ends_at=now + dt.timedelta(days=3, hours=2)
    )
    watch = make_hot_work("fire_watch", tenant=tenant_a, **people)
    response = client_for(guard).get(reverse("desk:permits:security_board"))
    (section, rows) = response.context["sections"][0]
    assert section.code == "hot_work"
    assert {p.pk for p in rows} == {soon.pk, watch.pk}
    page = response.content.decode()
    assert "黄看火" in page and "board-card" in page  # cards for a phone


def test_the_register_filters_and_exports(client_for, tenant_a, people, desk, building):
    permit = make_hot_work("approved", tenant=tenant_a, **people)
    make_hot_work("submitted", tenant=tenant_a, **people, method="grinding")
    day = timezone.localdate(permit.starts_at)
    client = client_for(desk)
    url = reverse("desk:permits:hot_work_list")
    response = client.get(
        url, {"status": "approved", "method": "electric_welding", "day": day, "building": building.pk}
    )
    assert [p.pk for p in response.context["object_list"]] == [permit.pk]
    assert list(client.get(url, {"day": day + dt.timedelta(days=1)}).context["object_list"]) == []
    assert client.get(url, {"q": permit.document.number}).context["object_list"][0] == permit
    export = client.get(url, {"export": "xlsx"})
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxml")


def test_a_guard_scanning_the_permit_sees_window_fire_watch_checklist_and_state(client_for, tenant_a, people, guard):
    permit = make_hot_work("in_progress", tenant=tenant_a, **people)
    page = client_for(guard).get(permit.document.verify_path).content.decode()
    assert permit.window_text in page
    assert "黄看火 13877110099" in page
    assert "✓" in page and str(permit.get_status_display()) in page


def test_the_public_verify_page_masks_the_fire_watch(client, tenant_a, people):
    permit = make_hot_work("approved", tenant=tenant_a, **people)
    page = client.get(permit.document.verify_path).content.decode()
    assert "13877110099" not in page and "黄看火" not in page


def test_the_permit_pdf_renders_with_every_field(tenant_a, people):
    from jinyuan.documents.services import document_render

    permit = make_hot_work("approved", tenant=tenant_a, **people)
    assert document_render(document=permit.document) in (True, False)
    permit.document.refresh_from_db()
    assert permit.document.pdf
    data = permit.document.data
    assert data["measures"] and data["checks"] and data["extinguishers"] == 2
