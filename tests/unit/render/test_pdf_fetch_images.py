"""The print fetcher serves the bytes the loader made (a cleaned SVG, a converted TIFF)
under their book href, and the file itself where print keeps the original."""

from __future__ import annotations

from make_book.errors import Diagnostics
from make_book.model import Image
from make_book.render.print import html as pdf_html
from make_book.render.print.fetcher import BookFetcher


def test_made_images_are_served_from_memory(tmp_path):
    (tmp_path / "images").mkdir()
    raw_svg = tmp_path / "images/fig.svg"
    raw_svg.write_bytes(b"<svg><!-- raw, never printed --></svg>")
    tiff = tmp_path / "images/plate.tif"
    tiff.write_bytes(b"II*\x00")
    cmyk = tmp_path / "images/press.jpg"
    cmyk.write_bytes(b"\xff\xd8 the CMYK original")
    made = (
        Image(raw_svg, "images/fig.svg", "image/svg+xml", 10, 10, data=b"<svg/>", vector=True),
        Image(tiff, "images/plate.png", "image/png", 1, 1, data=b"\x89PNG made"),
        Image(cmyk, "images/press.jpg", "image/jpeg", 1, 1, data=b"\xff\xd8 sRGB copy",
              print_original=True),
    )
    fetcher = BookFetcher([tmp_path], Diagnostics(), None, tmp_path, made)

    def fetched(href: str) -> bytes:
        return fetcher.fetch(pdf_html.BOOK_URL + href).read()

    assert fetched("images/fig.svg") == b"<svg/>"
    assert fetched("images/plate.png") == b"\x89PNG made"
    assert fetched("images/press.jpg") == b"\xff\xd8 the CMYK original"
