"""A small book for the web edition's unit tests: a chapter, a part of two with an
opening text, a chapter, two indexes."""

from __future__ import annotations

from pathlib import Path

import pytest

from make_book.config.metadata import BookMetadata
from make_book.model import Book, BookIndex, Chapter, Part


def chapter(file_id: str, title: str) -> Chapter:
    return Chapter(source=Path(f"/b/{file_id}.md"), rel=f"{file_id}.md", file_id=file_id,
                   title=title, kind="chapter", lang=None, numbered=True, body="<p>x</p>")


def small_book() -> Book:
    opening = chapter("part-one-text", "Part One")
    items = (chapter("ch-1", "One"),
             Part("part-one", "Part One", (chapter("ch-2", "Two"), chapter("ch-3", "Three")),
                  opening=opening),
             chapter("ch-4", "Four"))
    meta = BookMetadata.model_validate({"title": "A Book", "lang": "en"})
    return Book(root=Path("/b"), slug="b", meta=meta, items=items,
                indexes=(BookIndex("index", None, ()), BookIndex("names", "Names", ())))



@pytest.fixture
def book() -> Book:
    return small_book()
