"""ISBN and ISSN check digits.

A mistyped ISBN goes into the EPUB, the copyright page and the retailer feed, and is costly
to recall, so every ISBN is checked. Hyphenation is not checked (that needs the agency's range
table): the text the user wrote is kept for display, and the bare digits for identifiers.
"""

from __future__ import annotations

import re


def normalize_isbn(s: str) -> str:
    """The ISBN without hyphens or spaces, with a final ``x`` upper-cased."""
    return re.sub(r"[\s\-]", "", str(s)).upper()


def isbn13_check_digit(first12: str) -> str:
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(first12))
    return str((10 - total % 10) % 10)


def isbn10_check_digit(first9: str) -> str:
    total = sum(int(d) * (10 - i) for i, d in enumerate(first9))
    check = (11 - total % 11) % 11
    return "X" if check == 10 else str(check)


def check_isbn(s: str) -> str | None:
    """What is wrong with ISBN ``s`` (a phrase to follow the ISBN), or None if it is valid."""
    digits = normalize_isbn(s)
    if not re.fullmatch(r"[0-9X]*", digits):
        return "is not an ISBN: only digits and hyphens are allowed"
    if len(digits) == 13:
        if "X" in digits:
            return "is not an ISBN-13: X is allowed only at the end of an ISBN-10"
        if digits[:3] not in ("978", "979"):
            return "is not an ISBN-13: it must start with 978 or 979"
        expected = isbn13_check_digit(digits[:12])
    elif len(digits) == 10:
        if "X" in digits[:9]:
            return "is not an ISBN-10: X is allowed only as its last character"
        expected = isbn10_check_digit(digits[:9])
    else:
        return f"has {len(digits)} digits; an ISBN has 13 (or 10 for an old ISBN)"
    if digits[-1] != expected:
        return f"has a wrong check digit (expected {expected})"
    return None


def isbn10_to_13(s: str) -> str:
    """The 978- ISBN-13 of a valid ISBN-10, hyphen-free."""
    digits = normalize_isbn(s)
    if len(digits) != 10 or check_isbn(digits):
        raise ValueError(f"{s} is not a valid ISBN-10")
    first12 = "978" + digits[:9]
    return first12 + isbn13_check_digit(first12)


def to_isbn13(s: str) -> str:
    """Hyphen-free ISBN-13 of a valid ISBN-10 or ISBN-13."""
    digits = normalize_isbn(s)
    return isbn10_to_13(digits) if len(digits) == 10 else digits


def check_issn(s: str) -> str | None:
    """What is wrong with ISSN ``s`` (``1234-5679``), or None if it is valid."""
    digits = normalize_isbn(s)
    if not re.fullmatch(r"[0-9]{7}[0-9X]", digits):
        return "is not an ISSN: it has 8 characters, digits and a final digit or X"
    check = (11 - sum(int(d) * (8 - i) for i, d in enumerate(digits[:7])) % 11) % 11
    expected = "X" if check == 10 else str(check)
    if digits[-1] != expected:
        return f"has a wrong check digit (expected {expected})"
    return None
