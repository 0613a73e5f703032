"""Covers: the EPUB cover JPEG and the print cover PDF (back, spine and front on one sheet).

EPUB cover (``<slug>-cover.jpg``):

- with ``cover-image``: the image is checked (at least :data:`MIN_SHORT_SIDE` px on the short
  side, RGB, JPEG or PNG, height/width near 1.6: a warning outside 1.4 to 1.7); a JPEG is
  copied as it is, a PNG converted to JPEG;
- without: the layout's ``cover/epub.html`` template (the front cover: series, title,
  subtitle, author, credits, publisher) is rendered by WeasyPrint at 5 x 8 in and rasterised
  by pdfium to 1600 x 2560 px.

Print cover (``<slug>-cover.pdf``): the layout's ``cover/print.html`` on one sheet of
``2 x trim width + spine + 2 x bleed`` by ``trim height + 2 x bleed``; the spine from the
interior's final page count and ``print.paper`` (:mod:`.spine`); spine text only on a
spine wide enough for it; the back cover text from ``description``; the EAN-13 barcode of
the paperback ISBN (else the hardcover's) with the ISBN above it (:mod:`.barcode`).
TrimBox and BleedBox are set, the dates come from the source date and the ``/ID`` from the
content, so the same sources give the same bytes. Every glyph on the sheet is then checked
against the trim (0.25 in) and the spine folds (0.0625 in) in the PDF itself (pdfium), so a
book's own cover template is held to the same rules.

Templates get: ``title``, ``subtitle``, ``authors`` (names), ``credits`` ("Translated by
..." lines), ``series`` (``title``, ``number``, ``label``), ``publisher``, ``place``,
``description`` (paragraphs), ``barcode`` (:class:`.barcode.Barcode` or None),
``isbn_line``, ``spine_text`` (bool), ``spine_title``, ``spine_author``, ``strings``,
``lang``. Stylesheets: every layout folder's ``css/cover.css`` (or what its layout.yaml lists
under ``stylesheets: cover:``), base first, then the geometry make-book computes.

WeasyPrint reads only ``file:`` URLs inside the layout and book folders, and ``data:``;
nothing from the network. Its log records become diagnostics.

Codes: R001 cover image too small (warning); R002 cover image not an RGB JPEG or PNG
(error); R003 cover image aspect (warning); R004 cover image converted from PNG with
transparency (warning); R010 text too close to the trim (warning); R011 text too close to a
spine fold (warning); R012 text outside the trim or across a fold (error); R013 no print
ISBN: no barcode (warning); R014 unknown paper (error); R015 fewer pages than a printer
binds (warning); R016 WeasyPrint message (warning; error for its errors); R017 a resource
refused (error).

The print cover's sheet is finished in :mod:`.print_cover` and its glyphs checked in
:mod:`.safe_zones`; this module lays out and draws covers of either kind.
"""

from __future__ import annotations

import io
import logging
import re
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

from make_book.cache import Cache
from make_book.config.metadata import BookMetadata
from make_book.errors import Diagnostics
from make_book.layouts.chain import Layout
from make_book.render.cover import cache as cover_cache
from make_book.render.cover import spine as spine_mod
from make_book.render.cover.spine import PT_PER_IN, Paper
from make_book.render.credits import credit_lines  # one source for EPUB, print and cover
from make_book.render.weasy.log import captured_weasyprint_log

MIN_SHORT_SIDE = 1600
ASPECT_RANGE = (1.4, 1.7)
EPUB_COVER_PX = (1600, 2560)
EPUB_COVER_IN = (5.0, 8.0)  # the sheet the EPUB cover is laid out on (1:1.6)
JPEG_QUALITY = 92

log = logging.getLogger(__name__)


# ----------------------------------------------------------------------------- geometry

@dataclass(frozen=True)
class CoverGeometry:
    """The print cover sheet in points, origin at the sheet's top left (CSS) corner."""

    trim_w: float
    trim_h: float
    bleed: float
    spine: float

    @property
    def sheet_w(self) -> float:
        return 2 * self.trim_w + self.spine + 2 * self.bleed

    @property
    def sheet_h(self) -> float:
        return self.trim_h + 2 * self.bleed

    @property
    def spine_left(self) -> float:
        return self.bleed + self.trim_w

    @property
    def spine_right(self) -> float:
        return self.spine_left + self.spine

    @property
    def trim_box(self) -> tuple[float, float, float, float]:
        """(left, bottom, right, top) in PDF coordinates (origin bottom left)."""
        return (self.bleed, self.bleed, self.sheet_w - self.bleed, self.sheet_h - self.bleed)


