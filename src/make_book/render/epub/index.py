"""The linked EPUB index (EPUB Indexes 1.0): its file, and its template data with the
EPUB's locators (:mod:`make_book.transforms.index_locators`), which link each locator to
the marked place. The web edition and the preview use the same data."""

from __future__ import annotations

from make_book import transforms
from make_book.model import Book, BookIndex
from make_book.transforms.folios import PageMap
from make_book.transforms.format_context import IndexContext
from make_book.transforms.index_view import index_view


def file_name(index: BookIndex) -> str:
    return f"text/{index.name}.xhtml"


def view(book: Book, index: BookIndex, files: dict[str, str],
         print_pages: PageMap | None = None,
         note_files: dict[str, str] | None = None) -> list[dict]:
    """The index with linked locators; ``files`` maps file_id -> file name inside text/,
    ``note_files`` file_id -> the back-matter file holding that chapter's notes
    (``epub-notes: book``), ``print_pages`` the print edition's pages, if built."""
    ctx = IndexContext(book, print_pages, files, note_files or {})
    return transforms.for_format("index", "epub", ctx, index_view(index))
