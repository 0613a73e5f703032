"""The marks whose pages the print layout must find for the printed index (its section's
id and title are :mod:`make_book.transforms.index_view`'s).

The index is a piece of the book laid out on its own (see :mod:`render.print.renderer`),
last, with the page of every mark read from the pieces before it
(:class:`~make_book.transforms.folios.PageMap`); its locators are print's step
(:mod:`make_book.transforms.index_locators`).
"""

from __future__ import annotations

from make_book.model import Book, Locator


def all_locators(book: Book) -> list[tuple[str, Locator]]:
    """(term, locator) of every mark of every index."""
    out = []

    def walk(entries):
        for e in entries:
            out.extend((e.term, loc) for loc in e.locators)
            walk(e.subentries)
    for index in book.indexes:
        for group in index.groups:
            walk(group.entries)
    return out


def missing_anchors(book: Book, pages: dict[str, int]) -> list[tuple[str, Locator]]:
    """(term, locator) of marks whose anchor is on no page."""
    return [(term, loc) for term, loc in all_locators(book)
            if loc.anchor not in pages or (loc.end_anchor and loc.end_anchor not in pages)]
