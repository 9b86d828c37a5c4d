"""Phone numbers as people type them (jinyuan.phones): mobiles for cards, any phone for contacts."""

import pytest
from django.core.exceptions import ValidationError

from jinyuan.phones import normalize_mobile, validate_mobile, validate_phone


@pytest.mark.parametrize(
    ("typed", "number"),
    [("138 7711 0001", "13877110001"), ("+86 138-7711-0001", "13877110001"), ("0086 13877110001", "13877110001")],
)
def test_a_mobile_loses_spaces_dashes_and_the_country_code(typed, number):
    assert normalize_mobile(typed) == number


@pytest.mark.parametrize("good", ["13877110001", "19900000000", "+86 138 7711 0001"])
def test_mainland_mobiles_pass(good):
    validate_mobile(good)
    validate_phone(good)


@pytest.mark.parametrize("bad", ["12877110001", "1387711000", "138771100012", "0771-5551234", "abc"])
def test_a_mobile_must_be_eleven_digits_from_13_to_19(bad):
    with pytest.raises(ValidationError):
        validate_mobile(bad)


@pytest.mark.parametrize("good", ["0771-5551234", "077155512345", "010-12345678"])
def test_a_contact_phone_may_be_a_landline_with_its_area_code(good):
    validate_phone(good)


@pytest.mark.parametrize("bad", ["5551234", "0771-55", "+1 415 555 0100", ""])
def test_a_phone_without_area_code_or_foreign_is_refused(bad):
    with pytest.raises(ValidationError):
        validate_phone(bad)
