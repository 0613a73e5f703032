"""Pandoc's ``tex_math_dollars``: ``$x$`` inline and ``$$x$$`` display math, found in the
Markdown with Pandoc's rules for what opens and closes, and left as TeX for :mod:`mathml`.

Inline math: the opening ``$`` has a non-space right after it, the closing one a non-space
right before it and no digit right after (so ``$20,000 and $30,000`` is prose); a ``{...}``
group is skipped whole, a backslash takes the next character with it, and a backslash-
escaped ``\\$`` never opens. Display math is ``$$...$$`` anywhere in a paragraph, with
no blank line inside. Both become ``<span class="mb-math" data-display="inline|block">``
holding the TeX: the sanitizer lets that through, and the tree pass turns it into MathML,
which the raw-HTML allow-list keeps out.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from markdown import util
from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor

from make_book.markup.md_scan import Pairs, escaped

MATH_CLASS = "mb-math"


def inline_math_end(data: str, start: int, braces: Pairs) -> int | None:
    """End (after the closing ``$``) of inline math opening at ``data[start] == "$"``.
    The scan stops at the next ``$`` outside braces, so all candidates of a paragraph
    together cost one pass."""
    i = start + 1
    if i >= len(data) or data[i].isspace():
        return None
    while i < len(data):
        ch = data[i]
        if ch == "$":
            if i == start + 1:
                return None  # "$$" is display math
            if i + 1 < len(data) and data[i + 1].isdigit():
                return None  # "$5": a price
            return i + 1
        if ch == "\\":
            i += 2
        elif ch == "{":
            close = braces.match(data, i)
            if close is None:
                return None
            i = close + 1
        elif ch.isspace():
            j = i
            while j < len(data) and data[j].isspace():
                j += 1
            if data.count("\n", i, j) > 1 or (j < len(data) and data[j] == "$"):
                return None  # a blank line, or a space before the closing "$"
            i = j
        else:
            i += 1
    return None


class DollarMathProcessor(InlineProcessor):
    """Runs after code spans (their ``$`` is code) and before escapes (``\\$`` and ``\\,``
    inside math are TeX)."""

    def __init__(self, pattern, md):
        super().__init__(pattern, md)
        self.braces = Pairs("{", "}")

    def handleMatch(self, m, data):  # noqa: N802 (Python-Markdown API)
        start = m.start(0)
        if escaped(data, start):
            return None, None, None
        if data.startswith("$$", start):
            close = data.find("$$", start + 2)
            if close < 0 or close == start + 2 or "\n\n" in data[start:close]:
                return None, None, None
            return _math(data[start + 2:close], "block"), start, close + 2
        end = inline_math_end(data, start, self.braces)
        if end is None:
            return None, None, None
        return _math(data[start + 1:end - 1], "inline"), start, end


def _math(tex: str, display: str) -> ET.Element:
    el = ET.Element("span", {"class": MATH_CLASS, "data-display": display})
    el.text = util.AtomicString(tex.strip())
    return el


class DollarMathExtension(Extension):
    def extendMarkdown(self, md):  # noqa: N802 (Python-Markdown API)
        md.inlinePatterns.register(DollarMathProcessor(r"\$", md), "dollar_math", 186)
