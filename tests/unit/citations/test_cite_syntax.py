"""Pandoc's citation syntax read into items: prefix, key, locator (Pandoc's terms), suffix,
suppressed author and author in the text."""

from __future__ import annotations

import pytest

from make_book.citations.syntax import CiteItem, parse


@pytest.mark.parametrize("text, items", [
    ("[@smith, p. 33]", [CiteItem("smith", label="page", locator="33")]),
    ("[@smith, 33]", [CiteItem("smith", label="page", locator="33")]),
    ("[@smith, xiv]", [CiteItem("smith", label="page", locator="xiv")]),
    ("[-@smith, p. 9]", [CiteItem("smith", label="page", locator="9", suppress_author=True)]),
    ("[see @doe, pp. 33-35, 38 and *passim*; @kay]",
     [CiteItem("doe", "see", "and *passim*", "page", "33-35, 38"), CiteItem("kay")]),
    ("[@kay, chap. 2, for more]", [CiteItem("kay", "", ", for more", "chapter", "2")]),
    ("[@kay, sec. 3]", [CiteItem("kay", label="section", locator="3")]),
    ("[@kay, vols. 2-3]", [CiteItem("kay", label="volume", locator="2-3")]),
    ("[@kay, § 4]", [CiteItem("kay", label="section", locator="4")]),
    ("[@kay, s.v. bridge]", [CiteItem("kay", suffix=", s.v. bridge")]),  # no number: a suffix
    ("[@kay, ch. 2]", [CiteItem("kay", suffix=", ch. 2")]),  # not one of Pandoc's terms
    ("[@smith{ii, A, D-Z}, with a suffix]",
     [CiteItem("smith", suffix=", with a suffix", label="page", locator="ii, A, D-Z")]),
    ("[@doe and others]", [CiteItem("doe", suffix="and others")]),
    ("[@{odd key!}, p. 2]", [CiteItem("odd key!", label="page", locator="2")]),
])
def test_bracketed_citations(text, items):
    citation = parse(text)
    assert list(citation.items) == items
    assert not citation.in_text and citation.source == text


@pytest.mark.parametrize("text, item", [
    ("@smith", CiteItem("smith", author_in_text=True)),
    ("@smith [p. 33]", CiteItem("smith", label="page", locator="33", author_in_text=True)),
    ("@smith [33]", CiteItem("smith", label="page", locator="33", author_in_text=True)),
    ("@smith [chap. 3, and later]",
     CiteItem("smith", suffix=", and later", label="chapter", locator="3",
              author_in_text=True)),
    ("@smith [and elsewhere]", CiteItem("smith", suffix="and elsewhere", author_in_text=True)),
])
def test_in_text_citations(text, item):
    citation = parse(text)
    assert citation.items == (item,) and citation.in_text


def test_text_without_a_key_is_no_citation():
    assert parse("[no key here]") is None
    assert parse("plain") is None
