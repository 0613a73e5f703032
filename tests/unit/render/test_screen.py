"""The screen PDF's finishing (render/print/screen.py) and its edition (render/print/edition.py), on
small documents WeasyPrint writes here: the cover before the first page keeps the outline,
the links, the structure and the labels; pages cut to the trim; CMYK images in RGB."""

from __future__ import annotations

import io
from contextlib import ExitStack
from datetime import UTC, datetime
from types import SimpleNamespace

import pikepdf
import pytest
from PIL import Image as PILImage

from make_book.model import Image
from make_book.render.print import post as pdf_post
from make_book.render.print import screen
from make_book.render.print.edition import PRINT, SCREEN
from make_book.render.print.geometry import Geometry

weasyprint = pytest.importorskip("weasyprint")

TRIM = (432.0, 648.0)  # 6 x 9 in
HTML = """<!DOCTYPE html><html lang="en"><head><title>Test Book</title><style>
@page {{ size: 6in 9in; bleed: {bleed}pt; margin: 1in }}
h1 {{ break-before: page }}</style></head><body>
<h1 id="one">One</h1><p>See <a href="#two">the second chapter</a>.</p>
{image}
<h1 id="two">Two</h1><p>Back to <a href="#one">the first</a>.</p></body></html>"""


def write(bleed: float = 0.0, image: str = "") -> bytes:
    html = HTML.format(bleed=bleed, image=image)
    return weasyprint.HTML(string=html).write_pdf(pdf_variant="pdf/ua-1")


def geometry(bleed: float = 0.0) -> Geometry:
    return Geometry(*TRIM, bleed, "none", 72, 72, 72, 72)


def jpeg(mode: str = "RGB", size=(300, 450), colour=(200, 40, 40)) -> bytes:
    out = io.BytesIO()
    PILImage.new(mode, size, colour).save(out, "JPEG", quality=90)
    return out.getvalue()


def png_with_alpha(size=(200, 320)) -> bytes:
    out = io.BytesIO()
    PILImage.new("RGBA", size, (10, 90, 200, 128)).save(out, "PNG")
    return out.getvalue()


def labels() -> list[pdf_post.LabelRange]:
    return [pdf_post.LabelRange(0, "r"), pdf_post.LabelRange(1, "D")]


def outline_pages(pdf: pikepdf.Pdf) -> dict[str, int]:
    with pdf.open_outline() as outline:
        return {item.title: pikepdf.Page(item.destination[0]).index
                for item in outline.root}


def named_pages(pdf: pikepdf.Pdf) -> dict[str, int]:
    tree = pikepdf.NameTree(pdf.Root.Names.Dests)
    return {name: pikepdf.Page(dest[0]).index for name, dest in tree.items()}


# ----------------------------------------------------------------------------- edition

def test_editions_write_options_and_identifier():
    assert PRINT.write_options(tagged=False) == {"pdf_version": "1.7", "pdf_tags": False}
    assert PRINT.write_options(tagged=True)["pdf_tags"] is True
    assert SCREEN.write_options(tagged=False) == {"pdf_variant": "pdf/ua-1"}
    isbn = SimpleNamespace(urn="urn:isbn:9781739000035")
    book = SimpleNamespace(meta=SimpleNamespace(isbn=SimpleNamespace(pdf=isbn, epub=None)),
                           identifier="urn:uuid:1")
    assert SCREEN.identifier(book) == "urn:isbn:9781739000035"
    assert PRINT.identifier(book) == "urn:uuid:1"
    book.meta.isbn = None
    assert SCREEN.identifier(book) == "urn:uuid:1"
    assert not PRINT.trim_only and SCREEN.trim_only and SCREEN.cover and SCREEN.rgb


def test_cover_label_comes_first_and_the_rest_move_on():
    moved = screen.with_cover_label(labels(), "Cover")
    assert [(r.start, r.style, r.prefix) for r in moved] == [
        (0, "", "Cover"), (1, "r", ""), (2, "D", "")]
    written = pdf_post.page_labels(moved)
    assert "/S" not in written.Nums[1] and str(written.Nums[1].P) == "Cover"


# ----------------------------------------------------------------------------- cover

@pytest.mark.parametrize("art", [screen.CoverArt("image", jpeg()),
                                 screen.CoverArt("image", png_with_alpha())],
                         ids=["jpeg", "png"])
