"""tests/books/citations built --strict in both formats: citations in Chicago notes style
become real notes (numbered with the chapter's others, at the page foot in print, pop-up
notes in the EPUB), the bibliography is a back-matter section listed in both contents;
an author-date copy prints citations in the text and fills its ::: {#refs} div."""

from __future__ import annotations

import shutil
import subprocess
import zipfile

import pytest
from lxml import etree

from make_book.build import build_book
from tests.conftest import BOOKS
from tests.epubcheck_run import epubcheck_messages

NS = {"x": "http://www.w3.org/1999/xhtml", "epub": "http://www.idpf.org/2007/ops"}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    result = build_book(BOOKS / "citations", ["epub", "pdf"],
                        tmp_path_factory.mktemp("cite"), strict=True)
    assert result.ok, [d.format() for d in result.diagnostics]
    return {a.format: a.path for a in result.artifacts}


def xhtml(epub, name: str) -> etree._Element:
    with zipfile.ZipFile(epub) as z:
        return etree.fromstring(z.read(f"EPUB/{name}"))


def text(el) -> str:
    return " ".join("".join(el.itertext()).split())


def test_epub_passes_epubcheck(built):
    assert epubcheck_messages(built["epub"]) == []


def test_epub_notes_hold_the_citations_in_order(built):
    doc = xhtml(built["epub"], "text/ch-01-crossings.xhtml")
    notes = doc.xpath("//x:aside[@epub:type='footnote']", namespaces=NS)
    assert [n.get("id") for n in notes] == [f"ch-01-crossings-note-{k}" for k in range(1, 6)]
    texts = [text(n) for n in notes]
    assert texts[0] == "1. Jane Smith, A History of Bridges (London: River Press, 1999), 33."
    assert texts[1] == "2. “On Rivers,” Journal of Water 12, no. 3 (2004): 50."
    assert texts[2] == ("3. Roads followed fords long before any bridge (Smith, A History of "
                        "Bridges, 12).")
    assert texts[3].startswith("4. See Mira Kay, “Stone and Iron,” in Building the North")
    body = text(doc.xpath("//x:section[@epub:type='chapter']/x:p", namespaces=NS)[0])
    body = body.replace("\u2060", "")  # the word joiner before each note call
    assert body.startswith("The oldest bridges were fords made firm with stone.1 Rivers")
    assert "as John Doe and Ann Roe2 argue at length.3" in body


def test_epub_bibliography_is_back_matter_in_the_nav(built):
    doc = xhtml(built["epub"], "text/bibliography.xhtml")
    assert doc.find(".//x:body", NS).get(f"{{{NS['epub']}}}type") == "backmatter"
    entries = [text(e) for e in doc.xpath("//x:div[@class='csl-entry']", namespaces=NS)]
    assert entries == [
        "Doe, John, and Ann Roe. “On Rivers.” Journal of Water 12, no. 3 (2004): 45–67.",
        ("Kay, Mira. “Stone and Iron.” In Building the North, edited by Per Lund, 101–20. "
         "Oslo: Fjord Books, 2010."),
        "Smith, Jane. A History of Bridges. London: River Press, 1999.",
        "Иванов, Пётр. Istoriia Mostov. Translated by Lee Brown. Moscow: Nauka, 1975.",
    ]
    nav = xhtml(built["epub"], "nav.xhtml")
    toc = [text(a) for a in nav.xpath("//x:nav[@epub:type='toc']//x:a", namespaces=NS)]
    assert toc[-1] == "Bibliography"
    marks = nav.xpath("//x:nav[@epub:type='landmarks']//x:a[@epub:type='bibliography']",
                      namespaces=NS)
    assert len(marks) == 1


def test_print_has_the_notes_at_the_foot_and_the_bibliography(built):
    pages = subprocess.run(["pdftotext", str(built["pdf"]), "-"], capture_output=True,
                           text=True, check=True).stdout.split("\f")
    pages = [" ".join(p.split()) for p in pages]
    contents = next(p for p in pages if p.startswith("Contents"))
    assert "Bibliography" in contents
    first = next(p for p in pages if "Crossings The oldest bridges" in p)
    assert "1. Jane Smith, A History of Bridges (London: River Press, 1999), 33." in first
    assert "5. Пётр Иванов, Istoriia Mostov" in first
    bibliography = next(p for p in pages if p.startswith("Bibliography"))
    assert "Smith, Jane. A History of Bridges. London: River Press, 1999." in bibliography


def test_author_date_copy_cites_in_the_text_and_fills_refs(tmp_path):
    root = tmp_path / "citations"
    shutil.copytree(BOOKS / "citations", root)
    yaml = root / "book.yaml"
    yaml.write_text(yaml.read_text() + "csl: chicago-author-date-16th-edition\n")
    with (root / "chapters" / "02-rivers.md").open("a") as f:
        f.write("\n## Works cited\n\n::: {#refs}\n:::\n")
    result = build_book(root, ["epub"], tmp_path / "out", strict=True)
    assert result.ok, [d.format() for d in result.diagnostics]
    epub = result.artifacts[0].path
    assert epubcheck_messages(epub) == []
    with zipfile.ZipFile(epub) as z:
        assert "EPUB/text/bibliography.xhtml" not in z.namelist()
    doc = xhtml(epub, "text/ch-02-rivers.xhtml")
    body = text(doc.find(".//x:section", NS))
    assert "A second look at the rivers (Doe and Roe 2004, 52)" in body
    assert "The survey agrees (1975, 9)." in body
    refs = doc.xpath("//x:div[@id='refs']/x:div[@class='csl-entry']", namespaces=NS)
    assert text(refs[0]).startswith("Doe, John, and Ann Roe. 2004. “On Rivers.”")
