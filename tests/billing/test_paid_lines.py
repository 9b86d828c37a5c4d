"""Paid-service lines (有偿服务): the one check the desk's charge and a repair's quote share."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from billing.models import FeeItem
from billing.paid import MATERIALS_CODE, MaterialLine, PaidItem, check_paid_item, paid_lines
from billing.services import fee_price_add
from tests.billing.helpers import D

pytestmark = pytest.mark.django_db

DAY = date(2026, 6, 1)


@pytest.fixture
def plumbing(finance):
    item = FeeItem.objects.create(
        code="repair_plumbing", name="水管维修", kind=FeeItem.Kind.ONE_OFF, price=D("80"), materials_extra=True
    )
    fee_price_add(
        item=item, price=D("80"), price_min=D("50"), price_max=D("200"), effective_from=date(2026, 1, 1), by=finance
    )
    fee_price_add(
        item=item, price=D("90"), price_min=D("60"), price_max=D("220"), effective_from=date(2026, 9, 1), by=finance
    )
    return item


def test_price_in_force_that_day_is_charged(plumbing):
    (line,) = paid_lines([PaidItem(plumbing, D("2"))], on=DAY)
    assert (line.unit_price, line.amount) == (D("80"), D("160.00"))
    (later,) = paid_lines([PaidItem(plumbing, D("1"))], on=date(2026, 9, 2))
    assert later.unit_price == D("90")


def test_price_inside_range_needs_no_reason(plumbing):
    assert check_paid_item(PaidItem(plumbing, D("1"), unit_price=D("150")), DAY) == {}


def test_price_outside_range_without_reason_is_refused_beside_reason(plumbing):
    errors = check_paid_item(PaidItem(plumbing, D("1"), unit_price=D("250")), DAY)
    assert set(errors) == {"reason"} and "50" in errors["reason"] and "200" in errors["reason"]
    assert check_paid_item(PaidItem(plumbing, D("1"), unit_price=D("250"), reason="夜间加急"), DAY) == {}


def test_range_of_the_day_applies_not_todays(plumbing):
    # 210 is inside September's range (60–220) but outside June's (50–200).
    assert "reason" in check_paid_item(PaidItem(plumbing, D("1"), unit_price=D("210")), DAY)
    assert check_paid_item(PaidItem(plumbing, D("1"), unit_price=D("210")), date(2026, 9, 1)) == {}


@pytest.mark.parametrize("quantity", [D("0"), D("-1")])
def test_quantity_must_be_positive(plumbing, quantity):
    assert set(check_paid_item(PaidItem(plumbing, quantity), DAY)) == {"quantity"}


def test_negative_price_is_refused(plumbing):
    assert set(check_paid_item(PaidItem(plumbing, D("1"), unit_price=D("-5")), DAY)) == {"unit_price"}


def test_recurring_item_is_not_a_paid_service(plumbing, price_list):
    assert set(check_paid_item(PaidItem(price_list["property_fee"], D("1")), DAY)) == {"fee_item"}


def test_materials_go_on_their_own_lines(plumbing):
    lines = paid_lines([PaidItem(plumbing, D("1"))], [MaterialLine("PPR 弯头", D("3"), D("4.50"))], on=DAY)
    assert [line.fee_item.code for line in lines] == ["repair_plumbing", MATERIALS_CODE]
    assert lines[1].amount == D("13.50")


def test_materials_refused_when_no_item_charges_them(plumbing, finance):
    lock = FeeItem.objects.create(code="lock", name="门锁", kind=FeeItem.Kind.ONE_OFF, price=D("120"))
    with pytest.raises(ValidationError) as refused:
        paid_lines([PaidItem(lock, D("1"))], [MaterialLine("锁芯", D("1"), D("60"))], on=DAY)
    assert "lines" in refused.value.message_dict


def test_bad_lines_are_all_named(plumbing):
    with pytest.raises(ValidationError) as refused:
        paid_lines(
            [PaidItem(plumbing, D("-1")), PaidItem(plumbing, D("1"), unit_price=D("999"))],
            [MaterialLine("", D("1"), D("1"))],
            on=DAY,
        )
    assert len(refused.value.message_dict["lines"]) == 3


def test_no_lines_is_refused():
    with pytest.raises(ValidationError):
        paid_lines([], on=DAY)
