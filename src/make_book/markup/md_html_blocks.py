"""Pandoc's ``markdown_in_html_blocks``: Markdown inside a raw ``<div>`` is parsed.

Pandoc reads the content between block-level HTML tags as Markdown; Python-Markdown's
``md_in_html`` does so only for tags marked ``markdown="1"``, and otherwise passes the
content through as raw text, so ``*emphasis*`` or a list inside ``<div class="note">``
would print its asterisks and dashes. This preprocessor marks every opening tag of a
container element that stands alone on its line, before Python-Markdown reads raw HTML
(raw HTML written on one line, ``<div><b>x</b></div>``, stays as written).
Verbatim elements (``pre``, ``script``, ``style``, ``textarea``) are left alone, as are
tags that already say ``markdown=``.
"""

from __future__ import annotations

import re

from markdown.preprocessors import Preprocessor

CONTAINERS = ("div", "section", "article", "aside", "header", "footer", "blockquote",
              "figure", "nav", "main")
_OPEN_TAG_RE = re.compile(
    r"^(?P<lead>[ ]{0,3}<(?:%s))(?P<attrs>(?:\s[^<>]*?)?)(?P<close>/?>)" % "|".join(CONTAINERS),
    re.IGNORECASE)


class MarkdownInHtmlPreprocessor(Preprocessor):
    def run(self, lines: list[str]) -> list[str]:
        return [self._mark(line) for line in lines]

    @staticmethod
    def _mark(line: str) -> str:
        m = _OPEN_TAG_RE.match(line)
        if (m is None or m.group("close") == "/>" or "markdown=" in m.group("attrs")
                or line[m.end():].strip()):
            return line
        return (m.group("lead") + m.group("attrs") + ' markdown="1"' + m.group("close")
                + line[m.end():])
