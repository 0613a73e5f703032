"""Whether a book has figures that bleed (the marks themselves: transforms/figure_marks.py;
the figures the lists of illustrations show: transforms/contents_view.py)."""

from __future__ import annotations

from make_book.transforms.figure_marks import bleeding


def book_bleeds(book) -> bool:
    """Does anything in the book bleed? What ``print.bleed: auto`` decides by."""
    return any(bleeding(chapter.body.root) for chapter in book.chapters)
