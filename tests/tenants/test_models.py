"""Premises and tenants: credit codes, unit numbers, occupancies and their constraints."""

from datetime import date, timedelta
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, IntegrityError, transaction
from django.utils import timezone

from jinyuan.workflow.models import AuditEvent
from tenants import services
from tenants.models import Occupancy, Tenant, Unit
from tenants.services import OccupancyConflict
from tenants.validators import credit_code_check_char, validate_credit_code
from tests import factories

pytestmark = pytest.mark.usefixtures("english")

# --- unified social credit code ----------------------------------------------------------------


@pytest.mark.parametrize(
    "code",
    [
        "91350100M000100Y43",  # a published example (Fujian)
        factories.credit_code(1),
        factories.credit_code(987654321),
        " 91350100M000100Y43 ",  # surrounding blanks are forgiven by the check
    ],
)
def test_valid_credit_codes_pass(code):
    code_ = code.strip()
    assert code_[17] == credit_code_check_char(code_[:17])
    validate_credit_code(code)


def test_check_char_of_the_published_example():
    assert credit_code_check_char("91350100M000100Y4") == "3"


def test_wrong_check_digit_is_refused_with_a_clear_message():
    good = factories.credit_code(42)
    wrong = good[:17] + ("0" if good[17] != "0" else "1")
    with pytest.raises(ValidationError) as exc:
        validate_credit_code(wrong)
    assert exc.value.code == "check"
    assert "check digit" in exc.value.messages[0]


@pytest.mark.parametrize(
    ("code", "chars"),
    [
        ("91350100I000100Y43", "I"),  # I, O, S, V, Z are not in the GB 32100 alphabet
        ("9135010OZ000100Y43", "OZ"),
        ("91350100M00010-Y43", "-"),
        ("91350100M000100中43", "中"),
    ],
)
def test_characters_outside_the_alphabet_are_named_in_the_message(code, chars):
    with pytest.raises(ValidationError) as exc:
        validate_credit_code(code)
    assert exc.value.code == "charset"
    message = exc.value.messages[0]
    assert "not allowed" in message
    assert message.endswith(chars)


@pytest.mark.parametrize("code", ["", "9135010", "91350100M000100Y4", "91350100M000100Y433", None])
def test_wrong_length_is_refused(code):
    with pytest.raises(ValidationError) as exc:
        validate_credit_code(code)
    assert exc.value.code == "length"
    assert "exactly 18 characters" in exc.value.messages[0]


@pytest.mark.django_db
def test_tenant_create_validates_the_credit_code_and_records_an_event(desk):
    with pytest.raises(ValidationError) as exc:
        services.tenant_create(by=desk, name="坏代码公司", credit_code="91350100M000100Y44")
    assert "credit_code" in exc.value.message_dict
    assert not Tenant.objects.filter(name="坏代码公司").exists()

    tenant = services.tenant_create(by=desk, name="好代码公司", credit_code="91350100M000100Y43")
    event = AuditEvent.objects.get(object_id=tenant.pk, action="tenant.created")
    assert event.actor == desk


@pytest.mark.django_db
def test_duplicate_credit_code_is_refused(desk):
    services.tenant_create(by=desk, name="甲", credit_code="91350100M000100Y43")
    with pytest.raises(ValidationError) as exc:
        services.tenant_create(by=desk, name="乙", credit_code="91350100M000100Y43")
    assert exc.value.message_dict["credit_code"] == ["A tenant with this credit code is already registered."]


@pytest.mark.django_db
def test_same_credit_code_in_lower_case_is_a_duplicate(desk):
    services.tenant_create(by=desk, name="甲", credit_code="91350100M000100Y43")
    with pytest.raises(ValidationError) as exc:
        services.tenant_create(by=desk, name="甲（重复）", credit_code="91350100m000100y43")
    assert "credit_code" in exc.value.message_dict
    assert Tenant.objects.count() == 1


@pytest.mark.django_db
def test_credit_code_is_stored_in_upper_case(desk):
    tenant = services.tenant_create(by=desk, name="小写公司", credit_code="91350100m000100y43")
    tenant.refresh_from_db()
    assert tenant.credit_code == "91350100M000100Y43"


@pytest.mark.django_db
def test_tenant_update_records_only_changed_fields(desk, tenant_a):
    services.tenant_update(tenant=tenant_a, by=desk, phone="0771-1234567", name=tenant_a.name)
    event = AuditEvent.objects.get(object_id=tenant_a.pk, action="tenant.updated")
    assert event.data == {"fields": ["phone"]}
    services.tenant_update(tenant=tenant_a, by=desk, phone="0771-1234567")
    assert AuditEvent.objects.filter(object_id=tenant_a.pk, action="tenant.updated").count() == 1


# --- units ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_duplicate_unit_number_in_a_floor_is_refused(unit_a):
    twin = Unit(floor=unit_a.floor, number=unit_a.number, area="50.00")
    with pytest.raises(ValidationError) as exc:
        twin.full_clean()
    assert "This floor already has a unit with this number." in exc.value.messages
    with pytest.raises(IntegrityError), transaction.atomic():
        twin.save()


@pytest.mark.django_db
def test_same_unit_number_on_another_floor_is_fine(unit_a, building):
    other_floor = factories.FloorFactory(building=building, number=30)
    Unit(floor=other_floor, number=unit_a.number, area="50.00").full_clean()