def cover_geometry(meta: BookMetadata, pages: int, paper: Paper) -> CoverGeometry:
    trim_w, trim_h = meta.print.trim_size
    spine_in = spine_mod.spine_width_in(pages, paper)
    return CoverGeometry(trim_w, trim_h, meta.print.bleed_pt, spine_in * PT_PER_IN)


def _pt(value: float) -> str:
    return f"{value:.3f}".rstrip("0").rstrip(".") + "pt"


def print_geometry_css(g: CoverGeometry, spine_text: bool) -> str:
    safe = spine_mod.TRIM_SAFE_IN * PT_PER_IN
    fold = spine_mod.SPINE_FOLD_SAFE_IN * PT_PER_IN
    rules = [
        f"@page {{ size: {_pt(g.sheet_w)} {_pt(g.sheet_h)}; margin: 0; }}",
        "html, body { margin: 0; padding: 0; }",
        f".panel {{ position: absolute; top: {_pt(g.bleed)}; height: {_pt(g.trim_h)}; "
        "margin: 0; padding: 0; }",
        f".panel.back {{ left: {_pt(g.bleed)}; width: {_pt(g.trim_w)}; }}",
        f".panel.spine {{ left: {_pt(g.spine_left)}; width: {_pt(g.spine)}; }}",
        f".panel.front {{ left: {_pt(g.spine_right)}; width: {_pt(g.trim_w)}; }}",
        f".panel .live {{ position: absolute; left: {_pt(safe)}; right: {_pt(safe)}; "
        f"top: {_pt(safe)}; bottom: {_pt(safe)}; box-sizing: border-box; }}",
    ]
    if spine_text:
        length = g.trim_h - 2 * safe
        thick = g.spine - 2 * fold
        size = min(14.0, thick * 0.7)
        rules.append(
            f".spine-text {{ position: absolute; box-sizing: border-box; "
            f"left: {_pt(g.spine / 2 - length / 2)}; top: {_pt(g.trim_h / 2 - thick / 2)}; "
            f"width: {_pt(length)}; height: {_pt(thick)}; padding: 0 {_pt(0.25 * PT_PER_IN)}; "
            f"font-size: {_pt(size)}; line-height: {_pt(thick)}; "
            "transform: rotate(90deg); transform-origin: 50% 50%; }")
    return "\n".join(rules) + "\n"


def epub_geometry_css(size_in: tuple[float, float] = EPUB_COVER_IN) -> str:
    w, h = (v * PT_PER_IN for v in size_in)
    safe = spine_mod.TRIM_SAFE_IN * PT_PER_IN
    return (f"@page {{ size: {_pt(w)} {_pt(h)}; margin: 0; }}\n"
            "html, body { margin: 0; padding: 0; }\n"
            f".panel.front {{ position: absolute; left: 0; top: 0; width: {_pt(w)}; "
            f"height: {_pt(h)}; margin: 0; padding: 0; }}\n"
            f".panel .live {{ position: absolute; left: {_pt(safe)}; right: {_pt(safe)}; "
            f"top: {_pt(safe)}; bottom: {_pt(safe)}; box-sizing: border-box; }}\n")


# ----------------------------------------------------------------------------- rendering

def _report(records: list[logging.LogRecord], diagnostics: Diagnostics,
            where: Path | None) -> None:
    for record in records:
        try:
            text = record.getMessage()
        except Exception:  # a malformed record must not hide the others
            text = str(record.msg)
        text = re.sub(r"\s+", " ", text).strip()
        if "refused:" in text or text.startswith("URI uses disallowed protocol"):
            continue  # reported by the fetcher
        if record.levelno >= logging.ERROR:
            diagnostics.error("R016", f"cover: WeasyPrint: {text}", where)
        else:
            diagnostics.warning("R016", f"cover: WeasyPrint: {text}", where)


def cover_stylesheets(layout: Layout) -> list[Path]:
    """Each layout folder's cover stylesheets, base first: those its layout.yaml lists under
    ``stylesheets: cover:``, else its ``css/cover.css`` if it has one."""
    out: list[Path] = []
    for d in reversed(layout.dirs):
        listed = d.manifest.stylesheets.get("cover")
        rels = listed if listed is not None else ["css/cover.css"]
        for rel in rels:
            if listed is None and not ((d.path / rel).is_symlink() or (d.path / rel).exists()):
                continue
            path = layout.file(d, rel, "cover stylesheet")  # confined to book and layouts
            if path not in out:
                out.append(path)
    return out