def test_cover_keeps_outline_links_structure_and_labels(art):
    raw = write()
    with pikepdf.open(io.BytesIO(raw)) as before:
        pages_before = len(before.pages)
        outline_before = outline_pages(before)
        names_before = named_pages(before)
        keys_before = [int(p.obj.StructParents) for p in before.pages]
    done = screen.for_screen(raw, geometry(), labels(), cover=art,
                             cover_alt="Cover: Test Book, A. Writer", cover_label="Cover")
    assert [r.start for r in done.labels] == [0, 1, 2]
    with pikepdf.open(io.BytesIO(done.data)) as pdf:
        assert len(pdf.pages) == pages_before + 1
        assert outline_pages(pdf) == {t: i + 1 for t, i in outline_before.items()}
        assert named_pages(pdf) == {n: i + 1 for n, i in names_before.items()}
        for page in pdf.pages[1:]:  # every link still leads to a page of the document
            for annot in page.obj.get("/Annots", []):
                assert str(annot.Dest) in names_before
                assert int(annot.F) == 4
        cover = pdf.pages[0]
        assert [float(v) for v in cover.obj.MediaBox] == [0, 0, *TRIM]
        assert [int(p.obj.StructParents) for p in pdf.pages[1:]] == keys_before
        root = pdf.Root.StructTreeRoot
        document = root.K[0]
        figure = document.K[0]
        assert figure.S == "/Figure" and str(figure.Alt) == "Cover: Test Book, A. Writer"
        assert figure.Pg.objgen == cover.obj.objgen and figure.K == 0
        tree = pikepdf.NumberTree(root.ParentTree)
        key = int(cover.obj.StructParents)
        assert tree[key][0].objgen == figure.objgen
        assert key not in keys_before and int(root.ParentTreeNextKey) == key + 1
        content = cover.obj.Contents.read_bytes()
        assert content.startswith(b"/Figure <</MCID 0>> BDC") and content.endswith(b"EMC")
        image = cover.obj.Resources.XObject.Cover
        assert image.ColorSpace == "/DeviceRGB"
        assert image.Filter == ("/DCTDecode" if art.data[:2] == b"\xff\xd8" else "/FlateDecode")


def test_image_cover_is_whole_and_centred():
    """A cover image taller than the page (1:1.6 on 2:3) is fitted to the height and
    centred across, never cut."""
    raw = write()
    done = screen.for_screen(raw, geometry(), labels(),
                             cover=screen.CoverArt("image", jpeg(size=(400, 640))))
    with pikepdf.open(io.BytesIO(done.data)) as pdf:
        ops = pikepdf.parse_content_stream(pdf.pages[0])
        cm = next(o for o in ops if str(o.operator) == "cm").operands
        w, _, _, h, x, y = (float(v) for v in cm)
        assert h == pytest.approx(TRIM[1]) and w == pytest.approx(TRIM[1] * 400 / 640)
        assert x == pytest.approx((TRIM[0] - w) / 2) and y == pytest.approx(0)


def test_drawn_cover_page_is_scaled_onto_the_trim():
    drawn = weasyprint.HTML(string="<html lang='en'><style>@page { size: 5in 8in; margin: 0 }"
                                   "</style><h1>Front</h1></html>").write_pdf()
    done = screen.for_screen(write(), geometry(), labels(), cover=screen.CoverArt("page", drawn))
    with pikepdf.open(io.BytesIO(done.data)) as pdf:
        form = pdf.pages[0].obj.Resources.XObject.Cover
        assert form.Subtype == "/Form" and "/Font" in form.Resources
        cm = next(o for o in pikepdf.parse_content_stream(pdf.pages[0])
                  if str(o.operator) == "cm").operands
        assert float(cm[0]) == pytest.approx(432 / 360) and float(cm[3]) == pytest.approx(648 / 576)


def test_insert_cover_in_an_untagged_file_adds_no_structure():
    raw = weasyprint.HTML(string="<p>x</p>").write_pdf()
    with pikepdf.open(io.BytesIO(raw)) as pdf, ExitStack() as stack:
        screen.insert_cover(pdf, screen.CoverArt("image", jpeg()), TRIM, "Cover", stack)
        assert len(pdf.pages) == 2 and "/StructTreeRoot" not in pdf.Root


# ----------------------------------------------------------------------------- trim

