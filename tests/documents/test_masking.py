"""Masking of personal data on the public verify page."""

import pytest

from jinyuan.documents.masking import mask_id_number, mask_name, mask_phone


@pytest.mark.parametrize(
    ("name", "masked"),
    [("王小明", "王*明"), ("王明", "王*"), ("欧阳娜娜", "欧**娜"), ("王", "王*"), ("", ""), ("Li Ming", "L* M***")],
)
def test_a_name_keeps_its_first_and_last_character(name, masked):
    assert mask_name(name) == masked


@pytest.mark.parametrize(
    ("phone", "masked"), [("13800000001", "138****0001"), ("0771-5551234", "077*****1234"), ("110", "*10"), ("", "")]
)
def test_a_phone_keeps_its_first_three_and_last_four_digits(phone, masked):
    assert mask_phone(phone) == masked


@pytest.mark.parametrize(("number", "masked"), [("45010219900101123X", "****123X"), ("1234", "****"), ("", "")])
def test_an_id_number_shows_only_its_last_four_characters(number, masked):
    assert mask_id_number(number) == masked
