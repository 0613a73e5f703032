"""End to end: a bibliography's entries hang (Chicago 14.64) and its headnote is set as
text, read from the printed page's characters."""

from __future__ import annotations

import pypdfium2 as pdfium
from typer.testing import CliRunner

from make_book.cli import app


def _line_lefts(pdf_path, start: str, end: str) -> list[float]:
    """The left edge of each printed line of the text from ``start`` up to ``end``."""
    for page in pdfium.PdfDocument(pdf_path):
        text = page.get_textpage()
        all_text = text.get_text_range(0, text.count_chars())
        first = all_text.find(start)
        last = all_text.find(end, first + 1)
        if first < 0 or last < 0:
            continue
        # a line's characters: pdfium's text order, a new line where the baseline drops
        # by more than half a line (italic and roman boxes differ by a point or two)
        lefts: list[float] = []
        baseline = None
        for i in range(first, last):
            if not all_text[i].strip():
                continue
            left, bottom, _, top = text.get_charbox(i)
            if baseline is None or baseline - bottom > (top - bottom) * 0.8:
                lefts.append(left)
                baseline = bottom
            else:
                lefts[-1] = min(lefts[-1], left)
        return lefts
    raise AssertionError(f"{start!r} ... {end!r} not found")


def test_entries_hang_and_the_headnote_does_not(book_copy, tmp_path):
    root = book_copy("the-question-of-method")
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["build", str(root), "--format", "pdf", "--out",
                                      str(out)])
    assert result.exit_code == 0, result.output
    pdf = out / root.name / f"{root.name}-print.pdf"
    entry = _line_lefts(pdf, "Calloway, Ruth.", "Hartley, Daniel.")
    assert len(entry) >= 2
    assert all(x - entry[0] > 10 for x in entry[1:])  # the lines after the first hang 1.5em
    headnote = _line_lefts(pdf, "All works cited", "publication.")
    assert len(headnote) >= 2 and max(headnote) - min(headnote) < 1  # flush, every line
