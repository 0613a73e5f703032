"""The printed index: locators as real page numbers, read from the laid-out book.

Shared by the print interior and the editions that quote its pages (the EPUB's and the
web edition's index locators and page list), so it sits beside both renderers.

The index is a piece of the book laid out on its own (see :mod:`render.print.renderer`), last, with
the page of every mark read from the pieces before it (:class:`PageMap`); the whole-book
document (the renderer's plan, the benchmark's bare HTML) carries placeholders, one
``000`` per locator.

Locators (Chicago Manual of Style, 17th ed., 15.12-15.15 and 9.64):

- one number per page, however many marks fall on it;
- consecutive pages and passages (a mark with an end anchor) are merged into ranges,
  with an en dash and Chicago's elision of the second number: 3-10, 100-104, 101-8,
  321-28, 498-532, 1087-89, 1496-500, 11564-615, 12991-13001;
- pages before the body (front matter) print in lower-case roman, never elided.
"""

from __future__ import annotations

from dataclasses import dataclass

from make_book.model import Book, BookIndex, Locator
from make_book.numerals import roman as upper_roman
from make_book.render.index_view import index_view

EN_DASH = "\u2013"
PLACEHOLDER = "000"


@dataclass(frozen=True)
class PageMap:
    """Where each anchor landed: its page index, and the index of arabic 1."""

    pages: dict[str, int]
    body_start: int | None

    def folio_of(self, anchor: str) -> str:
        """The printed folio of an anchor's page; a placeholder of the same width as a
        page number while the anchor's page is not known yet."""
        page = self.pages.get(anchor)
        return PLACEHOLDER if page is None else folio(page, self.body_start)


def roman(n: int) -> str:
    """Front-matter folios: lower-case roman numerals."""
    return upper_roman(n).lower()


def folio(page: int, body_start: int | None) -> str:
    """The printed folio of a page index (as in the PDF's /PageLabels)."""
    if body_start is None:
        return roman(page + 1)
    if page < body_start:
        return roman(page + 1)
    return str(page - body_start + 1)


def elide(first: int, last: int) -> str:
    """The second number of an arabic range, abbreviated as Chicago 9.64 does."""
    a, b = str(first), str(last)
    if first < 100 or first % 100 == 0 or len(a) != len(b):
        return b
    differ = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), len(b) - 1)
    changed = b[differ:]
    if first % 100 >= 10:  # 110-199 in each hundred: at least two digits
        changed = b[max(0, min(differ, len(b) - 2)):]
    return changed


def page_range(first: int, last: int, body_start: int | None) -> str:
    start, end = folio(first, body_start), folio(last, body_start)
    if first == last:
        return start
    if body_start is not None and first >= body_start:
        return f"{start}{EN_DASH}{elide(int(start), int(end))}"
    return f"{start}{EN_DASH}{end}"


def spans(locators: tuple[Locator, ...], pages: dict[str, int],
          body_start: int | None) -> list[tuple[int, int]]:
    """The page spans of an entry's locators: sorted, overlapping and consecutive pages
    merged (never across the front-matter/body boundary, whose folios differ in kind)."""
    raw = []
    for loc in locators:
        start = pages.get(loc.anchor)
        if start is None:
            continue
        end = pages.get(loc.end_anchor, start) if loc.end_anchor else start
        raw.append((start, max(start, end)))
    raw.sort()
    merged: list[list[int]] = []
    for start, end in raw:
        if merged and start <= merged[-1][1] + 1 and not (
                body_start is not None and start == body_start and merged[-1][1] < start):
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(s, e) for s, e in merged]


def locator_text(locators: tuple[Locator, ...], page_map: PageMap | None) -> list[str]:
    if page_map is None:
        return [PLACEHOLDER for _ in locators]
    return [page_range(s, e, page_map.body_start)
            for s, e in spans(locators, page_map.pages, page_map.body_start)]


def all_locators(book: Book) -> list[tuple[str, Locator]]:
    """(term, locator) of every mark of every index."""
    out = []

    def walk(entries):
        for e in entries:
            out.extend((e.term, loc) for loc in e.locators)
            walk(e.subentries)
    for index in book.indexes:
        for group in index.groups:
            walk(group.entries)
    return out


def missing_anchors(book: Book, pages: dict[str, int]) -> list[tuple[str, Locator]]:
    """(term, locator) of marks whose anchor is on no page."""
    return [(term, loc) for term, loc in all_locators(book)
            if loc.anchor not in pages or (loc.end_anchor and loc.end_anchor not in pages)]


def section_id(index: BookIndex) -> str:
    return f"mb-index-{index.name}"


def title(index: BookIndex, strings: dict[str, str]) -> str:
    return index.title or strings.get("index", "Index")


def view(index: BookIndex, page_map: PageMap | None) -> list[dict]:
    """The index with printed locators (folios, ranges) for the print template."""
    return index_view(index, lambda entry: locator_text(entry.locators, page_map))
