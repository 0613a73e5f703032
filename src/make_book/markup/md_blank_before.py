"""Pandoc's ``blank_before_blockquote``, ``blank_before_header``, ``space_in_atx_header``
and its block quotes.

Pandoc starts a block quote or an ATX heading only at the start of a block: ``>`` or ``#``
at the start of a line inside a paragraph is text (a wrapped line starting with "> 3" or
"#5" is common in prose). Python-Markdown looks for them on any line of a block.

A blank line ends a Pandoc block quote: ``> a``, blank, ``> b`` are two quotes.
Python-Markdown merges a quote into the quote before it; here each one stands alone.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from markdown.blockprocessors import BlockQuoteProcessor, HashHeaderProcessor

_QUOTE_START_RE = re.compile(r"^[ ]{0,3}>")
_ATX_RE = re.compile(r"^#{1,6}(?:[ \t]|$)", re.MULTILINE)


class PandocBlockQuoteProcessor(BlockQuoteProcessor):
    """A quote starts a block; lines after it without ``>`` continue it lazily."""

    def test(self, parent: ET.Element, block: str) -> bool:
        return bool(_QUOTE_START_RE.match(block))

    def run(self, parent: ET.Element, blocks: list[str]) -> None:
        block = blocks.pop(0)
        lines = [self.clean(line) for line in block.split("\n")]
        quote = ET.SubElement(parent, "blockquote")
        self.parser.state.set("blockquote")
        self.parser.parseChunk(quote, "\n".join(lines))
        self.parser.state.reset()


class PandocHashHeaderProcessor(HashHeaderProcessor):
    """An ATX heading on the first line of a block (after a blank line), with a space
    after its ``#`` marks (Pandoc's ``space_in_atx_header``: ``#.`` is a list marker and
    ``#hashtag`` is text)."""

    def test(self, parent: ET.Element, block: str) -> bool:
        m = self.RE.search(block)
        return bool(m) and m.start() == 0 and bool(_ATX_RE.match(block))