def _render_pdf(html: str, css: str, layout: Layout, roots: list[Path],
                diagnostics: Diagnostics, where: Path | None,
                fetched: list[Path] | None = None) -> bytes:
    """``fetched`` receives the files WeasyPrint read through the fetcher."""
    from weasyprint import CSS, HTML

    from make_book.fetch import safe_url_fetcher  # WeasyPrint's fetcher class: print only
    from make_book.render.active_content import check_print_html
    from make_book.render.weasy.fonts import font_configuration
    check_print_html(html, diagnostics, where, "the cover")  # whatever the template wrote
    fonts_config = font_configuration(layout)  # @font-face rules need one, shared
    fetcher = safe_url_fetcher(roots + [d.path for d in layout.dirs], diagnostics,
                               where=where, code="R017")
    fonts = layout.font_face_css(lambda f: f.path.as_uri())
    base = (layout.dirs[0].path / "templates" / "cover").as_uri() + "/"
    with captured_weasyprint_log() as records:
        sheets = [CSS(string=fonts, url_fetcher=fetcher, base_url=base,
                      font_config=fonts_config)]
        sheets += [CSS(filename=str(p), url_fetcher=fetcher, font_config=fonts_config)
                   for p in cover_stylesheets(layout)]
        sheets.append(CSS(string=css, url_fetcher=fetcher, base_url=base,
                          font_config=fonts_config))
        document = HTML(string=html, base_url=base, url_fetcher=fetcher).render(
            stylesheets=sheets, font_config=fonts_config)
        if len(document.pages) != 1:
            diagnostics.error("R012", f"cover: the template fills {len(document.pages)} "
                              "pages; a cover is one sheet", where,
                              hint="shorten the text or make it smaller in css/cover.css")
        data = document.write_pdf(pdf_version="1.7")
    _report(records, diagnostics, where)
    if fetched is not None:
        fetched.extend(fetcher.fetched)
    return data


def template_context(meta: BookMetadata, layout: Layout) -> dict:
    strings = layout.strings(meta.lang)
    series = None
    if meta.series:
        number = meta.series.number
        series = {"title": meta.series.title, "number": number,
                  "label": f"{strings.get('series-number', 'Volume')} {number}"
                  if number is not None else None}
    authors = [c.name for c in meta.authors]
    return {
        "lang": meta.lang, "strings": strings, "title": meta.title, "subtitle": meta.subtitle,
        "authors": authors, "credits": credit_lines(SimpleNamespace(meta=meta), strings),
        "series": series, "publisher": meta.publisher, "place": meta.place,
        # Markdown in book.yaml: typeset inline XHTML per paragraph (config.meta_text)
        "description": list(meta.description.paragraphs) if meta.description else [],
        "spine_title": meta.short_title or meta.title,
        "spine_author": " & ".join(a.split()[-1] if len(authors) > 2 else a for a in authors),
    }


# ----------------------------------------------------------------------------- EPUB cover

def check_cover_image(path: Path, diagnostics: Diagnostics, where: Path | None) -> bool:
    """Whether ``path`` can be the EPUB cover; problems go to ``diagnostics``."""
    from PIL import Image
    try:
        with Image.open(path) as im:
            fmt, mode, (w, h) = im.format, im.mode, im.size
    except (OSError, ValueError) as exc:
        diagnostics.error("R002", f"cover image {path.name} cannot be read: {exc}", where)
        return False
    ok = True
    if fmt not in ("JPEG", "PNG"):
        diagnostics.error("R002", f"cover image {path.name} is {fmt}, not JPEG or PNG", where,
                          hint="retailers take a JPEG (or a PNG make-book converts)")
        ok = False
    elif mode != "RGB" and not (fmt == "PNG" and mode in ("RGBA", "P")):
        diagnostics.error("R002", f"cover image {path.name} is {mode}, not RGB", where,
                          hint="convert it to RGB (sRGB) in an image editor; retailers "
                               "reject CMYK and show greyscale covers badly")
        ok = False
    short = min(w, h)
    if short < MIN_SHORT_SIDE:
        diagnostics.warning("R001", f"cover image {path.name} is {w} x {h} px; retailers ask "
                            f"for at least {MIN_SHORT_SIDE} px on the short side", where,
                            hint="supply 1600 x 2560 px")
    aspect = h / w if w else 0
    if not ASPECT_RANGE[0] <= aspect <= ASPECT_RANGE[1]:
        diagnostics.warning("R003", f"cover image {path.name} is {w} x {h} px, height "
                            f"{aspect:.2f} times its width; retailers expect about 1.6",
                            where, hint="supply 1600 x 2560 px")
    return ok


