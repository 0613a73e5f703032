"""End to end: render the hand-built test book to PDF, then inspect the laid-out pages
(WeasyPrint's ``Document.pages``) and the written PDF (pikepdf, pdftotext)."""

from __future__ import annotations

from functools import partial
import io
import itertools
import re
import shutil
import subprocess

import pikepdf
import pytest
from weasyprint.formatting_structure import boxes as wp_boxes

from make_book.errors import Diagnostics, MakeBookError
from make_book.render.print import piece_layout
from make_book.render.print import plan as print_plan
from make_book.render.print import geometry as pdf_geometry
from make_book.render.print.note_splits import base_note_id
from make_book.render.print.renderer import render_pdf, render_print
from tests.unit.render.test_pdf_fixtures import SOURCE_DATE, default_layout, make_book

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None,
                                reason="pdftotext (poppler-utils) is needed")


def walk(box):
    """Every box of a laid-out page, depth first."""
    yield box
    for child in getattr(box, "children", None) or ():
        yield from walk(child)


def roman(n: int) -> str:
    out = ""
    for value, letters in ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"),
                           (90, "xc"), (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"),
                           (4, "iv"), (1, "i")):
        while n >= value:
            out, n = out + letters, n - value
    return out


class Rendered:
    def __init__(self, root, lay_out=None, **options):
        self.book = make_book(root, **options)
        self.diagnostics = Diagnostics()
        self.result = render_print(self.book, default_layout(root), source_date=SOURCE_DATE,
                                   diagnostics=self.diagnostics, lay_out=lay_out)
        self.pdf_path = root / "out.pdf"
        self.pdf_path.write_bytes(self.result.pdf)
        self.pages = self.result.document.pages
        self.body_start = self.result.laid_out.body_start
        self._text: dict[int, str] = {}

    def text(self, index: int) -> str:
        """pdftotext -layout of one page (0-based index)."""
        if index not in self._text:
            self._text[index] = subprocess.run(
                ["pdftotext", "-layout", "-f", str(index + 1), "-l", str(index + 1),
                 str(self.pdf_path), "-"], capture_output=True, text=True, check=True).stdout
        return self._text[index]

    def lines(self, index: int) -> list[str]:
        return [ln.strip() for ln in self.text(index).splitlines() if ln.strip()]

    def first_page(self, anchor: str) -> int:
        for i, page in enumerate(self.pages):
            if anchor in page.anchors:
                return i
        raise AssertionError(f"anchor {anchor} on no page")

    def label(self, index: int) -> str:
        if self.body_start is None or index < self.body_start:
            return roman(index + 1)
        return str(index - self.body_start + 1)

    def codes(self) -> list[str]:
        return [d.code for d in self.diagnostics]


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    return Rendered(tmp_path_factory.mktemp("print"))


@pytest.fixture(scope="module")
def endnotes_book(tmp_path_factory):
    return Rendered(tmp_path_factory.mktemp("print-endnotes"), notes="endnotes")


def openings(r: Rendered) -> dict[str, int]:
    """First page of every piece that must open on a recto."""
    ids = ["mb-contents", "part-one"] + [
        (c.headings[0].id if c.headings else c.file_id) for c in r.book.chapters]
    return {i: r.first_page(i) for i in ids}


# ----------------------------------------------------------------------------- diagnostics

def test_no_unexpected_diagnostics(book):
    # the very long note runs on over the next pages (no P004); nothing is reported, in
    # particular no WeasyPrint message (P005/P008)
    assert book.codes() == [], [d.format() for d in book.diagnostics]


# ----------------------------------------------------------------------------- sheet

