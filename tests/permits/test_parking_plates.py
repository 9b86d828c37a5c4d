"""Plate validation: mainland formats, new-energy plates included, each mistake with its message."""

import pytest
from django.core.exceptions import ValidationError

from permits.models import normalize_plate, validate_plate
from permits.parking_forms import PlateCheckForm

GOOD = [
    ("桂A12345", "桂A12345"),
    ("桂a 12345", "桂A12345"),  # case and spaces do not matter
    ("桂A·1234X", "桂A1234X"),
    ("京N8P8F8", "京N8P8F8"),
    ("粤B12345", "粤B12345"),
    ("桂AD12345", "桂AD12345"),  # small new-energy, electric
    ("桂AF12345", "桂AF12345"),  # small new-energy, other
    ("桂ADA1234", "桂ADA1234"),  # the 4th character may be a letter
    ("桂A12345D", "桂A12345D"),  # large new-energy
    ("沪Ｃ１２３４５", "沪C12345"),  # full-width letters and digits from a Chinese keyboard
    ("桂A1234学", "桂A1234学"),  # driving school
    ("桂A1234挂", "桂A1234挂"),  # trailer
]

BAD = [
    ("", "required"),
    ("A12345", "province"),  # no province
    ("台A12345", "province"),  # not a mainland province abbreviation
    ("桂A1234", "length"),  # too short
    ("桂A123456789", "length"),
    ("桂112345", "office"),  # second character must be a letter
    ("桂AO1234", "letters"),  # O is never used
    ("桂AI1234", "letters"),
    ("桂AX12345", "new_energy"),  # 8 characters without D/F
    ("桂A1234D5", "new_energy"),
    ("桂AD123A5", "new_energy"),  # only the 4th may be a letter
    ("桂A12#45", "format"),
]


@pytest.mark.parametrize(("typed", "stored"), GOOD)
def test_a_good_plate_passes_and_is_normalised(typed, stored):
    validate_plate(typed)
    assert normalize_plate(typed) == stored


@pytest.mark.parametrize(("typed", "code"), BAD)
def test_a_bad_plate_is_refused_with_the_reason(typed, code):
    with pytest.raises(ValidationError) as caught:
        validate_plate(typed)
    assert caught.value.code == code
    assert caught.value.messages[0]  # a message a clerk can act on


def test_the_form_gives_the_message_beside_the_plate():
    form = PlateCheckForm({"plate": "桂AO1234"})
    assert not form.is_valid()
    assert "I" in form.errors["plate"][0] and "O" in form.errors["plate"][0]
