"""The linked EPUB index (EPUB Indexes 1.0): each locator links to the marked place.

Without print page numbers a locator is labelled by the chapter it points into (its number,
else its short title); entries with several marks in one chapter get one link per mark.
"""

from __future__ import annotations

from make_book.model import Book, BookIndex
from make_book.render.index_view import index_view


def file_name(index: BookIndex) -> str:
    return f"text/{index.name}.xhtml"


def view(book: Book, index: BookIndex, files: dict[str, str]) -> list[dict]:
    """The index with linked locators; ``files`` maps file_id -> file name inside text/."""
    chapter_label = {c.file_id: (c.label or c.running_title) for c in book.chapters}
    return index_view(index, lambda entry: [
        {"href": f"{files[loc.file_id]}#{loc.anchor}", "label": chapter_label[loc.file_id]}
        for loc in entry.locators])