def test_boxes_on_every_page(book):
    """bleed: 0.125in, marks: crop. The bleed on the three outer edges (KDP: 6.125 x 9.25 in),
    never on the spine side; the marks in a slug beyond it."""
    g = book.result.geometry
    assert g.bleed == 9.0 and g.slug > g.bleed
    with pikepdf.open(io.BytesIO(book.result.pdf)) as pdf:
        assert len(pdf.pages) == len(book.pages)
        for index, page in enumerate(pdf.pages):
            media = [float(v) for v in page.obj.MediaBox]
            trim = [float(v) for v in page.obj.TrimBox]
            bleed = [float(v) for v in page.obj.BleedBox]
            assert trim[2] - trim[0] == pytest.approx(432, abs=0.01)
            assert trim[3] - trim[1] == pytest.approx(648, abs=0.01)
            assert bleed[2] - bleed[0] == pytest.approx(432 + 9, abs=0.01)
            assert bleed[3] - bleed[1] == pytest.approx(648 + 18, abs=0.01)
            spine = 0 if index % 2 == 0 else 2  # a recto's left edge, a verso's right
            assert bleed[spine] == pytest.approx(trim[spine], abs=0.01)
            assert [t - m for t, m in zip(trim[:2], media[:2])] == pytest.approx([g.slug] * 2)
            assert [m - t for t, m in zip(trim[2:], media[2:])] == pytest.approx([g.slug] * 2)


def test_mirrored_margins_with_gutter(book):
    g = book.result.geometry
    assert g.inside > g.outside
    px = 96 / 72
    for index, page in enumerate(book.pages):
        box = page._page_box
        recto = index % 2 == 0
        inside = box.margin_left if recto else box.margin_right
        outside = box.margin_right if recto else box.margin_left
        assert inside == pytest.approx(g.inside * px, abs=0.01), index
        assert outside == pytest.approx(g.outside * px, abs=0.01), index


def test_page_labels_match_front_and_body(book):
    with pikepdf.open(io.BytesIO(book.result.pdf)) as pdf:
        nums = list(pdf.Root.PageLabels.Nums)
    assert int(nums[0]) == 0 and str(nums[1].S) == "/r"
    assert int(nums[2]) == book.body_start and str(nums[3].S) == "/D"
    assert book.body_start == book.first_page("part-one")


# ----------------------------------------------------------------------------- pages

def test_openings_on_rectos(book):
    for anchor, index in openings(book).items():
        assert index % 2 == 0, f"{anchor} opens on page index {index}, a verso"


def test_part_title_has_blank_verso(book):
    part = book.first_page("part-one")
    assert book.lines(part + 1) == []


def test_blank_pages_carry_nothing(book):
    blanks = [i for i, p in enumerate(book.pages) if not book.lines(i)]
    assert blanks, "the test book has blank versos"
    for i in blanks:
        assert i % 2 == 1, "only versos are left blank"


def test_folios_roman_then_arabic(book):
    opening_pages = set(openings(book).values())
    checked = 0
    for index in range(len(book.pages)):
        lines = book.lines(index)
        if not lines or index < book.first_page("mb-contents"):
            continue  # blank and display pages print no folio
        if index == book.first_page("part-one") or index == book.first_page("dedication"):
            continue
        expected = book.label(index)
        if index in opening_pages:
            assert lines[-1] == expected, (index, lines[-1])  # drop folio at the foot
        else:
            head = lines[0].split()
            folio = head[0] if index % 2 else head[-1]  # outside corner
            assert folio == expected, (index, lines[0])
        checked += 1
    assert checked > 20


def test_running_heads(book):
    opening_pages = set(openings(book).values())
    title = "the weavers of the volga"
    strike = book.first_page("the-strike")
    after = book.first_page("after")
    seen_verso = seen_recto = 0
    for index in range(len(book.pages)):
        lines = book.lines(index)
        if not lines:
            continue
        head = lines[0].lower()
        if index in opening_pages:
            assert title not in head and "three days" not in head, (index, head)
            continue
        if index < book.first_page("mb-contents"):
            continue
        if index % 2 == 1:
            assert title in head, (index, head)
            seen_verso += 1
        elif strike < index < after:
            assert "the three days" in head, (index, head)  # the short title
            assert "weaving shed" not in head
            seen_recto += 1
    assert seen_verso > 5 and seen_recto > 2


