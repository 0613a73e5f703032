"""Covers: the print wrap's geometry, spine text, barcode, safe zones, reproducibility; the
EPUB cover from cover-image or generated."""

from __future__ import annotations

import io

import pikepdf
import pypdfium2 as pdfium
import pytest
from PIL import Image

from make_book.errors import Diagnostics
from make_book.release import gate
from make_book.render.cover import draw as covers
from make_book.render.cover import print_cover as print_covers
from make_book.render.cover import safe_zones
from make_book.render.cover.barcode import ean13_pattern, isbn_barcode
from make_book.release.inspect import pdf_facts
from make_book.render.cover.spine import paper_for, spine_width_in
from make_book.layouts import load_layout
from tests.release.conftest import PAPERBACK, SOURCE_DATE, make_meta

zxingcpp = pytest.importorskip("zxingcpp")


def print_cover(meta, layout, root, pages, diagnostics=None):
    diagnostics = diagnostics if diagnostics is not None else Diagnostics()
    cover = print_covers.render_print_cover(meta, layout, root, pages, source_date=SOURCE_DATE,
                                      diagnostics=diagnostics)
    return cover, diagnostics


def boxes(pdf: bytes):
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        assert len(doc.pages) == 1
        page = doc.pages[0].obj
        return ([float(v) for v in page.MediaBox], [float(v) for v in page.TrimBox],
                [float(v) for v in page.BleedBox])


def spine_glyphs(cover) -> str:
    g = cover.geometry
    return "".join(x.char for x in safe_zones.sheet_glyphs(cover.pdf)
                   if x.left >= g.spine_left - 0.01 and x.right <= g.spine_right + 0.01)


@pytest.mark.parametrize("pages, paper", [(96, "white"), (400, "cream")])
def test_wrap_width_is_back_spine_front_and_two_bleeds(book_root, layout, pages, paper):
    meta = make_meta(print={"trim": "6in 9in", "bleed": "0.125in", "paper": paper})
    cover, diagnostics = print_cover(meta, layout, book_root, pages)
    assert not diagnostics.failed(strict=True), [d.format() for d in diagnostics]
    spine_pt = spine_width_in(pages, paper_for(paper)) * 72
    media, trim, bleed = boxes(cover.pdf)
    back = front = 6 * 72
    assert media[2] - media[0] == pytest.approx(back + spine_pt + front + 2 * 9, abs=0.01)
    assert media[3] - media[1] == pytest.approx(9 * 72 + 2 * 9, abs=0.01)
    assert trim == pytest.approx([media[0] + 9, media[1] + 9, media[2] - 9, media[3] - 9])
    assert bleed == pytest.approx(media)
    assert cover.spine_in == spine_width_in(pages, paper_for(paper))
    # spine text only on the wide spine: 96 white pages = 0.216 in, 400 cream = 1 in
    assert cover.spine_text is (pages == 400)
    text = spine_glyphs(cover)
    assert ("LettersfromtheVolga" in text) is (pages == 400)
    assert text == "" or pages == 400


def test_barcode_decodes_to_the_print_isbn(book_root, layout):
    cover, _ = print_cover(make_meta(), layout, book_root, 240)
    doc = pdfium.PdfDocument(cover.pdf)
    image = doc[0].render(scale=400 / 72).to_pil()
    found = [(r.format, r.text) for r in zxingcpp.read_barcodes(image)]
    assert found == [(zxingcpp.BarcodeFormat.EAN13, "9781739000011")]
    text = doc[0].get_textpage().get_text_range()
    assert f"ISBN {PAPERBACK}" in text  # printed above the bars, as written in book.yaml
    assert cover.isbn == "9781739000011"


def test_hardcover_isbn_when_there_is_no_paperback(book_root, layout):
    meta = make_meta(isbn={"hardcover": "978-0-306-40615-7"})
    cover, _ = print_cover(meta, layout, book_root, 240)
    assert cover.isbn == "9780306406157"


def test_barcode_symbol():
    code = isbn_barcode("0-306-40615-2")  # an ISBN-10 gets its 978 ISBN-13
    assert code.isbn13 == "9780306406157"
    assert [g.text for g in code.groups] == ["9", "780306", "406157"]
    assert code.width_mm == pytest.approx((11 + 95 + 11) * 0.33)
    pattern = ean13_pattern("9780306406157")
    assert len(pattern) == 95 and pattern.startswith("G0G") and pattern.endswith("G0G")
    with pytest.raises(ValueError):
        isbn_barcode("978-0-306-40615-8")  # python-barcode would "fix" the check digit


def test_no_print_isbn_no_barcode(book_root, layout):
    cover, diagnostics = print_cover(make_meta(isbn={"epub": "978-1-7390000-0-4"}), layout,
                                     book_root, 240)
    assert cover.isbn is None
    assert [d.code for d in diagnostics] == ["R013"]
    assert "ISBN" not in pdfium.PdfDocument(cover.pdf)[0].get_textpage().get_text_range()


