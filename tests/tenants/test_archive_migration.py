"""Migrations 0012/0013: the archive's rows become attachments of their tenant, each keeping its
stored file, its names, its dates and its voided or purged state; an inspection photo follows."""

from datetime import UTC, date, datetime

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from tests.factories import MINIMAL_PDF

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("tenants", "0011_unit_power_supply_kw"), ("workflow", "0004_number_sequence_labels")]
AFTER = [("tenants", "0013_drop_archivefile"), ("workflow", "0004_number_sequence_labels")]
UPLOADED = datetime(2025, 3, 1, 9, 30, tzinfo=UTC)
VOIDED = datetime(2025, 4, 1, 10, 0, tzinfo=UTC)
PURGED = datetime(2026, 1, 5, 3, 0, tzinfo=UTC)


def test_archive_rows_become_attachments_of_their_tenant(scratch_database, _media_in_tmp):
    old = scratch_database(BEFORE)
    User = old.get_model("accounts", "User")
    desk = User.objects.create(username="desk", password="!")
    supervisor = User.objects.create(username="supervisor", password="!")
    Tenant = old.get_model("tenants", "Tenant")
    ArchiveFile = old.get_model("tenants", "ArchiveFile")
    AuditEvent = old.get_model("workflow", "AuditEvent")
    ContentType = old.get_model("contenttypes", "ContentType")
    tenant = Tenant.objects.create(name="广西邕江数字科技有限公司", credit_code="91450100MA5KXXXX0X")
    stored = default_storage.save(f"archive/{tenant.pk}/{'a' * 32}.pdf", ContentFile(MINIMAL_PDF))
    photo_name = default_storage.save(f"archive/{tenant.pk}/{'b' * 32}.jpg", ContentFile(b"\xff\xd8\xff photo"))

    def archive(**fields):
        row = ArchiveFile.objects.create(tenant=tenant, uploaded_by_id=desk.pk, **fields)
        ArchiveFile.objects.filter(pk=row.pk).update(uploaded_at=UPLOADED)
        return row

    licence = archive(kind="licence", title="营业执照", file=stored, size=len(MINIMAL_PDF), original_name="执照.pdf")
    voided = archive(kind="lease", file=stored, voided_at=VOIDED, void_reason="换新合同")
    purged = archive(kind="contact_id", file="", purged_at=PURGED, purge_note="retention")
    photo = archive(kind="inspection", title="交房检查 A-1801", file=photo_name, size=14)
    AuditEvent.objects.create(
        content_type=ContentType.objects.get_for_model(Tenant),
        object_id=tenant.pk,
        action="tenant.archive_voided",
        actor_id=supervisor.pk,
        data={"file": voided.pk},
    )
    Unit = old.get_model("tenants", "Unit")
    building = old.get_model("tenants", "Building").objects.create(code="A", name="A座")
    floor = old.get_model("tenants", "Floor").objects.create(building=building, number=18)
    unit = Unit.objects.create(floor=floor, number="A-1801", area=100)
    move_in = old.get_model("tenants", "MoveIn").objects.create(
        tenant=tenant, start_date=date(2025, 3, 1), applicant_id=desk.pk
    )
    row = old.get_model("tenants", "MoveInUnit").objects.create(move_in=move_in, unit=unit, photo=photo)

    new = scratch_database(AFTER)
    Attachment = new.get_model("attachments", "Attachment")
    tenant_type = new.get_model("contenttypes", "ContentType").objects.get(app_label="tenants", model="tenant")
    moved = {a.kind: a for a in Attachment.objects.filter(content_type=tenant_type, object_id=tenant.pk)}
    assert set(moved) == {"licence", "lease", "contact_id", "inspection"}

    a = moved["licence"]
    assert (a.file.name, a.label, a.original_name, a.size) == (stored, "营业执照", "执照.pdf", len(MINIMAL_PDF))
    assert (a.content_type_sniffed, a.uploaded_by_id, a.uploaded_at) == ("application/pdf", desk.pk, UPLOADED)
    assert a.voided_at is None and a.purged_at is None
    assert (moved["lease"].voided_at, moved["lease"].voided_by_id) == (VOIDED, supervisor.pk)
    assert moved["lease"].void_reason == "换新合同"
    assert (moved["contact_id"].purged_at, moved["contact_id"].purge_note) == (PURGED, "retention")
    assert moved["contact_id"].file.name == ""
    assert (moved["inspection"].file.name, moved["inspection"].content_type_sniffed) == (photo_name, "image/jpeg")
    assert new.get_model("tenants", "MoveInUnit").objects.get(pk=row.pk).photo_id == moved["inspection"].pk
    # Nothing copied, nothing lost: the same two stored files, read where they were.
    assert sorted(p.relative_to(_media_in_tmp).as_posix() for p in _media_in_tmp.rglob("*") if p.is_file()) == [
        stored,
        photo_name,
    ]
    with default_storage.open(stored) as f:
        assert f.read() == MINIMAL_PDF
    assert licence.pk and purged.pk  # (made before the migration)
