"""A chapter's fragments in EPUB markup: a copy of each tree through the EPUB's steps
(:func:`make_book.transforms.for_format`), then serialised. What the steps need (file
names, where the notes are, the print pages) and count (note calls, markers placed) is the
chapter's :class:`EpubContext`."""

from __future__ import annotations

from make_book import transforms
from make_book.model import Book, Chapter, Note
from make_book.render.serialise import serialise
from make_book.transforms.format_context import EpubContext
from make_book.xhtml import Body


def converter(book: Book, chapter: Chapter, files: dict[str, str], strings: dict[str, str],
              notes_file: str | None = None, note_files: dict[str, str] | None = None,
              breaks: dict[int, list[tuple[str, str | None]]] | None = None) -> EpubContext:
    return EpubContext(book, chapter, files, strings, notes_file, note_files or {},
                       breaks=breaks)


def convert(ctx: EpubContext, fragment: Body, kind: str = "body") -> str:
    """A copy of ``fragment`` (a chapter's body, ``kind`` "body", or a title's markup,
    "title") in EPUB markup."""
    return serialise(transforms.for_format(kind, "epub", ctx, fragment.epub_root()), "epub")


def note(ctx: EpubContext, note: Note) -> str:
    """A note's text with a back link (its number) leading its first paragraph."""
    ctx.note = note
    return serialise(transforms.for_format("note", "epub", ctx, note.body.epub_root()),
                     "epub")