def test_display_pages_have_no_running_head_or_folio(book):
    for index in range(book.first_page("mb-contents")):
        for line in book.lines(index):
            assert not re.fullmatch(r"[ivxlc]+|\d+", line), (index, line)


def test_footnotes_on_the_page_of_their_call(book):
    laid = book.result.laid_out
    assert len({base_note_id(n) for n in laid.note_pages}) == 5
    for note_id, (ref_id, _) in laid.source.note_calls.items():
        assert laid.note_pages[note_id] == laid.call_pages[ref_id], note_id
    mill = book.first_page("the-mill") + 1
    text = " ".join(book.lines(laid.note_pages["the-mill-note-1"]))
    assert "founded in 1872 by a Moscow merchant family" in text
    assert laid.note_pages["the-mill-note-1"] == mill


def test_footnotes_numbered_per_chapter(book):
    notes = {}
    for page in book.pages:
        for child in page._page_box.children:
            if isinstance(child, wp_boxes.FootnoteAreaBox):
                for box in child.children:
                    notes[box.element.get("id")] = box.element.get("data-n")
    assert notes["the-mill-note-1"] == "1" and notes["the-mill-note-2"] == "2"
    assert notes["the-strike-note-1"] == "1"
    assert notes["preface-note-1"] == "1"


def test_long_footnote_runs_on_over_the_next_pages(book):
    """The 14-paragraph note is too tall for the foot of one page (WeasyPrint splits no
    note): it begins at the foot of its call's page and goes on at the foot of the pages
    that follow, each part on the page after the one before, every paragraph printed
    once, in order, before the next chapter."""
    laid = book.result.laid_out
    assert "the-strike-note-2" not in book.result.endnote_ids
    call = book.first_page("the-strike-noteref-2")
    parts = sorted((n for n in laid.note_pages if base_note_id(n) == "the-strike-note-2"),
                   key=lambda n: laid.note_pages[n])
    pages = [laid.note_pages[n] for n in parts]
    assert len(parts) >= 2 and pages[0] == call
    assert pages == list(range(call, call + len(pages)))
    for part in parts[1:]:  # each continuation hangs on a line of its own page
        ref = laid.source.note_calls[part][0]
        assert laid.call_pages[ref] == laid.note_pages[part]
    found = {}
    for index in range(len(book.pages)):
        joined = re.sub(r"\u2010\s*\n\s*", "", book.text(index))  # undo hyphenation
        for k in map(int, re.findall(r"Marker(\d\d)end", joined)):
            found.setdefault(k, []).append(index)
    assert sorted(found) == list(range(14)), "every paragraph of the note is printed"
    assert all(len(v) == 1 for v in found.values()), "and printed once"
    order = [found[k][0] for k in range(14)]
    assert order == sorted(order) and order[0] >= call
    assert max(order) == pages[-1] < book.first_page("after")
    assert "P004" not in book.codes()


def test_endnotes_mode(endnotes_book):
    r = endnotes_book
    assert "P004" not in r.codes()
    for page in r.pages:
        for child in page._page_box.children:
            if isinstance(child, wp_boxes.FootnoteAreaBox):
                assert not child.children, "no footnotes in endnotes mode"
    for chapter in ("the-mill", "the-strike", "preface"):
        note = r.first_page(f"{chapter}-note-1")
        call = r.first_page(f"{chapter}-noteref-1")
        assert note >= call
        assert "notes" in " ".join(r.lines(note)).lower()


def test_toc_page_numbers_are_the_real_folios(book):
    toc = book.first_page("mb-contents")
    lines = book.lines(toc)
    expect = {
        "Translator’s Preface": book.label(book.first_page("preface")),
        "The Mill on the High Bank": book.label(book.first_page("the-mill")),
        "The Looms": book.label(book.first_page("ch1-the-looms")),
        "After the Strike": book.label(book.first_page("after")),
        "Appendix A: Chronology": book.label(book.first_page("chronology")),
    }
    for title, folio in expect.items():
        line = next(ln for ln in lines if title in ln)
        assert line.split()[-1] == folio, (title, line)
    assert book.label(book.first_page("preface")) == "ix"


