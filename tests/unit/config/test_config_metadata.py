"""The models on their own: built in memory by other stages and tests, no book folder."""

import pytest
from pydantic import ValidationError

from make_book.config.contents import PartEntry
from make_book.config.fields import bcp47_case
from make_book.config.metadata import BookMetadata, ChapterMeta


def test_python_names_and_defaults():
    meta = BookMetadata(title="T", lang="en-us", short_title="S", author="Ann Smith",
                        print={"toc_depth": 1})
    assert meta.short_title == "S" and meta.lang == "en-US"
    assert meta.author == ("Ann Smith",) and meta.print.toc_depth == 1
    assert meta.contributors[0].file_as == "Smith, Ann"


def test_frozen_and_extra_forbidden():
    meta = BookMetadata(title="T", lang="en")
    with pytest.raises(ValidationError):
        meta.title = "U"
    with pytest.raises(ValidationError):
        BookMetadata(title="T", lang="en", colour="red")


def test_contributors_order_and_single_names():
    meta = BookMetadata(title="T", lang="en", author=["Plato"], editor="Jo Bloggs",
                        translator=["A B"],
                        creator=[{"name": "Ill Ustrator", "role": "ill"},
                                 {"name": "Co Author", "role": "aut", "file-as": "Author, C."},
                                 {"name": "Plato", "role": "aut"}])
    assert [(c.name, c.role, c.file_as) for c in meta.contributors] == [
        ("Plato", "aut", None), ("Co Author", "aut", "Author, C."), ("A B", "trl", "B, A"),
        ("Jo Bloggs", "edt", "Bloggs, Jo"), ("Ill Ustrator", "ill", None)]
    assert [c.name for c in meta.authors] == ["Plato", "Co Author"]


def test_paths_checked_for_shape_without_a_book_folder():
    meta = BookMetadata(title="T", lang="en",
                        contents=["a.md", {"part": "P", "contents": ["b.md"]}])
    assert isinstance(meta.contents[1], PartEntry)
    with pytest.raises(ValidationError) as exc:
        BookMetadata(title="T", lang="en", contents=["../a.md", "a.txt", "c.md", "./c.md"])
    assert [e["type"] for e in exc.value.errors()] == ["M016", "M024", "M018"]


def test_isbn_mapping_cannot_bypass_check():
    with pytest.raises(ValidationError) as exc:
        BookMetadata(title="T", lang="en", isbn={"epub": {"digits": "9780306406158",
                                                          "display": "x"}})
    assert exc.value.errors()[0]["type"] == "M012"


def test_chapter_meta_kind():
    assert ChapterMeta(kind="appendix", numbered=True).kind == "appendix"
    with pytest.raises(ValidationError):
        ChapterMeta(kind="novel")


@pytest.mark.parametrize("tag, cased", [("EN", "en"), ("zh-hant-tw", "zh-Hant-TW"),
                                        ("en-us-x-TWAIN", "en-US-x-twain"),
                                        ("i-klingon", "i-klingon"), ("es-419", "es-419")])
def test_bcp47_case(tag, cased):
    assert bcp47_case(tag) == cased


def test_web_base_url_is_an_http_folder():
    """``web: {base-url}``: the web edition's address, for its sitemap and feed (W001)."""
    from pydantic import ValidationError

    from make_book.config.metadata import BookMetadata
    meta = BookMetadata.model_validate({"title": "T", "lang": "en",
                                        "web": {"base-url": "https://books.example.org/t"}})
    assert meta.web.base_url == "https://books.example.org/t/"
    assert BookMetadata.model_validate({"title": "T", "lang": "en"}).web.base_url is None
    for bad in ("books.example.org/t", "ftp://x.org/", "https://x.org/a b", "https://x.org/?q"):
        with pytest.raises(ValidationError) as caught:
            BookMetadata.model_validate({"title": "T", "lang": "en", "web": {"base-url": bad}})
        assert caught.value.errors()[0]["type"] == "W001"
