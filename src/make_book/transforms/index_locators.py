"""Index locators, each format's step on an index's template data (fragment "index", see
:mod:`.index_view`): what differs between the EPUB's index and the printed one is which of
these two runs, not a branch in a renderer.

- print: real page numbers read from the laid-out book (:class:`~.folios.PageMap`),
  one ``000`` per mark while the pages are not known yet.
- EPUB (and the web edition, which uses the EPUB's): each locator links to the marked
  place. With the print edition's page map (a build of both formats) locators read as in
  the printed index and each links to the first mark of its page or range; without it a
  locator is labelled by the chapter it points into (its number, else its short title),
  one link per mark.

Printed locators (Chicago Manual of Style, 17th ed., 15.12-15.15 and 9.64):

- one number per page, however many marks fall on it;
- consecutive pages and passages (a mark with an end anchor) are merged into ranges,
  with an en dash and Chicago's elision of the second number: 3-10, 100-104, 101-8,
  321-28, 498-532, 1087-89, 1496-500, 11564-615, 12991-13001;
- pages before the body (front matter) print in lower-case roman, never elided.
"""

from __future__ import annotations

from make_book.model import Locator
from make_book.transforms.epub_steps import place
from make_book.transforms.folios import PLACEHOLDER, PageMap, folio
from make_book.transforms.format_context import IndexContext
from make_book.transforms.index_view import entries

EN_DASH = "\u2013"


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
    """An entry's printed locators: folios and ranges, or a placeholder per mark."""
    if page_map is None:
        return [PLACEHOLDER for _ in locators]
    return [page_range(s, e, page_map.body_start)
            for s, e in spans(locators, page_map.pages, page_map.body_start)]


def locator_href(ctx: IndexContext, loc: Locator) -> str:
    """Where a mark is in the EPUB: its chapter's file, or, for a mark inside a note whose
    chapter sends its notes to the back matter, that notes file (the mark keeps its id
    there)."""
    anchor, _, notes_file = place(ctx.book, ctx.note_files, loc.anchor, to_note=False)
    return f"{notes_file or ctx.files[loc.file_id]}#{anchor}"


def printed_links(locators: tuple[Locator, ...], ctx: IndexContext) -> list[dict]:
    """The printed index's locators, each linked to the first mark on its first page."""
    pages = ctx.page_map
    out = []
    for first, last in spans(locators, pages.pages, pages.body_start):
        loc = next(loc for loc in locators if pages.pages.get(loc.anchor) == first)
        out.append({"href": locator_href(ctx, loc),
                    "label": page_range(first, last, pages.body_start)})
    return out


def printed(view: list[dict], ctx: IndexContext) -> None:
    """Print: each entry's locators as the folios of its marks' pages."""
    for entry in entries(view):
        entry["locators"] = locator_text(entry["locators"], ctx.page_map)


def linked(view: list[dict], ctx: IndexContext) -> None:
    """EPUB: each entry's locators as links to its marks, labelled by the print pages when
    the build has them, else by the marks' chapters."""
    if ctx.page_map is not None:
        for entry in entries(view):
            entry["locators"] = printed_links(entry["locators"], ctx)
        return
    chapter_label = {c.file_id: (c.label or c.running_title) for c in ctx.book.chapters}
    for entry in entries(view):
        entry["locators"] = [{"href": locator_href(ctx, loc),
                              "label": chapter_label[loc.file_id]}
                             for loc in entry["locators"]]