def test_pageref_prints_the_page(book):
    after = book.first_page("after")
    text = " ".join(" ".join(book.lines(i)) for i in range(after, after + 3))
    looms = book.label(book.first_page("ch1-the-looms"))
    assert f"(page {looms})" in text


def test_table_header_repeats(book):
    table_pages = [i for i in range(book.first_page("the-mill"), book.first_page("the-strike"))
                   if len(re.findall(r"^\s*19[2-7]\d\s", book.text(i), re.M)) >= 3]
    assert len(table_pages) >= 2, "the table breaks across pages"
    for i in table_pages:
        assert re.search(r"Year\s+Event\s+Bales", book.text(i)), i


def test_figures_never_enlarged_and_within_the_block(book):
    g = book.result.geometry
    widths = {}
    for page in book.pages:
        for box in walk(page._page_box):
            if isinstance(box, wp_boxes.ReplacedBox) and box.element is not None:
                widths[box.element.get("src")] = box.width * 72 / 96
    assert widths["images/mill.jpg"] == pytest.approx(g.text_width, abs=0.5)
    assert widths["images/stamp.jpg"] == pytest.approx(72, abs=0.5)  # 300 px at 300 dpi


def test_figure_kept_with_caption(book):
    for index in range(len(book.pages)):
        if "The Red Anchor mill from the river" in book.text(index):
            assert any(isinstance(b, wp_boxes.ReplacedBox)
                       for b in walk(book.pages[index]._page_box))
            break
    else:
        raise AssertionError("caption not found")


# ----------------------------------------------------------------------------- PDF

def test_outline_parts_chapters_sections(book):
    with pikepdf.open(io.BytesIO(book.result.pdf)) as pdf:
        with pdf.open_outline() as outline:
            top = {item.title: item for item in outline.root}
    assert "Contents" in top and "Translator’s Preface" in top
    part = top["Part One: The Town"]
    chapters = {c.title: c for c in part.children}
    assert set(chapters) == {"1. The Mill on the High Bank",
                             "2. The Three Days in the Autumn When the Weaving Shed Fell Silent"}
    sections = [s.title for s in chapters["1. The Mill on the High Bank"].children]
    assert sections == ["The Looms", "Output by Year"]
    assert "3. After the Strike" in top and "Appendix A: Chronology" in top


def test_fonts_embedded_and_only_the_layouts(book):
    names = set()
    with pikepdf.open(io.BytesIO(book.result.pdf)) as pdf:
        for page in pdf.pages:
            for _, font in page.obj.Resources.get("/Font", {}).items():
                names.add(str(font.BaseFont))
                fonts = [font] + list(font.get("/DescendantFonts", []))
                descriptors = [f.FontDescriptor for f in fonts if "/FontDescriptor" in f]
                assert descriptors
                for d in descriptors:
                    assert any(k in d for k in ("/FontFile", "/FontFile2", "/FontFile3")), \
                        font.BaseFont
    assert names
    families = tuple(re.sub(r"\s+", "", f.family)
                     for f in default_layout(book.book.root).fonts)
    for name in names:
        bare = re.sub(r"[-,]", "", name.lstrip("/").split("+", 1)[-1])
        assert bare.startswith(families), name
    assert any("Libertinus-Serif" in n for n in names)


def test_internal_links_live(book):
    internal = 0
    with pikepdf.open(io.BytesIO(book.result.pdf)) as pdf:
        toc = pdf.pages[book.first_page("mb-contents")]
        for page in pdf.pages:
            for annot in page.obj.get("/Annots", []):
                if annot.get("/Subtype") == "/Link" and (
                        "/Dest" in annot or annot.get("/A", {}).get("/S") == "/GoTo"):
                    internal += 1
        assert len(toc.obj.get("/Annots", [])) >= 7
    assert internal >= 10


