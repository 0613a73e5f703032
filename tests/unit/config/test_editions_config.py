"""book.yaml's printings, edition-number and formats: each problem at its line."""

from __future__ import annotations

import pytest

from make_book.config.load import load_book_metadata
from make_book.errors import MakeBookError


def load(tmp_path, body: str):
    (tmp_path / "book.yaml").write_text("title: T\nlang: en\n" + body, encoding="utf-8")
    return load_book_metadata(tmp_path)


def problems(tmp_path, body: str) -> list[tuple[int, str]]:
    with pytest.raises(MakeBookError) as exc:
        load(tmp_path, body)
    return [(d.line, d.code) for d in exc.value.diagnostics]


def test_the_latest_printing_is_the_current_one(tmp_path):
    meta = load(tmp_path, "printings:\n  - {number: 1, date: 2024-03}\n"
                "  - {number: 2, date: 2025-01, corrections: one word}\n"
                "edition-number: 2\n")
    assert meta.current_printing.number == 2
    assert meta.current_printing.year == 2025
    assert meta.current_printing.corrections == "one word"
    assert meta.edition_number == 2
    assert meta.formats == ("epub", "pdf")  # the default


def test_printing_alone_still_works(tmp_path):
    assert load(tmp_path, "printing: 3\n").current_printing.number == 3
    assert load(tmp_path, "printing: First printing, 2024\n").current_printing is None
    assert load(tmp_path, "").current_printing is None


def test_printing_and_printings_together_is_an_error(tmp_path):
    assert problems(tmp_path, "printing: 2\nprintings:\n  - {number: 1}\n") == [(4, "M090")]


def test_printings_out_of_order(tmp_path):
    found = problems(tmp_path, "printings:\n  - {number: 2, date: 2024-03}\n"
                     "  - {number: 2, date: 2025}\n  - {number: 3, date: 2023}\n")
    assert found == [(5, "M092"), (6, "M092")]


def test_a_printing_number_must_be_positive(tmp_path):
    assert problems(tmp_path, "printings:\n  - {number: 0}\n") == [(4, "M020")]


def test_unknown_and_repeated_formats_at_their_lines(tmp_path):
    found = problems(tmp_path, "formats:\n  - epub\n  - pfd\n  - epub\n  - web\n")
    assert found == [(5, "M091"), (6, "M093")]
    meta = load(tmp_path, "formats: [epub, pdf, screen, web, kepub, kindle]\n")
    assert meta.formats == ("epub", "pdf", "screen", "web", "kepub", "kindle")
