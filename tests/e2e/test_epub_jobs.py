"""Chapters are converted in ``--jobs`` processes (issue 15): the EPUB is the same bytes
and the diagnostics the same, in the same order, whatever the number of jobs, cold and
warm."""

from __future__ import annotations

import hashlib

import pytest

from make_book.build import build_book
from tests.conftest import BOOKS


def _epub(book, out, jobs, cache=None):
    result = build_book(BOOKS / book, ["epub"], out, epoch=1714521600, jobs=jobs, cache=cache)
    epub = next(out.glob("*/*.epub"), None)
    return (hashlib.sha256(epub.read_bytes()).hexdigest() if epub else None,
            [d.format() for d in result.diagnostics])


@pytest.mark.parametrize("book", ["apparatus", "block-syntax", "notes-unused"])
def test_same_epub_and_diagnostics_with_one_and_two_jobs(book, tmp_path):
    one = _epub(book, tmp_path / "one", 1)
    assert one[0] is not None, one[1]
    assert _epub(book, tmp_path / "two", 2) == one
    cold = _epub(book, tmp_path / "cold", 2, tmp_path / "cache")
    assert cold == one
    assert _epub(book, tmp_path / "warm", 2, tmp_path / "cache") == one


def test_a_book_with_errors_reports_the_same_with_two_jobs(tmp_path):
    one = _epub("html-unbalanced", tmp_path / "one", 1)
    assert one[1]  # the book's own problems
    assert _epub("html-unbalanced", tmp_path / "two", 2) == one
