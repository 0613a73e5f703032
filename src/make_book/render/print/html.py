"""The print edition as HTML for WeasyPrint, built from the layout's templates: the whole
book as one document (:func:`build_document`: the plan of ids, note calls and page names
the renderer works from, and what ``benchmarks/`` hands bare WeasyPrint), and each piece
the renderer lays out on its own (:func:`opening_document`, :func:`contents_document`,
:func:`part_document`, :func:`chapter_document`, :func:`index_document`).

Structure (the page names ``print.css`` styles; a page's name is the ``page`` of the
element that starts it):

- ``display``: half title, title page, copyright page, dedication, epigraph: no running
  head, no folio, counted in roman from the half title (i).
- ``front``: contents and the front-matter pieces (foreword, preface...): roman folios.
- ``part`` / ``body`` / ``back``: part title pages, chapters, back matter, arabic folios.
- ``part-first`` / ``body-first``: the first element of the body matter, a part or a
  chapter, whose first page resets the page counter to 1 (:func:`structure_css`; a piece
  starts its counter at its own first folio instead).

Every element that opens on a recto is a top-level ``<section>`` child of ``<body>`` so
that each is its own page group (``@page body:nth(1 of body)`` is a chapter opening) and
blank versos inserted before it belong to no named page (``@page :blank`` clears them).

Note calls (``<a class="mb-noteref" data-note="N"/>``) become ``float: footnote`` spans
carrying the note as inline content (block elements become ``span.mb-p`` and friends), or
endnote calls linking to a "Notes" section at the end of the chapter: all notes with
``notes: endnotes``, and with footnotes the notes the renderer had to move because they
cannot be set at the foot of one page (``endnote_ids``). Blocks the renderer moves to a
new page to keep a note on its call's page get ``mb-break-before`` (``break_marks``).

Page numbers printed as text: with a ``page_map``, the contents, the list of
illustrations and page references carry ``data-page`` (the layout's CSS shows it), since
``target-counter`` cannot see into another piece.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from lxml import etree
from lxml import html as lxml_html
from markupsafe import Markup

from make_book.errors import Diagnostics
from make_book.layouts.chain import Layout
from make_book.layouts.superiors import superior_characters
from make_book.manuscript.kinds import untitled_name
from make_book.manuscript.mathml import MATHML_NS, tex_source
from make_book.model import Book, Chapter, Image, Part
from make_book.render import calls, figures
from make_book.render.print import note_splits
from make_book.render.print import floats as pdf_floats
from make_book.render import page_index as pdf_index
from make_book.render.print import tables
from make_book.render import credits as credits_mod
from make_book.render.figures import chapter_figures
from make_book.render.openings import fold_anchor_paragraphs
from make_book.render.print.geometry import LEADING_PT, PT_PER_IN, Geometry, page_css
from make_book.xhtml import Body

TEMPLATES = "print"
# Where WeasyPrint sees the book folder: one fixed URL, so nothing in the PDF depends on
# where the sources are checked out (WeasyPrint names images by a hash of their URL).
# The renderer's URL fetcher maps it back to ``book.root``.
BOOK_URL = "file:///make-book/book/"
DISPLAY_KINDS = frozenset({"dedication", "epigraph"})
# A dedication or epigraph up to this many characters of text is a display page (centred,
# alone, before the contents); a longer one (Engels' dedication to the English workers
# runs to two pages of prose) is set as a front-matter chapter.
DISPLAY_TEXT = 1200
# The contents' title and the space under it, in body lines (print.css): contents longer
# than the rest of their first page are set dense (``mb-toc-dense``).
CONTENTS_TITLE_LINES = 9.5
BODY_SIZE_PT = 10.75  # print.css body size, for the length of a contents line


def is_display(chapter: Chapter) -> bool:
    """Whether ``chapter`` is set as a display page (see DISPLAY_TEXT)."""
    if chapter.kind not in DISPLAY_KINDS:
        return False
    return len(chapter.body.text()) <= DISPLAY_TEXT
# Block-level elements a note may hold; inside a footnote span they become spans.
BLOCK_TAGS = frozenset({
    "p", "div", "blockquote", "ul", "ol", "li", "dl", "dt", "dd", "pre", "figure",
    "figcaption", "table", "thead", "tbody", "tfoot", "tr", "td", "th", "caption", "h1", "h2",
    "h3", "h4", "h5", "h6", "section", "aside", "header", "footer", "hr", "address"})
MIN_PRINT_DPI = 300  # figures are never enlarged beyond this resolution (TYPOGRAPHY.md)
CSS_PX_PER_IN = 96  # an SVG's own size is in CSS pixels
FIGURE_MAX_HEIGHT_SHARE = 0.72  # of the text block height, leaving room for the caption
_PARSER = etree.XMLParser(huge_tree=True, resolve_entities=False, no_network=True,
                          remove_blank_text=False)

BLOCK_ATTR = "data-mb-block"  # "file_id:k" on each top-level block of a chapter body
BREAK_CLASS = "mb-break-before"  # a block the renderer moved to the next page
HIDDEN_ATTR = "data-mb-hidden"  # the block before a restart, kept for sibling selectors


@dataclass
class PrintDocument:
    html: str
    base_url: str
    first_body_id: str | None  # id of the element whose first page is arabic 1
    chapter_ids: dict[str, str] = field(default_factory=dict)  # section id -> file_id
    note_calls: dict[str, tuple[str, str]] = field(default_factory=dict)
    # ^ footnote id -> (call anchor id, chapter file_id), for the placement check
    page_names: dict[str, str] = field(default_factory=dict)  # chapter file_id, part id -> page
    pageref_targets: dict[str, set[str]] = field(default_factory=dict)  # file_id -> ids
    contents_targets: frozenset[str] = frozenset()  # the contents' and the LOI's entries
    has_opening: bool = False  # anything before the contents (half title... epigraph)
    has_contents: bool = False  # contents or a list of illustrations


@dataclass
class Context:
    book: Book
    layout: Layout
    geometry: Geometry
    diagnostics: Diagnostics
    endnote_ids: frozenset[str] = frozenset()
    strings: dict[str, str] = field(default_factory=dict)
    break_marks: frozenset[str] = frozenset()  # blocks that start a new page
    splits: dict[str, note_splits.NoteSplit] = field(default_factory=dict)  # by note id
    floats: dict[str, str] = field(default_factory=dict)  # figure mark -> block it follows
    note_calls: dict[str, tuple[str, str]] = field(default_factory=dict)
    pageref_targets: dict[str, set[str]] = field(default_factory=dict)
    # where the anchors are, for page numbers printed as text (pieces of the book laid out
    # on their own cannot use target-counter); None: target-counter in the layout's CSS
    page_map: pdf_index.PageMap | None = None

    @property
    def notes_mode(self) -> str:
        return getattr(self.book.meta, "notes", "footnotes") or "footnotes"

    def render(self, template: str, **context) -> str:
        return self.layout.env.get_template(f"{TEMPLATES}/{template}").render(
            book=self.book, meta=self.book.meta, strings=self.strings, **context)


# ----------------------------------------------------------------------------- helpers

def css_string(text: str) -> str:
    """A CSS string literal (for ``bookmark-label``, ``string-set``)."""
    out = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")
    return f'"{out}"'


def parse(fragment: str) -> etree._Element:
    return etree.fromstring(f"<div>{fragment}</div>", _PARSER)


def inner_html(el: etree._Element) -> str:
    """Children of ``el`` serialised as HTML (``<a></a>``, not ``<a/>``: WeasyPrint's
    parser is an HTML parser)."""
    out = [_escape_text(el.text or "")]
    for child in el:
        out.append(etree.tostring(child, encoding="unicode", method="html", with_tail=True))
    return "".join(out)


def _escape_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def plain(fragment: str) -> str:
    return re.sub(r"\s+", " ", "".join(parse(fragment).itertext())).strip()


def _add_class(el: etree._Element, cls: str) -> None:
    el.set("class", " ".join(filter(None, [el.get("class"), cls])))


def _replace_keep_tail(old: etree._Element, new: etree._Element) -> None:
    new.tail = old.tail
    old.getparent().replace(old, new)


def chapter_label(chapter: Chapter, strings: dict[str, str]) -> str:
    """How a chapter is named in the contents and the outline (as in the EPUB's nav)."""
    if chapter.label and chapter.kind == "chapter":
        return f"{chapter.label}. {chapter.title}"
    if chapter.label:
        return f"{strings.get('appendix', 'Appendix')} {chapter.label}: {chapter.title}"
    return chapter.title


def part_label(part: Part, strings: dict[str, str]) -> str:
    if part.label:
        return f"{strings.get('part', 'Part')} {part.label}: {part.title}"
    return part.title


def section_id(chapter: Chapter) -> str:
    return chapter.headings[0].id if chapter.headings else chapter.file_id


def author_names(book: Book) -> list[str]:
    authors = getattr(book.meta, "authors", None)
    if authors is not None:
        return [c.name for c in authors]
    return [str(a) for a in getattr(book.meta, "author", None) or ()]


def verso_head(book: Book) -> str:
    meta = book.meta
    which = getattr(getattr(meta, "print", None), "running_head_verso", "title") or "title"
    if which == "author" and author_names(book):
        return ", ".join(author_names(book))
    return getattr(meta, "short_title", None) or meta.title


# ----------------------------------------------------------------------------- images

def figure_width_pt(image_px: tuple[int, int], geometry: Geometry,
                    px_per_in: float = MIN_PRINT_DPI) -> float:
    """Printed width of a figure: the text block at most, never enlarged beyond 300 dpi
    (a vector drawing: beyond its own size, in CSS pixels of 1/96 in), and short enough
    that figure and caption fit one page."""
    w_px, h_px = image_px
    width = min(geometry.text_width, w_px / px_per_in * PT_PER_IN)
    if h_px:
        max_h = geometry.text_height * FIGURE_MAX_HEIGHT_SHARE
        width = min(width, max_h * w_px / h_px)
    return round(width, 2)


def _has_author_width(img: etree._Element) -> bool:
    return bool(img.get("width")) or "width" in (img.get("style") or "")


# ----------------------------------------------------------------------------- notes

def note_inline(note_html: str) -> etree._Element:
    """A note's block content as inline markup for a footnote span: the first paragraph
    is unwrapped (its text follows the marker), later paragraphs and other blocks become
    ``span.mb-<tag>`` (``display: block`` in print.css)."""
    root = parse(note_html)
    span = etree.Element("span")
    span.text = root.text
    children = list(root)
    if children and children[0].tag == "p" and not (root.text or "").strip():
        first = children.pop(0)
        span.text = first.text
        for child in list(first):
            span.append(child)
        if first.tail and first.tail.strip():
            if len(span):
                span[-1].tail = (span[-1].tail or "") + first.tail
            else:
                span.text = (span.text or "") + first.tail
    for child in children:
        span.append(child)
    for el in list(span.iter()):
        if el is not span and isinstance(el.tag, str) and el.tag in BLOCK_TAGS:
            cls = f"mb-{el.tag}"
            el.tag = "span"
            _add_class(el, cls)
            # white space between blocks would become an empty line in WeasyPrint
            if el.tail is not None and not el.tail.strip():
                el.tail = None
            if el.text is not None and not el.text.strip() and len(el):
                el.text = None
            prev = el.getprevious()
            if prev is not None and prev.tail is not None and not prev.tail.strip():
                prev.tail = None
    return span


def print_math(root: etree._Element) -> bool:
    """Each MathML formula in ``root`` replaced by its TeX source (``span.mb-math-tex``):
    WeasyPrint cannot typeset MathML. Whether there was any."""
    formulas = list(root.iter(f"{{{MATHML_NS}}}math"))
    for formula in formulas:
        display = "display" if formula.get("display") == "block" else "inline"
        span = etree.Element("span", {"class": f"mb-math-tex {display}"})
        span.text = tex_source(formula) or "".join(formula.itertext())
        _replace_keep_tail(formula, span)
    return bool(formulas)


def footnote_text(note) -> etree._Element:
    """A note as its footnote sets it (inline markup, math as TeX): what a split note's
    offsets count in."""
    span = note_inline(note.html)
    print_math(span)
    return span


# ----------------------------------------------------------------------------- bodies

class BodyConverter:
    """One chapter's XHTML fragment -> print HTML (an lxml element, serialised later)."""

    def __init__(self, ctx: Context, chapter: Chapter):
        self.ctx = ctx
        self.chapter = chapter
        self.images: dict[str, Image] = {i.href: i for i in chapter.images}
        self.calls: dict[int, int] = {}
        self.endnotes: list[int] = []  # numbers of notes set at the end of the chapter
        # continuations of split notes: (split, part k, part span), hung after _notes
        self.continued: list[tuple[note_splits.NoteSplit, int, etree._Element]] = []

    def is_endnote(self, number: int) -> bool:
        if self.ctx.notes_mode == "endnotes":
            return True
        note = self.chapter.notes[number - 1]
        return note.id in self.ctx.endnote_ids

    def convert(self, fragment: str | Body, mark_blocks: bool = False) -> etree._Element:
        """The print markup of a chapter's Body (a copy) or of a note's text."""
        root = fragment.edit() if isinstance(fragment, Body) else parse(fragment)
        if mark_blocks:  # the k-th top-level block, for the EPUB's print page-list
            for k, block in enumerate(root):
                mark = f"{self.chapter.file_id}:{k}"
                block.set(BLOCK_ATTR, mark)
                if mark in self.ctx.break_marks:  # keeps a footnote on its call's page
                    _add_class(block, BREAK_CLASS)
            pdf_floats.place_floats(root, self.ctx.floats)  # figures that did not fit
        fold_anchor_paragraphs(root)  # after the marks: the EPUB counts the same blocks
        self._math(root)
        calls.join_to_word(root.xpath(".//a[@class='mb-noteref'] | .//sup"))
        self._notes(root)
        if mark_blocks:
            self._hang_continuations(root)
        self._superiors(root)
        self._images(root)
        tables.mark_short_tables(root)
        self._breaks(root)
        self._verse(root)
        self._links(root)
        self._bookmarks(root)
        return root

    def _notes(self, root: etree._Element) -> None:
        for call in root.xpath(".//a[@class='mb-noteref']"):
            number = int(call.get("data-note"))
            if not 1 <= number <= len(self.chapter.notes):
                continue
            note = self.chapter.notes[number - 1]
            seen = self.calls.get(number, 0)
            self.calls[number] = seen + 1
            if seen or self.is_endnote(number):
                if not seen and number not in self.endnotes:
                    self.endnotes.append(number)
                a = etree.Element("a", {"class": "mb-noteref", "href": f"#{note.id}"})
                if not seen:
                    a.set("id", note.ref_id)
                a.text = str(number)
                _replace_keep_tail(call, a)
                continue
            # a footnote: an empty anchor marks the call's place, the span floats away
            anchor = etree.Element("span", {"class": "mb-noteanchor", "id": note.ref_id})
            span = note_inline(note.html)
            self._math(span)
            span.tag = "span"
            span.attrib.clear()
            span.set("class", "mb-footnote")
            span.set("id", note.id)
            span.set("data-n", str(number))
            split = self.ctx.splits.get(note.id)
            if split is not None:
                span, *rest = note_splits.note_parts(span, split.cuts)
                for k, part in enumerate(rest, 1):
                    part.set("id", split.part_id(k))
                    part.set("class", f"mb-footnote {note_splits.CONT_CLASS}")
                    self.continued.append((split, k, part))
            parent = call.getparent()
            idx = parent.index(call)
            anchor.tail = None
            span.tail = call.tail
            parent.remove(call)
            parent.insert(idx, anchor)
            parent.insert(idx + 1, span)
            self.ctx.note_calls[note.id] = (note.ref_id, self.chapter.file_id)

    def _hang_continuations(self, root: etree._Element) -> None:
        """Each continuation of a split note goes on the line its page opens with (an
        empty anchor before it, for the check that it landed there); one whose page is
        not known yet, or whose line is not found, is left out until the renderer
        places it."""
        blocks = {b.get(BLOCK_ATTR): b for b in root}
        for split, k, part in self.continued:
            where = split.anchors[k - 1]
            if where is not None and where[0] == note_splits.run_over_mark(self.chapter.file_id):
                # past the chapter's text: an empty line on a page of its own carries it
                block = etree.SubElement(root, "div", {"class": note_splits.RUN_OVER_CLASS})
                block.text = "\u00a0"
            else:
                block = blocks.get(where[0]) if where else None
            if block is None:
                continue
            anchor = etree.Element("span", {"class": "mb-noteanchor",
                                            "id": split.anchor_id(k)})
            if note_splits.hang_on_line(block, where[1], [anchor, part], where[2]):
                self.ctx.note_calls[split.part_id(k)] = (anchor.get("id"),
                                                         self.chapter.file_id)
        self.continued = []

    def _superiors(self, root: etree._Element) -> None:
        """True superiors for calls and superscripts the font has them for (calls.py)."""
        superiors = superior_characters(self.ctx.layout)
        calls.mark_superiors(root.xpath(".//sup | .//a[@class='mb-noteref']"), superiors)
        calls.mark_superiors(root.xpath(".//span[@class='mb-footnote']"), superiors,
                             lambda span: span.get("data-n") or "")

    def _math(self, root: etree._Element) -> None:
        """WeasyPrint cannot typeset MathML: each formula is printed as its TeX source
        (``span.mb-math-tex``, set in print.css), and the chapter gets one warning."""
        if print_math(root):
            self.ctx.diagnostics.warning(
                "C105", "math printed as its TeX source: WeasyPrint cannot typeset MathML",
                self.chapter.source, hint="the EPUB has the formulas; for print, an image "
                "of a formula (PNG) in its place typesets it")

    def _images(self, root: etree._Element) -> None:
        bleeding = set()
        for block in figures.bleeding(root):
            if self.ctx.geometry.bleed:  # a page of its own, the image beyond the trim
                _add_class(block, figures.BLEED_PRINT)
                bleeding.update(block.iter("img"))
        for img in root.iter("img"):
            if img in bleeding:
                for attr in ("data-width", "data-height"):
                    img.attrib.pop(attr, None)
                continue
            src = img.get("src") or ""
            info = self.images.get(src)
            px = None
            px_per_in = MIN_PRINT_DPI
            if info is not None:
                px = (info.width, info.height)
                px_per_in = CSS_PX_PER_IN if info.vector else MIN_PRINT_DPI
            elif img.get("data-width", "").isdigit():
                px = (int(img.get("data-width")), int(img.get("data-height") or 0))
            if (img.get("width") or "").isdigit() and "width" not in (img.get("style") or ""):
                # an author's width attribute, in CSS pixels (WeasyPrint ignores the
                # attribute itself without presentational hints)
                style = img.get("style")
                img.set("style", f"width: {img.get('width')}px" + (f"; {style}" if style else ""))
            if px and px[0] and not _has_author_width(img):
                width = figure_width_pt(px, self.ctx.geometry, px_per_in)
                style = img.get("style")
                img.set("style", f"width: {width}pt" + (f"; {style}" if style else ""))
            for attr in ("data-width", "data-height"):
                img.attrib.pop(attr, None)
        for fig in root.iter("figure"):
            _add_class(fig, "mb-figure")
        figures.mark_image_paragraphs(root)

    def _breaks(self, root: etree._Element) -> None:
        for hr in list(root.iter("hr")):
            div = etree.Element("div", {"class": "mb-section-break", "role": "separator"})
            _replace_keep_tail(hr, div)

    def _verse(self, root: etree._Element) -> None:
        """Each line of a stanza (lines end in ``<br/>``) as its own block, so that a
        line too long for the measure turns over with a hanging indent."""
        for div in root.xpath(".//div[contains(concat(' ', @class, ' '), ' verse ')]"):
            for p in div.iter("p"):
                if not any(child.tag == "br" for child in p):
                    continue
                stanza = etree.Element("p", dict(p.attrib))
                line = etree.SubElement(stanza, "span", {"class": "mb-verse-line"})
                line.text = p.text
                for child in list(p):
                    if child.tag == "br":
                        line = etree.SubElement(stanza, "span", {"class": "mb-verse-line"})
                        line.text = (child.tail or "").lstrip()
                    else:
                        line.append(child)
                _replace_keep_tail(p, stanza)

    def _links(self, root: etree._Element) -> None:
        anchors = self.ctx.book.anchors
        front = {c.file_id for c in self.ctx.book.chapters if c.matter == "front"}
        for a in root.iter("a"):
            classes = (a.get("class") or "").split()
            href = a.get("href") or ""
            note = self.ctx.book.in_notes.get(href[1:]) if href.startswith("#") else None
            if note is not None and "mb-noteref" not in classes:
                href = "#" + note  # a link to an id inside a note goes to the footnote
                a.set("href", href)
            if "pageref" in classes and href.startswith("#"):
                self.ctx.pageref_targets.setdefault(self.chapter.file_id, set()).add(href[1:])
                if anchors.get(href[1:]) in front:
                    _add_class(a, "mb-pageref-roman")
                if self.ctx.page_map is not None:
                    a.set("data-page", self.ctx.page_map.folio_of(href[1:]))

    def _bookmarks(self, root: etree._Element) -> None:
        """Sections in the outline under their chapter (parts > chapters > sections)."""
        base = self.chapter.depth + 1  # under its parts (parts > chapters > sections)
        texts = {h.id: h.text for h in self.chapter.headings}
        for el in root.iter("h2", "h3"):
            level = base + (1 if el.tag == "h2" else 2)
            text = texts.get(el.get("id") or "") or re.sub(r"\s+", " ",
                                                           "".join(el.itertext())).strip()
            style = f"bookmark-level: {level}; bookmark-label: {css_string(text)}"
            el.set("style", style + (f"; {el.get('style')}" if el.get("style") else ""))

    def endnotes_html(self) -> list[dict]:
        out = []
        for number in sorted(self.endnotes):
            note = self.chapter.notes[number - 1]
            root = parse(note.html)
            self._math(root)
            self._images(root)
            self._links(root)
            back = etree.Element("a", {"class": "mb-endnote-number", "href": f"#{note.ref_id}"})
            back.text = f"{number}."
            first = root[0] if len(root) and root[0].tag == "p" and not (
                root.text or "").strip() else None
            if first is None:
                first = etree.Element("p")
                first.text, root.text = root.text, None
                for child in list(root):
                    if child.tag in BLOCK_TAGS:
                        break
                    first.append(child)
                root.insert(0, first)
            back.tail = " " + (first.text or "")
            first.text = None
            first.insert(0, back)
            out.append({"id": note.id, "number": number, "html": Markup(inner_html(root))})
        return out


# ----------------------------------------------------------------------------- sections

def chapter_section(ctx: Context, chapter: Chapter, page_name: str,
                    restart: tuple[int, str] | None = None,
                    running_head: str | None = None) -> str:
    """One chapter (or front/back-matter piece) as a top-level ``<section>``; with
    ``restart`` (block ``k``, page side), only the chapter from block ``k`` on, which opens
    a ``left`` or ``right`` page after an empty first page (see :func:`_restart`);
    ``running_head`` replaces the chapter's own (one cut to fit: :mod:`running_heads`)."""
    converter = BodyConverter(ctx, chapter)
    body = converter.convert(chapter.body, mark_blocks=True)
    if restart is not None:
        _drop_blocks(ctx, body, restart)
    title_html = Markup.escape(chapter.title)
    if chapter.title_html:
        title_root = converter.convert(chapter.title_html)
        title_html = Markup(inner_html(title_root))
    number_label = None
    if chapter.label:
        word = ctx.strings.get("appendix" if chapter.kind == "appendix" else "chapter",
                               "Chapter")
        number_label = f"{word} {chapter.label}"
    display = is_display(chapter)
    # a dedication or epigraph prints a title of its own ("To the Working-Classes of
    # Great-Britain"), never the name of its kind ("Dedication", a YAML block's label)
    display_title = (display and not chapter.untitled
                     and chapter.title != untitled_name(chapter.kind, ctx.book.meta.lang))
    level = chapter.depth + 1  # under its parts in the outline
    endnotes = converter.endnotes_html()
    sid = section_id(chapter)
    html = ctx.render(
        "chapter.html", chapter=chapter, section_id=sid,
        page_name=page_name, display=display, display_title=display_title,
        lang=chapter.lang,
        running_head=running_head or chapter.running_title, number_label=number_label,
        title_html=title_html, bookmark_level=None if display else level,
        bookmark_label=css_string(chapter_label(chapter, ctx.strings)),
        notes_bookmark_level=level + 1,
        body=Markup(inner_html(body)), endnotes=endnotes)
    return html if restart is None else _restart(html)


def _drop_blocks(ctx: Context, body: etree._Element, restart: tuple[int, str]) -> None:
    """The body from block ``k`` on (its notes' calls forgotten), block ``k`` on a new
    ``side`` page."""
    k, side = restart
    blocks = list(body)
    # block k by its mark: a figure moved on (pdf_floats) puts blocks out of number order
    k = next((i for i, b in enumerate(blocks)
              if (b.get(BLOCK_ATTR) or "").rpartition(":")[2] == str(k)), k)
    # The block before k stays, undisplayed, so the layout's sibling rules (no indent
    # after a heading, a figure...) style block k as in the whole chapter.
    kept = blocks[k - 1] if 0 < k < len(blocks) else None
    for block in blocks[:k]:
        for el in block.iter():
            if "mb-footnote" in (el.get("class") or "").split():
                ctx.note_calls.pop(el.get("id"), None)
        if block is not kept:
            body.remove(block)
    body.text = None
    if kept is not None:
        _hide(kept)
    if k < len(blocks):
        first = blocks[k]
        style = first.get("style")
        first.set("style", f"break-before: {side}" + (f"; {style}" if style else ""))


def _hide(block: etree._Element) -> None:
    for el in block.iter():
        el.attrib.pop("id", None)
    block.attrib.pop(BLOCK_ATTR, None)
    block.set(HIDDEN_ATTR, "")
    block.set("style", "display: none !important")


def _restart(section_html: str) -> str:
    """A chapter section without what comes before its first block (the opening: title,
    number, epigraph), an empty block in its place: the empty first page (and the blank
    before a recto) that the renderer drops, whatever the layout's template puts there."""
    section = lxml_html.fragment_fromstring(section_html.strip())
    for child in list(section):
        if child.get(BLOCK_ATTR) is not None or child.get(HIDDEN_ATTR) is not None:
            break
        section.remove(child)
    section.text = None
    section.insert(0, etree.Element("div", {"class": "mb-restart"}))
    return etree.tostring(section, encoding="unicode", method="html")


def part_section(ctx: Context, part: Part, page_name: str) -> str:
    """A part's title page (a recto), with the part's opening text (an epigraph) under
    its title; its outline level is its depth (a book inside a part sits under it)."""
    body, title_html, endnotes = Markup(""), Markup.escape(part.title), []
    if part.opening is not None:
        converter = BodyConverter(ctx, part.opening)
        body = Markup(inner_html(converter.convert(part.opening.body)))
        if part.title_html:
            title_html = Markup(inner_html(converter.convert(part.title_html)))
        endnotes = converter.endnotes_html()
    return ctx.render("part.html", part=part, page_name=page_name, body=body,
                      title_html=title_html, endnotes=endnotes, bookmark_level=part.depth,
                      bookmark_label=css_string(part_label(part, ctx.strings)))


def walk_items(items, chapters_only: bool = False):
    """Parts and chapters in reading order, nested parts entered (a part before what it
    holds)."""
    for item in items:
        if isinstance(item, Part):
            if not chapters_only:
                yield item
            yield from walk_items(item.items, chapters_only)
        else:
            yield item


@dataclass
class TocEntry:
    kind: str  # part | chapter | section
    number: str | None  # a chapter's number, set in its own column
    title: str
    href: str
    roman: bool = False
    children: list[TocEntry] = field(default_factory=list)
    page: str | None = None  # the printed folio, once the pages are known


def _set_pages(entries: list[TocEntry], page_map: pdf_index.PageMap) -> None:
    for entry in entries:
        entry.page = page_map.folio_of(entry.href.lstrip("#"))
        _set_pages(entry.children, page_map)


def wanted(book: Book, piece: str) -> bool:
    """Whether the book asks make-book to generate ``piece`` (``generate:`` in book.yaml;
    yes when it does not say)."""
    return bool(getattr(getattr(book.meta, "generate", None), piece, True))


def printed_indexes(book: Book):
    """The indexes printed at the end of the book (``generate.index`` may switch them off)."""
    if not wanted(book, "index"):
        return ()
    return tuple(i for i in book.indexes if i.groups)


def index_section(ctx: Context, index, page_map: pdf_index.PageMap | None) -> str:
    """One index as a back-matter ``<section>`` (placeholder numbers without a page map)."""
    title = pdf_index.title(index, ctx.strings)
    return ctx.render("index.html", index=index, section_id=pdf_index.section_id(index),
                      title=title, bookmark_label=css_string(title),
                      groups=pdf_index.view(index, page_map))


def contents_depth(ctx: Context) -> int:
    settings = getattr(ctx.book.meta, "print", None)
    if settings is not None and "toc_depth" in getattr(settings, "model_fields_set", ()):
        return int(settings.toc_depth)
    return ctx.layout.contents_depth


def toc_entries(ctx: Context, chapters_after_toc: list[Chapter]) -> list[TocEntry]:
    """Contents: the front-matter pieces after the contents, parts, chapters and back
    matter, with h2 sections when the layout asks (``print: contents-depth`` 2) or the
    book does (its own ``print: toc-depth``)."""
    depth = contents_depth(ctx)
    front_after = {c.file_id for c in chapters_after_toc}

    def chapter_entry(c: Chapter) -> TocEntry:
        number, title = None, c.title
        if c.label and c.kind == "chapter":
            number = c.label
        elif c.label:
            title = f"{ctx.strings.get('appendix', 'Appendix')} {c.label}: {c.title}"
        entry = TocEntry("chapter", number, title, f"#{section_id(c)}",
                         roman=c.matter == "front")
        if depth >= 2:
            entry.children = [TocEntry("section", None, h.text, f"#{h.id}",
                                       roman=c.matter == "front")
                              for h in c.headings[1:] if h.level == 2]
        return entry

    def part_entry(part: Part) -> TocEntry:
        return TocEntry("part", None, part_label(part, ctx.strings), f"#{part.id}",
                        children=[part_entry(i) if isinstance(i, Part) else chapter_entry(i)
                                  for i in part.items])

    out: list[TocEntry] = []
    for item in ctx.book.items:
        if isinstance(item, Part):
            out.append(part_entry(item))
        elif item.matter != "front" or item.file_id in front_after:
            if is_display(item):
                continue
            out.append(chapter_entry(item))
    for index in printed_indexes(ctx.book):
        out.append(TocEntry("chapter", None, pdf_index.title(index, ctx.strings),
                            f"#{pdf_index.section_id(index)}"))
    return out


def structure_css(geometry: Geometry, start_page: int | None = None) -> str:
    """Rules that follow from the document's structure and geometry, not from taste:
    the page counter restarts at the body (or, in a piece of the book laid out on its
    own, starts at the piece's first folio); blocks moved to the next page; lengths
    templates may need."""
    start = ("@page body-first:nth(1 of body-first), part-first:nth(1 of part-first) "
             "{ counter-reset: page 1; }\n" if start_page is None
             else f"@page :first {{ counter-reset: page {start_page}; }}\n")
    return (
        page_css(geometry)
        + "h1, h2, h3, h4, h5, h6 { bookmark-level: none; }\n"
        + start
        + f".{BREAK_CLASS} {{ break-before: page; }}\n"
        + f":root {{ --mb-text-width: {geometry.text_width:.3f}pt; "
          f"--mb-text-height: {geometry.text_height:.3f}pt; }}\n"
    )


def _context(book: Book, layout: Layout, geometry: Geometry, diagnostics: Diagnostics,
             endnote_ids: frozenset[str] = frozenset(), break_marks: frozenset[str] = frozenset(),
             page_map: pdf_index.PageMap | None = None,
             splits: tuple[note_splits.NoteSplit, ...] = ()) -> tuple[Context, str]:
    lang = getattr(book.meta, "lang", None) or "en"
    return Context(book, layout, geometry, diagnostics, frozenset(endnote_ids),
                   layout.strings(lang), break_marks=frozenset(break_marks),
                   splits={s.note_id: s for s in splits}, page_map=page_map), lang


def build_document(book: Book, layout: Layout, geometry: Geometry, *,
                   diagnostics: Diagnostics,
                   endnote_ids: frozenset[str] = frozenset(),
                   break_marks: frozenset[str] = frozenset(),
                   splits: tuple[note_splits.NoteSplit, ...] = ()) -> PrintDocument:
    """The whole book as one HTML document (see the module docstring); the indexes come
    last, with placeholder numbers."""
    ctx, lang = _context(book, layout, geometry, diagnostics, endnote_ids, break_marks,
                         splits=splits)
    sections: list[str] = []
    chapter_ids: dict[str, str] = {}
    page_names: dict[str, str] = {}

    display_front, other_front = front_chapters(book)
    opening = opening_sections(ctx)
    sections += opening
    for chapter in display_front:
        chapter_ids[section_id(chapter)] = chapter.file_id
        page_names[chapter.file_id] = "display"
    contents, contents_targets = contents_sections(ctx, other_front, None)
    sections += contents
    for chapter in other_front:
        sections.append(chapter_section(ctx, chapter, "front"))
        chapter_ids[section_id(chapter)] = chapter.file_id
        page_names[chapter.file_id] = "front"

    first_body_id: str | None = None
    for item in walk_items(book.items):
        if isinstance(item, Part):
            name = "part"
            if first_body_id is None:
                first_body_id, name = item.id, "part-first"
            sections.append(part_section(ctx, item, name))
            page_names[item.id] = name
            if item.opening is not None:
                chapter_ids[item.id] = item.opening.file_id
            chapters = ()
        elif item.matter == "front" and not item.depth:
            continue
        else:
            chapters = (item,)
        for chapter in chapters:
            name = "back" if chapter.matter == "back" else "body"
            if first_body_id is None:
                first_body_id = section_id(chapter)
                name = "body-first"
            if is_display(chapter):
                name = "display" if name != "body-first" else name
            sections.append(chapter_section(ctx, chapter, name))
            chapter_ids[section_id(chapter)] = chapter.file_id
            page_names[chapter.file_id] = name

    for index in printed_indexes(book):
        sections.append(index_section(ctx, index, None))

    html = document_html(ctx, lang, sections)
    return PrintDocument(html, BOOK_URL, first_body_id,
                         chapter_ids, dict(ctx.note_calls), page_names,
                         {k: set(v) for k, v in ctx.pageref_targets.items()},
                         frozenset(contents_targets), bool(opening), bool(contents))


def front_chapters(book: Book) -> tuple[list[Chapter], list[Chapter]]:
    """The front matter's chapters: those set as display pages (dedication, epigraph),
    before the contents, and the others (foreword, preface...), after them."""
    front = [c for c in book.items if isinstance(c, Chapter) and c.matter == "front"]
    return ([c for c in front if is_display(c)],
            [c for c in front if not is_display(c)])


def opening_sections(ctx: Context) -> list[str]:
    """Half title, series page, title page, copyright page (as the book asks for them),
    then the dedication and epigraph: everything before the contents."""
    book = ctx.book
    credits = credits_mod.credit_lines(book, ctx.strings)
    sections = []
    if wanted(book, "half_title"):
        sections.append(ctx.render("halftitle.html"))
    series = book.meta.series
    if wanted(book, "series_page") and series is not None and series.volumes:
        sections.append(ctx.render("series.html"))
    if wanted(book, "title_page"):
        sections.append(ctx.render("titlepage.html", authors=author_names(book),
                                   credits=credits))
    if wanted(book, "copyright_page"):
        sections.append(ctx.render(
            "copyright.html", credits=credits, isbns=credits_mod.isbn_lines(book),
            printing=credits_mod.printing_line(book), year=credits_mod.year(book),
            reprint=credits_mod.reprint_line(book, ctx.strings),
            sources=list(getattr(book.meta, "source", None) or ())))
    for chapter in front_chapters(book)[0]:
        sections.append(chapter_section(ctx, chapter, "display"))
    return sections


def _toc_targets(entries: list[TocEntry]):
    for entry in entries:
        yield entry.href.lstrip("#")
        yield from _toc_targets(entry.children)


def contents_lines(entries: list[TocEntry], per_line: float = 1e9) -> float:
    """Body lines the contents take at the body's leading: the lines of each entry's
    title (``per_line`` characters a line), and the space print.css sets around a part's
    entries."""
    return sum(math.ceil(max(len(e.title), 1) / per_line) + (2 if e.kind == "part" else 0)
               + contents_lines(e.children, per_line) for e in entries)


def _page_lines(geometry: Geometry) -> float:
    return geometry.text_height / LEADING_PT


def _contents_chars(geometry: Geometry) -> float:
    """Characters of an entry's title a contents line holds: the measure less the
    indent, the leader and the page number (about 6 em), at an average 0.45 em."""
    return (geometry.text_width - 6 * BODY_SIZE_PT) / (0.45 * BODY_SIZE_PT)


def contents_sections(ctx: Context, front_after: list[Chapter],
                      page_map: pdf_index.PageMap | None) -> tuple[list[str], set[str]]:
    """The contents and the list of illustrations (as the book asks for them), and the ids
    whose pages they print: numbers from ``page_map`` when given, else ``target-counter``
    in the layout's CSS."""
    sections, targets = [], set()
    if wanted(ctx.book, "toc"):
        entries = toc_entries(ctx, front_after)
        if page_map is not None:
            _set_pages(entries, page_map)
        targets.update(_toc_targets(entries))
        sections.append(ctx.render("toc.html", entries=entries,
                                   dense=contents_lines(entries, _contents_chars(ctx.geometry))
                                   > _page_lines(ctx.geometry) - CONTENTS_TITLE_LINES))
    if wanted(ctx.book, "list_of_illustrations"):
        figures = [{"id": fid, "caption": caption, "roman": chapter.matter == "front",
                    "page": None}
                   for chapter in ctx.book.chapters
                   for fid, caption in chapter_figures(chapter)]
        for figure in figures:
            targets.add(figure["id"])
            if page_map is not None:
                figure["page"] = page_map.folio_of(figure["id"])
        if figures:
            sections.append(ctx.render("loi.html", figures=figures))
    return sections, targets


def font_css(layout: Layout) -> str:
    """The layout's fonts as ``@font-face`` rules (file URLs)."""
    return layout.font_face_css(lambda f: f.path.resolve().as_uri())


def stylesheet_urls(layout: Layout) -> list[str]:
    return [p.resolve().as_uri() for p in layout.stylesheets("print")]


def document_html(ctx: Context, lang: str, sections: list[str],
                  start_page: int | None = None, linked_styles: bool = True) -> str:
    """The print document around ``sections``: head, fonts, page geometry, stylesheets.
    Without ``linked_styles``, the fonts and the layout's stylesheets are left out: the
    renderer parses them once and hands them to WeasyPrint for every piece (parsing them
    again for each of a book's pieces cost more than a second on a long book)."""
    book, layout = ctx.book, ctx.layout
    return ctx.render(
        "book.html", lang=lang, doc_title=book.meta.title,
        font_css=Markup(font_css(layout) if linked_styles else ""),
        structure_css=Markup(structure_css(ctx.geometry, start_page)),
        stylesheets=stylesheet_urls(layout) if linked_styles else [],
        verso_head=verso_head(book), notes_mode=ctx.notes_mode, authors=author_names(book),
        sections=[Markup(s) for s in sections])


def piece_html(ctx: Context, lang: str, sections: list[str], start_page: int) -> str:
    """A piece of the book laid out on its own: numbered from ``start_page``, its fonts and
    stylesheets given by the renderer (:func:`font_css`, :func:`stylesheet_urls`)."""
    return document_html(ctx, lang, sections, start_page, linked_styles=False)


def chapter_document(book: Book, layout: Layout, geometry: Geometry, chapter: Chapter, *,
                     diagnostics: Diagnostics, page_name: str = "body",
                     endnote_ids: frozenset[str] = frozenset(),
                     break_marks: frozenset[str] = frozenset(),
                     splits: tuple[note_splits.NoteSplit, ...] = (),
                     start_page: int | None = None,
                     restart: tuple[int, str] | None = None,
                     page_map: pdf_index.PageMap | None = None,
                     floats: dict[str, str] | None = None,
                     running_head: str | None = None) -> PrintDocument:
    """One chapter as a document of its own (same head, styles and page names), its first
    page numbered ``start_page``; with ``restart``, only from a block on, and with
    ``running_head`` for its own (see :func:`chapter_section`)."""
    ctx, lang = _context(book, layout, geometry, diagnostics, endnote_ids, break_marks,
                         page_map, splits)
    ctx.floats = dict(floats or {})
    section = chapter_section(ctx, chapter, page_name, restart, running_head)
    html = piece_html(ctx, lang, [section], start_page)
    sid = section_id(chapter)
    return PrintDocument(html, BOOK_URL, sid if page_name == "body-first" else None,
                         {sid: chapter.file_id}, dict(ctx.note_calls),
                         page_names={chapter.file_id: page_name},
                         pageref_targets={k: set(v) for k, v in ctx.pageref_targets.items()})


def opening_document(book: Book, layout: Layout, geometry: Geometry, *,
                     diagnostics: Diagnostics) -> PrintDocument:
    """The pages before the contents as a document of their own (numbered from i)."""
    ctx, lang = _context(book, layout, geometry, diagnostics)
    html = piece_html(ctx, lang, opening_sections(ctx), 1)
    return PrintDocument(html, BOOK_URL, None, note_calls=dict(ctx.note_calls))


def part_document(book: Book, layout: Layout, geometry: Geometry, part: Part, *,
                  diagnostics: Diagnostics, page_name: str, start_page: int) -> PrintDocument:
    """A part title page as a document of its own."""
    ctx, lang = _context(book, layout, geometry, diagnostics)
    html = piece_html(ctx, lang, [part_section(ctx, part, page_name)], start_page)
    return PrintDocument(html, BOOK_URL, part.id if page_name == "part-first" else None,
                         note_calls=dict(ctx.note_calls))


def blank_document(book: Book, layout: Layout, geometry: Geometry, *,
                   diagnostics: Diagnostics) -> PrintDocument:
    """Two empty sections: the page between them is the blank verso the layout sets
    before a recto opening, to put between pieces of the book laid out on their own."""
    ctx, lang = _context(book, layout, geometry, diagnostics)
    html = piece_html(ctx, lang, ['<section style="page: body"></section>'] * 2, 1)
    return PrintDocument(html, BOOK_URL, None)


def contents_document(book: Book, layout: Layout, geometry: Geometry, *,
                      diagnostics: Diagnostics, page_map: pdf_index.PageMap,
                      start_page: int) -> PrintDocument:
    """The contents and the list of illustrations as a document of their own, with the
    page numbers of ``page_map`` (placeholders for pages not known yet), their first page
    numbered ``start_page``."""
    ctx, lang = _context(book, layout, geometry, diagnostics)
    sections, targets = contents_sections(ctx, front_chapters(book)[1], page_map)
    html = piece_html(ctx, lang, sections, start_page)
    return PrintDocument(html, BOOK_URL, None, contents_targets=frozenset(targets))


def index_document(book: Book, layout: Layout, geometry: Geometry, *,
                   diagnostics: Diagnostics, index_pages: pdf_index.PageMap,
                   start_page: int) -> PrintDocument:
    """The printed indexes as a document of their own, with real page numbers, their first
    page numbered ``start_page``: laid out after the book, whose pages they cannot move."""
    ctx, lang = _context(book, layout, geometry, diagnostics)
    sections = [index_section(ctx, index, index_pages) for index in printed_indexes(book)]
    html = piece_html(ctx, lang, sections, start_page)
    return PrintDocument(html, BOOK_URL, None)