def test_info_and_xmp_metadata(book):
    with pikepdf.open(io.BytesIO(book.result.pdf)) as pdf:
        info = pdf.docinfo
        assert str(info.Title) == "The Weavers of the Volga: Letters from a Factory Town"
        assert str(info.Author) == "Anna Vetrova"
        assert str(info.Subject).startswith("A schoolteacher")
        assert "Volga" in str(info.Keywords) and "HISTORY / Russia" in str(info.Keywords)
        assert str(info.CreationDate) == "D:20240501120000+00'00'"
        assert str(info.ModDate) == str(info.CreationDate)
        assert str(pdf.Root.Lang) == "en-GB"
        meta = pdf.open_metadata()
        assert meta["dc:title"] == "The Weavers of the Volga: Letters from a Factory Town"
        assert meta["xmp:CreateDate"] == "2024-05-01T12:00:00Z"
        assert "en-GB" in meta["dc:language"]


def test_reproducible_bytes(book, tmp_path):
    again = make_book(tmp_path / "again")
    # the same sources in another folder: paths must not leak into the PDF
    data = render_pdf(again, default_layout(tmp_path / "again"), source_date=SOURCE_DATE,
                      diagnostics=Diagnostics())
    assert data == book.result.pdf


def struct_types(pdf: pikepdf.Pdf) -> dict[str, list]:
    """The structure elements of a tagged PDF by type."""
    found: dict[str, list] = {}

    def walk(element):
        if isinstance(element, pikepdf.Array):
            for kid in element:
                walk(kid)
        elif isinstance(element, pikepdf.Dictionary) and "/S" in element:
            found.setdefault(str(element.S), []).append(element)
            if "/K" in element:
                walk(element.K)

    walk(pdf.Root.StructTreeRoot.K)
    return found


def test_untagged_unless_asked(book):
    with pikepdf.open(book.pdf_path) as pdf:
        assert "/StructTreeRoot" not in pdf.Root


def test_tagged_pdf_on_request(tmp_path):
    """``print: {tagged: true}``: a structure tree in reading order, headings, figures with
    their alt text, tables with header cells, pages read in structure order; still the same
    bytes twice."""
    settings = {"trim": "us-trade", "bleed": "0.125in", "marks": "crop", "tagged": True}
    tagged = Rendered(tmp_path / "tagged", print=settings)
    with pikepdf.open(tagged.pdf_path) as pdf:
        assert pdf.Root.MarkInfo.Marked
        assert str(pdf.Root.Lang) == "en-GB"
        types = struct_types(pdf)
        for kind in ("/H1", "/H2", "/P", "/Figure", "/Table", "/TH", "/L", "/Link"):
            assert types.get(kind), kind
        assert all(str(f.get("/Alt", "")).strip() for f in types["/Figure"])
        assert all(str(page.obj.get("/Tabs")) == "/S" for page in pdf.pages)
    again = make_book(tmp_path / "again", print=settings)
    data = render_pdf(again, default_layout(tmp_path / "again"), source_date=SOURCE_DATE,
                      diagnostics=Diagnostics())
    assert data == tagged.result.pdf


def test_text_hyphenated_and_justified(book):
    hyphenated = sum(ln.endswith("\u2010") for i in range(len(book.pages))
                     for ln in book.lines(i))
    assert hyphenated > 5
    assert longest_hyphen_run(book) <= 2
    # English words are only broken with 2 letters before and 3 after (print.css :lang(en))
    lines = [ln for i in range(len(book.pages)) for ln in book.lines(i)]
    for ln, following in itertools.pairwise(lines):
        if ln.endswith("\u2010"):
            assert re.search(r"[^\W\d_]{2}\u2010$", ln), ln
            assert re.match(r"[^\W\d_]{3}", following), following


