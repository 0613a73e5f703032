"""The copyright page's printing lines: the number line and the reprint statement."""

from __future__ import annotations

from types import SimpleNamespace

from make_book.config.metadata import BookMetadata
from make_book.render.credits import english_ordinal, printing_line, reprint_line


def book(**data):
    return SimpleNamespace(meta=BookMetadata.model_validate({"title": "T", "lang": "en",
                                                             **data}))


TWO = [{"number": 1, "date": "2024-03"}, {"number": 2, "date": "2025-01"}]


def test_the_latest_printing_drives_the_number_line():
    assert printing_line(book(printings=TWO)) == "10 9 8 7 6 5 4 3 2"
    assert printing_line(book(printings=TWO[:1])) == "10 9 8 7 6 5 4 3 2 1"
    assert printing_line(book(printing="12")) == "20 19 18 17 16 15 14 13 12"
    assert printing_line(book()) is None


def test_a_reprint_says_which_printing_and_when():
    assert reprint_line(book(printings=TWO), {}) == "Second printing 2025"
    assert reprint_line(book(printings=TWO), {"printing-statement": "{n}. Druck {year}"}) \
        == "2. Druck 2025"
    assert reprint_line(book(printings=[{"number": 1}, {"number": 3}]), {}) == "Third printing"
    # the first printing's date is the edition's; printing: N has no date to say
    assert reprint_line(book(printings=TWO[:1]), {}) is None
    assert reprint_line(book(printing="2"), {}) is None


def test_a_layout_string_with_unknown_placeholders_falls_back():
    assert reprint_line(book(printings=TWO), {"printing-statement": "{count} {x}"}) \
        == "Second printing 2025"


def test_english_ordinals():
    assert [english_ordinal(n) for n in (1, 2, 20, 21, 22, 23, 111, 112)] == [
        "First", "Second", "Twentieth", "21st", "22nd", "23rd", "111th", "112th"]
