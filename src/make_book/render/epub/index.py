"""The linked EPUB index (EPUB Indexes 1.0): each locator links to the marked place.

With the print edition's page map (a build of both formats), locators read as in the
printed index (folios and ranges, Chicago's elision) and each links to the first mark of
its page or range. Without it a locator is labelled by the chapter it points into (its
number, else its short title); entries with several marks in one chapter get one link per
mark.
"""

from __future__ import annotations

from make_book.model import Book, BookIndex, IndexEntry
from make_book.render import page_index as pdf_index
from make_book.render.index_view import index_view


def file_name(index: BookIndex) -> str:
    return f"text/{index.name}.xhtml"


def view(book: Book, index: BookIndex, files: dict[str, str],
         print_pages: pdf_index.PageMap | None = None) -> list[dict]:
    """The index with linked locators; ``files`` maps file_id -> file name inside text/."""
    if print_pages is not None:
        return index_view(index, lambda entry: printed_locators(entry, files, print_pages))
    chapter_label = {c.file_id: (c.label or c.running_title) for c in book.chapters}
    return index_view(index, lambda entry: [
        {"href": f"{files[loc.file_id]}#{loc.anchor}", "label": chapter_label[loc.file_id]}
        for loc in entry.locators])


def printed_locators(entry: IndexEntry, files: dict[str, str],
                     pages: pdf_index.PageMap) -> list[dict]:
    """The printed index's locators, each linked to the first mark on its first page."""
    out = []
    for first, last in pdf_index.spans(entry.locators, pages.pages, pages.body_start):
        loc = next(loc for loc in entry.locators if pages.pages.get(loc.anchor) == first)
        out.append({"href": f"{files[loc.file_id]}#{loc.anchor}",
                    "label": pdf_index.page_range(first, last, pages.body_start)})
    return out
