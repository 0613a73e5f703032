"""Marks on images and figures that both layouts' stylesheets select by: an image alone in
a paragraph, a figure set to bleed. CSS cannot select a paragraph by its only child, nor a
figure by its image's class."""

from __future__ import annotations

from lxml import etree

from make_book.xhtml import add_class

IMAGE_PARAGRAPH = "mb-image"  # the class both layouts' stylesheets set apart
BLEED = "bleed"  # the manuscript's class: ![caption](photo.jpg){.bleed}
BLEED_PRINT = "mb-bleed"  # the print class of a figure set to the trimmed edge


def mark_image_paragraphs(root: etree._Element, context=None) -> None:
    """A paragraph holding one image and no text (Pandoc's reading of an image with an
    empty caption: no figure) is displayed as a figure without a caption: centred, with
    space around, not indented."""
    for p in root.iter("p"):
        if (len(p) == 1 and p[0].tag == "img" and not (p.text or "").strip()
                and not (p[0].tail or "").strip()):
            add_class(p, IMAGE_PARAGRAPH)


def bleeding(root: etree._Element) -> list[etree._Element]:
    """Figures, and images alone in a paragraph, marked to bleed (the class on the figure
    as Pandoc puts an implicit figure's attributes, or on the image)."""
    out: dict[etree._Element, None] = {}
    for el in root.iter("figure", "img"):
        if BLEED in (el.get("class") or "").split():
            out[el if el.tag == "figure" or el.getparent() is None else el.getparent()] = None
    return list(out)
