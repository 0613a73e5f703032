"""The print edition's page numbers: where each anchor landed (:class:`PageMap`) and the
folio printed for a page.

Read by print's layout (running folios, the contents, page references) and by the index
locator steps (:mod:`.index_locators`) of both formats, so it sits below the renderers.
"""

from __future__ import annotations

from dataclasses import dataclass

from make_book.numerals import roman as upper_roman

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
