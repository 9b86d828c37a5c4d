"""Money helpers: half-up rounding to the fen and the amount in Chinese capitals (大写) printed on
receipts, checked against the rules of 《支付结算办法》 (zero handling, 整 after 元/角, 壹拾)."""

from decimal import Decimal

import pytest

from billing.money import rmb_upper, round_money


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        ("0", {"人民币零元整"}),
        ("0.05", {"人民币伍分"}),
        # 整 after 角 is optional; the receipts write it.
        ("0.5", {"人民币伍角整", "人民币伍角"}),
        ("1", {"人民币壹元整"}),
        ("10", {"人民币壹拾元整"}),
        ("100.5", {"人民币壹佰元伍角整", "人民币壹佰元零伍角整", "人民币壹佰元伍角", "人民币壹佰元零伍角"}),
        ("1005", {"人民币壹仟零伍元整"}),
        ("1234.56", {"人民币壹仟贰佰叁拾肆元伍角陆分"}),
        ("10000", {"人民币壹万元整"}),
        ("100001", {"人民币壹拾万零壹元整"}),
        # 角 is 0 and 分 is not: 零 after 元 is required.
        ("1000000.01", {"人民币壹佰万元零壹分"}),
        ("12345678.9", {"人民币壹仟贰佰叁拾肆万伍仟陆佰柒拾捌元玖角整", "人民币壹仟贰佰叁拾肆万伍仟陆佰柒拾捌元玖角"}),
        ("100010000", {"人民币壹亿零壹万元整"}),
        ("60036", {"人民币陆万零叁拾陆元整"}),
        # More cases from the rules and their textbook examples.
        ("101", {"人民币壹佰零壹元整"}),
        ("110", {"人民币壹佰壹拾元整"}),
        ("1010", {"人民币壹仟零壹拾元整"}),
        ("10100", {"人民币壹万零壹佰元整"}),
        ("100000", {"人民币壹拾万元整"}),
        ("100000000", {"人民币壹亿元整"}),
        ("100000001", {"人民币壹亿零壹元整"}),
        ("1000.05", {"人民币壹仟元零伍分"}),
        ("325.04", {"人民币叁佰贰拾伍元零肆分"}),
        ("16409.02", {"人民币壹万陆仟肆佰零玖元零贰分"}),
        ("1680.32", {"人民币壹仟陆佰捌拾元叁角贰分", "人民币壹仟陆佰捌拾元零叁角贰分"}),
        ("107000.53", {"人民币壹拾万柒仟元伍角叁分", "人民币壹拾万柒仟元零伍角叁分", "人民币壹拾万零柒仟元伍角叁分"}),
        ("10.10", {"人民币壹拾元壹角整", "人民币壹拾元壹角"}),
        ("9999999999.99", {"人民币玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分"}),
    ],
)
def test_amount_in_chinese_capitals(amount, expected):
    assert rmb_upper(Decimal(amount)) in expected


@pytest.mark.parametrize(
    ("amount", "expected"),
    [("0.005", "人民币壹分"), ("0.004", "人民币零元整"), ("2.994", "人民币贰元玖角玖分"), ("2.995", "人民币叁元整")],
)
def test_capitals_are_of_the_amount_rounded_half_up_to_the_fen(amount, expected):
    assert rmb_upper(Decimal(amount)) == expected


def test_negative_amount_has_no_capitals():
    with pytest.raises(ValueError, match="negative"):
        rmb_upper(Decimal("-0.01"))


@pytest.mark.parametrize(
    ("value", "expected"),
    [("0.125", "0.13"), ("0.135", "0.14"), ("2.675", "2.68"), ("-0.125", "-0.13"), ("7", "7.00"), ("0.0049", "0.00")],
)
def test_round_money_is_half_up_to_two_places(value, expected):
    rounded = round_money(Decimal(value))
    assert rounded == Decimal(expected)
    assert str(rounded) == expected
