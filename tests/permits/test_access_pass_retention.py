"""A card holder's photo and mobile go a set time after the card is closed (returned, cancelled,
refused or withdrawn): the photo's files deleted (the row kept and marked), the mobile masked;
a card still out keeps them; a second run purges nothing twice."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from jinyuan.attachments.models import Attachment
from jinyuan.privacy import personal_data_purge
from permits import access_passes as services
from permits.models import AccessPass
from tests import factories

pytestmark = pytest.mark.django_db
DAYS = 183


def later(days: float):
    return timezone.now() + timedelta(days=days)


@pytest.fixture
def with_photo(tenant_a, tenant_a_admin, desk):
    def make(state: str) -> AccessPass:
        photo = SimpleUploadedFile("张伟.jpg", factories.tiny_image(), content_type="image/jpeg")
        return factories.make_access_pass(tenant_a, tenant_a_admin, state, desk=desk, photo=photo)

    return make


def test_a_returned_card_loses_photo_and_mobile_after_the_retention_period(with_photo):
    card = with_photo("returned")
    photo = Attachment.objects.get(object_id=card.pk, content_type__model="accesspass", kind="photo")
    assert personal_data_purge(later(DAYS - 1)) == 0
    assert personal_data_purge(later(DAYS + 1)) == 2  # one file row, one field
    card.refresh_from_db(), photo.refresh_from_db()
    assert card.mobile == "138****0001"
    assert photo.purged_at is not None
    assert personal_data_purge(later(DAYS + 2)) == 0


def test_a_card_still_out_keeps_them(with_photo):
    card = with_photo("issued")
    assert personal_data_purge(later(DAYS * 3)) == 0
    card.refresh_from_db()
    assert card.mobile == "13877110001"


def test_a_withdrawn_request_is_purged_too(tenant_a, tenant_a_admin):
    card = factories.make_access_pass(tenant_a, tenant_a_admin, "requested")
    services.access_pass_withdraw(obj=card, by=tenant_a_admin)
    assert personal_data_purge(later(DAYS + 1)) == 1
