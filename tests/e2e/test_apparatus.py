"""The scholarly apparatus in both formats, on tests/books/apparatus: two indexes, see
references, sub-entries, {.ref} and {.pageref}, numbered figures and tables, a sorted
glossary with linkable ids, book-level EPUB notes, a series page, a list of illustrations
and the EPUB page-list."""

from __future__ import annotations

import re
import subprocess
import zipfile

import pikepdf
import pytest
from lxml import etree

from make_book.build import build_book
from tests.conftest import BOOKS
from tests.epubcheck_run import epubcheck_messages

NS = {"x": "http://www.w3.org/1999/xhtml", "epub": "http://www.idpf.org/2007/ops"}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    result = build_book(BOOKS / "apparatus", ["epub", "pdf"], tmp_path_factory.mktemp("app"))
    assert result.ok, [d.format() for d in result.diagnostics]
    return {a.format: a.path for a in result.artifacts}


def pdf_pages(path) -> list[str]:
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    return [" ".join(p.split()) for p in text.split("\f")]


def folio_of(pdf_path, needle: str, last: bool = False) -> str:
    with pikepdf.open(pdf_path) as pdf:
        labels = [p.label for p in pdf.pages]
    pages = pdf_pages(pdf_path)
    hits = [labels[i] for i, text in enumerate(pages) if needle in text]
    assert len(hits) >= 1, needle
    return hits[-1] if last else hits[0]


def test_print_index_numbers_are_the_pages_of_the_marks(built):
    pages = pdf_pages(built["pdf"])
    names = next(p for p in pages if "Index of Names" in p and "Bronstein, Lev. See" in p)
    first = folio_of(built["pdf"], "Trotsky wrote about wages")
    exile = folio_of(built["pdf"], "Lev Bronstein again")
    once_more = folio_of(built["pdf"], "Trotsky once more")
    assert f"Trotsky, Leon, {first}, {once_more}" in names
    assert f"exile, {exile}" in names
    assert "Bronstein, Lev. See Trotsky, Leon" in names
    assert re.search(r"Élie, Jean, \d+", names) and "Ветров, Иван" in names
    subjects = next(p for p in pages if "Subject Index" in p and "wages, " in p)
    assert f"wages, {first}" in subjects


def test_print_refs_figures_tables_series_and_illustrations(built):
    text = " ".join(pdf_pages(built["pdf"]))
    figure_page = folio_of(built["pdf"], "Figure 2.1. The mill by the river.",
                           last=True)  # the first is the list of illustrations
    assert f"See chapter 2 and figure 2.1 on page {figure_page}" in text
    assert "Table 2.1." in text and "Looms at work" in text
    assert "Test Series" in text and "The First Volume" in text
    assert re.search(r"Illustrations Figure 2\.1\. The mill by the river\.[ .]*\d", text)


def test_epub_indexes_link_to_marks_and_glossary_is_sorted(built):
    epub = built["epub"]
    with zipfile.ZipFile(epub) as z:
        docs = {n.split("/")[-1]: etree.fromstring(z.read(n)) for n in z.namelist()
                if n.startswith("EPUB/text/")}
        nav = etree.fromstring(z.read("EPUB/nav.xhtml"))
    for name in ("index-of-names.xhtml", "subject-index.xhtml"):
        index = docs[name]
        links = index.findall(".//x:a[@epub:type='index-locator']", NS)
        assert links
        for a in links:
            file, anchor = a.get("href").split("#")
            assert docs[file].find(f".//*[@id='{anchor}']") is not None
    glossary = docs["ch-03-glossary.xhtml"]
    terms = [dt.get("id") for dt in glossary.iter(f"{{{NS['x']}}}dt")]
    assert terms == ["glossary:bukharin", "glossary:zinoviev"]
    chapter_one = docs["ch-01-one.xhtml"]
    refs = {a.text for a in chapter_one.iter(f"{{{NS['x']}}}a") if a.get("class") == "ref"}
    assert refs == {"chapter 2", "figure 2.1"}
    assert chapter_one.find(".//x:a[@href='ch-03-glossary.xhtml#glossary:zinoviev']", NS) \
        is not None
    assert "notes-1.xhtml" in docs
    assert nav.find(".//x:nav[@epub:type='page-list']", NS) is not None
    assert nav.find(".//x:nav[@epub:type='loi']", NS) is not None
    assert "series.xhtml" in docs
    assert epubcheck_messages(epub) == []
