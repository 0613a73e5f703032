"""Figures of a chapter as the lists of illustrations need them (EPUB loi nav, print LOI),
and whether a book has figures that bleed (the marks themselves: transforms/figure_marks.py)."""

from __future__ import annotations

from make_book.model import Chapter
from make_book.transforms.figure_marks import bleeding


def chapter_figures(chapter: Chapter) -> list[tuple[str, str]]:
    """(id, caption text) of each figure with an id, in reading order."""
    out = []
    for figure in chapter.body.root.iter("figure"):
        caption = figure.find("figcaption")
        if figure.get("id") and caption is not None:
            out.append((figure.get("id"), " ".join("".join(caption.itertext()).split())))
    return out


def book_bleeds(book) -> bool:
    """Does anything in the book bleed? What ``print.bleed: auto`` decides by."""
    return any(bleeding(chapter.body.root) for chapter in book.chapters)
