"""Money helpers: rounding and the amount in Chinese capitals (人民币大写) printed on receipts."""

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
DIGITS = "零壹贰叁肆伍陆柒捌玖"
SMALL_UNITS = ("", "拾", "佰", "仟")
BIG_UNITS = ("", "万", "亿", "万亿")


def round_money(value: Decimal) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def _four_digits(n: int) -> str:
    """0 < n < 10000, with 零 for inner gaps (e.g. 1005 -> 壹仟零伍)."""
    out, zero = [], False
    for pos in range(3, -1, -1):
        d = n // 10**pos % 10
        if d == 0:
            zero = bool(out)
            continue
        if zero:
            out.append("零")
            zero = False
        out.append(DIGITS[d] + SMALL_UNITS[pos])
    return "".join(out)


def rmb_upper(value: Decimal) -> str:
    """1234.56 -> 人民币壹仟贰佰叁拾肆元伍角陆分; 100 -> 人民币壹佰元整."""
    amount = round_money(value)
    if amount < 0:
        raise ValueError("negative amount")
    yuan = int(amount)
    fen_total = int((amount - yuan) * 100)
    jiao, fen = divmod(fen_total, 10)

    words = ""
    if yuan:
        groups, n = [], yuan
        while n:
            groups.append(n % 10000)
            n //= 10000
        need_zero = False
        for idx in range(len(groups) - 1, -1, -1):
            g = groups[idx]
            if g == 0:
                need_zero = bool(words)
                continue
            if words and (need_zero or g < 1000):
                words += "零"
            words += _four_digits(g) + BIG_UNITS[idx]
            need_zero = False
        words += "元"
    if not jiao and not fen:
        return "人民币" + (words or "零元") + "整"
    if jiao:
        words += DIGITS[jiao] + "角"
    elif yuan:
        words += "零"
    if fen:
        words += DIGITS[fen] + "分"
    else:
        words += "整"
    return "人民币" + words