def _jpeg(image) -> bytes:
    out = io.BytesIO()
    # Fixed settings and no metadata (no EXIF, no timestamps): the same pixels give the same
    # bytes. 4:4:4 keeps the edges of type sharp.
    image.save(out, "JPEG", quality=JPEG_QUALITY, subsampling=0, optimize=False,
               progressive=False, dpi=(300, 300))
    return out.getvalue()


def epub_cover_from_image(path: Path, diagnostics: Diagnostics, where: Path | None) -> bytes:
    """The cover-image as JPEG bytes: a JPEG unchanged, a PNG converted (alpha on white)."""
    from PIL import Image
    with Image.open(path) as im:
        if im.format == "JPEG":
            return path.read_bytes()
        rgba = im.convert("RGBA")
    if rgba.getextrema()[3][0] < 255:
        diagnostics.warning("R004", f"cover image {path.name} has transparent parts; they "
                            "are set on white in the JPEG", where)
    flat = Image.new("RGB", rgba.size, (255, 255, 255))
    flat.paste(rgba, mask=rgba.getchannel("A"))
    return _jpeg(flat)


def rasterise(pdf: bytes, size: tuple[int, int]) -> bytes:
    """The first page of ``pdf`` as a JPEG of exactly ``size`` pixels (pdfium)."""
    import pypdfium2 as pdfium
    from PIL import Image
    doc = pdfium.PdfDocument(pdf)
    try:
        page = doc[0]
        width_pt = page.get_width()
        bitmap = page.render(scale=size[0] / width_pt, may_draw_forms=False)
        image = bitmap.to_pil().convert("RGB")
        page.close()
    finally:
        doc.close()
    if image.size != size:  # pdfium rounds the page size; a pixel at most
        image = image.resize(size, Image.Resampling.LANCZOS)
    return _jpeg(image)


def generated_epub_cover(meta: BookMetadata, layout: Layout, book_root: Path,
                         diagnostics: Diagnostics, cache: Cache | None = None) -> bytes | None:
    """The front cover drawn from the layout's template. With ``cache``, kept by the hash
    of its inputs (:mod:`.cover_cache`): a warm EPUB build loads no print machinery. None
    when WeasyPrint cannot run on this machine (E020, from the machine check)."""
    where = book_root / "book.yaml"
    html = layout.env.get_template("cover/epub.html").render(**template_context(meta, layout))
    css = epub_geometry_css()
    key = cover_cache.cover_key(html, css, layout, cover_stylesheets(layout),
                                EPUB_COVER_PX) if cache is not None else ""
    if (hit := cover_cache.load(cache, key, where)) is not None:
        data, found = hit
        diagnostics.extend(found)
        return data
    from make_book.machine import machine_problems
    if missing := [d for d in machine_problems(["print"]) if d.is_error]:
        diagnostics.extend(missing)
        return None
    drawn, fetched = Diagnostics(), []
    pdf = _render_pdf(html, css, layout, [book_root], drawn, where, fetched)
    data = rasterise(pdf, EPUB_COVER_PX)
    diagnostics.extend(drawn)
    cover_cache.store(cache, key, where, data, list(drawn), fetched)
    return data


def front_cover_pdf(meta: BookMetadata, layout: Layout, book_root: Path,
                    size_pt: tuple[float, float], diagnostics: Diagnostics) -> bytes:
    """The generated front cover (the EPUB's template) as a one-page vector PDF of
    ``size_pt``: the screen PDF's first page when the book has no cover-image."""
    html = layout.env.get_template("cover/epub.html").render(**template_context(meta, layout))
    css = epub_geometry_css((size_pt[0] / PT_PER_IN, size_pt[1] / PT_PER_IN))
    return _render_pdf(html, css, layout, [book_root], diagnostics, book_root / "book.yaml")


def epub_cover(meta: BookMetadata, layout: Layout, book_root: Path,
               diagnostics: Diagnostics) -> bytes | None:
    """The EPUB cover JPEG; None when the cover-image fails its check."""
    where = book_root / "book.yaml"
    if meta.cover_image:
        path = book_root / meta.cover_image
        if not check_cover_image(path, diagnostics, where):
            return None
        return epub_cover_from_image(path, diagnostics, where)
    return generated_epub_cover(meta, layout, book_root, diagnostics)


# ----------------------------------------------------------------------------- print cover

# ----------------------------------------------------------------------------- safe zones

__all__ = ["CoverGeometry", "cover_geometry", "epub_cover", "check_cover_image", "rasterise"]
