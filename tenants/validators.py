"""Unified social credit code (统一社会信用代码, GB 32100-2015): 18 characters, last one a check;
the late-fee terms of an agreement (rate and grace days)."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

CREDIT_CODE_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def credit_code_check_char(first17: str) -> str:
    total = sum(CREDIT_CODE_CHARSET.index(c) * w for c, w in zip(first17, CREDIT_CODE_WEIGHTS, strict=True))
    return CREDIT_CODE_CHARSET[(31 - total % 31) % 31]


def validate_credit_code(value: str) -> None:
    code = (value or "").strip().upper()
    if len(code) != 18:
        raise ValidationError(_("A unified social credit code has exactly 18 characters."), code="length")
    bad = sorted({c for c in code if c not in CREDIT_CODE_CHARSET})
    if bad:
        raise ValidationError(
            _("The code contains characters that are not allowed: %(chars)s"),
            code="charset",
            params={"chars": "".join(bad)},
        )
    if credit_code_check_char(code[:17]) != code[17]:
        raise ValidationError(_("The check digit does not match; please check the code."), code="check")


# 违约金 (民法典 art.585): the agreement's daily rate as a fraction (0.0003 = 0.03 % a day, 万分之三).
# Above 0.1 % a day (36.5 % a year) a court would cut it down as excessive (art.585 para.2):
# a sane cap, so a typo of 0.03 for 0.0003 is refused instead of charged.
LATE_FEE_RATE_CAP = Decimal("0.001")
LATE_FEE_GRACE_MAX = 365


def validate_late_fee_rate(value: Decimal | None) -> None:
    if value is None:
        return
    if value <= 0:
        raise ValidationError(
            _("A daily rate must be more than zero; leave it empty when the agreement sets no late fee."),
            code="not_positive",
        )
    if value > LATE_FEE_RATE_CAP:
        raise ValidationError(
            _("At most %(cap)s (0.1 %% a day); 0.0003 is 0.03 %% a day."),
            code="above_cap",
            params={"cap": LATE_FEE_RATE_CAP},
        )
