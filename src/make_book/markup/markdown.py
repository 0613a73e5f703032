"""Python-Markdown configured for manuscripts: Pandoc-compatible syntax through our extensions.

Python-Markdown extensions keep per-document state (footnotes, reference links, stashed raw
HTML), so :func:`new_parser` builds a fresh parser for every document; building one costs
far less than a chapter's conversion.

Our syntax on top of the standard extensions (footnotes, attr_list, def_list, md_in_html);
Pandoc's block syntax lives in the ``md_*`` modules registered below (line blocks, tables,
code, lists, definition lists, fenced divs in containers, Markdown in HTML blocks, blank
lines before quotes and headings):

- bracketed spans ``[text]{.class #id key=value}`` -> ``<span>``
- fenced divs ``::: name`` / ``::: {.name lang=de}`` ... ``:::`` -> ``<div>`` (nestable;
  lines of a ``verse`` div keep their breaks)
- an image alone in a paragraph -> ``<figure>`` with the image text as ``<figcaption>``
  and ``alt=`` (or the caption's plain text) as alt text
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

import markdown
from markdown.extensions import Extension
from markdown.extensions.attr_list import get_attrs_and_remainder
from markdown.inlinepatterns import InlineProcessor
from markdown.treeprocessors import Treeprocessor

from make_book.markup.md_blank_before import (
    PandocBlockQuoteProcessor,
    PandocHashHeaderProcessor,
)
from make_book.markup.md_code import FencedCodePreprocessor, IndentedCodeShape
from make_book.markup.md_definition_lists import PandocDefListProcessor
from make_book.markup.md_fenced_divs import FENCE_RE, FencedDivPreprocessor, FencedDivProcessor
from make_book.markup.md_html_blocks import MarkdownInHtmlPreprocessor
from make_book.markup.md_line_blocks import LineBlockProcessor
from make_book.markup.md_lists import EXAMPLE_REF_RE, ExampleReferenceProcessor, ListProcessor
from make_book.markup.md_tables import TableProcessor
from make_book.markup.md_attributes import set_attributes
from make_book.markup.md_inline import (
    PandocInlineExtension, Report, is_attribute_list, reports, span_tag)
from make_book.markup.md_inline_pass import inline_pass
from make_book.markup.md_math import DollarMathExtension
from make_book.markup.md_scan import Pairs, escaped
from make_book.markup.md_references import PandocReferencesExtension
from make_book.markup import heading_refs

# --------------------------------------------------------------------------- spans


class BracketedSpanProcessor(InlineProcessor):
    """``[text]{attrs}``: Pandoc's bracketed span. Runs before links so ``[x]{...}`` is
    never taken for a reference link; its content is parsed by the lower-priority patterns."""

    def __init__(self, pattern, md):
        super().__init__(pattern, md)
        self.brackets = Pairs("[", "]")  # one pass per paragraph, not one per "["

    def handleMatch(self, m, data):  # noqa: N802 (Python-Markdown API)
        start = m.start(0)
        close = self.brackets.match(data, start)
        if close is None:
            return None, None, None
        if close + 1 >= len(data) or data[close + 1] != "{":
            return None, None, None
        end = data.find("}", close + 2)
        if end < 0 or "\n" in data[close + 2:end]:
            return None, None, None
        spec = data[close + 2:end]
        attrs, remainder = get_attrs_and_remainder(spec)
        if remainder.strip() or not is_attribute_list(spec):
            return None, None, None  # {} makes a span too, as in Pandoc
        text = data[start + 1:close]
        if text.startswith("^"):  # a footnote reference, not a span
            return None, None, None
        el = ET.Element("span")
        el.text = text
        set_attributes(el, attrs)
        span_tag(el)
        return el, start, end + 1


class EscapedLineBreakProcessor(InlineProcessor):
    """A backslash at the end of a line is a hard line break (Pandoc's escaped_line_breaks):
    editors strip trailing spaces, so the two-space form alone is too fragile. At the end
    of a paragraph too, as in Pandoc (it keeps an image there from being a figure)."""

    def handleMatch(self, m, data):  # noqa: N802 (Python-Markdown API)
        if escaped(data, m.start(0)):  # "\\" then a newline: a backslash, no break
            return None, None, None
        return ET.Element("br"), m.start(0), m.end(0)


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
                if not img.get("data-caption", "").strip():  # Pandoc: no caption, no figure
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
        # below h-inline's raw_block (29.5): a ```{=html} fence is raw content, not code
        md.preprocessors.register(FencedCodePreprocessor(md), "fenced_code", 29.4)
        md.preprocessors.register(FencedDivPreprocessor(md), "fenced_div", 29)
        md.preprocessors.register(MarkdownInHtmlPreprocessor(md), "markdown_in_html", 25)
        md.parser.blockprocessors.register(TableProcessor(md.parser), "table", 75)
        md.parser.blockprocessors.register(LineBlockProcessor(md.parser), "line_block", 74)
        blocks = md.parser.blockprocessors
        for name in ("olist", "ulist", "indent"):  # Markdown.pl's lists, not Pandoc's
            blocks.deregister(name, strict=False)
        lists = ListProcessor(md.parser)
        blocks.register(lists, "list", 40)
        md.inlinePatterns.register(ExampleReferenceProcessor(EXAMPLE_REF_RE, md, lists),
                                   "example_reference", 177)
        blocks.register(PandocBlockQuoteProcessor(md.parser), "quote", 20)
        blocks.register(PandocHashHeaderProcessor(md.parser), "hashheader", 70)
        blocks.register(PandocDefListProcessor(md.parser), "deflist", 25)
        blocks.register(FencedDivProcessor(md.parser, FENCE_RE, set_attributes),
                        "fenced_div", 76)
        if "|" not in md.ESCAPED_CHARS:  # \| in a table cell is a literal bar
            md.ESCAPED_CHARS.append("|")
        md.treeprocessors.register(IndentedCodeShape(md), "indented_code_shape", 4)
        md.inlinePatterns.register(
            BracketedSpanProcessor(r"\[(?!\^)", md), "bracketed_span", 176)
        # a span's text is parsed by the patterns after its own: this one reads a span
        # inside a span ([a [b]{.x} c]{.y})
        md.inlinePatterns.register(
            BracketedSpanProcessor(r"\[(?!\^)", md), "inner_bracketed_span", 175.5)
        md.inlinePatterns.register(EscapedLineBreakProcessor(r"\\(?:\n|\Z)", md),
                                   "escaped_line_break", 185)
        md.treeprocessors.register(CaptionKeeper(md), "caption_keeper", 9)
        md.treeprocessors.register(FigureProcessor(md), "figure", 5)
        heading_refs.register(md)  # Pandoc's implicit heading references
        # the stock inline pass, passing over patterns that cannot match a text
        md.treeprocessors.register(inline_pass(md), "inline", 20)


def new_parser() -> markdown.Markdown:
    """A fresh parser: Python-Markdown extensions keep per-document state."""
    return markdown.Markdown(
        extensions=[
            "footnotes",
            "attr_list",
            "def_list",
            "md_in_html",
            "pymdownx.caret",
            "pymdownx.tilde",
            ManuscriptExtension(),
            PandocInlineExtension(),
            DollarMathExtension(),
            PandocReferencesExtension(),
        ],
        extension_configs={
            # Pandoc's superscript, subscript and strikeout: ^x^, ~x~ (no unescaped space
            # inside), ~~x~~; Pandoc has no ^^insert^^
            "pymdownx.caret": {"insert": False, "superscript": True, "no_space": True},
            "pymdownx.tilde": {"delete": True, "subscript": True, "no_space": True},
            "footnotes": {"USE_DEFINITION_ORDER": False, "BACKLINK_TEXT": "",
                          "SUPERSCRIPT_TEXT": "{}"},
        },
        output_format="xhtml",
    )


def to_html(text: str, heading_keys: set[str] | None = None) -> str:
    return convert(text, heading_keys)[0]


def convert(text: str, heading_keys: set[str] | None = None) -> tuple[str, list[Report]]:
    """The HTML of ``text`` and what the reader dropped or could not read on the way.
    ``heading_keys``: the labels an undefined reference may name as a heading (see
    heading_refs); None: any label."""
    md = new_parser()
    md.heading_keys = heading_keys
    html = md.convert(text)
    return html, list(reports(md))
