"""Parking permit fixtures (imported by the tests/permits/test_parking_*.py modules): a fixed
space, a valid application's fields, and permits of tenant A in every state, made through the
services."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from permits import parking
from permits.models import ParkingPermit, ParkingSpace
from tests.factories import tiny_image

PLATES = "桂A{:05d}"


def licence(name: str = "行驶证.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, tiny_image(), content_type="image/jpeg")


def vehicle(seq: int = 1, **over) -> dict:
    """A valid application: a monthly permit from today for three months, on the pool."""
    return {
        "plate": PLATES.format(seq),
        "brand": "比亚迪",
        "vehicle_model": "汉EV",
        "colour": "白色",
        "driver_name": "黄志强",
        "driver_phone": "13877110001",
        "licence": licence(),
        "rental_type": "monthly",
        "start": timezone.localdate(),
        "months": 3,
        **over,
    }


@pytest.fixture
def space(db):
    return ParkingSpace.objects.create(number="B1-018", zone="B1", is_fixed=True)


@pytest.fixture
def apply_parking(tenant_a, tenant_a_admin):
    """``apply_parking(seq, **overrides)``: tenant A's admin applies in the portal."""

    def make(seq: int = 1, **over) -> ParkingPermit:
        return parking.parking_apply(tenant=tenant_a, by=tenant_a_admin, **vehicle(seq, **over))

    return make


@pytest.fixture
def make_permit(apply_parking, desk):
    """``make_permit(state, seq=1, **overrides)``: a permit of tenant A in ``state``."""

    def make(state: str = "issued", seq: int = 1, **over) -> ParkingPermit:
        permit = apply_parking(seq, **over)
        if state == "submitted":
            return permit
        if state == "refused":
            return parking.parking_refuse(obj=permit, by=desk, note="行驶证照片不清晰")
        if state == "withdrawn":
            return parking.parking_withdraw(obj=permit, by=permit.applicant)
        parking.parking_approve(obj=permit, by=desk)
        if state == "revoked":
            parking.parking_revoke(obj=permit, by=desk, note="违规停放")
        elif state == "expired":
            later = timezone.now() + dt.timedelta(days=200)
            parking.parking_expire(obj=permit, now=later)
        permit.refresh_from_db()
        return permit

    return make
