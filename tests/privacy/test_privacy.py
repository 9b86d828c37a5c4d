"""Personal information: masking helpers, and ID scans and photos of people deleted a set time
after their record closes (rows kept and marked, one audit event, twice purges nothing twice)."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from jinyuan.attachments.models import Attachment
from jinyuan.attachments.tasks import purge_personal_data
from jinyuan.privacy import mask_id_number, mask_phone, personal_data_purge
from jinyuan.workflow.models import AuditEvent
from tenants.models import Occupancy
from tests import factories

PURGED = "tenant.personal_data_purged"


def test_lists_and_exports_mask_as_the_verify_page_does():
    assert mask_id_number("450102199001011234") == "****1234"
    assert mask_phone("13877110001") == "138****0001"
    assert mask_id_number("") == mask_phone("") == ""


@pytest.fixture
def left(tenant_a, desk):
    """Tenant A's archive (its contact's ID scan and its licence), an ID-scan attachment and an
    inspection photo, all attachments of the tenant; its only occupancy ended on ``left.ended``."""
    ended = timezone.localdate() - timedelta(days=10)
    Occupancy.objects.filter(tenant=tenant_a).update(end=ended)
    files = {
        "id_scan": factories.make_archive_file(tenant_a, desk, kind="contact_id"),
        "licence": factories.make_archive_file(tenant_a, desk, kind="licence"),
        "id_attachment": factories.make_attachment(tenant_a, desk, kind="id_scan"),
        "inspection": factories.make_attachment(tenant_a, desk, kind="inspection"),
    }
    files["ended"] = ended
    return files


def _after(ended, days: int):
    return timezone.make_aware(timezone.datetime.combine(ended, timezone.datetime.min.time())) + timedelta(days=days)


@pytest.mark.django_db
def test_id_scans_are_kept_during_the_retention_period(left):
    assert personal_data_purge(_after(left["ended"], 182)) == 0
    assert default_storage.exists(left["id_scan"].file.name)


@pytest.mark.django_db
def test_id_scans_go_after_the_retention_period_and_the_rows_stay(left, tenant_a):
    scan_name = left["id_scan"].file.name
    attachment = left["id_attachment"]
    attached_names = (attachment.file.name, attachment.thumbnail.name)
    now = _after(left["ended"], 184)
    assert personal_data_purge(now) == 2
    scan = Attachment.objects.get(pk=left["id_scan"].pk)
    assert scan.purged_at == now and "183" in scan.purge_note
    assert scan.file.name == "" and scan.original_name == ""
    assert not default_storage.exists(scan_name)
    attachment.refresh_from_db()
    assert attachment.purged_at == now
    assert not any(default_storage.exists(name) for name in attached_names if name)
    # What is not personal stays.
    licence = Attachment.objects.get(pk=left["licence"].pk)
    assert licence.purged_at is None and default_storage.exists(licence.file.name)
    assert Attachment.objects.get(pk=left["inspection"].pk).purged_at is None
    event = AuditEvent.objects.get(action=PURGED, object_id=tenant_a.pk)
    assert event.data["deleted_files"] == 2
    assert {(p["model"], p["kind"]) for p in event.data["purged"]} == {
        ("attachment", "contact_id"),
        ("attachment", "id_scan"),
    }


@pytest.mark.django_db
def test_running_twice_purges_nothing_twice(left):
    now = _after(left["ended"], 200)
    assert personal_data_purge(now) == 2
    assert personal_data_purge(now + timedelta(days=1)) == 0
    assert AuditEvent.objects.filter(action=PURGED).count() == 1


@pytest.mark.django_db
def test_a_tenant_still_in_the_building_keeps_its_id_scans(tenant_a, desk):
    scan = factories.make_archive_file(tenant_a, desk, kind="contact_id")
    assert personal_data_purge(timezone.now() + timedelta(days=1000)) == 0
    assert default_storage.exists(scan.file.name)


@pytest.mark.django_db
def test_the_retention_period_is_a_setting(left, settings):
    settings.PERSONAL_DATA_RETENTION_DAYS = 5
    assert personal_data_purge(_after(left["ended"], 6)) == 2


@pytest.mark.django_db
def test_the_daily_task_calls_the_purge_and_runs_twice_safely(left, settings):
    settings.PERSONAL_DATA_RETENTION_DAYS = 0
    assert purge_personal_data.delay().get() == 2
    assert purge_personal_data.delay().get() == 0


def test_beat_runs_the_purge_daily():
    entry = settings.CELERY_BEAT_SCHEDULE["purge-personal-data"]
    assert entry["task"] == "privacy.purge_personal_data"


@pytest.mark.django_db
def test_a_purged_scan_is_no_longer_served(left, client_for, tenant_a_admin, desk):
    personal_data_purge(_after(left["ended"], 184))
    for key in ("id_scan", "id_attachment"):
        url = reverse("attachments:file", args=[left[key].pk])
        assert client_for(desk).get(url).status_code == 404
        assert client_for(tenant_a_admin).get(url).status_code == 404


@pytest.mark.django_db
def test_the_admin_shows_the_policy_and_marks_purged_rows(left, client_for):
    personal_data_purge(_after(left["ended"], 184))
    root = factories.UserFactory(username="root", is_staff=True, is_superuser=True)
    client = client_for(root, HTTP_ACCEPT_LANGUAGE="en")
    attachments = client.get(reverse("admin:attachments_attachment_changelist")).content.decode()
    assert "deleted 183 days after their record closes" in attachments
    assert "Deleted" in attachments
    assert "ID of the contact" in attachments  # the archive's kinds by their names


@pytest.mark.django_db
def test_the_tenant_page_marks_a_purged_scan_and_links_no_file(left, client_for, desk, tenant_a, tenant_a_admin):
    personal_data_purge(_after(left["ended"], 184))
    page = client_for(desk, HTTP_ACCEPT_LANGUAGE="en").get(reverse("desk:tenants:tenant_detail", args=[tenant_a.pk]))
    html = page.content.decode()
    assert "Personal data deleted" in html
    scan_url = reverse("attachments:file", args=[left["id_scan"].pk])
    assert scan_url not in html
    assert reverse("attachments:file", args=[left["licence"].pk]) in html
    portal = client_for(tenant_a_admin).get(reverse("portal:home")).content.decode()
    assert scan_url not in portal