def test_unknown_paper_is_an_error(book_root, layout):
    meta = make_meta(print={"trim": "6in 9in", "paper": "glossy"})
    cover, diagnostics = print_cover(meta, layout, book_root, 240)
    assert cover is None and [d.code for d in diagnostics.errors] == ["R014"]


def test_same_sources_same_bytes_and_fixed_dates(book_root, layout):
    first, _ = print_cover(make_meta(), layout, book_root, 240)
    second, _ = print_cover(make_meta(), layout, book_root, 240)
    assert first.pdf == second.pdf
    with pikepdf.open(io.BytesIO(first.pdf)) as doc:
        assert str(doc.docinfo["/CreationDate"]) == "D:20241001120000+00'00'"
        assert "/ID" in doc.trailer


def test_cover_fonts_are_the_layouts_and_embedded(book_root, layout):
    cover, _ = print_cover(make_meta(), layout, book_root, 240)
    facts = pdf_facts(cover.pdf)
    assert facts.fonts and all(f.embedded for f in facts.fonts)
    diagnostics = Diagnostics()
    gate.check_fonts(facts, layout, "print cover", diagnostics, None)
    assert not diagnostics.items


def test_safe_zone_reports_text_near_the_trim_and_across_a_fold(book_root):
    override = book_root / "layout" / "css"
    override.mkdir(parents=True)
    (override / "cover.css").write_text(
        ".front .series { position: absolute; left: -0.2in; top: -0.15in; margin: 0; }\n"
        ".front .author { position: absolute; left: -0.5in; top: 2in; margin: 0; }\n",
        encoding="utf-8")
    layout = load_layout(book_root, "default")
    cover, diagnostics = print_cover(make_meta(), layout, book_root, 240)
    codes = {d.code for d in diagnostics}
    assert {"R010", "R012"} <= codes, [d.format() for d in diagnostics]
    messages = " ".join(d.message for d in diagnostics)
    assert "top trim" in messages and "across a spine fold" in messages


def test_text_close_to_the_spine_fold(book_root):
    override = book_root / "layout" / "css"
    override.mkdir(parents=True)
    (override / "cover.css").write_text(
        ".front .author { position: absolute; left: -0.2in; top: 2in; margin: 0; "
        "text-align: left; }\n", encoding="utf-8")
    layout = load_layout(book_root, "default")
    _, diagnostics = print_cover(make_meta(), layout, book_root, 240)
    assert "R011" in {d.code for d in diagnostics}, [d.format() for d in diagnostics]


def test_generated_epub_cover(book_root, layout):
    diagnostics = Diagnostics()
    first = covers.epub_cover(make_meta(), layout, book_root, diagnostics)
    second = covers.epub_cover(make_meta(), layout, book_root, diagnostics)
    assert first == second and not diagnostics.items
    image = Image.open(io.BytesIO(first))
    assert (image.format, image.mode, image.size) == ("JPEG", "RGB", (1600, 2560))
    assert "exif" not in image.info
    # the slate background at the corner, light type somewhere on the page
    assert image.getpixel((5, 5))[2] > image.getpixel((5, 5))[0]
    assert image.convert("L").getextrema()[1] > 200


def test_cover_image_jpeg_is_copied(book_root, layout):
    path = book_root / "images" / "cover.jpg"
    path.parent.mkdir()
    Image.new("RGB", (1600, 2560), (40, 60, 80)).save(path, quality=80)
    diagnostics = Diagnostics()
    meta = make_meta(**{"cover-image": "images/cover.jpg"})
    assert covers.epub_cover(meta, layout, book_root, diagnostics) == path.read_bytes()
    assert not diagnostics.items


def test_cover_image_png_is_converted_and_checked(book_root, layout):
    path = book_root / "images" / "cover.png"
    path.parent.mkdir()
    Image.new("RGBA", (1000, 1000), (200, 30, 30, 128)).save(path)
    diagnostics = Diagnostics()
    meta = make_meta(**{"cover-image": "images/cover.png"})
    data = covers.epub_cover(meta, layout, book_root, diagnostics)
    assert Image.open(io.BytesIO(data)).format == "JPEG"
    assert [d.code for d in diagnostics] == ["R001", "R003", "R004"]
    assert not diagnostics.errors


def test_cmyk_cover_image_is_refused(book_root, layout):
    path = book_root / "images" / "cover.jpg"
    path.parent.mkdir()
    Image.new("CMYK", (1600, 2560)).save(path)
    diagnostics = Diagnostics()
    meta = make_meta(**{"cover-image": "images/cover.jpg"})
    assert covers.epub_cover(meta, layout, book_root, diagnostics) is None
    assert [d.code for d in diagnostics.errors] == ["R002"]


def test_remote_resources_are_refused(book_root):
    override = book_root / "layout" / "css"
    override.mkdir(parents=True)
    (override / "cover.css").write_text(
        'html { background-image: url("https://example.org/x.png"); }\n', encoding="utf-8")
    layout = load_layout(book_root, "default")
    _, diagnostics = print_cover(make_meta(), layout, book_root, 240)
    assert "R017" in {d.code for d in diagnostics.errors}
