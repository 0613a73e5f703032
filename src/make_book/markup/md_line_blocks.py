"""Pandoc's ``line_blocks``: ``| `` lines keep their breaks and their leading spaces.

Verse and addresses are written as line blocks::

    | Glory to God in the world,
    |     Glory to God in me!

Each ``| `` line is one line of output; its leading spaces become no-break spaces (a
browser would collapse them); a line starting with a space continues the line before it
(hard-wrapped source); a ``|`` alone is an empty line. The HTML is Pandoc's:
``<div class="line-block">line<br />line</div>``. Every line is its own inline run, as in
Pandoc, so emphasis does not cross a line break.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from markdown.blockprocessors import BlockProcessor

_LINE_RE = re.compile(r"\|(?: |$)")
_TABLE_RULE_RE = re.compile(r"^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$")


def split_line_block(block: str) -> tuple[list[str], str]:
    """The output lines of the line block at the start of ``block`` and the source left
    after it (a line that is neither ``| `` nor a continuation ends the block)."""
    lines: list[str] = []
    source = block.split("\n")
    for n, raw in enumerate(source):
        if _LINE_RE.match(raw):
            text = raw[2:] if len(raw) > 1 else ""
            if not text.strip():
                lines.append("")
                continue
            body = text.lstrip(" ")
            lines.append("\u00a0" * (len(text) - len(body)) + body.rstrip())
        elif raw.startswith(" ") and lines and raw.strip():
            lines[-1] = (lines[-1] + " " + raw.strip()) if lines[-1] else raw.strip()
        else:
            return lines, "\n".join(source[n:])
    return lines, ""


class LineBlockProcessor(BlockProcessor):
    """A block whose first line starts with ``| `` (or is ``|``) and that is no pipe
    table (Pandoc tries tables first: a rule line ``|---|`` makes it one)."""

    def test(self, parent: ET.Element, block: str) -> bool:
        if not _LINE_RE.match(block):
            return False
        lines = block.split("\n")
        return not (len(lines) > 1 and _TABLE_RULE_RE.match(lines[1]) and "-" in lines[1])

    def run(self, parent: ET.Element, blocks: list[str]) -> None:
        lines, rest = split_line_block(blocks.pop(0))
        if rest.strip():
            blocks.insert(0, rest)
        div = ET.SubElement(parent, "div", {"class": "line-block"})
        if all(not line for line in lines):
            return
        div.text = lines[0]
        for line in lines[1:]:
            ET.SubElement(div, "br").tail = line
