"""The linked EPUB index (EPUB Indexes 1.0): each locator links to the marked place.

With the print edition's page map (a build of both formats), locators read as in the
printed index (folios and ranges, Chicago's elision) and each links to the first mark of
its page or range. Without it a locator is labelled by the chapter it points into (its
number, else its short title); entries with several marks in one chapter get one link per
mark.
"""

from __future__ import annotations

from collections.abc import Callable

from make_book.model import Book, BookIndex, IndexEntry, Locator
from make_book.render import page_index as pdf_index
from make_book.render.index_view import index_view


def file_name(index: BookIndex) -> str:
    return f"text/{index.name}.xhtml"


def view(book: Book, index: BookIndex, files: dict[str, str],
         print_pages: pdf_index.PageMap | None = None,
         note_files: dict[str, str] | None = None) -> list[dict]:
    """The index with linked locators; ``files`` maps file_id -> file name inside text/,
    ``note_files`` file_id -> the back-matter file holding that chapter's notes
    (``epub-notes: book``)."""
    href = locator_href(book, files, note_files or {})
    if print_pages is not None:
        return index_view(index, lambda entry: printed_locators(entry, href, print_pages))
    chapter_label = {c.file_id: (c.label or c.running_title) for c in book.chapters}
    return index_view(index, lambda entry: [
        {"href": href(loc), "label": chapter_label[loc.file_id]} for loc in entry.locators])


def locator_href(book: Book, files: dict[str, str],
                 note_files: dict[str, str]) -> Callable[[Locator], str]:
    """Where a mark is in the EPUB: its chapter's file, or, for a mark inside a note whose
    chapter sends its notes to the back matter, that notes file (the mark keeps its id
    there)."""
    def href(loc: Locator) -> str:
        in_note = loc.anchor in book.in_notes
        where = note_files.get(loc.file_id) if in_note else None
        return f"{where or files[loc.file_id]}#{loc.anchor}"
    return href


def printed_locators(entry: IndexEntry, href: Callable[[Locator], str],
                     pages: pdf_index.PageMap) -> list[dict]:
    """The printed index's locators, each linked to the first mark on its first page."""
    out = []
    for first, last in pdf_index.spans(entry.locators, pages.pages, pages.body_start):
        loc = next(loc for loc in entry.locators if pages.pages.get(loc.anchor) == first)
        out.append({"href": href(loc),
                    "label": pdf_index.page_range(first, last, pages.body_start)})
    return out
