"""Masking of personal data on the public verify page: a guard compares the paper with the
person in front of them, so the page shows just enough to match, never the full value."""

MASK = "*"


def shown(value: str) -> str:
    """No masking: what the paper shows openly (a company name, a unit, a date)."""
    return value


def mask_name(value: str) -> str:
    """王小明 -> 王*明, 王明 -> 王*, 欧阳娜娜 -> 欧**娜; Latin names keep their first letter per word."""
    value = value.strip()
    if not value:
        return ""
    if value.isascii():
        return " ".join(word[0] + MASK * (len(word) - 1) for word in value.split())
    if len(value) <= 2:
        return value[0] + MASK
    return value[0] + MASK * (len(value) - 2) + value[-1]


def mask_phone(value: str) -> str:
    """13800000001 -> 138****0001; a short number keeps only its last two digits."""
    value = value.strip()
    if len(value) >= 8:
        return value[:3] + MASK * (len(value) - 7) + value[-4:]
    return MASK * max(len(value) - 2, 0) + value[-2:]


def mask_id_number(value: str) -> str:
    """An ID card number shows nothing but its last four characters: 450102********123X -> ****123X."""
    value = value.strip()
    if not value:
        return ""
    return MASK * 4 + value[-4:] if len(value) > 4 else MASK * len(value)
