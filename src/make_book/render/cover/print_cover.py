"""The print cover PDF: back, spine and front on one sheet sized from the interior's page
count and paper, with TrimBox and BleedBox, dates from the source date and an ``/ID`` from
the content (so the same sources give the same bytes), then its safe zones checked. Split
from :mod:`.draw`, which lays out covers of either kind.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from make_book.config.metadata import BookMetadata
from make_book.errors import Diagnostics
from make_book.layouts.chain import Layout
from make_book.render.cover import spine as spine_mod
from make_book.render.cover.barcode import Barcode, isbn_barcode
from make_book.render.cover.draw import (
    CoverGeometry,
    _render_pdf,
    cover_geometry,
    print_geometry_css,
    template_context,
)
from make_book.render.cover.safe_zones import check_safe_zones
from make_book.render.cover.spine import PT_PER_IN, Paper, PaperError


@dataclass(frozen=True)
class PrintCover:
    pdf: bytes
    geometry: CoverGeometry
    paper: Paper
    pages: int
    spine_text: bool
    isbn: str | None  # the ISBN-13 in the barcode

    @property
    def spine_in(self) -> float:
        return round(self.geometry.spine / PT_PER_IN, 4)


def print_isbn(meta: BookMetadata):
    """The ISBN the print cover carries: the paperback's, else the hardcover's."""
    if meta.isbn is None:
        return None
    return meta.isbn.paperback or meta.isbn.hardcover


def _pdf_date(when: datetime) -> str:
    return when.astimezone(UTC).strftime("D:%Y%m%d%H%M%S+00'00'")


def finish_cover_pdf(data: bytes, g: CoverGeometry, *, title: str, authors: list[str],
                     lang: str, source_date: datetime) -> bytes:
    """Boxes, fixed dates, document info and a content-derived /ID (pikepdf)."""
    import pikepdf
    from pikepdf import Array, Dictionary, String
    with pikepdf.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            x0, y0 = (float(v) for v in list(page.obj.MediaBox)[:2])

            def box(left, bottom, right, top, x0=x0, y0=y0):
                return Array([round(v, 4) for v in (x0 + left, y0 + bottom,
                                                    x0 + right, y0 + top)])
            page.obj.MediaBox = box(0, 0, g.sheet_w, g.sheet_h)
            page.obj.BleedBox = box(0, 0, g.sheet_w, g.sheet_h)
            page.obj.TrimBox = box(*g.trim_box)
            for name in ("/CropBox", "/ArtBox"):
                if name in page.obj:
                    del page.obj[name]
        stamp = _pdf_date(source_date)
        info = Dictionary(Title=String(title), Creator=String("make-book"),
                          Producer=String("make-book"), CreationDate=String(stamp),
                          ModDate=String(stamp))
        if authors:
            info.Author = String(", ".join(authors))
        pdf.trailer.Info = pdf.make_indirect(info)
        pdf.Root.Lang = String(lang)
        for key in ("/Metadata",):
            if key in pdf.Root:
                del pdf.Root[key]
        pdf.Root.ViewerPreferences = Dictionary(DisplayDocTitle=True)
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True, compress_streams=True,
                 object_stream_mode=pikepdf.ObjectStreamMode.generate)
        return out.getvalue()


def render_print_cover(meta: BookMetadata, layout: Layout, book_root: Path, pages: int, *,
                       source_date: datetime, diagnostics: Diagnostics) -> PrintCover | None:
    """The full-wrap print cover for an interior of ``pages`` pages; None on errors."""
    where = book_root / "book.yaml"
    try:
        paper = spine_mod.paper_for(meta.print.paper)
    except PaperError as exc:
        diagnostics.error("R014", f"print.paper {exc}", where, hint=spine_mod.paper_hint())
        return None
    if pages < spine_mod.MIN_PAGES:
        diagnostics.warning("R015", f"the interior has {pages} pages; KDP and IngramSpark "
                            f"bind paperbacks of {spine_mod.MIN_PAGES} pages and more", where)
    g = cover_geometry(meta, pages, paper)
    has_text = spine_mod.spine_has_text(g.spine / PT_PER_IN)
    isbn = print_isbn(meta)
    barcode: Barcode | None = None
    if isbn is None:
        diagnostics.warning("R013", "no paperback or hardcover ISBN: the print cover has no "
                            "barcode", where, hint="add isbn.paperback to book.yaml")
    else:
        barcode = isbn_barcode(isbn.digits)
    context = template_context(meta, layout)
    context.update(barcode=barcode, spine_text=has_text,
                   isbn_line=f"ISBN {isbn.display}" if isbn is not None else None)
    html = layout.env.get_template("cover/print.html").render(**context)
    raw = _render_pdf(html, print_geometry_css(g, has_text), layout, [book_root], diagnostics,
                      where)
    data = finish_cover_pdf(raw, g, title=f"{meta.title}: cover",
                            authors=context["authors"], lang=meta.lang,
                            source_date=source_date)
    check_safe_zones(data, g, diagnostics, where)
    return PrintCover(data, g, paper, pages, has_text, isbn.isbn13 if isbn else None)
