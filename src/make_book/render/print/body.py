"""A chapter body's XHTML as print HTML (:class:`BodyConverter`): note calls become
footnote spans or endnote calls, figures get their printed width, math its TeX source,
blocks their marks for the renderer's repairs. Its own module because it is the one large
job of the print HTML, and the one every section of a chapter or part goes through."""

from __future__ import annotations

import re

from lxml import etree
from markupsafe import Markup

from make_book.layouts.superiors import superior_characters
from make_book.manuscript.mathml import MATHML_NS, tex_source
from make_book.model import Chapter, Image
from make_book.render import calls, figures
from make_book.render.print import note_splits
from make_book.render.print import floats as pdf_floats
from make_book.render.print import tables
from make_book.render.openings import fold_anchor_paragraphs
from make_book.render.print.geometry import PT_PER_IN, Geometry
from make_book.xhtml import Body
from make_book.render.print.html import (
    BLOCK_ATTR,
    BREAK_CLASS,
    Context,
    add_class,
    css_string,
    inner_html,
    replace_keep_tail,
)


# Block-level elements a note may hold; inside a footnote span they become spans.
BLOCK_TAGS = frozenset({
    "p", "div", "blockquote", "ul", "ol", "li", "dl", "dt", "dd", "pre", "figure",
    "figcaption", "table", "thead", "tbody", "tfoot", "tr", "td", "th", "caption", "h1", "h2",
    "h3", "h4", "h5", "h6", "section", "aside", "header", "footer", "hr", "address"})
MIN_PRINT_DPI = 300  # figures are never enlarged beyond this resolution (TYPOGRAPHY.md)
CSS_PX_PER_IN = 96  # an SVG's own size is in CSS pixels
FIGURE_MAX_HEIGHT_SHARE = 0.72  # of the text block height, leaving room for the caption


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

def note_inline(note: Body) -> etree._Element:
    """A note's block content (a copy) as inline markup for a footnote span: the first
    paragraph is unwrapped (its text follows the marker), later paragraphs and other blocks
    become ``span.mb-<tag>`` (``display: block`` in print.css)."""
    root = note.edit()
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
            add_class(el, cls)
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
        replace_keep_tail(formula, span)
    return bool(formulas)


def footnote_text(note) -> etree._Element:
    """A note as its footnote sets it (inline markup, math as TeX): what a split note's
    offsets count in."""
    span = note_inline(note.body)
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

    def convert(self, fragment: Body, mark_blocks: bool = False) -> etree._Element:
        """The print markup of a copy of ``fragment`` (a chapter's body, a title's)."""
        root = fragment.edit()
        if mark_blocks:  # the k-th top-level block, for the EPUB's print page-list
            for k, block in enumerate(root):
                mark = f"{self.chapter.file_id}:{k}"
                block.set(BLOCK_ATTR, mark)
                if mark in self.ctx.break_marks:  # keeps a footnote on its call's page
                    add_class(block, BREAK_CLASS)
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
                replace_keep_tail(call, a)
                continue
            # a footnote: an empty anchor marks the call's place, the span floats away
            anchor = etree.Element("span", {"class": "mb-noteanchor", "id": note.ref_id})
            span = note_inline(note.body)
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
                add_class(block, figures.BLEED_PRINT)
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
            add_class(fig, "mb-figure")
        figures.mark_image_paragraphs(root)

    def _breaks(self, root: etree._Element) -> None:
        for hr in list(root.iter("hr")):
            div = etree.Element("div", {"class": "mb-section-break", "role": "separator"})
            replace_keep_tail(hr, div)

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
                replace_keep_tail(p, stanza)

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
                    add_class(a, "mb-pageref-roman")
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
            root = note.body.edit()
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
