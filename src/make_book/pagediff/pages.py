"""Each page's text as words, read with pypdfium2: the whole page and its body (without the
head and foot bands where running heads and folios sit).

Only what is drawn on the page is read, never the document's metadata, so a new creation
date, producer or document id does not make a page "changed". The body is what tells a
page that moved (its folio and, on the other side of the spread, its running head differ)
from a page whose text changed.

Code: D020 a file that cannot be read as a PDF.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from pathlib import Path

from make_book.errors import MakeBookError, error

BAND = 0.07  # of the page's height: the head and foot bands (running heads, folios)


@dataclass(frozen=True)
class PageText:
    number: int  # 1-based, the PDF's page index + 1
    label: str  # the printed folio (page label) when the PDF has labels, else the number
    words: tuple[str, ...]  # the whole page, folio left out
    body: tuple[str, ...]  # without the head and foot bands


def _words(text: str) -> tuple[str, ...]:
    """NFKC (ligature glyphs as letters, as a reader sees them) split on white space;
    a word hyphenated across lines stays two pieces on both sides, so it compares."""
    return tuple(unicodedata.normalize("NFKC", text).split())


def _without_folio(words: tuple[str, ...], label: str) -> tuple[str, ...]:
    """The folio is printed at the head or foot: the first or last word when it is the
    page's label (a body word that happens to be the number stays)."""
    out = list(words)
    if out and out[-1] == label:
        out.pop()
    if out and out[0] == label:
        out.pop(0)
    return tuple(out)


def read_pages(path: Path) -> list[PageText]:
    """Every page's text; raises MakeBookError (D020) for a file that is not a PDF."""
    import pypdfium2 as pdfium
    try:
        pdf = pdfium.PdfDocument(str(path))
    except (pdfium.PdfiumError, OSError) as exc:
        raise MakeBookError([error("D020", f"cannot be read as a PDF: {exc}", path)]) from None
    pages = []
    try:
        for i in range(len(pdf)):
            page = pdf[i]
            text = page.get_textpage()
            _, height = page.get_size()
            label = (pdf.get_page_label(i) or "").strip() or str(i + 1)
            whole = _without_folio(_words(text.get_text_range()), label)
            body = _words(text.get_text_bounded(bottom=height * BAND,
                                                top=height * (1 - BAND)))
            pages.append(PageText(i + 1, label, whole, body))
            text.close()
            page.close()
    finally:
        pdf.close()
    return pages
