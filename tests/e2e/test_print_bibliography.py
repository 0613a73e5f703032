"""End to end: a bibliography's entries hang (Chicago 14.64) and its headnote is set as
text, read from the printed page's characters."""

from __future__ import annotations

import pypdfium2 as pdfium
from typer.testing import CliRunner

from make_book.cli import app


def _line_starts(pdf_path, first_words: tuple[str, ...]) -> dict[str, float]:
    """The left edge of the printed line that starts with each of ``first_words``."""
    found: dict[str, float] = {}
    for page in pdfium.PdfDocument(pdf_path):
        text = page.get_textpage()
        chars = text.count_chars()
        all_text = text.get_text_range(0, chars)
        for word in first_words:
            at = all_text.find(word)
            if at >= 0 and word not in found:
                found[word] = text.get_charbox(at)[0]
    return found


def test_entries_hang_and_the_headnote_does_not(book_copy, tmp_path):
    root = book_copy("the-question-of-method")
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["build", str(root), "--format", "pdf", "--out",
                                      str(out)])
    assert result.exit_code == 0, result.output
    pdf = out / root.name / f"{root.name}-print.pdf"
    # "Calloway, Ruth. ... Midwestern / Historical Review": the entry's second line;
    # "All works cited ... listed here. / Works by Adler": the headnote's second line
    x = _line_starts(pdf, ("Calloway, Ruth.", "Historical Review 41", "All works cited",
                           "Works by Adler"))
    assert x["Historical Review 41"] - x["Calloway, Ruth."] > 10  # 1.5em hangs
    assert abs(x["Works by Adler"] - x["All works cited"]) < 1  # flush, both lines
