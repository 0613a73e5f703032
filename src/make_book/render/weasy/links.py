"""Internal links kept when a piece of the book points into another piece.

WeasyPrint (70) writes a document's internal links only to anchors in that document:
``weasyprint.pdf.anchors.resolve_links`` drops a link whose target it has not seen. A
book laid out in pieces (:mod:`make_book.render.print.parallel`) has links from one piece
into another (the contents, cross-references, the index), which the join resolves
through its name tree. :func:`links_across_pieces` swaps in a ``resolve_links`` that keeps
every link, for the length of a piece's write.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import weasyprint.pdf as weasy_pdf
from weasyprint.pdf import anchors as weasy_anchors

from make_book.render.weasy.reliance import Reliance, reads, takes


def _resolve_all_links(pages):
    """:func:`weasyprint.pdf.anchors.resolve_links`, keeping internal links to anchors in
    other pieces (the join's name tree resolves them)."""
    anchors = set()
    for page in pages:
        found = []
        for name, (x, y, _, _) in page.anchors.items():
            if name not in anchors:
                anchors.add(name)
                found.append((name, x, y))
        yield list(page.links), found


@contextmanager
def links_across_pieces() -> Iterator[None]:
    original = weasy_pdf.resolve_links
    weasy_pdf.resolve_links = _resolve_all_links
    try:
        yield
    finally:
        weasy_pdf.resolve_links = original


RELIES_ON = (
    Reliance("weasyprint.pdf.anchors.resolve_links takes (pages)",
             lambda: takes(weasy_anchors.resolve_links, "pages")),
    Reliance("weasyprint.pdf.generate_pdf looks resolve_links up in weasyprint.pdf "
             "(`list(resolve_links(document.pages))`)",
             lambda: reads(weasy_pdf.generate_pdf,
                           "page_links_and_anchors = list(resolve_links(document.pages))")),
)

__all__ = ["RELIES_ON", "links_across_pieces"]
