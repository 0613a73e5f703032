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
from make_book.xhtml import Body


def _resolved(body: Body | None, headings: dict[str, str]) -> Body | None:
    """``body`` with its placeholders resolved, or ``body`` itself when it has none."""
    if body is None or not body.find_attr(heading_refs.KEY_ATTR):
        return body
    root = body.edit()
    heading_refs.resolve(root, headings, final=True)
    return Body(root)


def resolve(book: Book, diagnostics: Diagnostics) -> Book:
    headings: dict[str, str] = {}  # key -> id of the first heading with it, in the book
    for chapter in book.chapters:
        for heading in chapter.headings:
            if heading.key:
                headings.setdefault(heading.key, heading.id)

    def chapter(c: Chapter) -> Chapter:
        changes = {}
        if (body := _resolved(c.body, headings)) is not c.body:
            changes["body"] = body
        if (title := _resolved(c.title_markup, headings)) is not c.title_markup:
            changes["title_markup"] = title
        notes = tuple(n if (b := _resolved(n.body, headings)) is n.body else replace(n, body=b)
                      for n in c.notes)
        if any(new is not old for new, old in zip(notes, c.notes)):
            changes["notes"] = notes
        return c.evolve(**changes) if changes else c

    return book.map_chapters(chapter)