@pytest.mark.django_db
def test_unit_area_must_be_positive(unit_a):
    unit_a.area = "0"
    with pytest.raises(ValidationError) as exc:
        unit_a.full_clean()
    assert "area" in exc.value.message_dict


# --- occupancies ---------------------------------------------------------------------------------

YEAR_AGO = timezone.localdate() - timedelta(days=365)


@pytest.mark.django_db
def test_occupancy_start_records_an_event(desk, unit_b):
    tenant = factories.TenantFactory()
    occupancy = services.occupancy_start(tenant=tenant, unit=unit_b, start=date(2024, 3, 1), by=desk)
    assert occupancy.pk
    event = AuditEvent.objects.get(object_id=tenant.pk, action="tenant.occupancy_started")
    assert event.data == {"unit": unit_b.number, "start": "2024-03-01", "end": None}


@pytest.mark.django_db
def test_overlapping_occupancy_is_refused_by_the_service(desk, tenant_a, unit_a):
    newcomer = factories.TenantFactory()
    with pytest.raises(OccupancyConflict) as exc:
        services.occupancy_start(tenant=newcomer, unit=unit_a, start=timezone.localdate(), by=desk)
    assert exc.value.message_dict == {"unit": ["This unit is already occupied during this period."]}
    assert isinstance(exc.value, ValidationError)  # a form shows it next to the unit field
    assert not Occupancy.objects.filter(tenant=newcomer).exists()
    assert not AuditEvent.objects.filter(object_id=newcomer.pk).exists()


@pytest.mark.django_db
def test_overlap_that_slips_past_validation_is_refused_by_the_database(desk, tenant_a, unit_a):
    """Two clerks at once: neither sees the other's row when validating; the constraint decides,
    and the caller gets the same error as from the check."""
    newcomer = factories.TenantFactory()
    with mock.patch.object(Occupancy, "full_clean"), pytest.raises(OccupancyConflict) as exc:
        services.occupancy_start(tenant=newcomer, unit=unit_a, start=timezone.localdate(), by=desk)
    assert exc.value.messages == ["This unit is already occupied during this period."]
    assert not Occupancy.objects.filter(tenant=newcomer).exists()


@pytest.mark.django_db
def test_database_exclusion_constraint_refuses_an_overlap(tenant_a, unit_a):
    with pytest.raises(IntegrityError), transaction.atomic():
        Occupancy.objects.create(tenant=factories.TenantFactory(), unit=unit_a, start=date(2030, 1, 1))


@pytest.mark.django_db
def test_back_to_back_occupancies_do_not_overlap(desk, unit_b):
    """``end`` is exclusive: the next tenant may move in on the day the last one left."""
    first, second = factories.TenantFactory(), factories.TenantFactory()
    services.occupancy_start(tenant=first, unit=unit_b, start=date(2024, 1, 1), end=date(2025, 1, 1), by=desk)
    services.occupancy_start(tenant=second, unit=unit_b, start=date(2025, 1, 1), by=desk)
    assert Occupancy.objects.filter(unit=unit_b).count() == 2


@pytest.mark.django_db
def test_occupancy_ending_before_it_starts_is_refused_with_a_message(desk, unit_b):
    with pytest.raises(ValidationError) as exc:
        services.occupancy_start(
            tenant=factories.TenantFactory(), unit=unit_b, start=date(2025, 6, 1), end=date(2025, 1, 1), by=desk
        )
    assert exc.value.message_dict == {"end": ["The end date must be after the start date."]}


@pytest.mark.django_db
def test_occupancy_ending_on_its_start_day_is_refused_with_a_message(desk, unit_b):
    with pytest.raises(ValidationError) as exc:
        services.occupancy_start(
            tenant=factories.TenantFactory(), unit=unit_b, start=date(2025, 6, 1), end=date(2025, 6, 1), by=desk
        )
    assert "The end date must be after the start date." in exc.value.messages


@pytest.mark.django_db
def test_database_refuses_an_occupancy_ending_before_it_starts(unit_b):
    with pytest.raises(DatabaseError), transaction.atomic():
        Occupancy.objects.create(
            tenant=factories.TenantFactory(), unit=unit_b, start=date(2025, 6, 1), end=date(2025, 1, 1)
        )
    assert not Occupancy.objects.filter(unit=unit_b, start=date(2025, 6, 1)).exists()


@pytest.mark.django_db
def test_occupancy_end_closes_the_stay_and_records_it(desk, tenant_a, unit_a):
    occupancy = Occupancy.objects.get(tenant=tenant_a, unit=unit_a)
    services.occupancy_end(occupancy=occupancy, end=timezone.localdate(), by=desk)
    occupancy.refresh_from_db()
    assert occupancy.end == timezone.localdate()
    event = AuditEvent.objects.get(object_id=tenant_a.pk, action="tenant.occupancy_ended")
    assert event.data["unit"] == unit_a.number


@pytest.mark.django_db
def test_contact_add_and_member_add_record_events(desk, tenant_b):
    contact = services.contact_add(tenant=tenant_b, by=desk, name="赵六", phone="13800000000")
    assert contact.tenant == tenant_b
    user = factories.UserFactory()
    membership = services.member_add(tenant=tenant_b, user=user, role="staff", by=desk)
    assert not membership.is_admin
    actions = set(AuditEvent.objects.filter(object_id=tenant_b.pk).values_list("action", flat=True))
    assert {"tenant.contact_added", "tenant.member_added"} <= actions
