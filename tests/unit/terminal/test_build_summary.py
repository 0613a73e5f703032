"""The table at the end of a build (terminal/summary.py): what each column counts, and how
it prints on a terminal and off one."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pikepdf
from rich.console import Console

from make_book.build import Artifact, BookResult, StageMark
from make_book.errors import Diagnostic, Severity
from make_book.terminal.summary import (Summary, duration, epub_spine_documents, human_size,
                                        pdf_pages)

CONTAINER = """<?xml version="1.0"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
  <rootfiles><rootfile full-path="EPUB/package.opf"
    media-type="application/oebps-package+xml"/></rootfiles></container>"""
OPF = """<?xml version="1.0"?>
<package xmlns="http://www.idpf.org/2007/opf" version="3.0"><spine>
{}</spine></package>"""


def write_pdf(path: Path, pages: int) -> Path:
    pdf = pikepdf.new()
    for _ in range(pages):
        pdf.add_blank_page(page_size=(432, 648))
    pdf.save(path)
    return path


def write_epub(path: Path, documents: int) -> Path:
    with zipfile.ZipFile(path, "w") as epub:
        epub.writestr("mimetype", "application/epub+zip")
        epub.writestr("META-INF/container.xml", CONTAINER)
        epub.writestr("EPUB/package.opf", OPF.format(
            "".join(f'<itemref idref="c{i}"/>' for i in range(documents))))
    return path


def warning(code: str) -> Diagnostic:
    return Diagnostic(code, "a warning", severity=Severity.WARNING)


def built(tmp_path: Path) -> BookResult:
    """A book built in both formats: loading 2 s with 1 warning, print 10 s with 2 more,
    EPUB 3 s with none."""
    result = BookResult(root=tmp_path, slug="the-book", ok=True)
    result.artifacts = [
        Artifact("pdf", write_pdf(tmp_path / "b.pdf", 7), 2_200_000),
        Artifact("epub", write_epub(tmp_path / "b.epub", 5), 350_000)]
    for code in ("M001", "P002", "Q003"):
        result.diagnostics.add(warning(code))
    result.stages = [StageMark("loading", 100.0, 0), StageMark("rendering pdf", 102.0, 1),
                     StageMark("rendering epub", 112.0, 3), StageMark("done", 115.0, 3)]
    return result


def test_pages_are_read_back_from_the_files(tmp_path):
    assert pdf_pages(write_pdf(tmp_path / "a.pdf", 3)) == 3
    assert epub_spine_documents(write_epub(tmp_path / "a.epub", 4)) == 4
    (tmp_path / "bad").write_bytes(b"not a file of either kind")
    assert pdf_pages(tmp_path / "bad") is None
    assert epub_spine_documents(tmp_path / "bad") is None


def test_each_format_gets_loading_plus_its_own_rendering(tmp_path):
    summary = Summary()
    summary.add("the-book", built(tmp_path), ["pdf", "epub"])
    pdf, epub = summary.rows
    assert (pdf.format, pdf.pages, pdf.size, pdf.seconds, pdf.warnings) == (
        "pdf", "7", 2_200_000, 12.0, 3)
    assert (epub.format, epub.pages, epub.size, epub.seconds, epub.warnings) == (
        "epub", "5 docs", 350_000, 5.0, 1)
    # the total counts each warning once, sums the sizes, and takes the run's time
    assert summary.total(16.0) == ("total (1 book)", "", "", human_size(2_550_000), "16.0 s",
                                   "3")


def test_a_book_not_built_has_a_row_saying_so(tmp_path):
    result = BookResult(root=tmp_path, slug="bad")
    result.diagnostics.add(Diagnostic("M012", "a bad ISBN"))
    result.diagnostics.add(warning("M001"))
    result.stages = [StageMark("loading", 0.0, 0), StageMark("done", 1.5, 1)]
    summary = Summary()
    summary.add("bad", result, ["epub", "pdf"])
    summary.add_not_built("clash", ["epub"], 0.0)
    assert [row.cells() for row in summary.rows] == [
        ("bad", "epub, pdf", "-", "not built", "1.5 s", "1"),
        ("clash", "epub", "-", "not built", "0.0 s", "0")]
    assert summary.total(2.0)[0] == "total (2 books)"


def test_off_a_terminal_plain_aligned_text(tmp_path):
    summary = Summary()
    summary.add("the-book", built(tmp_path), ["pdf", "epub"])
    summary.add_not_built("\u6c34\u6ef8\u4f1d", ["pdf", "epub"], 0.2)  # two cells a character
    stream = io.StringIO()
    summary.print(Console(file=stream, width=200), 75.0)
    text = stream.getvalue()
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f]", text)  # no escapes, no \r
    lines = text.splitlines()
    assert lines[0] == ""
    assert lines[1:] == [
        "book             format      pages       size    time  warnings",
        "the-book         pdf             7     2.1 MB  12.0 s         3",
        "the-book         epub       5 docs   341.8 KB   5.0 s         1",
        "\u6c34\u6ef8\u4f1d           pdf, epub       -  not built   0.2 s         0",
        "total (2 books)                        2.4 MB    1:15         3"]


def test_on_a_terminal_a_rich_table(tmp_path):
    summary = Summary()
    summary.add("[bold]odd", built(tmp_path), ["pdf", "epub"])
    console = Console(file=io.StringIO(), force_terminal=True, width=100, record=True)
    summary.print(console, 20.0, rich=True)
    text = console.export_text()
    assert "\u2500" in text  # the rule under the header
    assert re.search(r"\[bold\]odd +pdf +7 +2\.1 MB +12\.0 s +3", text)  # never markup
    assert re.search(r"total \(1 book\) +2\.4 MB +20\.0 s +3", text)


def test_nothing_built_prints_nothing():
    stream = io.StringIO()
    Summary().print(Console(file=stream), 1.0)
    assert stream.getvalue() == ""


def test_sizes_and_durations():
    assert [human_size(n) for n in (0, 1023, 1024, 5 * 1024 ** 2)] == [
        "0 B", "1023 B", "1.0 KB", "5.0 MB"]
    assert [duration(s) for s in (0.04, 59.94, 125, 3725)] == [
        "0.0 s", "59.9 s", "2:05", "1:02:05"]
