"""Pandoc's ``fenced_divs`` inside block quotes and list items.

Top-level divs are turned into raw ``<div markdown="1">`` lines before block parsing
(``FencedDivPreprocessor`` below), but a div inside a
quote or a list item only exists once the quote's ``>`` or the item's indentation has been
removed, during block parsing. This processor reads such a div there: from its opening
fence to the matching closing one (divs nest), its content parsed as blocks inside a
``<div>`` with the fence's attributes. Lines of a ``verse`` div keep their breaks, as at
the top level. A div left open closes at the end of its container, as Pandoc does.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from markdown.blockprocessors import BlockProcessor
from markdown.extensions.attr_list import get_attrs_and_remainder
from markdown.preprocessors import Preprocessor

from make_book.markup.md_attributes import set_attributes


class FencedDivProcessor(BlockProcessor):
    def __init__(self, parser, fence_re, apply_attrs):
        super().__init__(parser)
        self.fence_re = fence_re
        self.apply_attrs = apply_attrs

    def test(self, parent: ET.Element, block: str) -> bool:
        m = self.fence_re.match(block.split("\n", 1)[0])
        return bool(m and m.group("spec"))

    def run(self, parent: ET.Element, blocks: list[str]) -> None:
        lines: list[str] = []
        taken = 0
        depth = 0
        end = None
        for block in blocks:
            if taken:
                lines.append("")
            for line in block.split("\n"):
                m = self.fence_re.match(line)
                if m and m.group("spec"):
                    depth += 1
                elif m:
                    depth -= 1
                lines.append(line)
                if depth == 0:
                    end = len(lines)
                    break
            taken += 1
            if end is not None:
                break
        opening = self.fence_re.match(lines[0])
        inner = lines[1:end - 1] if end is not None else lines[1:]
        rest = lines[end:] if end is not None else []
        del blocks[:taken]
        remainder = "\n".join(rest).strip("\n")
        if remainder:
            blocks[:0] = remainder.split("\n\n")
        div = ET.SubElement(parent, "div")
        spec = opening.group("spec")
        if spec.startswith("{"):
            attrs, _ = get_attrs_and_remainder(spec[1:-1])
            self.apply_attrs(div, attrs)
        else:
            div.set("class", spec)
        if "verse" in div.get("class", "").split():
            inner = [line.rstrip() + "  " if line.strip() and n + 1 < len(inner)
                     and inner[n + 1].strip() else line for n, line in enumerate(inner)]
        self.parser.parseBlocks(div, "\n".join(inner).split("\n\n"))


FENCE_RE = re.compile(r"^(?P<colons>:{3,})\s*(?P<spec>\{[^}]*\}|[\w-]+)?\s*(?P<rest>:*)\s*$")
CODE_FENCE_RE = re.compile(r"^(```+|~~~+)")


class FencedDivPreprocessor(Preprocessor):
    """``::: name`` blocks become ``<div markdown="1">`` so md_in_html parses their inside.

    Done on lines (before block parsing) because a div spans blank lines; fenced code is
    skipped so a ``:::`` inside code stays text."""

    def run(self, lines: list[str]) -> list[str]:
        out: list[str] = []
        stack: list[str] = []  # classes of open divs
        code_fence: str | None = None
        for n, line in enumerate(lines):
            fence = CODE_FENCE_RE.match(line)
            if code_fence:
                if fence and line.startswith(code_fence):
                    code_fence = None
                out.append(line)
                continue
            if fence:
                code_fence = fence.group(1)
                out.append(line)
                continue
            m = FENCE_RE.match(line)
            if m and m.group("spec"):
                spec = m.group("spec")
                el = ET.Element("div")
                if spec.startswith("{"):
                    attrs, _ = get_attrs_and_remainder(spec[1:-1])
                    set_attributes(el, attrs)
                else:
                    el.set("class", spec)
                attr_text = "".join(
                    f' {k}="{_escape_attr(v)}"' for k, v in el.attrib.items())
                out.extend(["", f'<div{attr_text} markdown="1">', ""])
                stack.append(el.get("class", ""))
                continue
            if m and stack:
                stack.pop()
                out.extend(["", "</div>", ""])
                continue
            following = lines[n + 1] if n + 1 < len(lines) else ""
            if (stack and "verse" in stack[-1].split() and line.strip() and following.strip()
                    and not FENCE_RE.match(following)):
                # a verse line keeps its break: Markdown's hard line break is two spaces
                out.append(line.rstrip() + "  ")
                continue
            out.append(line)
        for _ in stack:  # an unclosed div closes at the end of the file
            out.extend(["", "</div>", ""])
        return out


def _escape_attr(value: str | None) -> str:
    return (value or "").replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
