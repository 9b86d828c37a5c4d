"""Migration permits 0007: the card counts of move-ins and move-outs become access passes
before tenants 0014 drops them, so no count is lost; and backwards the counts come back."""

from datetime import UTC, date, datetime

import pytest

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("permits", "0007_access_pass"), ("tenants", "0013_drop_archivefile")]
AFTER = [("tenants", "0014_card_counts_to_access_passes")]
HANDED = datetime(2025, 3, 1, 9, 30, tzinfo=UTC)
RETURNED = datetime(2026, 6, 30, 15, 0, tzinfo=UTC)


def _premises(old):
    Tenant = old.get_model("tenants", "Tenant")
    building = old.get_model("tenants", "Building").objects.create(code="A", name="A座")
    floor12 = old.get_model("tenants", "Floor").objects.create(building=building, number=12)
    floor18 = old.get_model("tenants", "Floor").objects.create(building=building, number=18)
    Unit = old.get_model("tenants", "Unit")
    u1201 = Unit.objects.create(floor=floor12, number="A-1201", area=100)
    u1801 = Unit.objects.create(floor=floor18, number="A-1801", area=80)
    tenant = Tenant.objects.create(name="广西邕江数字科技有限公司", credit_code="91450100MA5KXXXX0X")
    Occupancy = old.get_model("tenants", "Occupancy")
    Occupancy.objects.create(tenant=tenant, unit=u1201, start=date(2025, 3, 1), end=date(2026, 7, 1))
    Occupancy.objects.create(tenant=tenant, unit=u1801, start=date(2025, 3, 1))
    return tenant, u1201, u1801


def test_counts_become_passes_and_come_back(scratch_database):
    old = scratch_database(BEFORE)
    desk = old.get_model("accounts", "User").objects.create(username="desk", password="!")
    tenant, u1201, u1801 = _premises(old)
    MoveIn = old.get_model("tenants", "MoveIn")
    MoveInUnit = old.get_model("tenants", "MoveInUnit")
    MoveOut = old.get_model("tenants", "MoveOut")
    MoveOutUnit = old.get_model("tenants", "MoveOutUnit")
    Occupancy = old.get_model("tenants", "Occupancy")
    move_in = MoveIn.objects.create(
        tenant=tenant, start_date=date(2025, 3, 1), applicant_id=desk.pk, status="confirmed"
    )
    in1201 = MoveInUnit.objects.create(
        move_in=move_in, unit=u1201, keys_handed=2, cards_handed=3, handed_over_by_id=desk.pk, handed_over_at=HANDED
    )
    in1801 = MoveInUnit.objects.create(move_in=move_in, unit=u1801, keys_handed=2, cards_handed=2)
    cancelled = MoveIn.objects.create(
        tenant=tenant, start_date=date(2025, 1, 1), applicant_id=desk.pk, status="cancelled"
    )
    MoveInUnit.objects.create(move_in=cancelled, unit=u1801, keys_handed=1, cards_handed=9)  # never handed: no passes
    move_out = MoveOut.objects.create(
        tenant=tenant, planned_date=date(2026, 6, 30), applicant_id=desk.pk, status="completed"
    )
    out1201 = MoveOutUnit.objects.create(
        move_out=move_out,
        unit=u1201,
        occupancy=Occupancy.objects.get(unit=u1201),
        keys_returned=2,
        cards_returned=4,  # one more than handed over
        returned_to_id=desk.pk,
        returned_at=RETURNED,
    )

    new = scratch_database(AFTER)
    AccessPass = new.get_model("permits", "AccessPass")
    AuditEvent = new.get_model("workflow", "AuditEvent")
    from_1201 = AccessPass.objects.filter(migrated_from=f"movein_unit:{in1201.pk}")
    assert from_1201.count() == 3
    assert set(from_1201.values_list("status", flat=True)) == {"returned"}
    assert {p.valid_until for p in from_1201} == {date(2026, 6, 30)}  # the occupancy's last day
    assert {p.created_at for p in from_1201} == {HANDED}
    from_1801 = AccessPass.objects.filter(migrated_from=f"movein_unit:{in1801.pk}")
    assert set(from_1801.values_list("status", "holder_name", "card_number", "valid_until")) == {
        ("issued", "", "", None)
    }
    assert {f.number for p in from_1801 for f in p.floors.all()} == {18}
    extra = AccessPass.objects.get(migrated_from=f"moveout_unit:{out1201.pk}")
    assert extra.status == "returned"
    assert AccessPass.objects.count() == 3 + 2 + 1
    assert AuditEvent.objects.filter(action="access_pass.migrated").count() == 6
    assert AuditEvent.objects.filter(action="access_pass.returned").count() == 3
    assert set(AccessPass.objects.values_list("tenant_id", flat=True)) == {tenant.pk}

    back = scratch_database(BEFORE)
    assert back.get_model("tenants", "MoveInUnit").objects.get(pk=in1201.pk).cards_handed == 3
    assert back.get_model("tenants", "MoveInUnit").objects.get(pk=in1801.pk).cards_handed == 2
    assert back.get_model("tenants", "MoveOutUnit").objects.get(pk=out1201.pk).cards_returned == 4
    assert not back.get_model("permits", "AccessPass").objects.exists()
