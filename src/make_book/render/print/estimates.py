"""Guesses made before the first layout: footnotes sure to be too tall for a page, and
the page count that picks the first gutter. Cheap, and separate from the layout they
spare work for."""

from __future__ import annotations

import math

from make_book.model import Book
from make_book.render.print import geometry as pdf_geometry
from make_book.render.print.geometry import Geometry
from make_book.render.print.pages import NOTE_TALL_SHARE


def surely_too_tall_notes(book: Book, geometry: Geometry) -> frozenset[str]:
    """Footnotes so long that they would be moved anyway: moved before the first layout,
    so that their chapters are not laid out twice. A generous estimate
    (8.5/10.5 pt notes, full lines): borderline notes are left to the check after layout."""
    if (getattr(book.meta, "notes", "footnotes") or "footnotes") != "footnotes":
        return frozenset()
    per_line = geometry.text_width / (0.5 * 8.5)
    limit = NOTE_TALL_SHARE * geometry.text_height * 1.5
    out = set()
    for chapter in book.chapters:
        called = set(chapter.body.root.xpath(".//@data-note"))
        for note in chapter.notes:
            if str(note.number) not in called:
                continue  # never called: not printed
            paragraphs = max(1, sum(1 for _ in note.body.root.iter("p", "pre")))
            chars = len(note.body.text())
            lines = chars / per_line + paragraphs * 0.5
            if lines * 10.5 > limit:
                out.add(note.id)
    return frozenset(out)


def estimate_pages(book: Book, geometry: Geometry) -> int:
    """A rough page count before layout, to pick the first gutter (chars per page of the
    house measure, plus an opening and a blank verso per chapter or part)."""
    chars = 0
    for chapter in book.chapters:
        chars += len(chapter.body.text())
        chars += sum(len(n.body.text()) for n in chapter.notes)
    per_line = geometry.text_width / (0.46 * 10.75)
    lines = geometry.text_height / pdf_geometry.LEADING_PT
    pages = chars / max(per_line * lines, 1)
    openings = len(book.chapters) + len(book.parts)
    return math.ceil(pages + 1.5 * openings + 8)
