"""Where a chapter's repair layout rejoins the one before it (issue 15).

A repair changes the chapter's HTML in one place and lays the chapter out again from a
page before it (:mod:`.piece_layout`). The old layout's pages after the place where the
two layouts end a page in the same state (:class:`make_book.render.weasy.converge.PageEnd`)
can only come out again the same, provided the text from there on is the same: the
block the next page starts in, and everything after it, must be the same markup in both
documents. :class:`Rejoin` is that test, handed to WeasyPrint's page loop
(:func:`make_book.render.weasy.converge.stopping`), and :meth:`Rejoin.pages` joins the
new pages to the old ones (renumbered when the fix changed the count of pages before them;
only by an even count, so that every page keeps its side).

The output is the same as laying the whole chapter out again: a test builds books both
ways and compares the PDFs' bytes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from make_book.render.weasy import folios as weasy_folios
from make_book.render.print.html import BLOCK_ATTR
from make_book.render.weasy.converge import PageEnd, end_of

_MARK = re.compile(BLOCK_ATTR + r'="([^"]+)"')


def common_suffix(a: str, b: str) -> int:
    """How many characters ``a`` and ``b`` end with in common."""
    lo, hi = 0, min(len(a), len(b))
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if a[len(a) - mid:] == b[len(b) - mid:]:
            lo = mid
        else:
            hi = mid - 1
    return lo


def unchanged_blocks(old_html: str, new_html: str) -> frozenset[str]:
    """The top-level blocks of ``new_html`` that, with everything after them, are the same
    markup in ``old_html`` (the two documents WeasyPrint lays out, compared as laid out)."""
    start = len(new_html) - common_suffix(old_html, new_html)
    return frozenset(m.group(1) for m in _MARK.finditer(new_html, start)
                     if new_html.rfind("<", 0, m.start()) >= start)


@dataclass
class Rejoin:
    """The old layout's pages and what a new layout of the chapter may rejoin them at."""

    old_pages: list  # the chapter's pages as laid out so far
    blocks: frozenset[str]  # blocks unchanged from there on (unchanged_blocks)
    base: int  # the chapter page the new layout's first page is (after its skipped pages)
    skip: int  # leading pages of the new layout that are dropped
    hit: tuple[int, int] | None = field(default=None)  # (new layout page, old chapter page)

    def __post_init__(self):
        self.ends: dict[PageEnd, int] = {}
        for j, page in enumerate(self.old_pages[:-1]):
            end = end_of(page)
            if end is not None and end.mark in self.blocks:
                self.ends.setdefault(end, j)
        self.renumberable = all(weasy_folios.can_renumber(p) for p in self.old_pages)

    def stop(self, index: int, end: PageEnd) -> bool:
        """Whether the new layout's page ``index`` ends as an old page did, with the same
        text after it (then the layout stops there)."""
        if index < self.skip or end.mark not in self.blocks:
            return False
        j = self.ends.get(end)
        if j is None:
            return False
        shift = self._shift(index, j)
        if shift % 2 or (shift and not self.renumberable):
            return False
        self.hit = (index, j)
        return True

    def _shift(self, index: int, j: int) -> int:
        """How many pages the old pages after ``j`` move when the new layout's page
        ``index`` takes old page ``j``'s place."""
        return self.base + index - self.skip - j

    def pages(self, laid_pages: list) -> list:
        """The new layout's pages (its dropped ones left out), then the old ones after
        the page it rejoined at, if it did."""
        new = list(laid_pages[self.skip:])
        if self.hit is None:
            return new
        index, j = self.hit
        rest = self.old_pages[j + 1:]
        shift = self._shift(index, j)
        return new + (weasy_folios.renumbered(rest, shift) if shift else rest)


__all__ = ["Rejoin", "common_suffix", "unchanged_blocks"]
