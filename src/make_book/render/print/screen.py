"""The screen PDF: the print pages made for reading on a screen (pikepdf).

Runs between WeasyPrint's write (tagged, PDF/UA-1: :mod:`pdf_edition`) and
:func:`pdf_post.finish`, which then sets the labels, language, metadata and ``/ID`` as it
does for print:

- every page cut to its trim: WeasyPrint draws the bleed round the trim; the MediaBox
  becomes the trim, and finish's boxes, with no bleed, all equal it. A figure that bleeds
  shows what the trimmed book shows;
- CMYK images in RGB: a CMYK JPEG print embeds as it is (its inks) is replaced by the sRGB
  copy the loader made for the EPUB (the same pixels, so the layout holds); a CMYK image
  found with no such copy is converted without a colour profile (``P060``);
- links as PDF/UA wants them: each link annotation is shown and printed (flag 4, which
  WeasyPrint leaves unset) and its structure parent is the Link element, where WeasyPrint
  sometimes hangs it on a Span inside the Link (the contents' page numbers);
- the front cover inserted as page 1, at the trim size: the cover image (``cover-image``,
  as the EPUB has it), whole and centred, or the front cover the layout's
  ``cover/epub.html`` draws (the EPUB's generated cover, as vectors). It is tagged as a
  Figure with alternative text at the head of the structure tree; the interior's pages
  are the same page objects, so the outline, links and destinations still lead where they
  did. Its page label is "Cover" (the layout's word), the interior keeps i, ii... 1, 2...

Codes: P060 a CMYK image converted to RGB without a colour profile (warning).
"""

from __future__ import annotations

import hashlib
import io
import zlib
from contextlib import ExitStack
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal

import pikepdf
from pikepdf import Array, Dictionary, Name, String

from make_book.errors import Diagnostics
from make_book.layouts.chain import Layout
from make_book.model import Book, Image
from make_book.render.print.geometry import Geometry
from make_book.render.print.post import LabelRange

JPEG_QUALITY = 92


@dataclass(frozen=True)
class CoverArt:
    """What page 1 shows: an image file's bytes, or a one-page PDF (the generated cover)."""

    kind: Literal["image", "page"]
    data: bytes


@dataclass
class Screened:
    data: bytes
    geometry: Geometry  # the geometry the pages now have: the trim, no bleed, no marks
    labels: list[LabelRange]
    notes: list[str] = field(default_factory=list)  # P060 messages


def cover_art(book: Book, layout: Layout, geometry: Geometry,
              diagnostics: Diagnostics) -> CoverArt:
    """The cover the release publishes: ``cover-image``, else the layout's front cover
    drawn at the book's trim size (problems drawing it go to ``diagnostics``)."""
    if book.cover is not None:
        return CoverArt("image", book.cover.content())
    from make_book.render.cover.draw import front_cover_pdf  # WeasyPrint: print only
    return CoverArt("page", front_cover_pdf(book.meta, layout, Path(book.root),
                                            (geometry.trim_w, geometry.trim_h), diagnostics))


def cover_alt(book: Book, word: str) -> str:
    """The cover's alternative text, as the EPUB's cover page words it."""
    authors = [c.name for c in book.meta.authors]
    return f"{word}: {book.meta.title}" + (f", {', '.join(authors)}" if authors else "")


def for_screen(raw: bytes, geometry: Geometry, labels: list[LabelRange], *,
               images: tuple[Image, ...] = (), cover: CoverArt | None = None,
               cover_alt: str = "Cover", cover_label: str = "Cover") -> Screened:
    """The written print pages made the screen PDF's (see the module docstring)."""
    with ExitStack() as stack:
        pdf = stack.enter_context(pikepdf.open(io.BytesIO(raw)))
        crop_to_trim(pdf, geometry)
        notes = rgb_images(pdf, images)
        tag_links(pdf)
        if cover is not None:
            insert_cover(pdf, cover, (geometry.trim_w, geometry.trim_h), cover_alt, stack)
            labels = with_cover_label(labels, cover_label)
        out = io.BytesIO()
        # the ID from the content, not random: finish keeps its first half (reproducible)
        pdf.save(out, deterministic_id=True)  # the cover stays open until here: qpdf copies lazily
    return Screened(out.getvalue(), replace(geometry, bleed=0.0, marks="none"), labels,
                    notes)


def with_cover_label(labels: list[LabelRange], word: str) -> list[LabelRange]:
    """The cover labelled ``word`` (no number), every other range one page later."""
    return [LabelRange(0, "", prefix=word)] + [replace(r, start=r.start + 1) for r in labels]


# ----------------------------------------------------------------------------- trim

def crop_to_trim(pdf: pikepdf.Pdf, geometry: Geometry) -> None:
    """MediaBox = the trim, round WeasyPrint's origin (it puts the trim at the bleed's
    distance from the MediaBox's corner); the other boxes go (finish sets them)."""
    b = geometry.bleed
    for page in pdf.pages:
        x0, y0 = (float(v) for v in list(page.obj.MediaBox)[:2])
        page.obj.MediaBox = Array([round(v, 4) for v in (
            x0 + b, y0 + b, x0 + b + geometry.trim_w, y0 + b + geometry.trim_h)])
        for name in ("/CropBox", "/BleedBox", "/TrimBox", "/ArtBox"):
            if name in page.obj:
                del page.obj[name]