def test_pages_are_cut_to_the_trim():
    raw = write(bleed=9)
    with pikepdf.open(io.BytesIO(raw)) as pdf:
        x0, _, x1, _ = (float(v) for v in pdf.pages[0].obj.MediaBox)
        assert x1 - x0 == pytest.approx(TRIM[0] + 18)
    done = screen.for_screen(raw, geometry(9), labels())
    assert done.geometry.bleed == 0 and done.geometry.marks == "none"
    with pikepdf.open(io.BytesIO(done.data)) as pdf:
        for page in pdf.pages:
            x0, y0, x1, y1 = (float(v) for v in page.obj.MediaBox)
            assert (x1 - x0, y1 - y0) == pytest.approx(TRIM)
            assert "/BleedBox" not in page.obj and "/TrimBox" not in page.obj
    # and finish, given the flat geometry, sets every box to that trim
    info = pdf_post.PdfInfo(title="Test Book", lang="en")
    finished = pdf_post.finish(done.data, geometry=done.geometry, labels=done.labels,
                               info=info, source_date=datetime(2024, 1, 1, tzinfo=UTC))
    assert finished.notes == []
    with pikepdf.open(io.BytesIO(finished.data)) as pdf:
        page = pdf.pages[0].obj
        assert list(page.MediaBox) == list(page.TrimBox) == list(page.BleedBox)


# ----------------------------------------------------------------------------- colour

def _image_spaces(data: bytes) -> list[str]:
    with pikepdf.open(io.BytesIO(data)) as pdf:
        found = {x.objgen: str(x.ColorSpace) for page in pdf.pages  # resources are shared
                 for x in page.obj.Resources.get("/XObject", {}).values()
                 if x.get("/Subtype") == "/Image"}
        return list(found.values())


def test_cmyk_jpeg_is_replaced_by_its_srgb_copy(tmp_path):
    cmyk = jpeg("CMYK", colour=(0, 80, 80, 10))
    source = tmp_path / "figure.jpg"
    source.write_bytes(cmyk)
    rgb_copy = jpeg("RGB", colour=(210, 60, 50))
    image = Image(source=source, href="images/figure.jpg", media_type="image/jpeg",
                  width=300, height=450, data=rgb_copy, print_original=True)
    raw = write(image=f'<img src="{source.as_uri()}" alt="a figure" style="width: 2in">')
    assert _image_spaces(raw) == ["/DeviceCMYK"]
    done = screen.for_screen(raw, geometry(), labels(), images=(image,))
    assert done.notes == []
    assert _image_spaces(done.data) == ["/DeviceRGB"]
    with pikepdf.open(io.BytesIO(done.data)) as pdf:
        xobject = next(iter(pdf.pages[0].obj.Resources.XObject.values()))
        assert xobject.read_raw_bytes() == rgb_copy


def test_cmyk_image_without_a_copy_is_converted_and_said(tmp_path):
    source = tmp_path / "other.jpg"
    source.write_bytes(jpeg("CMYK", colour=(0, 0, 255, 0)))
    raw = write(image=f'<img src="{source.as_uri()}" alt="yellow" style="width: 2in">')
    done = screen.for_screen(raw, geometry(), labels())
    assert _image_spaces(done.data) == ["/DeviceRGB"]
    assert len(done.notes) == 1 and "without its colour profile" in done.notes[0]
    with pikepdf.open(io.BytesIO(done.data)) as pdf:
        xobject = next(iter(pdf.pages[0].obj.Resources.XObject.values()))
        pixel = pikepdf.PdfImage(xobject).as_pil_image().getpixel((5, 5))
        assert pixel[2] < 60 and pixel[0] > 200 and pixel[1] > 200  # yellow, not blue


def test_cover_alt_words_it_as_the_epub_does():
    book = SimpleNamespace(meta=SimpleNamespace(
        title="Test Book", authors=[SimpleNamespace(name="A. Writer"),
                                    SimpleNamespace(name="B. Writer")]))
    assert screen.cover_alt(book, "Cover") == "Cover: Test Book, A. Writer, B. Writer"
    book.meta.authors = []
    assert screen.cover_alt(book, "Couverture") == "Couverture: Test Book"


def test_image_xobject_keeps_a_plain_jpeg_as_it_is():
    with pikepdf.new() as pdf:
        data = jpeg()
        xobject, w, h = screen.image_xobject(pdf, data)
        assert (w, h) == (300, 450) and xobject.read_raw_bytes() == data
