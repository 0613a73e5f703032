"""What print makes of a fragment's tree, besides its notes (:mod:`.print_notes`): math as
its TeX source, true superiors, figures at their printed width, section breaks, verse
lines, page references, the PDF outline's section entries, and the renderer's block
marks."""

from __future__ import annotations

import re

from lxml import etree

from make_book.manuscript.mathml import MATHML_NS, tex_source
from make_book.transforms import calls
from make_book.transforms.figure_marks import BLEED_PRINT, bleeding
from make_book.transforms.format_context import PrintContext
from make_book.xhtml import add_class, replace_keep_tail

PT_PER_IN = 72.0
MIN_PRINT_DPI = 300  # figures are never enlarged beyond this resolution (TYPOGRAPHY.md)
CSS_PX_PER_IN = 96  # an SVG's own size is in CSS pixels
FIGURE_MAX_HEIGHT_SHARE = 0.72  # of the text block height, leaving room for the caption


def mark_blocks(root: etree._Element, ctx: PrintContext) -> None:
    """The renderer marks each top-level block (the EPUB's print page-list counts them,
    its repairs move them) and floats figures on: before anything changes the blocks."""
    if ctx.repairs is not None:
        ctx.repairs.mark_blocks(root)


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


def math_as_tex(root: etree._Element, ctx: PrintContext) -> None:
    """Formulas printed as their TeX source (set in print.css); the chapter gets one
    warning per fragment that had any."""
    if print_math(root):
        ctx.diagnostics.warning(
            "C105", "math printed as its TeX source: WeasyPrint cannot typeset MathML",
            ctx.chapter.source, hint="the EPUB has the formulas; for print, an image "
            "of a formula (PNG) in its place typesets it")


def superiors(root: etree._Element, ctx: PrintContext) -> None:
    """True superiors for calls and superscripts the font has them for (calls.py)."""
    calls.mark_superiors(root.xpath(".//sup | .//a[@class='mb-noteref']"), ctx.superiors)
    calls.mark_superiors(root.xpath(".//span[@class='mb-footnote']"), ctx.superiors,
                         lambda span: span.get("data-n") or "")


def figure_width_pt(image_px: tuple[int, int], geometry,
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


def images(root: etree._Element, ctx: PrintContext) -> None:
    """Figures at their printed width (or to the trimmed edge, when they bleed)."""
    bled = set()
    for block in bleeding(root):
        if ctx.geometry.bleed:  # a page of its own, the image beyond the trim
            add_class(block, BLEED_PRINT)
            bled.update(block.iter("img"))
    for img in root.iter("img"):
        if img in bled:
            for attr in ("data-width", "data-height"):
                img.attrib.pop(attr, None)
            continue
        src = img.get("src") or ""
        info = ctx.images.get(src)
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
            width = figure_width_pt(px, ctx.geometry, px_per_in)
            style = img.get("style")
            img.set("style", f"width: {width}pt" + (f"; {style}" if style else ""))
        for attr in ("data-width", "data-height"):
            img.attrib.pop(attr, None)
    for fig in root.iter("figure"):
        add_class(fig, "mb-figure")


def section_breaks(root: etree._Element, ctx: PrintContext) -> None:
    for hr in list(root.iter("hr")):
        div = etree.Element("div", {"class": "mb-section-break", "role": "separator"})
        replace_keep_tail(hr, div)


def verse(root: etree._Element, ctx: PrintContext) -> None:
    """Each line of a stanza (lines end in ``<br/>``) as its own block, so that a line too
    long for the measure turns over with a hanging indent."""
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


def links(root: etree._Element, ctx: PrintContext) -> None:
    """A link into a note goes to the footnote; a page reference gets its page number
    (``data-page``) when the page map is known, and roman numbering into front matter."""
    book = ctx.book
    anchors = book.anchors
    front = {c.file_id for c in book.chapters if c.matter == "front"}
    for a in root.iter("a"):
        classes = (a.get("class") or "").split()
        href = a.get("href") or ""
        note = book.in_notes.get(href[1:]) if href.startswith("#") else None
        if note is not None and "mb-noteref" not in classes:
            href = "#" + note
            a.set("href", href)
        if "pageref" in classes and href.startswith("#"):
            ctx.pageref_targets.setdefault(ctx.chapter.file_id, set()).add(href[1:])
            if anchors.get(href[1:]) in front:
                add_class(a, "mb-pageref-roman")
            if ctx.page_map is not None:
                a.set("data-page", ctx.page_map.folio_of(href[1:]))


def css_string(text: str) -> str:
    """A CSS string literal (for ``bookmark-label``, ``string-set``)."""
    out = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")
    return f'"{out}"'


def bookmarks(root: etree._Element, ctx: PrintContext) -> None:
    """Sections in the PDF outline under their chapter (parts > chapters > sections)."""
    chapter = ctx.chapter
    base = chapter.depth + 1  # under its parts
    texts = {h.id: h.text for h in chapter.headings}
    for el in root.iter("h2", "h3"):
        level = base + (1 if el.tag == "h2" else 2)
        text = texts.get(el.get("id") or "") or re.sub(r"\s+", " ",
                                                       "".join(el.itertext())).strip()
        style = f"bookmark-level: {level}; bookmark-label: {css_string(text)}"
        el.set("style", style + (f"; {el.get('style')}" if el.get("style") else ""))