# ----------------------------------------------------------------------------- colour

def _is_cmyk(xobject: pikepdf.Object) -> bool:
    space = xobject.get("/ColorSpace")
    if space == Name.DeviceCMYK:
        return True
    return (isinstance(space, Array) and len(space) == 2 and space[0] == Name.ICCBased
            and int(space[1].get("/N", 0)) == 4)


def _xobjects(resources, seen: set[tuple[int, int]]):
    """Every image XObject reachable from ``resources`` (forms and tiling patterns too),
    each once."""
    if not isinstance(resources, Dictionary):
        return
    for group in ("/XObject", "/Pattern"):
        for obj in dict(resources.get(group, Dictionary())).values():
            if obj.objgen != (0, 0):
                if obj.objgen in seen:
                    continue
                seen.add(obj.objgen)
            if obj.get("/Subtype") == Name.Image:
                yield obj
            elif "/Resources" in obj:
                yield from _xobjects(obj.Resources, seen)


def rgb_images(pdf: pikepdf.Pdf, images: tuple[Image, ...]) -> list[str]:
    """Each CMYK image in RGB: the loader's sRGB copy when the image is a file print
    embedded as it is, else a conversion without a colour profile (its message)."""
    from PIL import Image as PILImage
    copies = {hashlib.sha256(i.source.read_bytes()).digest(): i for i in images
              if i.print_original and i.data is not None}
    notes: list[str] = []
    seen: set[tuple[int, int]] = set()
    for page in pdf.pages:
        for xobject in list(_xobjects(page.obj.get("/Resources"), seen)):
            if not _is_cmyk(xobject):
                continue
            raw = xobject.read_raw_bytes()
            copy = copies.get(hashlib.sha256(raw).digest())
            if copy is not None:
                _set_jpeg(xobject, copy.data or b"")
                continue
            pil = pikepdf.PdfImage(xobject).as_pil_image()
            if xobject.get("/Filter") == Name.DCTDecode:  # Pillow undoes Adobe's inversion
                pil = PILImage.open(io.BytesIO(raw))
            out = io.BytesIO()
            pil.convert("RGB").save(out, "JPEG", quality=JPEG_QUALITY)
            _set_jpeg(xobject, out.getvalue())
            notes.append(f"a CMYK image ({pil.width} x {pil.height} px) on page "
                         f"{page.index + 1} was converted to RGB without its colour profile")
    return notes


def _set_jpeg(xobject: pikepdf.Object, jpeg: bytes) -> None:
    from PIL import Image as PILImage
    with PILImage.open(io.BytesIO(jpeg)) as im:
        width, height, mode = im.width, im.height, im.mode
    xobject.write(jpeg, filter=Name.DCTDecode)
    xobject.ColorSpace = Name.DeviceGray if mode == "L" else Name.DeviceRGB
    xobject.Width, xobject.Height, xobject.BitsPerComponent = width, height, 8
    for key in ("/Decode", "/DecodeParms"):
        if key in xobject:
            del xobject[key]


# ----------------------------------------------------------------------------- links

def _same(a: pikepdf.Object, b: pikepdf.Object) -> bool:
    return a.is_indirect and b.is_indirect and a.objgen == b.objgen


def tag_links(pdf: pikepdf.Pdf) -> int:
    """Link annotations printable (``/F 4``) and each one's object reference held by its
    Link element, not by an element inside it; returns how many were moved."""
    root = pdf.Root.get("/StructTreeRoot")
    tree = pikepdf.NumberTree(root.ParentTree) if root is not None and \
        "/ParentTree" in root else None
    moved = 0
    for page in pdf.pages:
        for annot in page.obj.get("/Annots", Array()):
            if annot.get("/Subtype") != Name.Link:
                continue
            annot.F = 4
            key = annot.get("/StructParent")
            holder = tree.get(int(key)) if tree is not None and key is not None else None
            if not isinstance(holder, Dictionary) or holder.get("/S") == Name.Link:
                continue
            link = holder.get("/P")
            while isinstance(link, Dictionary) and link.get("/S") not in (Name.Link, None):
                link = link.get("/P")
            if not isinstance(link, Dictionary) or link.get("/S") != Name.Link:
                continue
            kids = holder.get("/K")
            kids = kids if isinstance(kids, Array) else Array([kids])
            objrs = [k for k in kids if isinstance(k, Dictionary)
                     and k.get("/Type") == Name.OBJR and _same(k.get("/Obj"), annot)]
            if not objrs:
                continue
            holder.K = Array([k for k in kids if not any(k is o or (
                k.is_indirect and o.is_indirect and k.objgen == o.objgen) for o in objrs)])
            own = link.get("/K")
            link.K = (own if isinstance(own, Array) else Array([] if own is None else [own]))
            for objr in objrs:
                link.K.append(objr)
            tree[int(key)] = link
            moved += 1
    return moved


