"""Scanning helpers for inline patterns, linear in the paragraph's length.

Python-Markdown tries an inline pattern at every place its regex matches, on the whole
paragraph, and rebuilds the paragraph after every match. A pattern that scans forward
from each candidate to its closing bracket costs the square of the paragraph's length
when brackets are left open (``[^[^[^...``): :class:`Pairs` matches all the brackets of a
text in one pass and answers from that table while the text after the candidate is
unchanged (the rebuilt paragraph keeps the text after a match as it was).
"""

from __future__ import annotations

import re


def escaped(data: str, at: int) -> bool:
    """Whether the character at ``at`` is backslash-escaped (an odd run of ``\\`` before)."""
    count = 0
    while at - count - 1 >= 0 and data[at - count - 1] == "\\":
        count += 1
    return count % 2 == 1


class Pairs:
    """Where the ``close`` matching an ``open`` character is, in a text; a backslash takes
    the character after it out of the count."""

    def __init__(self, open_char: str, close_char: str):
        self.open, self.close = open_char, close_char
        self.token = re.compile(r"\\.|" + re.escape(open_char) + "|" + re.escape(close_char),
                                re.DOTALL)
        self.text = ""
        self.table: dict[int, int] = {}  # distance from the end: open -> its close

    def match(self, data: str, at: int) -> int | None:
        """Index of the ``close`` matching the ``open`` at ``data[at]``, or None."""
        tail = len(data) - at
        if not (tail <= len(self.text) and self.text.endswith(data[at:])):
            self._index(data)
        close = self.table.get(tail)
        return None if close is None else len(data) - close

    def _index(self, text: str) -> None:
        self.text, self.table = text, {}
        stack: list[int] = []
        n = len(text)
        for m in self.token.finditer(text):
            ch = m.group()
            if ch == self.open:
                stack.append(n - m.start())
            elif ch == self.close and stack:
                self.table[stack.pop()] = n - m.start()
