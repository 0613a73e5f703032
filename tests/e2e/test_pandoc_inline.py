"""Pandoc's inline syntax through a whole build (tests/books/pandoc-inline): MathML in a
valid EPUB with the ``mathml`` property where it is used, ``key=value`` attributes as
Pandoc's HTML writer sets them, and the TeX source in print."""

from __future__ import annotations

import shutil
import subprocess
import zipfile

import pytest
from lxml import etree

from make_book.build import build_book
from tests.conftest import BOOKS
from tests.epubcheck_run import epubcheck_messages

OPF = {"opf": "http://www.idpf.org/2007/opf"}


@pytest.fixture(scope="module")
def epub(tmp_path_factory):
    result = build_book(BOOKS / "pandoc-inline", ["epub"], tmp_path_factory.mktemp("inline"))
    assert result.ok, [d.format() for d in result.diagnostics]
    return result


def test_epub_is_valid_and_flags_the_mathml_page(epub):
    path = epub.artifacts[0].path
    assert epubcheck_messages(path) == []
    with zipfile.ZipFile(path) as z:
        opf = etree.fromstring(z.read("EPUB/content.opf"))
        math_pages = [item.get("href") for item in opf.iterfind(".//opf:item", OPF)
                      if "mathml" in (item.get("properties") or "").split()]
        assert math_pages == ["text/ch-02-math.xhtml"]
        page = z.read("EPUB/text/ch-02-math.xhtml").decode()
        marks = etree.fromstring(z.read("EPUB/text/ch-01-marks.xhtml"))
    assert page.count("<math ") == 3 and "$20,000 to $30,000" in page
    img = marks.find(".//{http://www.w3.org/1999/xhtml}img")  # {width=50% source=archive}
    assert img.get("style") == "width:50%" and img.get("data-source") == "archive"


def test_dropped_raw_latex_is_reported(epub):
    assert [(d.code, d.line) for d in epub.diagnostics.items] == [("C102", 7)]


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs pdftotext (poppler)")
def test_print_sets_the_tex_source_with_a_warning(tmp_path):
    book = tmp_path / "book"
    (book / "chapters").mkdir(parents=True)
    shutil.copy(BOOKS / "pandoc-inline" / "book.yaml", book)
    shutil.copy(BOOKS / "pandoc-inline" / "chapters" / "02-math.md", book / "chapters")
    result = build_book(book, ["pdf"], tmp_path / "out")
    assert result.ok, [d.format() for d in result.diagnostics]
    assert [d.code for d in result.diagnostics.items] == ["C105"]
    text = subprocess.run(["pdftotext", str(result.artifacts[0].path), "-"],
                          capture_output=True, text=True, check=True).stdout
    assert "\\pi r^2" in text and "\\frac{n(n+1)}{2}" in text and "a^2 + b^2 = c^2" in text
