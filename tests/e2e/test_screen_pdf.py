"""The screen PDF (``--format screen``) built from real books: the print interior's pages,
one layout for both, cut to the trim, RGB, the cover first, and the structure PDF/UA-1
asks for, checked with pikepdf (veraPDF does not install here: see the README)."""

from __future__ import annotations

import re
from pathlib import Path

import pikepdf
import pytest

from make_book.build import artifact_path, build_book
from tests.conftest import ROOT

pypdfium2 = pytest.importorskip("pypdfium2")
SAMPLES = Path("/work/shared/samples")
SAMPLE_NAMES = sorted(p.name for p in SAMPLES.iterdir() if (p / "book.yaml").is_file()) \
    if SAMPLES.is_dir() else []
BOOK = ROOT / "tests" / "books" / "screen-pdf"
METHOD = ROOT / "manuscript" / "the-question-of-method"
PT_PER_IN = 72.0


def page_texts(path: Path) -> list[str]:
    doc = pypdfium2.PdfDocument(str(path))
    try:
        return [re.sub(r"\s+", " ", doc[i].get_textpage().get_text_range()).strip()
                for i in range(len(doc))]
    finally:
        doc.close()


def outline(pdf: pikepdf.Pdf) -> list[tuple[str, int]]:
    out = []

    def walk(items):
        for item in items:
            out.append((item.title, pikepdf.Page(item.destination[0]).index))
            walk(item.children)
    with pdf.open_outline() as o:
        walk(o.root)
    return out


def fonts_embedded(pdf: pikepdf.Pdf) -> list[str]:
    """The fonts of the pages (and of the forms they draw) with no font file."""
    missing, seen = [], set()

    def visit(resources):
        if not isinstance(resources, pikepdf.Dictionary):
            return
        for font in dict(resources.get("/Font", {})).values():
            if font.objgen in seen:
                continue
            seen.add(font.objgen)
            for f in (font, *font.get("/DescendantFonts", [])):
                if f.get("/Subtype") == "/Type3":
                    continue
                desc = f.get("/FontDescriptor")
                if desc is not None and not any(k in desc for k in
                                                 ("/FontFile", "/FontFile2", "/FontFile3")):
                    missing.append(str(f.get("/BaseFont")))
        for x in dict(resources.get("/XObject", {})).values():
            if x.get("/Subtype") == "/Form":
                visit(x.get("/Resources"))
    for page in pdf.pages:
        visit(page.obj.get("/Resources"))
    return missing


def assert_pdf_ua(path: Path, lang: str, title: str) -> None:
    """The PDF/UA-1 structure pikepdf can check: structure tree, marked, language, title
    shown, XMP identification, fonts embedded, every link in a Link element, the cover a
    Figure with alternative text."""
    with pikepdf.open(path) as pdf:
        root = pdf.Root
        assert "/StructTreeRoot" in root
        assert bool(root.MarkInfo.Marked) is True
        assert str(root.Lang) == lang
        assert bool(root.ViewerPreferences.DisplayDocTitle) is True
        meta = pdf.open_metadata()
        assert meta.get("pdfuaid:part") == "1"
        assert meta.get("dc:title") == title
        assert str(pdf.docinfo.Title) == title
        assert fonts_embedded(pdf) == []
        tree = pikepdf.NumberTree(root.StructTreeRoot.ParentTree)
        for page in pdf.pages:
            assert page.obj.get("/Tabs") == "/S" or "/Annots" not in page.obj
            for annot in page.obj.get("/Annots", []):
                if annot.get("/Subtype") == "/Link":
                    assert tree[int(annot.StructParent)].S == "/Link"
                    assert int(annot.F) & 4 and "/Contents" in annot
        figure = root.StructTreeRoot.K[0].K[0]
        assert figure.S == "/Figure" and str(figure.Alt).startswith("Cover: ")
        assert figure.Pg.objgen == pdf.pages[0].obj.objgen
        assert not any(_is_cmyk_image(x) for p in pdf.pages
                       for x in dict(p.obj.Resources.get("/XObject", {})).values())


def _is_cmyk_image(x) -> bool:
    return x.get("/Subtype") == "/Image" and x.get("/ColorSpace") == "/DeviceCMYK"


def both(root: Path, tmp_path: Path):
    result = build_book(root, ["pdf", "screen"], tmp_path)
    assert result.ok, [d.format() for d in result.diagnostics]
    paths = {a.format: a.path for a in result.artifacts}
    assert paths["screen"] == artifact_path(tmp_path, result.slug, "screen")
    assert paths["screen"].name == f"{result.slug}.pdf"
    return result, paths["pdf"], paths["screen"]


