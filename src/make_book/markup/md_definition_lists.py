"""Pandoc's ``definition_lists`` on top of Python-Markdown's ``def_list``.

Two differences matter to manuscripts: Pandoc introduces a definition with ``:`` or ``~``
(the compact form ``  ~ definition`` is common), and a term is exactly one line: lines
before it belong to a paragraph, so a wrapped paragraph followed by ``: text`` is no
definition list at all (Python-Markdown made every line a term).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from markdown.extensions.def_list import DefListProcessor


class PandocDefListProcessor(DefListProcessor):
    RE = re.compile(r"(^|\n)[ ]{0,3}[:~][ ]{1,3}(.*?)(\n|$)")
    NO_INDENT_RE = re.compile(r"^[ ]{0,3}[^ :~]")  # a next ``~`` is the next definition

    def test(self, parent: ET.Element, block: str) -> bool:
        m = self.RE.search(block)
        if m is None:
            return False
        terms = [line for line in block[:m.start()].split("\n") if line.strip()]
        if len(terms) > 1:
            return False
        if not terms:  # the term is the paragraph before (a loose list)
            sibling = self.lastChild(parent)
            if sibling is not None and sibling.tag == "p" and "\n" in (sibling.text or ""):
                return False
        return True
