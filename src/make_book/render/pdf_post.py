"""Finishing the PDF WeasyPrint wrote (pikepdf): what a printer and a reader expect of it.

- ``/PageLabels`` that match the printed folios: lower-case roman from the half title (i),
  decimal from 1 where the body starts (WeasyPrint 70 writes none).
- MediaBox = BleedBox = trim + 2 x bleed, TrimBox inset by the bleed, on every page.
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

from make_book.render.pdf_geometry import Geometry


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
    style: str  # "r" lower roman, "D" decimal, "R", "a", "A"
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
        entry = Dictionary(S=Name("/" + r.style))
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


def set_boxes(page: pikepdf.Page, geometry: Geometry) -> None:
    """MediaBox = BleedBox = trim + bleed on every side, TrimBox the trim, all around
    the page's own origin (WeasyPrint puts the origin at minus the bleed)."""
    x0, y0 = (float(v) for v in list(page.obj.MediaBox)[:2])
    b = geometry.bleed
    w, h = geometry.media_w, geometry.media_h

    def box(left, bottom, right, top):
        return Array([round(v, 4) for v in (left, bottom, right, top)])

    page.obj.MediaBox = box(x0, y0, x0 + w, y0 + h)
    page.obj.BleedBox = box(x0, y0, x0 + w, y0 + h)
    page.obj.TrimBox = box(x0 + b, y0 + b, x0 + w - b, y0 + h - b)
    for name in ("/CropBox", "/ArtBox"):
        if name in page.obj:
            del page.obj[name]


def finish(data: bytes, *, geometry: Geometry, labels: list[LabelRange], info: PdfInfo,
           source_date: datetime) -> PostResult:
    notes: list[str] = []
    with pikepdf.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            mb = [float(v) for v in page.obj.MediaBox]
            if (abs(mb[2] - mb[0] - geometry.media_w) > 0.5
                    or abs(mb[3] - mb[1] - geometry.media_h) > 0.5):
                notes.append(f"MediaBox {mb} differs from the geometry "
                             f"({geometry.media_w:.2f} x {geometry.media_h:.2f} pt)")
            set_boxes(page, geometry)
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
