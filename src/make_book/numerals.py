"""Roman numerals, written (part labels, front-matter folios) and read (list markers).

Below every stage: the numbering transform labels parts with them, the print renderer
numbers the front matter with them, the Markdown reader reads them as list markers.
"""

from __future__ import annotations

_VALUES = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
           (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))
_VALUE_OF = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100, "d": 500, "m": 1000}
ROMAN_DIGITS = frozenset(_VALUE_OF)  # the letters roman numerals are written with (lower case)


def roman(n: int) -> str:
    """``n`` in capital roman numerals: parts are numbered so (Part I, Part II), as
    scholarly presses do."""
    out = ""
    for value, numeral in _VALUES:
        count, n = divmod(n, value)
        out += numeral * count
    return out


def roman_value(text: str) -> int | None:
    """The number roman numerals ``text`` write (either case); None for none."""
    values = [_VALUE_OF[ch] for ch in text.lower()]
    total = sum(-v if i + 1 < len(values) and v < values[i + 1] else v
                for i, v in enumerate(values))
    return total if total > 0 else None
