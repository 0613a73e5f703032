"""Chapter, appendix and part numbers: computed once here, so the EPUB and the print edition
(and a print edition rendered in pieces) always agree; templates only display them."""

from __future__ import annotations

import string

from make_book.errors import Diagnostics
from make_book.manuscript.kinds import carries_number, kind_of_title
from make_book.model import Book, Chapter, Part
from make_book.numerals import roman


def _letters(n: int) -> str:
    """1 -> A, 26 -> Z, 27 -> AA: appendixes are lettered."""
    out = ""
    while n:
        n, rem = divmod(n - 1, 26)
        out = string.ascii_uppercase[rem] + out
    return out


def number_chapters(book: Book, diagnostics: Diagnostics) -> Book:
    counters = {"chapter": 0, "appendix": 0}

    def number(chapter: Chapter) -> Chapter:
        if not chapter.numbered:
            return chapter
        series = "appendix" if chapter.kind == "appendix" else "chapter"
        counters[series] += 1
        n = counters[series]
        return chapter.evolve(number=n, label=_letters(n) if series == "appendix" else str(n))

    book = book.map_chapters(number)
    numbers = dict(book.numbers)
    part_no = 0

    def number_part(part: Part) -> Part:
        """Parts of the book are "Part I, II..." unless their titles say their number or
        what they are ("Part One", "Book III: ...", "Epilogue"); parts inside parts are
        named by their titles alone (a "Book" inside a "Part" is no "Part")."""
        nonlocal part_no
        items = tuple(number_part(i) if isinstance(i, Part) else i for i in part.items)
        part = part.evolve(items=items)
        if part.depth != 1 or carries_number(part.title) or kind_of_title(
                part.title, book.meta.lang):
            return part
        part_no += 1
        numbers[part.id] = ("part", roman(part_no))
        return part.evolve(number=part_no, label=roman(part_no))

    items = tuple(number_part(i) if isinstance(i, Part) else i for i in book.items)
    for chapter in book.chapters:
        if chapter.label:
            kind = "appendix" if chapter.kind == "appendix" else "chapter"
            numbers[chapter.headings[0].id] = (kind, chapter.label)
    return book.evolve(items=items, numbers=numbers)
