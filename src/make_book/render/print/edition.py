"""The PDF editions written from the one typesetting: the print interior and the screen PDF.

The print renderer lays the book out once; an :class:`Edition` says how those pages are
written out. The screen PDF (``--format screen``, ``<slug>.pdf``, the PDF e-book a press
sells) has the same pages, folios, contents and index as the print interior, so it is
never laid out again: the two differ only in what is done to the written file
(:mod:`screen`):

- the page is the trim: no bleed, no crop marks (a screen shows no paper edge);
- tagged and identified as PDF/UA-1, whatever ``print.tagged`` says (print keeps that
  choice: tags cost write time and a printer reads none);
- RGB images: a CMYK JPEG, which print embeds as it is for its inks, is replaced by the
  sRGB copy the EPUB shows;
- the front cover as page 1, labelled "Cover" (the interior keeps its roman and arabic
  labels);
- its XMP ``dc:identifier`` is the PDF ISBN (``isbn.pdf``) when there is one.

The copyright page lists every ISBN with its qualifier (Chicago's practice,
``templates/print/copyright.html``), the PDF's among them, in both editions: that is what
keeps the typesetting identical.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from make_book.model import Book


@dataclass(frozen=True)
class Edition:
    format: str  # the build format it is written for: "pdf" (print) or "screen"
    trim_only: bool  # the page is the trim: no bleed, no marks
    pdf_ua: bool  # tagged and identified as PDF/UA-1
    rgb: bool  # CMYK images replaced by their sRGB copies
    cover: bool  # the front cover as page 1
    isbn: str | None  # the isbn.<key> that identifies the file (XMP dc:identifier)

    def write_options(self, tagged: bool) -> dict[str, Any]:
        """WeasyPrint's ``write_pdf`` options: PDF/UA-1 sets the tags, the PDF version and
        the XMP identification (``pdfuaid:part 1``) itself."""
        if self.pdf_ua:
            return {"pdf_variant": "pdf/ua-1"}
        return {"pdf_version": "1.7", "pdf_tags": tagged}

    def identifier(self, book: Book) -> str | None:
        """The file's identifier: its own ISBN as a URN, else the book's identifier."""
        isbns = book.meta.isbn
        own = getattr(isbns, self.isbn, None) if isbns is not None and self.isbn else None
        return own.urn if own is not None else (book.identifier or None)


PRINT = Edition("pdf", trim_only=False, pdf_ua=False, rgb=False, cover=False, isbn=None)
SCREEN = Edition("screen", trim_only=True, pdf_ua=True, rgb=True, cover=True, isbn="pdf")
EDITIONS = {e.format: e for e in (PRINT, SCREEN)}