def test_screen_pdf_is_the_print_pages_after_the_cover(tmp_path):
    """Both from one layout: the same text page for page, the same labels after "Cover",
    the same outline one page on; the screen's pages the trim, print's with its bleed;
    print untagged as its book.yaml asks, the screen PDF PDF/UA-1."""
    result, print_pdf, screen_pdf = both(METHOD, tmp_path)
    assert not [d for d in result.diagnostics if d.code.startswith("P06")]
    printed, screened = page_texts(print_pdf), page_texts(screen_pdf)
    assert screened[1:] == printed
    assert "The Question of Method" in screened[0]  # the front cover the layout draws
    with pikepdf.open(print_pdf) as p, pikepdf.open(screen_pdf) as s:
        assert len(s.pages) == len(p.pages) + 1
        assert [pg.label for pg in s.pages] == ["Cover"] + [pg.label for pg in p.pages]
        assert outline(s) == [(t, i + 1) for t, i in outline(p)]
        trim = (5.5 * PT_PER_IN, 8.5 * PT_PER_IN)  # digest
        for page in s.pages:
            x0, y0, x1, y1 = (float(v) for v in page.obj.MediaBox)
            assert (x1 - x0, y1 - y0) == pytest.approx(trim, abs=0.01)
            assert list(page.obj.TrimBox) == list(page.obj.MediaBox)
        x0, y0, x1, y1 = (float(v) for v in p.pages[0].obj.MediaBox)
        assert x1 - x0 > trim[0] + 8  # print keeps its bleed
        assert "/StructTreeRoot" not in p.Root  # and its untagged file
        assert "pdfuaid:part" not in str(p.open_metadata())
    assert_pdf_ua(screen_pdf, "en-US", "The Question of Method: Essays and Lectures on "
                                       "Writing History")


def test_screen_pdf_of_a_book_with_cover_image_cmyk_figure_and_bleed(tmp_path):
    result, print_pdf, screen_pdf = both(BOOK, tmp_path)
    assert sorted({d.code for d in result.diagnostics}) == ["A021"]  # the CMYK JPEG, said
    assert_pdf_ua(screen_pdf, "en-GB", "A Window on the Mill")
    with pikepdf.open(print_pdf) as p:
        spaces = {str(x.ColorSpace) for pg in p.pages
                  for x in dict(pg.obj.Resources.get("/XObject", {})).values()
                  if x.get("/Subtype") == "/Image"}
        assert "/DeviceCMYK" in spaces  # print keeps the CMYK original
    with pikepdf.open(screen_pdf) as s:
        cover = s.pages[0].obj.Resources.XObject.Cover
        assert (cover.Subtype, int(cover.Width), int(cover.Height)) == ("/Image", 1600, 2560)
        assert s.open_metadata().get("dc:identifier") == "urn:isbn:9781739000073"
    copyright_page = next(t for t in page_texts(screen_pdf) if "Northfield Press" in t
                          and "ISBN" in t)
    assert "ISBN 978-1-7390000-7-3 (PDF)" in copyright_page


@pytest.mark.skipif(not SAMPLE_NAMES, reason="needs the sample books in /work/shared")
@pytest.mark.parametrize("name", [pytest.param(n, marks=pytest.mark.slow)
                                  if n == "the-brothers-karamazov" else n
                                  for n in SAMPLE_NAMES])
def test_screen_pdf_of_each_sample(name, tmp_path):
    root = SAMPLES / name
    result = build_book(root, ["screen"], tmp_path)
    assert result.ok, [d.format() for d in result.diagnostics]
    assert not result.diagnostics.warnings, [d.format() for d in result.diagnostics]
    (artifact,) = result.artifacts
    from make_book.config.load import load_book_metadata
    meta = load_book_metadata(root)
    title = meta.title + (f": {meta.subtitle}" if meta.subtitle else "")
    assert_pdf_ua(artifact.path, meta.lang, title)
    with pikepdf.open(artifact.path) as pdf:
        assert pdf.pages[0].label == "Cover"
        assert pdf.pages[1].label == "i"
        assert len(outline(pdf)) > 0


def test_screen_pdf_is_reproducible(tmp_path, monkeypatch):
    """Two builds from the same source at the same SOURCE_DATE_EPOCH write the same bytes:
    the document /ID comes from the content, not from a random number (qpdf keeps the
    first half of an /ID it is given, so each save on the way must be deterministic)."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    pdfs = []
    for run in ("a", "b"):
        result = build_book(BOOK, ["screen"], tmp_path / run)
        assert result.ok, [d.format() for d in result.diagnostics]
        pdfs.append(artifact_path(tmp_path / run, result.slug, "screen").read_bytes())
    assert pdfs[0] == pdfs[1]
