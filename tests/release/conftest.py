"""Shared pieces of the release tests: an in-memory book, its folder and the default layout."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from make_book.config.metadata import BookMetadata
from make_book.layouts import load_layout

SOURCE_DATE = datetime(2024, 10, 1, 12, 0, tzinfo=UTC)
PAPERBACK = "978-1-7390000-1-1"
EPUB = "978-1-7390000-0-4"
HARDCOVER = "978-0-306-40615-7"


def make_meta(**changes) -> BookMetadata:
    data = {
        "title": "Letters from the Volga", "subtitle": "A Factory Town in the 1920s",
        "creator": [{"name": "Anna Petrovna Vetrova", "role": "aut",
                     "file-as": "Vetrova, Anna Petrovna"}],
        "translator": "Thomas Ashdown", "editor": "Helen Marsh", "lang": "en-GB",
        "date": "2024-09-12", "publisher": "Northfield Press", "place": "Northfield",
        "description": "In 1922 a young schoolteacher took a post at the factory school of a "
                       "cotton mill on the Volga.\n\nHer letters are translated here for the "
                       "first time.",
        "isbn": {"epub": EPUB, "paperback": PAPERBACK},
        "series": {"title": "Voices of the Twenties", "number": 2},
        "print": {"trim": "6in 9in", "bleed": "0.125in"},
    }
    data.update(changes)
    return BookMetadata.model_validate(data)


@pytest.fixture
def book_root(tmp_path):
    """An (empty) book folder: covers read only the layout and the book's own files."""
    root = tmp_path / "manuscript" / "a-book"
    root.mkdir(parents=True)
    (root / "book.yaml").write_text("title: A Book\nlang: en\n", encoding="utf-8")
    return root


@pytest.fixture
def layout(book_root):
    return load_layout(book_root, "default")
