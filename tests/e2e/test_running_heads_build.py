"""End to end: a chapter title too long for a running head prints cut to one line, and the
QA report says so (advice); a short-title chooses the words and is printed whole."""

from __future__ import annotations

import json

import pypdfium2 as pdfium
from typer.testing import CliRunner

from make_book.cli import app

LONG = ("How the Archive and the Anecdote Came to Be Taught Together to Every First-Year "
        "Student of the Seminar, and What Came of It")


def _retitle(root, front: str) -> None:
    path = root / "chapters" / "02-the-archive-and-the-anecdote.md"
    text = path.read_text(encoding="utf-8")
    body = text.split("\n", 1)[1]  # the chapter's own "# The Archive..." line goes
    path.write_text(f"---\n{front}---\n\n# {LONG} {{#ch-archive}}\n{body}", encoding="utf-8")


def _build(root, out):
    result = CliRunner().invoke(app, ["build", str(root), "--format", "pdf", "--strict",
                                      "--out", str(out)])
    assert result.exit_code == 0, result.output
    slug = root.name
    report = json.loads((out / slug / f"{slug}-print-qa.json").read_text(encoding="utf-8"))
    pdf = pdfium.PdfDocument(out / slug / f"{slug}-print.pdf")
    tops = []
    for page in pdf:
        text = page.get_textpage()
        w, h = page.get_size()
        tops.append(text.get_text_bounded(0, h - 60, w, h))  # the running head's band
    return result, report, tops


def test_a_long_title_prints_a_cut_head_and_the_report_says_so(book_copy, tmp_path):
    root = book_copy("the-question-of-method")
    _retitle(root, "")
    result, report, tops = _build(root, tmp_path / "out")
    assert report["counts"]["running-head"] == 0
    [found] = [f for f in report["findings"] if f["kind"] == "shortened-head"]
    assert found["file"] == "chapters/02-the-archive-and-the-anecdote.md"
    assert found["code"] == "Q015" and not found["blocking"]
    printed = found["message"].split("printed as \u201c")[1].split("\u201d")[0]
    assert printed.endswith("\u2026") and LONG.startswith(printed[:-1])
    heads = [t for t in tops if printed[:-1].split()[-1].upper() in t.upper()
             and "\u2026" in t]
    assert heads, "the cut head is printed"
    assert all("CAME OF IT" not in t.upper() for t in tops)
    assert "Q015" in result.output


def test_a_short_title_is_printed_whole_and_nothing_is_cut(book_copy, tmp_path):
    root = book_copy("the-question-of-method")
    _retitle(root, "short-title: The Archive and the Anecdote\n")
    _, report, tops = _build(root, tmp_path / "out")
    assert report["counts"]["shortened-head"] == 0 and report["counts"]["running-head"] == 0
    assert any("ARCHIVE AND THE ANECDOTE" in t.upper() for t in tops)
