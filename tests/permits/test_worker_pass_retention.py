"""A worker's personal data goes a set time after the pass ends (returned, voided, or past its
last day): the photo's files are deleted (the row kept and marked), the ID number is masked
once the pass is returned or void, one audit event, and a second run purges nothing twice."""

from datetime import timedelta

import pytest
import time_machine
from django.core.files.storage import default_storage
from django.utils import timezone

from jinyuan.attachments.models import Attachment
from jinyuan.attachments.tasks import purge_personal_data
from jinyuan.privacy import personal_data_purge
from jinyuan.workflow.models import AuditEvent
from permits import passes
from permits.models import WorkerPass
from permits.selectors import passes_ended_before

pytestmark = pytest.mark.django_db

PURGED = "worker_pass.personal_data_purged"
DAYS = 183


def photo_of(worker_pass: WorkerPass) -> Attachment:
    return Attachment.objects.get(object_id=worker_pass.pk, kind="photo", content_type__model="workerpass")


def later(days: float):
    return timezone.now() + timedelta(days=days)


def test_a_returned_pass_keeps_the_photo_through_the_retention_period(issue, desk):
    worker_pass = passes.worker_pass_return(obj=issue(1), by=desk)
    photo = photo_of(worker_pass)
    assert personal_data_purge(later(DAYS - 1)) == 0
    assert default_storage.exists(photo.file.name)
    worker_pass.refresh_from_db()
    assert len(worker_pass.id_number) == 18


def test_after_it_the_photo_goes_and_the_id_number_is_masked_once(issue, desk):
    worker_pass = passes.worker_pass_return(obj=issue(1), by=desk)
    whole = worker_pass.id_number
    photo = photo_of(worker_pass)
    files = [name for name in (photo.file.name, photo.thumbnail.name) if name]
    now = later(DAYS + 1)
    assert personal_data_purge(now) == 2  # one file row, one field
    photo.refresh_from_db()
    assert photo.purged_at == now and photo.file.name == "" and photo.original_name == ""
    assert not any(default_storage.exists(name) for name in files)
    worker_pass.refresh_from_db()
    assert worker_pass.id_number == "****" + whole[-4:]
    event = AuditEvent.objects.get(action=PURGED, object_id=worker_pass.pk)
    assert event.data["deleted_files"] == 1 and event.data["masked_fields"] == ["id_number"]
    # Twice: nothing left to purge, no second event, and the pass is not even read again.
    assert personal_data_purge(now + timedelta(days=1)) == 0
    assert AuditEvent.objects.filter(action=PURGED).count() == 1
    assert not passes_ended_before(now + timedelta(days=1)).exists()


def test_a_voided_pass_is_purged_the_same_way(issue, desk):
    worker_pass = passes.worker_pass_void(obj=issue(1), by=desk, note="装修结束")
    assert personal_data_purge(later(DAYS + 1)) == 2
    worker_pass.refresh_from_db()
    assert worker_pass.id_number.startswith("****")


def test_a_pass_past_its_last_day_loses_its_photo_but_keeps_its_number_until_returned(issue, desk):
    worker_pass = issue(1)
    ended = worker_pass.valid_until
    photo = photo_of(worker_pass)
    after_last_day = timezone.make_aware(timezone.datetime.combine(ended, timezone.datetime.min.time()))
    assert personal_data_purge(after_last_day + timedelta(days=DAYS)) == 0  # ended on its last day's end
    assert personal_data_purge(after_last_day + timedelta(days=DAYS + 2)) == 1
    photo.refresh_from_db()
    worker_pass.refresh_from_db()
    assert photo.purged_at is not None
    # Still issued (never handed back): the number stays, the one-live-pass index reads it.
    assert worker_pass.status == WorkerPass.Status.ISSUED and len(worker_pass.id_number) == 18
    passes.worker_pass_return(obj=worker_pass, by=desk)
    assert personal_data_purge(after_last_day + timedelta(days=DAYS + 3)) == 1
    worker_pass.refresh_from_db()
    assert worker_pass.id_number.startswith("****")
    assert AuditEvent.objects.filter(action=PURGED, object_id=worker_pass.pk).count() == 2


def test_a_live_pass_keeps_everything(issue):
    worker_pass = issue(1)
    assert personal_data_purge(timezone.now()) == 0
    assert photo_of(worker_pass).purged_at is None


def test_the_retention_period_is_the_setting(issue, desk, settings):
    settings.PERSONAL_DATA_RETENTION_DAYS = 30
    passes.worker_pass_return(obj=issue(1), by=desk)
    assert personal_data_purge(later(29)) == 0
    assert personal_data_purge(later(31)) == 2


def test_the_daily_task_with_time_moved_purges_once(issue, desk):
    worker_pass = issue(1)
    with time_machine.travel(later(10), tick=False):
        passes.worker_pass_return(obj=worker_pass, by=desk)
    with time_machine.travel(later(10 + DAYS - 1), tick=False):
        assert purge_personal_data.delay().get() == 0
    with time_machine.travel(later(10 + DAYS + 1), tick=False):
        assert purge_personal_data.delay().get() == 2
        assert purge_personal_data.delay().get() == 0
    assert AuditEvent.objects.filter(action=PURGED, object_id=worker_pass.pk).count() == 1
