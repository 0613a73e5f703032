"""PDF finishing: page labels, boxes, metadata, deterministic bytes."""

from __future__ import annotations

import io
from datetime import datetime, timezone
from types import SimpleNamespace

import pikepdf
import pytest

from make_book.render.pdf_geometry import geometry_for
from make_book.render.pdf_post import (LabelRange, PdfInfo, finish, folio_ranges, page_labels,
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


def test_finish_sets_boxes_labels_and_metadata():
    g = geometry_for(SimpleNamespace(trim_size=(432.0, 648.0), bleed_pt=9.0, marks="crop"), 10)
    data = blank_pdf(4, 450, 666, -9)
    info = PdfInfo("A Title", ("A. Author",), "About it", ("one", "two"), "en-GB")
    result = finish(data, geometry=g, labels=folio_ranges(4, 2), info=info, source_date=WHEN)
    assert result.notes == []
    with pikepdf.open(io.BytesIO(result.data)) as pdf:
        for page in pdf.pages:
            assert [float(v) for v in page.obj.MediaBox] == [-9, -9, 441, 657]
            assert [float(v) for v in page.obj.BleedBox] == [-9, -9, 441, 657]
            assert [float(v) for v in page.obj.TrimBox] == [0, 0, 432, 648]
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
