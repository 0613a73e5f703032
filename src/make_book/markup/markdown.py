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

import re
import typing
import xml.etree.ElementTree as ET

import markdown
from markdown.extensions import Extension
from markdown.extensions.attr_list import get_attrs_and_remainder
from markdown.inlinepatterns import InlineProcessor
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor

from make_book.markup.md_blank_before import (
    PandocBlockQuoteProcessor,
    PandocHashHeaderProcessor,
)
from make_book.markup.md_code import FencedCodePreprocessor, IndentedCodeShape
from make_book.markup.md_definition_lists import PandocDefListProcessor
from make_book.markup.md_fenced_divs import FencedDivProcessor
from make_book.markup.md_html_blocks import MarkdownInHtmlPreprocessor
from make_book.markup.md_line_blocks import LineBlockProcessor
from make_book.markup.md_lists import EXAMPLE_REF_RE, ExampleReferenceProcessor, ListProcessor
from make_book.markup.md_tables import TableProcessor
from make_book.markup.md_attributes import set_attributes
from make_book.markup.md_inline import (
    PandocInlineExtension, Report, is_attribute_list, reports, span_tag)
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


# --------------------------------------------------------------------------- limits
#
# Python-Markdown parses nested blocks by recursion and inline markup by rebuilding the
# block's text once per match; brackets are matched by scanning forward from every ``[``.
# A hostile or broken file (1,000 nested lists, megabytes of ``[[[[``) would exhaust the
# stack or run for hours. These checks run on the source first, in one linear pass, and
# refuse what no book needs, with the line to fix, instead of trying to parse it.

MAX_NESTING = 100  # lists, block quotes and fenced divs inside each other; books use < 10
# One paragraph's parse cost, in units of (characters x inline markup) and of characters
# scanned for brackets: at most about 2 s each here. A 5 MB paragraph of prose with no
# markup costs nothing, and a 600,000-character single-paragraph novel with 8,000 italics
# and 8,000 notes passes (1.8 s); 5 MB with markup every few words does not.
MAX_INLINE_COST = 20_000_000_000
MAX_BRACKET_SCAN = 4_000_000
# Python-Markdown numbers repeated calls of one note by trying every earlier number: the
# cost grows with the square of the calls.
MAX_CALLS_PER_NOTE = 200
# Many paragraphs each just under the limits add up: a chapter may cost this many times one
# paragraph's limit (real chapters cost well under one).
MAX_CHAPTER_COST = 5.0
# Notes in one file: Python-Markdown's footnotes look up each new note in a list of all the
# earlier ones, so the cost grows with the square of their number (10,000 notes: some 10 s
# here, 30,000: 100 s). Scholarly chapters hold hundreds; a whole annotated book in one
# file (the single-paragraph novel of tests/security/test_limits.py) 8,000.
MAX_NOTES = 10_000
_NOTE_DEF_RE = re.compile(r"^ {0,3}\[\^([^\]\s\[]{1,200})\]:", re.M)
_INLINE_NOTE_RE = re.compile(r"(?<!\[)\^\[")  # ^[an inline note], not [^[ of a call
_NOTE_CALL_RE = re.compile(r"\[\^([^\]\s\[]{1,200})\](?!:)")  # bounded: linear time
_MARK_RE = re.compile(r"[*_`<\[\]!&\\]")  # what may start inline markup, and "]"
_LEAD_RE = re.compile(r"[ \t>]*")


class Refusal(typing.NamedTuple):
    """Why a chapter's source is not parsed: ``line`` is 1-based within the text given."""

    code: str
    line: int
    message: str
    hint: str


def check_limits(text: str) -> list[Refusal]:
    """Source structures too deep or too costly to parse safely (see the section comment)."""
    refusals: list[Refusal] = []
    code_fence: str | None = None
    divs = 0
    deepest = (0, 0)  # (depth, line)
    block_start, block_chars, marks, brackets, seen = 1, 0, 0, 0, 0
    scan = 0
    total = 0.0
    open_brackets: list[int] = []  # offsets (within the block) of unmatched '['

    def end_block(next_line: int) -> None:
        nonlocal block_start, block_chars, marks, brackets, seen, scan, open_brackets, total
        scan += sum(block_chars - at for at in open_brackets)  # unmatched: scan to the end
        total += block_chars * marks / MAX_INLINE_COST + scan / MAX_BRACKET_SCAN
        if block_chars * marks > MAX_INLINE_COST or scan > MAX_BRACKET_SCAN:
            refusals.append(Refusal(
                "C006", block_start,
                f"paragraph of {block_chars:,} characters is too costly to parse: it holds "
                f"{brackets:,} brackets and {seen:,} other markup characters",
                "split it into shorter paragraphs, and escape stray brackets as \\["))
        block_start, block_chars, marks, brackets, seen, scan, open_brackets = (
            next_line, 0, 0, 0, 0, 0, [])

    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            end_block(number + 1)
            continue
        fence = CODE_FENCE_RE.match(line.lstrip(" >"))
        if code_fence is not None:
            if fence and fence.group(1).startswith(code_fence):
                code_fence = None
            continue
        if fence:
            code_fence = fence.group(1)
            continue
        lead = _LEAD_RE.match(line).group()
        quotes = lead.count(">")
        indent = len(lead[lead.rfind(">") + 1:].replace("\t", "    "))  # after the quotes
        fenced = FENCE_RE.match(line)
        if fenced:
            divs = divs + 1 if fenced.group("spec") else max(divs - 1, 0)
        depth = quotes + indent // 4 + divs
        if depth > deepest[0]:
            deepest = (depth, number)
        for m in _MARK_RE.finditer(line):
            ch, at = m.group(), block_chars + m.start()
            if ch == "]":
                if open_brackets:
                    scan += at - open_brackets.pop()
                continue
            marks += 10 if ch == "<" else 1  # `<` tries three patterns, each slow
            if ch == "[":
                brackets += 1
                open_brackets.append(at)
            else:
                seen += 1
        block_chars += len(line) + 1
    end_block(0)
    if total > MAX_CHAPTER_COST and not refusals:
        refusals.append(Refusal(
            "C006", 1, "the chapter's markup is too costly to parse as a whole",
            "split the chapter into several files"))
    calls: dict[str, list[int]] = {}
    for m in _NOTE_CALL_RE.finditer(text):
        calls.setdefault(m.group(1), []).append(m.start())
    for label, offsets in calls.items():
        if len(offsets) > MAX_CALLS_PER_NOTE:
            refusals.append(Refusal(
                "C006", text.count("\n", 0, offsets[0]) + 1,
                f"note [^{label}] is called {len(offsets):,} times; the limit is "
                f"{MAX_CALLS_PER_NOTE}", "give repeated calls their own notes"))
    labels = {m.group(1) for m in _NOTE_DEF_RE.finditer(text)}
    inline_notes = len(_INLINE_NOTE_RE.findall(text))
    if len(labels) + inline_notes > MAX_NOTES:
        refusals.append(Refusal(
            "C110", 1, f"{len(labels) + inline_notes:,} notes in one file; the limit is "
            f"{MAX_NOTES:,}", "split the file into several chapters"))
    if deepest[0] > MAX_NESTING:
        refusals.insert(0, Refusal(
            "C005", deepest[1], f"lists, quotes or divs nested {deepest[0]} levels deep; "
            f"the limit is {MAX_NESTING}", "no book needs this: flatten the structure"))
    return refusals
