"""Which of the editions (:mod:`make_book.editions`) a book asks for that this make-book
renders: ``make-book build`` without ``--format`` and ``make-book release`` build these.

Whether this make-book can render a name is what :data:`make_book.build.Format` lists: a
name the registry knows but the build does not render is reported (D001) rather than
silently skipped.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import get_args

from make_book.build import Format
from make_book.config.load import read_book_metadata
from make_book.editions import DEFAULT_FORMATS, EDITIONS, Edition, known, sold_formats
from make_book.errors import Diagnostic, warning

__all__ = ["DEFAULT_FORMATS", "EDITIONS", "Edition", "known", "sold_formats", "buildable",
           "BookFormats", "book_formats", "NOT_RENDERED"]


def buildable() -> tuple[str, ...]:
    """The names this make-book's build renders (``make_book.build.Format``)."""
    return tuple(get_args(Format))


NOT_RENDERED = "D001"  # a name of formats: that this make-book does not render


@dataclass(frozen=True)
class BookFormats:
    """What a book's ``formats:`` asks for, split into what can be built here and what
    cannot (a renderer this make-book lacks), the latter as diagnostics to report."""

    build: list[str]
    missing: list[Diagnostic]


def book_formats(root: Path) -> BookFormats:
    """The book's ``formats:``; without it epub and pdf, and the screen PDF too when
    book.yaml gives ``isbn.pdf`` (a PDF e-book the house sells is a PDF it makes). book.yaml
    is read leniently: when it has errors, the valid part is used and the build reports the
    errors itself."""
    read = read_book_metadata(root)
    meta = read.meta
    asked = list(meta.formats) if meta is not None else list(DEFAULT_FORMATS)
    if (meta is not None and "formats" not in meta.model_fields_set and meta.isbn is not None
            and meta.isbn.pdf is not None and "screen" not in asked):
        asked.append("screen")
    can = buildable()
    missing = [warning(NOT_RENDERED, f"formats: {name} ({EDITIONS[name].what}) is not "
                       "rendered by this make-book; it is left out", root / "book.yaml",
                       hint="update make-book, or remove it from formats:")
               for name in asked if name in EDITIONS and name not in can]
    return BookFormats([name for name in asked if name in can], missing)
