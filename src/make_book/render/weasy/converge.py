"""A repair's layout stopped where it rejoins the layout before it (issue 15).

A chapter's repair (a footnote split, a paragraph moved to the next page, a figure set
later) changes its HTML in one place and is laid out again from the last fresh page
before that place (:func:`make_book.render.print.pages.restart_point`), until the
chapter's end. A few pages after the fix, the text usually falls on the pages as it did
before: from there on the new layout can only repeat the old one. So while
:func:`stopping` is active, WeasyPrint notes on every page box it lays out the state the
next page starts from (:class:`PageEnd`), and stops laying out as soon as that state is
one an earlier layout's page ended with (the caller decides which, ``stop``): the old
pages after it are taken instead (renumbered when the chapter's length changed before
them, :func:`make_book.render.weasy.folios.renumbered`).

Two page ends are the same state when the next page starts at the same place of the same
top-level block (``data-mb-block``; the caller checks that the block and all after it
are the same markup in both documents) with nothing carried over: no footnote deferred, no
box broken out of the flow, no hyphenated line ending the page (the ladder's count of
:mod:`.hyphens` starts again), the same counters (but the page's), quotes, page groups,
page break and page side. A page that ends any other way is noted as no state (None):
the layout goes on past it. Named strings (running heads) are not compared: WeasyPrint
collects them only once every page is laid out, and a repair never changes them (the
blocks before the place are the same blocks; a running head cut to fit lays the chapter
out again without rejoining anything).

``make_all_pages`` is looked up in ``weasyprint.layout`` when ``layout_document`` runs, so
the wrapper holds only inside the ``with`` block.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import weasyprint.layout as wp_layout
from weasyprint.formatting_structure import boxes as wp_boxes
from weasyprint.layout import LayoutContext
from weasyprint.layout import page as wp_page

from make_book.render.print.html import BLOCK_ATTR  # the print body's top-level blocks
from make_book.render.weasy.hyphens import ends_hyphenated
from make_book.render.weasy.reliance import Reliance, reads, takes

END = "_make_book_end"  # the attribute on a page box: its PageEnd, or None
UNCOUNTED = ("page", "pages")  # counters a renumbering moves, not the text


@dataclass(frozen=True)
class PageEnd:
    """Where the next page's text starts and what it starts with (see the module)."""

    mark: str  # the top-level block it starts in
    within: tuple | None  # where in that block (WeasyPrint's skip stack), None: its start
    right: bool  # whether the next page is a right-hand one
    next_page: tuple  # its break and page name
    counters: tuple  # counter values but the page's
    quotes: tuple
    groups: tuple  # the page groups (names) it is in


def _freeze(stack) -> tuple | None:
    if stack is None:
        return None
    return tuple(sorted((k, _freeze(v)) for k, v in stack.items()))


def _start_block(root_box, resume_at) -> tuple[str, tuple | None] | None:
    """The marked top-level block ``resume_at`` points into, and where in it."""
    box, stack = root_box, resume_at
    while stack is not None and len(stack) == 1:
        (index, inner), = stack.items()
        children = getattr(box, "children", None)
        if children is None or index >= len(children):
            return None
        box = children[index]
        element = getattr(box, "element", None)
        mark = element.get(BLOCK_ATTR) if element is not None and hasattr(element, "get") else None
        if mark is not None and getattr(box, "element_tag", "").find("::") < 0:
            return mark, _freeze(inner)
        stack = inner
    return None


def _last_line(page_box):
    """The last line box laid out in the page's flow (its first child is the root
    element's box; the footnote area and other page areas follow it)."""
    if not page_box.children:
        return None
    box = page_box.children[0]
    while True:
        if isinstance(box, wp_boxes.LineBox):
            return box
        children = [c for c in getattr(box, "children", ()) if c.is_in_normal_flow()]
        if not children:
            return None
        box = children[-1]


def page_end(context, root_box, index: int, page_box) -> PageEnd | None:
    """The state page ``index`` (0-based, just laid out) leaves for the next page, or
    None when it carries anything over (see the module)."""
    if (context.reported_footnotes or context.broken_out_of_flow
            or index + 1 >= len(context.page_maker)):
        return None
    resume_at, next_page, right, page_state, _ = context.page_maker[index + 1]
    if resume_at is None:
        return None
    start = _start_block(root_box, resume_at)
    if start is None:
        return None
    if start[1] is not None:  # mid-block: the line before must not be hyphenated
        line = _last_line(page_box)
        if line is None or ends_hyphenated(line):
            return None
    quotes, counters, _scopes, groups = page_state
    return PageEnd(
        start[0], start[1], bool(right),
        tuple(sorted((k, repr(v)) for k, v in next_page.items())),
        tuple(sorted((k, tuple(v)) for k, v in counters.items() if k not in UNCOUNTED)),
        tuple(quotes), tuple(g[0] for g in groups))


@contextmanager
def stopping(stop: Callable[[int, PageEnd | None], bool] | None = None) -> Iterator[None]:
    """Within the block, every page box WeasyPrint lays out keeps its :class:`PageEnd`
    (``END``), and the layout of a document ends after the page ``stop(index, end)``
    accepts (that page is the document's last; ``end`` is None when the page carried
    something over: only a layout that is cut short, not rejoined, stops there)."""
    original = wp_layout.make_all_pages

    def make_all_pages(context, root_box, html, pages):
        for index, page in enumerate(original(context, root_box, html, pages)):
            end = getattr(page, END, False)
            if end is False:  # a page laid out now (not kept from an earlier loop)
                end = page_end(context, root_box, index, page)
                setattr(page, END, end)
            yield page
            if stop is not None and stop(index, end):
                # the pages after it are the earlier layout's, or not wanted (a short
                # layout): this document ends here
                del context.page_maker[index + 2:]
                context.page_maker[index + 1][4]["content_changed"] = False
                context.page_maker[index + 1][4]["pages_wanted"] = False
                context.broken_out_of_flow.clear()
                context.reported_footnotes.clear()
                return

    wp_layout.make_all_pages = make_all_pages
    try:
        yield
    finally:
        wp_layout.make_all_pages = original


def end_of(page) -> PageEnd | None:
    """The :class:`PageEnd` noted on a laid-out page (a WeasyPrint ``Page``), if any."""
    return getattr(page._page_box, END, None)


__all__ = ["END", "PageEnd", "end_of", "page_end", "stopping"]


RELIES_ON = (
    Reliance("weasyprint.layout.layout_document lays out the pages with "
             "`make_all_pages(context, root_box, html, pages)`, looked up in its module",
             lambda: takes(wp_page.make_all_pages, "context", "root_box", "html", "pages")
             and reads(wp_layout.layout_document,
                       "pages = list(make_all_pages(context, root_box, html, pages))")),
    Reliance("remake_page keeps the next page's (resume_at, next_page, right_page, "
             "page_state, remake_state) in `context.page_maker[index + 1]`",
             lambda: reads(wp_page.remake_page,
                           "item = resume_at, next_page, right_page, page_state, remake_state",
                           "page_maker[index + 1] = item")),
    Reliance("LayoutContext keeps deferred footnotes and boxes broken out of the flow",
             lambda: reads(LayoutContext.__init__, "self.reported_footnotes = []",
                           "self.broken_out_of_flow = {}")),
)