def longest_hyphen_run(r: Rendered) -> int:
    longest = 0
    for i in range(len(r.pages)):
        run = 0
        for ln in r.lines(i):
            run = run + 1 if ln.endswith("\u2010") else 0
            longest = max(longest, run)
    return longest


def test_at_most_two_hyphenated_lines_in_a_row(tmp_path):
    """The layout's limit (layout.yaml ``print: hyphenate-limit-lines``, two in the house
    style) holds in long-worded text that WeasyPrint alone sets with ladders."""
    words = ("revolutionary administration representatives correspondence international "
             "organisation extraordinary consideration responsibility manufacturers").split()
    body = "".join("<p>" + " ".join(words[(k + i) % len(words)] for i in range(90)) + ".</p>"
                   for k in range(6))
    limited = Rendered(tmp_path / "limited", extra_body=body)
    root = tmp_path / "unlimited"
    (root / "layout").mkdir(parents=True)
    (root / "layout" / "layout.yaml").write_text("print:\n  hyphenate-limit-lines: none\n",
                                                 encoding="utf-8")
    unlimited = Rendered(root, extra_body=body)
    assert longest_hyphen_run(unlimited) >= 3
    assert longest_hyphen_run(limited) == 2


# ----------------------------------------------------------------------------- gutter

def test_gutter_grows_with_page_count(tmp_path, monkeypatch):
    """When the laid-out page count lands in a wider gutter band than the estimate, the book
    is laid out again with that gutter; the measure stays, so the count does not move."""
    monkeypatch.setattr(pdf_geometry, "KDP_GUTTER_BANDS", ((20, 0.375), (10_000, 0.75)))
    monkeypatch.setattr(print_plan, "estimate_pages", lambda book, geometry: 10)
    book = make_book(tmp_path / "b", long_note=False)
    diagnostics = Diagnostics()
    result = render_print(book, default_layout(tmp_path / "b"), source_date=SOURCE_DATE,
                          diagnostics=diagnostics)
    assert result.layouts == 2
    g = result.geometry
    assert g.inside == pytest.approx(72.0)  # 0.75 + 0.25 in
    base = pdf_geometry.geometry_for(book.meta.print, 10)
    assert g.text_width == pytest.approx(base.text_width)
    assert g.pages == len(result.document.pages) > 20


# ----------------------------------------------------------------------------- glyphs

def test_missing_glyph_stops_the_book_before_layout(tmp_path, monkeypatch):
    book = make_book(tmp_path / "g", long_note=False,
                     extra_body="<p>A grin \U0001F600 and a word \u4e2d\u6587.</p>")

    def no_layout(*args, **kwargs):
        raise AssertionError("the book was laid out despite a missing glyph")

    monkeypatch.setattr(piece_layout, "lay_out_piece", no_layout)
    diagnostics = Diagnostics()
    with pytest.raises(MakeBookError) as stopped:
        render_pdf(book, default_layout(tmp_path / "g"), source_date=SOURCE_DATE,
                   diagnostics=diagnostics)
    p001 = [d for d in stopped.value.diagnostics if d.code == "P001"]
    assert {d.path for d in p001} == {book.chapters[3].source}
    messages = " ".join(d.message for d in p001)
    assert "U+1F600 GRINNING FACE" in messages and "U+4E2D" in messages
    assert len(p001) == 3 and all(d.is_error for d in p001)  # each character once


# ----------------------------------------------------------------------------- note stress

