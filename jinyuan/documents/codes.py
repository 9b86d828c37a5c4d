"""The code printed on a document and held by its QR code: random, not derived from anything.

16 characters of Crockford's base32 (no I, L, O or U) carry 80 random bits: unguessable, and a
guard can type it from the paper. It is stored on the document, so rotating SECRET_KEY voids
no printed paper. Typed codes are read leniently: case, spaces and dashes do not matter, and
the letters a person mistakes for digits (O, I, L) are read as those digits.
"""

import re
import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 16
_CONFUSABLE = str.maketrans({"O": "0", "I": "1", "L": "1"})
_CODE = re.compile(rf"[{ALPHABET}]{{{LENGTH}}}")
_SEPARATORS = re.compile(r"[\s\-_.]+")


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalize(typed: str) -> str | None:
    """The code in its stored form, or None when ``typed`` cannot be a code."""
    candidate = _SEPARATORS.sub("", typed or "").upper().translate(_CONFUSABLE)
    return candidate if _CODE.fullmatch(candidate) else None


def display(code: str) -> str:
    """Groups of four for the paper and the screen: 7K3Q-9XMB-..."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))
