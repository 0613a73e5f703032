"""Figure and table numbers, per chapter ("Figure 2.1"), when the book asks for them.

Computed by the pipeline, not by CSS counters, so the EPUB, the print edition (even rendered
in pieces) and every ``{.ref}`` to a figure show the same number. A table's caption is
Pandoc's: a paragraph right after the table starting ``Table:`` or ``:``.
"""

from __future__ import annotations

from lxml import etree

from make_book.errors import Diagnostics
from make_book.layouts import load_layout
from make_book.model import Book, Chapter
from make_book.xhtml import Body

CAPTION_PREFIXES = ("Table: ", ": ")


def _table_captions(root: etree._Element) -> bool:
    changed = False
    for table in root.iter("table"):
        after = table.getnext()
        if after is None or after.tag != "p":
            continue
        text = after.text or ""
        prefix = next((p for p in CAPTION_PREFIXES if text.startswith(p)), None)
        if prefix is None:
            continue
        caption = etree.Element("caption")
        caption.text = text[len(prefix):]
        for child in after:
            caption.append(child)
        table.insert(0, caption)
        table.tail = (table.tail or "") + (after.tail or "")
        after.getparent().remove(after)
        changed = True
    return changed


class _Numberer:
    def __init__(self, book: Book, strings: dict[str, str]):
        self.strings = strings
        self.figures = book.meta.number_figures
        self.tables = book.meta.number_tables
        self.unprefixed = {"figure": 0, "table": 0}
        self.numbers: dict[str, tuple[str, str]] = {}  # id -> ("figure", "2.1")

    def number(self, kind: str, chapter: Chapter, counter: dict[str, int]) -> str:
        counter[kind] += 1
        if chapter.label:
            return f"{chapter.label}.{counter[kind]}"
        self.unprefixed[kind] += 1
        return str(self.unprefixed[kind])

    def chapter(self, chapter: Chapter) -> Chapter:
        if not chapter.body.has("table", "figure"):
            return chapter
        root = chapter.body.edit()
        changed = _table_captions(root)
        counter = {"figure": 0, "table": 0}
        for el in root.iter("figure", "table"):
            kind = el.tag
            if not (self.figures if kind == "figure" else self.tables):
                continue
            caption = el.find("figcaption" if kind == "figure" else "caption")
            if kind == "table" and caption is None:
                continue  # an uncaptioned table is layout, not a numbered exhibit
            number = self.number(kind, chapter, counter)
            el.set("data-number", number)
            if el.get("id"):
                self.numbers[el.get("id")] = (kind, number)
            if caption is not None:
                label = etree.Element("span", {"class": "caption-label"})
                label.text = f"{self.strings[kind]} {number}"
                label.tail = ". " + (caption.text or "")
                caption.text = None
                caption.insert(0, label)
            changed = True
        return chapter.evolve(body=Body(root)) if changed else chapter


def number_figures(book: Book, diagnostics: Diagnostics) -> Book:
    if not (book.meta.number_figures or book.meta.number_tables):
        return book
    numberer = _Numberer(book, load_layout(book.root, book.meta.layout).strings(book.meta.lang))
    book = book.map_chapters(numberer.chapter)
    return book.evolve(numbers={**book.numbers, **numberer.numbers})
