"""Implicit heading references to a later chapter: ``[Heading text]`` in chapter 2 names a
heading of chapter 5, which was not parsed when chapter 2 was. The chapters left such
references as placeholders (:mod:`make_book.markup.heading_refs`); here they become
links to the first heading of the book with that text, or text again when none has it.
"""

from __future__ import annotations

from dataclasses import replace

from make_book.errors import Diagnostics
from make_book.markup import heading_refs
from make_book.model import Book, Chapter
from make_book.xhtml import Body, parse_fragment, serialize_fragment


def _pending(fragment: str | None) -> bool:
    return bool(fragment) and heading_refs.KEY_ATTR in fragment


def _resolved(fragment: str, headings: dict[str, str]) -> str:
    root = parse_fragment(fragment)
    heading_refs.resolve(root, headings, final=True)
    return serialize_fragment(root)


def resolve(book: Book, diagnostics: Diagnostics) -> Book:
    headings: dict[str, str] = {}  # key -> id of the first heading with it, in the book
    for chapter in book.chapters:
        for heading in chapter.headings:
            if heading.key:
                headings.setdefault(heading.key, heading.id)

    def chapter(c: Chapter) -> Chapter:
        changes = {}
        if c.body.find_attr(heading_refs.KEY_ATTR):
            root = c.body.edit()
            heading_refs.resolve(root, headings, final=True)
            changes["body"] = Body(root)
        if _pending(c.title_html):
            changes["title_html"] = _resolved(c.title_html, headings)
        if any(_pending(n.html) for n in c.notes):
            changes["notes"] = tuple(replace(n, html=_resolved(n.html, headings))
                                     if _pending(n.html) else n for n in c.notes)
        return c.evolve(**changes) if changes else c

    return book.map_chapters(chapter)
