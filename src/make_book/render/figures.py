"""Figures of a chapter as the lists of illustrations need them (EPUB loi nav, print LOI),
and images set apart like figures."""

from __future__ import annotations

from lxml import etree

from make_book.model import Chapter


def chapter_figures(chapter: Chapter) -> list[tuple[str, str]]:
    """(id, caption text) of each figure with an id, in reading order."""
    out = []
    for figure in chapter.body.root.iter("figure"):
        caption = figure.find("figcaption")
        if figure.get("id") and caption is not None:
            out.append((figure.get("id"), " ".join("".join(caption.itertext()).split())))
    return out


IMAGE_PARAGRAPH = "mb-image"  # the class both layouts' stylesheets set apart


def mark_image_paragraphs(root: etree._Element) -> None:
    """A paragraph holding one image and no text (Pandoc's reading of an image with an
    empty caption: no figure) is displayed as a figure without a caption: centred, with
    space around, not indented. CSS cannot select a paragraph by its only child."""
    for p in root.iter("p"):
        if (len(p) == 1 and p[0].tag == "img" and not (p.text or "").strip()
                and not (p[0].tail or "").strip()):
            p.set("class", " ".join(filter(None, [p.get("class"), IMAGE_PARAGRAPH])))


BLEED = "bleed"  # the manuscript's class: ![caption](photo.jpg){.bleed}
BLEED_PRINT = "mb-bleed"  # the print class of a figure set to the trimmed edge


def bleeding(root: etree._Element) -> list[etree._Element]:
    """Figures, and images alone in a paragraph, marked to bleed (the class on the figure
    as Pandoc puts an implicit figure's attributes, or on the image)."""
    out: dict[etree._Element, None] = {}
    for el in root.iter("figure", "img"):
        if BLEED in (el.get("class") or "").split():
            out[el if el.tag == "figure" or el.getparent() is None else el.getparent()] = None
    return list(out)


def book_bleeds(book) -> bool:
    """Does anything in the book bleed? What ``print.bleed: auto`` decides by."""
    return any(bleeding(chapter.body.root) for chapter in book.chapters)
