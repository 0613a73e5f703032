"""The book-wide id map: which chapter file defines each id, so links resolve across files."""

from __future__ import annotations

from make_book.errors import Diagnostics
from make_book.model import Book, Chapter
from make_book.transforms.source_lines import line_in


def labels_of(chapter: Chapter) -> dict[str, str]:
    labels = {h.id: h.text for h in chapter.headings}
    for figure in chapter.body.root.iter("figure"):
        caption = figure.find("figcaption")
        if figure.get("id") and caption is not None:
            labels[figure.get("id")] = " ".join("".join(caption.itertext()).split())
    return labels


def collect(book: Book, diagnostics: Diagnostics) -> Book:
    anchors: dict[str, str] = {}
    labels: dict[str, str] = {}
    owner = {}
    in_notes: dict[str, str] = {}  # ids inside notes (chapter.ids has them too) -> note id
    for part in book.parts:
        anchors[part.id] = part.id
        labels[part.id] = part.title
    for chapter in book.chapters:
        for ident in sorted(chapter.ids):
            if ident in anchors:
                first = owner.get(ident)
                where = f" (first defined in {first.rel})" if first else " (a part's id)"
                heading = next((h for h in first.headings if h.id == ident), None) \
                    if first else None
                hint = (f"the heading '{heading.text}' in {first.rel} has this id (made from "
                        "its text unless written {#" + ident + "}); give one of the two "
                        "another id") if heading else None
                diagnostics.error("C021", f"id '{ident}' is defined twice{where}",
                                  chapter.source, line_in(chapter.source, "#" + ident), hint)
                continue
            anchors[ident] = chapter.file_id
            owner[ident] = chapter
        for note in chapter.notes:
            anchors[note.id] = chapter.file_id
            anchors[note.ref_id] = chapter.file_id
            in_notes[note.id] = note.id
            for el in note.body.root.iter():
                if el.get("id"):
                    in_notes[el.get("id")] = note.id
        labels.update(labels_of(chapter))
    return book.evolve(anchors=anchors, labels=labels, in_notes=in_notes)
