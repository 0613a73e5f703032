"""Finishing the PDF WeasyPrint wrote (pikepdf): what a printer and a reader expect of it.

- ``/PageLabels`` that match the printed folios: lower-case roman from the half title (i),
  decimal from 1 where the body starts (WeasyPrint 70 writes none).
- Per page, TrimBox the trim and BleedBox the bleed on the three outer edges (right on a
  recto, left on a verso; :mod:`pdf_geometry` says why); MediaBox the BleedBox, or with
  crop marks a slug round the trim where the marks are drawn, outside the bleed.
- Document info and XMP (title, authors, subject, keywords, language, dates), with dates
  from the build's source date only, never the clock.
- ``/Lang``, ``DisplayDocTitle``, and a document ``/ID`` computed from the content, so two
  builds of the same sources give the same bytes.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import datetime, timezone

import pikepdf
from pikepdf import Array, Dictionary, Name, String

from make_book.render.print import geometry as pdf_geometry
from make_book.render.print.geometry import Geometry


@dataclass(frozen=True)
class PdfInfo:
    title: str
    authors: tuple[str, ...] = ()
    subject: str | None = None  # the description
    keywords: tuple[str, ...] = ()
    lang: str | None = None
    creator: str = "make-book"
    producer: str = "make-book"
    identifier: str | None = None


@dataclass(frozen=True)
class LabelRange:
    start: int  # 0-based page index
    style: str  # "r" lower roman, "D" decimal, "R", "a", "A"; "" none (the prefix alone)
    first: int = 1  # number of the first page of the range
    prefix: str = ""


@dataclass
class PostResult:
    data: bytes
    pages: int
    notes: list[str] = field(default_factory=list)


def pdf_date(when: datetime) -> str:
    when = when.astimezone(timezone.utc) if when.tzinfo else when.replace(tzinfo=timezone.utc)
    return when.strftime("D:%Y%m%d%H%M%S+00'00'")


def xmp_date(when: datetime) -> str:
    when = when.astimezone(timezone.utc) if when.tzinfo else when.replace(tzinfo=timezone.utc)
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


def page_labels(ranges: list[LabelRange]) -> Dictionary:
    nums = Array()
    for r in sorted(ranges, key=lambda r: r.start):
        entry = Dictionary(S=Name("/" + r.style)) if r.style else Dictionary()
        if r.first != 1:
            entry.St = r.first
        if r.prefix:
            entry.P = String(r.prefix)
        nums.append(r.start)
        nums.append(entry)
    return Dictionary(Nums=nums)


def folio_ranges(page_count: int, body_start: int | None) -> list[LabelRange]:
    """Roman from the first page to the body, decimal from 1 at the body."""
    if body_start is None:
        return [LabelRange(0, "r")]
    if body_start <= 0:
        return [LabelRange(0, "D")]
    ranges = [LabelRange(0, "r")]
    if body_start < page_count:
        ranges.append(LabelRange(body_start, "D"))
    return ranges


def set_boxes(page: pikepdf.Page, geometry: Geometry, recto: bool) -> None:
    """The boxes of one page, around WeasyPrint's own origin (it puts the trim at the
    bleed's distance from the MediaBox's corner, the bleed on all four sides)."""
    x0, y0 = (float(v) for v in list(page.obj.MediaBox)[:2])
    b = geometry.bleed
    left, bottom = x0 + b, y0 + b
    right, top = left + geometry.trim_w, bottom + geometry.trim_h

    def box(*edges: float) -> Array:  # left, bottom, right, top
        return Array([round(v, 4) for v in edges])

    bleed = box(left - (0 if recto else b), bottom - b, right + (b if recto else 0), top + b)
    s = geometry.slug
    page.obj.MediaBox = box(left - s, bottom - s, right + s, top + s) if s else bleed
    page.obj.BleedBox = bleed
    page.obj.TrimBox = box(left, bottom, right, top)
    for name in ("/CropBox", "/ArtBox"):
        if name in page.obj:
            del page.obj[name]


def crop_marks(trim: tuple[float, float, float, float], geometry: Geometry) -> bytes:
    """Eight hairlines in registration colour (all inks) on the trim lines, starting beyond
    the bleed: what the guillotine is set by. Marked as an artifact (tagged PDFs)."""
    x0, y0, x1, y1 = trim
    off, length = geometry.mark_offset, pdf_geometry.MARK_LENGTH_PT
    lines = []
    for x, y in ((x0, y0), (x1, y0), (x0, y1), (x1, y1)):
        sx = -1 if x == x0 else 1
        sy = -1 if y == y0 else 1
        lines.append((x + sx * off, y, x + sx * (off + length), y))  # along the trim's top/bottom
        lines.append((x, y + sy * off, x, y + sy * (off + length)))  # along its sides
    # marked as an artifact: a tagged PDF's reader skips it
    ops = ["/Artifact BMC", f"q {pdf_geometry.MARK_WEIGHT_PT:g} w 0 J 1 1 1 1 K"]
    ops += [f"{a:.3f} {b:.3f} m {c:.3f} {d:.3f} l S" for a, b, c, d in lines]
    ops += ["Q", "EMC"]
    return "\n".join(ops).encode("ascii")


def draw_crop_marks(pdf: pikepdf.Pdf, page: pikepdf.Page, geometry: Geometry) -> None:
    """The marks after the page's own drawing. That drawing is clipped to the BleedBox (the
    slug would show WeasyPrint's bleed on the spine side) and wrapped in q/Q, so that no
    state it leaves (a transform, a clip) moves the marks."""
    trim = tuple(float(v) for v in page.obj.TrimBox)
    x0, y0, x1, y1 = (float(v) for v in page.obj.BleedBox)
    clip = f"q {x0:.4f} {y0:.4f} {x1 - x0:.4f} {y1 - y0:.4f} re W n"
    page.contents_add(pikepdf.Stream(pdf, clip.encode("ascii")), prepend=True)
    page.contents_add(pikepdf.Stream(pdf, b"Q"), prepend=False)
    page.contents_add(pikepdf.Stream(pdf, crop_marks(trim, geometry)), prepend=False)


def finish(data: bytes, *, geometry: Geometry, labels: list[LabelRange], info: PdfInfo,
           source_date: datetime) -> PostResult:
    notes: list[str] = []
    with pikepdf.open(io.BytesIO(data)) as pdf:
        for index, page in enumerate(pdf.pages):
            mb = [float(v) for v in page.obj.MediaBox]
            if (abs(mb[2] - mb[0] - geometry.rendered_w) > 0.5
                    or abs(mb[3] - mb[1] - geometry.rendered_h) > 0.5):
                notes.append(f"MediaBox {mb} differs from the geometry "
                             f"({geometry.rendered_w:.2f} x {geometry.rendered_h:.2f} pt)")
            set_boxes(page, geometry, recto=index % 2 == 0)
            if geometry.marks == "crop":
                draw_crop_marks(pdf, page, geometry)
        if labels:
            pdf.Root.PageLabels = page_labels(labels)
        if info.lang:
            pdf.Root.Lang = String(info.lang)
        prefs = pdf.Root.get("/ViewerPreferences", Dictionary())
        prefs.DisplayDocTitle = True
        pdf.Root.ViewerPreferences = prefs

        stamp = pdf_date(source_date)
        docinfo = Dictionary(
            Title=String(info.title), Creator=String(info.creator),
            Producer=String(info.producer), CreationDate=String(stamp),
            ModDate=String(stamp))
        if info.authors:
            docinfo.Author = String(", ".join(info.authors))
        if info.subject:
            docinfo.Subject = String(info.subject)
        if info.keywords:
            docinfo.Keywords = String("; ".join(info.keywords))
        pdf.trailer.Info = pdf.make_indirect(docinfo)

        when = xmp_date(source_date)
        with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as xmp:
            xmp["dc:title"] = info.title
            if info.authors:
                xmp["dc:creator"] = list(info.authors)
            if info.subject:
                xmp["dc:description"] = info.subject
            if info.keywords:
                xmp["dc:subject"] = set(info.keywords)
                xmp["pdf:Keywords"] = "; ".join(info.keywords)
            if info.lang:
                xmp["dc:language"] = set([info.lang])
            if info.identifier:
                xmp["dc:identifier"] = info.identifier
            xmp["pdf:Producer"] = info.producer
            xmp["xmp:CreatorTool"] = info.creator
            xmp["xmp:CreateDate"] = when
            xmp["xmp:ModifyDate"] = when
            xmp["xmp:MetadataDate"] = when
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True, compress_streams=True,
                 object_stream_mode=pikepdf.ObjectStreamMode.generate)
        return PostResult(out.getvalue(), len(pdf.pages), notes)
