"""PDF finishing: page labels, boxes, metadata, deterministic bytes."""

from __future__ import annotations

import io
from datetime import datetime, timezone
from types import SimpleNamespace

import pikepdf
import pytest

from make_book.render.print.geometry import geometry_for
from make_book.render.print.post import (LabelRange, PdfInfo, finish, folio_ranges, page_labels,
                                       pdf_date, xmp_date)

WHEN = datetime(2024, 5, 1, 12, 0, tzinfo=timezone.utc)


def test_folio_ranges():
    assert folio_ranges(30, 12) == [LabelRange(0, "r"), LabelRange(12, "D")]
    assert folio_ranges(30, 0) == [LabelRange(0, "D")]
    assert folio_ranges(30, None) == [LabelRange(0, "r")]


def test_page_labels_number_tree():
    labels = page_labels([LabelRange(8, "D"), LabelRange(0, "r")])
    nums = list(labels.Nums)
    assert [int(nums[0]), str(nums[1].S), int(nums[2]), str(nums[3].S)] == [0, "/r", 8, "/D"]


def test_dates():
    assert pdf_date(WHEN) == "D:20240501120000+00'00'"
    assert xmp_date(WHEN) == "2024-05-01T12:00:00Z"


def blank_pdf(pages: int, w: float, h: float, origin: float) -> bytes:
    pdf = pikepdf.new()
    for _ in range(pages):
        pdf.add_blank_page(page_size=(w, h))
        pdf.pages[-1].obj.MediaBox = pikepdf.Array([origin, origin, origin + w, origin + h])
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def boxes(page) -> tuple[list[float], ...]:
    return tuple([float(v) for v in page.obj[name]]
                 for name in ("/MediaBox", "/BleedBox", "/TrimBox"))


def test_bleed_on_the_outer_edges_recto_and_verso():
    g = geometry_for(SimpleNamespace(trim_size=(432.0, 648.0), bleed_pt=9.0, marks="none"), 10)
    result = finish(blank_pdf(2, 450, 666, -9), geometry=g, labels=[], info=PdfInfo("T"),
                    source_date=WHEN)
    assert result.notes == []
    with pikepdf.open(io.BytesIO(result.data)) as pdf:
        recto, verso = (boxes(p) for p in pdf.pages)
        # a recto has no bleed on its left (spine) edge, a verso none on its right
        assert recto == ([0, -9, 441, 657], [0, -9, 441, 657], [0, 0, 432, 648])
        assert verso == ([-9, -9, 432, 657], [-9, -9, 432, 657], [0, 0, 432, 648])
        assert b"1 1 1 1 K" not in pdf.pages[0].Contents.read_bytes()


def test_no_bleed_is_the_trim():
    g = geometry_for(SimpleNamespace(trim_size=(432.0, 648.0), bleed_pt=9.0, marks="none",
                                     bleed_auto=True), 10)
    result = finish(blank_pdf(2, 432, 648, 0), geometry=g, labels=[], info=PdfInfo("T"),
                    source_date=WHEN)
    with pikepdf.open(io.BytesIO(result.data)) as pdf:
        for page in pdf.pages:
            assert boxes(page) == ([0, 0, 432, 648],) * 3


def test_finish_sets_boxes_marks_labels_and_metadata():
    g = geometry_for(SimpleNamespace(trim_size=(432.0, 648.0), bleed_pt=9.0, marks="crop"), 10)
    data = blank_pdf(4, 450, 666, -9)
    info = PdfInfo("A Title", ("A. Author",), "About it", ("one", "two"), "en-GB")
    result = finish(data, geometry=g, labels=folio_ranges(4, 2), info=info, source_date=WHEN)
    assert result.notes == []
    s = g.slug
    with pikepdf.open(io.BytesIO(result.data)) as pdf:
        for index, page in enumerate(pdf.pages):
            media, bleed, trim = boxes(page)
            assert media == [-s, -s, 432 + s, 648 + s]  # a slug round the trim for the marks
            assert bleed == ([0, -9, 441, 657] if index % 2 == 0 else [-9, -9, 432, 657])
            assert trim == [0, 0, 432, 648]
            drawn = b"\n".join(c.read_bytes() for c in page.obj.Contents)
            assert drawn.startswith(b"q %.4f" % bleed[0])  # the page clipped to its bleed
            marks = [line for line in drawn.split(b"\n") if line.endswith(b" l S")]
            assert len(marks) == 8
            for line in marks:  # every mark lies beyond the bleed, on a trim line
                x1, y1, _, x2, y2 = line.split()[:5]
                x1, y1, x2, y2 = (float(v) for v in (x1, y1, x2, y2))
                outside = (min(x1, x2) >= 432 + 9 or max(x1, x2) <= -9
                           or min(y1, y2) >= 648 + 9 or max(y1, y2) <= -9)
                assert outside and ({x1, x2} & {0, 432} or {y1, y2} & {0, 648})
        assert str(pdf.docinfo.Title) == "A Title"
        assert str(pdf.docinfo.Keywords) == "one; two"
        assert str(pdf.Root.Lang) == "en-GB"
        assert bool(pdf.Root.ViewerPreferences.DisplayDocTitle)
        meta = pdf.open_metadata()
        assert meta["dc:creator"] == ["A. Author"]
        assert meta["xmp:ModifyDate"] == "2024-05-01T12:00:00Z"
    again = finish(data, geometry=g, labels=folio_ranges(4, 2), info=info, source_date=WHEN)
    assert again.data == result.data  # the /ID comes from the content


def test_finish_notes_a_wrong_sheet():
    g = geometry_for(SimpleNamespace(trim_size=(432.0, 648.0), bleed_pt=9.0, marks="none"), 10)
    result = finish(blank_pdf(1, 612, 792, 0), geometry=g, labels=[], info=PdfInfo("T"),
                    source_date=WHEN)
    assert result.notes and "MediaBox" in result.notes[0]
    with pytest.raises(KeyError):
        with pikepdf.open(io.BytesIO(result.data)) as pdf:
            pdf.Root["/PageLabels"]
