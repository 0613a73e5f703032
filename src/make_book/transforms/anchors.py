"""The book-wide id map: which chapter file defines each id, so links resolve across files."""

from __future__ import annotations

from make_book.errors import Diagnostics
from make_book.model import Book
from make_book.transforms.source_lines import line_in


def collect(book: Book, diagnostics: Diagnostics) -> Book:
    anchors: dict[str, str] = {}
    owner = {}
    for part in book.parts:
        anchors[part.id] = part.id
    for chapter in book.chapters:
        for ident in sorted(chapter.ids):
            if ident in anchors:
                first = owner.get(ident)
                where = f" (first defined in {first.rel})" if first else " (a part's id)"
                diagnostics.error("C021", f"id '{ident}' is defined twice{where}",
                                  chapter.source, line_in(chapter.source, "#" + ident))
                continue
            anchors[ident] = chapter.file_id
            owner[ident] = chapter
        for note in chapter.notes:
            anchors[note.id] = chapter.file_id
            anchors[note.ref_id] = chapter.file_id
    return book.evolve(anchors=anchors)
