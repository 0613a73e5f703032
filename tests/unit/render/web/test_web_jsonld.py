"""The book page's schema.org Book (render/web/jsonld.py)."""

from __future__ import annotations

import json
from pathlib import Path

from make_book.config.metadata import BookMetadata
from make_book.model import Book
from make_book.render.web.jsonld import book_jsonld, read_jsonld, script_text


def book(**meta) -> Book:
    data = {"title": "A Book", "lang": "de-AT", **meta}
    return Book(root=Path("/b"), slug="b", meta=BookMetadata.model_validate(data), items=(),
                identifier="urn:isbn:9781739000035")


def test_the_metadata_a_catalogue_reads():
    data = book_jsonld(book(author=["Ann Ash", "Bo Birch"], publisher="P & Sons",
                            date="2024-05-01", isbn={"epub": "978-1-7390000-3-5"}))
    assert data["@type"] == "Book" and data["name"] == "A Book"
    assert data["author"] == [{"@type": "Person", "name": "Ann Ash"},
                              {"@type": "Person", "name": "Bo Birch"}]
    assert data["inLanguage"] == "de-AT"
    assert data["isbn"] == "9781739000035"
    assert data["publisher"] == {"@type": "Organization", "name": "P & Sons"}
    assert data["datePublished"] == "2024-05-01"


def test_nothing_is_invented():
    data = book_jsonld(book())
    assert set(data) == {"@context", "@type", "name", "inLanguage", "identifier"}


def test_script_text_cannot_end_its_element_and_reads_back():
    data = {"name": "</script><b>&"}
    text = script_text(data)
    assert "<" not in text and ">" not in text and "&" not in text
    page = f'<script type="application/ld+json">{text}</script>'
    assert read_jsonld(page) == data
    assert json.loads(text) == data