def test_notes_at_every_height_of_the_page(tmp_path):
    """24 notes of 1 to 40 lines, called at every height of the page: each is printed whole,
    at the foot of its call's page, the longest going on at the foot of the next pages;
    never lost, never before its call, never moved away from it."""
    r = Rendered(tmp_path / "stress", long_note=False, many_notes=True)
    assert not [d for d in r.diagnostics if d.code in ("P005", "P008", "P009")], \
        [d.format() for d in r.diagnostics]
    laid = r.result.laid_out
    moved = r.result.endnote_ids
    after = r.first_page("after")
    pages_text = {}
    for index in range(after, len(r.pages)):
        pages_text[index] = re.sub(r"\u2010\s*\n\s*", "", r.text(index))
    for k in range(1, 25):
        note_id = f"after-note-{k}"
        call = r.first_page(f"after-noteref-{k}")
        where = [i for i, t in pages_text.items() if f"Note{k:02d}end" in t]
        assert len(where) == 1, (k, where)
        assert laid.note_pages[note_id] == call, k
        parts = sorted(laid.note_pages[n] for n in laid.note_pages
                       if base_note_id(n) == note_id)
        assert parts == list(range(call, call + len(parts))), k  # on the pages that follow
        assert where[0] == parts[-1], k  # the note ends in its last part
    # the notes of 24 and 40 lines (k % 9 in 6, 8), about half a page or more, run on to
    # the next page; so may a shorter one that did not fit under its call's line (rather
    # than push the line over and leave the page short); none is moved away from its call
    split = {base_note_id(n) for n in laid.note_pages if n != base_note_id(n)}
    assert split >= {f"after-note-{k + 1}" for k in range(24) if k % 9 in (6, 8)}, split
    assert len(split) <= 8, split
    assert not moved and "P004" not in [d.code for d in r.diagnostics]


def test_book_without_parts_starts_arabic_at_the_first_chapter(tmp_path):
    r = Rendered(tmp_path / "flat", long_note=False, with_parts=False)
    first = r.first_page("the-mill")
    assert r.body_start == first and first % 2 == 0
    assert r.lines(first)[-1] == "1"
    assert r.lines(first - 2)[-1] != "1"  # the preface page before it is roman
    with pikepdf.open(io.BytesIO(r.result.pdf)) as pdf:
        nums = list(pdf.Root.PageLabels.Nums)
        with pdf.open_outline() as outline:
            titles = [item.title for item in outline.root]
    assert int(nums[2]) == first
    assert "1. The Mill on the High Bank" in titles  # chapters at the top level


def test_low_resolution_figures_are_reported(tmp_path):
    """Figures are never enlarged past 300 dpi by the house style; an author's own width
    can still do it, and is reported: under 300 dpi P002, under 150 dpi P003 (warnings;
    --strict fails on them)."""
    extra = ('<figure><img src="images/stamp.jpg" alt="a" style="width: 1.5in"/></figure>'
             '<figure><img src="images/stamp.jpg" alt="b" width="400"/></figure>')
    book = make_book(tmp_path / "lo", long_note=False, extra_body=extra)
    diagnostics = Diagnostics()
    render_pdf(book, default_layout(tmp_path / "lo"), source_date=SOURCE_DATE,
               diagnostics=diagnostics)
    found = {d.code: d for d in diagnostics if d.code in ("P002", "P003")}
    assert "images/stamp.jpg prints at 200 dpi" in found["P002"].message
    assert found["P002"].path == book.chapters[3].source
    assert not found["P002"].is_error
    assert "images/stamp.jpg prints at 72 dpi, under 150" in found["P003"].message
    assert [d.code for d in diagnostics if d.code in ("P002", "P003")] == ["P002", "P003"]


def test_a_long_note_left_unfinished_goes_to_the_chapters_end(tmp_path, monkeypatch):
    """Out of repair rounds before a long note's rest found its page, the note is printed
    whole at the end of its chapter with a P004 saying why, never cut short."""
    r = Rendered(tmp_path / "rounds", lay_out=partial(piece_layout.lay_out_piece, rounds=1,
                                                      split_rounds=0))
    assert "the-strike-note-2" in r.result.endnote_ids
    p004 = [d for d in r.diagnostics if d.code == "P004"]
    assert len(p004) == 1 and "ran out of rounds" in p004[0].message
    assert "P009" not in r.codes()
    found = set()
    for index in range(len(r.pages)):
        joined = re.sub(r"\u2010\s*\n\s*", "", r.text(index))
        found |= set(map(int, re.findall(r"Marker(\d\d)end", joined)))
    assert found == set(range(14))