# ----------------------------------------------------------------------------- cover

def image_xobject(pdf: pikepdf.Pdf, data: bytes) -> tuple[pikepdf.Object, int, int]:
    """An image file as an XObject: an RGB or grey JPEG as it is, anything else (a PNG,
    a rotated JPEG) as RGB pixels, transparency set on white."""
    from PIL import Image as PILImage
    from PIL import ImageOps
    with PILImage.open(io.BytesIO(data)) as im:
        upright = im.getexif().get(0x0112, 1) == 1
        if im.format == "JPEG" and im.mode in ("RGB", "L") and upright:
            stream = pikepdf.Stream(pdf, data)
            stream.Filter = Name.DCTDecode
            space = Name.DeviceRGB if im.mode == "RGB" else Name.DeviceGray
            width, height = im.size
        else:
            turned = ImageOps.exif_transpose(im) or im
            rgba = turned.convert("RGBA")
            flat = PILImage.new("RGB", rgba.size, (255, 255, 255))
            flat.paste(rgba, mask=rgba.getchannel("A"))
            stream = pikepdf.Stream(pdf, zlib.compress(flat.tobytes()))
            stream.Filter = Name.FlateDecode
            space = Name.DeviceRGB
            width, height = flat.size
    stream.Type, stream.Subtype = Name.XObject, Name.Image
    stream.Width, stream.Height = width, height
    stream.ColorSpace, stream.BitsPerComponent = space, 8
    return stream, width, height


def _placement(art: CoverArt, pdf: pikepdf.Pdf, size: tuple[float, float],
               stack: ExitStack) -> tuple[pikepdf.Object, str]:
    """The cover's XObject and the matrix that puts it on the page: an image whole and
    centred (nothing of the artwork cut off), a drawn cover scaled to the page."""
    w, h = size
    if art.kind == "image":
        xobject, iw, ih = image_xobject(pdf, art.data)
        scale = min(w / iw, h / ih)
        dw, dh = iw * scale, ih * scale
        return xobject, f"{dw:.4f} 0 0 {dh:.4f} {(w - dw) / 2:.4f} {(h - dh) / 2:.4f} cm"
    source = stack.enter_context(pikepdf.open(io.BytesIO(art.data)))
    xobject = pdf.copy_foreign(source.pages[0].as_form_xobject())
    x0, y0, x1, y1 = (float(v) for v in xobject.BBox)
    sx, sy = w / (x1 - x0), h / (y1 - y0)
    return xobject, f"{sx:.6f} 0 0 {sy:.6f} {-x0 * sx:.4f} {-y0 * sy:.4f} cm"


def insert_cover(pdf: pikepdf.Pdf, art: CoverArt, size: tuple[float, float], alt: str,
                 stack: ExitStack) -> pikepdf.Page:
    """Page 1: the cover, drawn as one Figure (marked content 0) of the structure tree."""
    xobject, matrix = _placement(art, pdf, size, stack)
    content = f"/Figure <</MCID 0>> BDC q {matrix} /Cover Do Q EMC".encode("ascii")
    page = pikepdf.Page(pdf.make_indirect(Dictionary(
        Type=Name.Page, MediaBox=Array([0, 0, round(size[0], 4), round(size[1], 4)]),
        Resources=Dictionary(XObject=Dictionary(Cover=xobject)),
        Contents=pdf.make_stream(content))))
    pdf.pages.insert(0, page)
    page = pdf.pages[0]
    tag_cover(pdf, page, alt)
    return page


def tag_cover(pdf: pikepdf.Pdf, page: pikepdf.Page, alt: str) -> None:
    """A Figure with ``alt`` first in the document's structure, and the page's entry in
    the parent tree (the key after the last one: the interior's keys stay)."""
    root = pdf.Root.get("/StructTreeRoot")
    if root is None:  # an untagged file: nothing to join
        return
    kids = root.get("/K")
    first = kids[0] if isinstance(kids, Array) and len(kids) else kids
    parent = first if (isinstance(first, Dictionary)
                       and first.get("/S") == Name.Document) else root
    figure = pdf.make_indirect(Dictionary(
        Type=Name.StructElem, S=Name.Figure, P=parent, Pg=page.obj, K=0, Alt=String(alt)))
    own = parent.get("/K")
    if own is None:
        parent.K = Array([figure])
    elif isinstance(own, Array):
        own.insert(0, figure)
    else:
        parent.K = Array([figure, own])
    if "/ParentTree" not in root:
        root.ParentTree = pdf.make_indirect(Dictionary(Nums=Array()))
    tree = pikepdf.NumberTree(root.ParentTree)
    key = max((int(k) for k in tree), default=-1) + 1
    tree[key] = Array([figure])
    page.obj.StructParents = key
    root.ParentTreeNextKey = key + 1
