"""Pandoc's citations ``[see @doe, p. 3; @roe]`` and ``@doe [p. 3]``: not resolved yet
(no bibliography), so kept as written in a ``span.citation`` with ``data-cites``, as
Pandoc writes them without ``--citeproc``; :mod:`leftovers` reports each one.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from markdown import util
from markdown.inlinepatterns import InlineProcessor

from make_book.markup.md_scan import Pairs

# Pandoc: a key starts with a letter, digit or _, and may hold internal punctuation
# (:.#$%&-+?<>~/) between alphanumerics; @{...} keys hold anything but braces.
CITE_KEY = r"(?:[^\W]|_)(?:[\w]|[:.#$%&\-+?<>~/](?=[\w]))*|\{[^{}\n]+\}"
KEY_RE = re.compile(r"(?<![\w@])-?@(" + CITE_KEY + ")")
IN_TEXT_RE = r"(?<![\w@\\])@(?:" + CITE_KEY + r")"


def _cite_keys(text: str) -> list[str]:
    return [k.strip("{}") for k in KEY_RE.findall(text)]


def _citation(text: str) -> ET.Element:
    el = ET.Element("span", {"class": "citation", "data-cites": " ".join(_cite_keys(text))})
    el.text = util.AtomicString(text)
    return el


class BracketedCitationProcessor(InlineProcessor):
    """``[see @doe, p. 3; @roe]``: every ``;``-separated item names a key."""

    PATTERN = r"\[(?=[^\[\]]{0,500}@)"  # bounded: a candidate costs no more than that

    def __init__(self, pattern, md):
        super().__init__(pattern, md)
        self.brackets = Pairs("[", "]")

    def handleMatch(self, m, data):  # noqa: N802 (Python-Markdown API)
        start = m.start(0)
        close = self.brackets.match(data, start)
        if close is None:
            return None, None, None
        inner = data[start + 1:close]
        if close + 1 < len(data) and data[close + 1] in "({[:":
            return None, None, None  # a link, span or reference definition
        items = inner.split(";")
        if not all(KEY_RE.search(item) for item in items):
            return None, None, None
        return _citation(data[start:close + 1]), start, close + 1


class InTextCitationProcessor(InlineProcessor):
    """``@doe`` and ``@doe [p. 3]`` (a locator in brackets right after the key)."""

    def __init__(self, pattern, md):
        super().__init__(pattern, md)
        self.brackets = Pairs("[", "]")

    def handleMatch(self, m, data):  # noqa: N802 (Python-Markdown API)
        start, end = m.start(0), m.end(0)
        after = re.compile(r" ?\[(?!\^)").match(data, end)
        if after:
            close = self.brackets.match(data, after.end() - 1)
            if close is not None and not (close + 1 < len(data) and data[close + 1] in "({"):
                end = close + 1
        return _citation(data[start:end]), start, end
