"""Python-Markdown configured for manuscripts: Pandoc-compatible syntax through our extensions.

Python-Markdown extensions keep per-document state (footnotes, reference links, stashed raw
HTML), so :func:`new_parser` builds a fresh parser for every document; building one costs
far less than a chapter's conversion.

Our syntax on top of the standard extensions (footnotes, attr_list, tables, def_list,
md_in_html):

- bracketed spans ``[text]{.class #id key=value}`` -> ``<span>``
- fenced divs ``::: name`` / ``::: {.name lang=de}`` ... ``:::`` -> ``<div>`` (nestable;
  lines of a ``verse`` div keep their breaks)
- an image alone in a paragraph -> ``<figure>`` with the image text as ``<figcaption>``
  and ``alt=`` (or the caption's plain text) as alt text
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import markdown
from markdown.extensions import Extension
from markdown.extensions.attr_list import get_attrs_and_remainder
from markdown.inlinepatterns import InlineProcessor
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor

# --------------------------------------------------------------------------- spans


class BracketedSpanProcessor(InlineProcessor):
    """``[text]{attrs}``: Pandoc's bracketed span. Runs before links so ``[x]{...}`` is
    never taken for a reference link; its content is parsed by the lower-priority patterns."""

    def handleMatch(self, m, data):  # noqa: N802 (Python-Markdown API)
        start = m.start(0)
        depth, i = 0, start
        while i < len(data):
            ch = data[i]
            if ch == "\\":
                i += 2
                continue
            if ch == "[":
                depth += 1
            elif ch == "]":
                depth -= 1
                if depth == 0:
                    break
            i += 1
        else:
            return None, None, None
        close = i
        if close + 1 >= len(data) or data[close + 1] != "{":
            return None, None, None
        end = data.find("}", close + 2)
        if end < 0 or "\n" in data[close + 2:end]:
            return None, None, None
        attrs, remainder = get_attrs_and_remainder(data[close + 2:end])
        if remainder.strip() or not attrs:
            return None, None, None
        text = data[start + 1:close]
        if text.startswith("^"):  # a footnote reference, not a span
            return None, None, None
        el = ET.Element("span")
        el.text = text
        _apply_attrs(el, attrs)
        return el, start, end + 1


def _apply_attrs(el: ET.Element, attrs: list[tuple[str, str | None]]) -> None:
    classes: list[str] = []
    for key, value in attrs:
        if key == "#":
            el.set("id", value or "")
        elif key == ".":
            classes.append(value or "")
        elif value is not None:
            el.set(key, value)
    if classes:
        el.set("class", " ".join(classes))


class EscapedLineBreakProcessor(InlineProcessor):
    """A backslash at the end of a line is a hard line break (Pandoc's escaped_line_breaks):
    editors strip trailing spaces, so the two-space form alone is too fragile."""

    def handleMatch(self, m, data):  # noqa: N802 (Python-Markdown API)
        return ET.Element("br"), m.start(0), m.end(0)


# --------------------------------------------------------------------------- fenced divs

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
                    _apply_attrs(el, attrs)
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


# --------------------------------------------------------------------------- figures


class CaptionKeeper(Treeprocessor):
    """Remember each image's bracket text before attr_list may replace alt with ``alt=``."""

    def run(self, root: ET.Element) -> None:
        for img in root.iter("img"):
            img.set("data-caption", img.get("alt", ""))


class FigureProcessor(Treeprocessor):
    """A paragraph holding one image and nothing else is a figure (Pandoc's implicit_figures)."""

    def run(self, root: ET.Element) -> None:
        for parent in root.iter():
            for index, p in enumerate(list(parent)):
                if p.tag != "p" or len(p) != 1 or p[0].tag != "img":
                    continue
                img = p[0]
                if (p.text or "").strip() or (img.tail or "").strip():
                    continue
                caption = img.attrib.pop("data-caption", "")
                figure = ET.Element("figure")
                if img.get("id"):  # the id names the figure, as in Pandoc
                    figure.set("id", img.attrib.pop("id"))
                for cls in (img.attrib.pop("class", None),):
                    if cls:
                        figure.set("class", cls)
                img.tail = None
                figure.append(img)
                if caption.strip():
                    figcaption = ET.SubElement(figure, "figcaption")
                    figcaption.text = caption
                    holder = ET.Element("div")  # the inline pass parses children, not the root
                    holder.append(figcaption)
                    self.md.treeprocessors["inline"].run(holder)
                    if img.get("alt", "") == caption:
                        img.set("alt", "".join(figcaption.itertext()).strip())
                figure.tail = p.tail
                parent.remove(p)
                parent.insert(index, figure)
        for img in root.iter("img"):
            img.attrib.pop("data-caption", None)


# --------------------------------------------------------------------------- extension


class ManuscriptExtension(Extension):
    def extendMarkdown(self, md):  # noqa: N802 (Python-Markdown API)
        md.preprocessors.register(FencedDivPreprocessor(md), "fenced_div", 29)
        md.inlinePatterns.register(
            BracketedSpanProcessor(r"\[(?!\^)", md), "bracketed_span", 176)
        md.inlinePatterns.register(EscapedLineBreakProcessor(r"\\\n", md),
                                   "escaped_line_break", 185)
        md.treeprocessors.register(CaptionKeeper(md), "caption_keeper", 9)
        md.treeprocessors.register(FigureProcessor(md), "figure", 5)


def new_parser() -> markdown.Markdown:
    """A fresh parser: Python-Markdown extensions keep per-document state."""
    return markdown.Markdown(
        extensions=[
            "footnotes",
            "attr_list",
            "tables",
            "def_list",
            "md_in_html",
            "sane_lists",
            ManuscriptExtension(),
        ],
        extension_configs={
            "footnotes": {"USE_DEFINITION_ORDER": False, "BACKLINK_TEXT": "",
                          "SUPERSCRIPT_TEXT": "{}"},
        },
        output_format="xhtml",
    )


def to_html(text: str) -> str:
    return new_parser().convert(text)
