"""The URL fetcher WeasyPrint lays the print edition out with: the build's safe fetcher,
plus the print documents' fixed book URL mapped onto the book folder."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint.urls import URLFetcherResponse

from make_book.errors import Diagnostics
from make_book.fetch import SafeURLFetcher
from make_book.model import Image
from make_book.render.print import html as pdf_html


class BookFetcher(SafeURLFetcher):
    """The build's safe fetcher (``file:`` inside the book and layout folders, small
    ``data:``, nothing else; refusals are ``P006``), plus the print document's fixed book
    URL mapped onto the book folder, so the checkout path never reaches the PDF. Images the
    loader made (a cleaned SVG, a TIFF converted to PNG) are served from memory under
    their book href, so print shows what the EPUB shows, never the raw file."""

    def __init__(self, roots: list[Path], diagnostics: Diagnostics, where: Path | None,
                 book_root: Path | None = None, images: tuple[Image, ...] = ()):
        super().__init__(roots, diagnostics, where, code="P006")
        self.book_root = book_root.resolve() if book_root is not None else None
        self.book_prefix = urlsplit(pdf_html.BOOK_URL).path
        self.made = {i.href: (data, i.media_type) for i in images
                     if (data := i.print_content()) is not None}

    def fetch(self, url, headers=None):
        parts = urlsplit(url.strip())
        raw = unquote(parts.path)
        if (self.book_root is not None and parts.scheme.lower() == "file"
                and raw.startswith(self.book_prefix)):
            rel = raw[len(self.book_prefix):]
            if rel in self.made:
                data, media_type = self.made[rel]
                return URLFetcherResponse(url.strip(), data, {"Content-Type": media_type})
            return super().fetch((self.book_root / rel).as_uri())
        return super().fetch(url, headers)
