"""Inline markup in titles and notes (tests/books/marked-titles, issue 14): the emphasis and
the link in a part title, a chapter title, a title set in a chapter's front matter and the
notes, parsed once by the loader, and the emphasis in book.yaml's titles, reach a valid
EPUB and a clean print PDF as markup, the links pointing where they should."""

from __future__ import annotations

import shutil
import subprocess
import zipfile

import pytest
from lxml import etree, html as lxml_html

from make_book.build import build_book
from make_book.errors import Diagnostics
from make_book.gate import check_manuscript
from make_book.render.print.documents import build_document
from make_book.render.print.geometry import geometry_for
from tests.conftest import BOOKS
from tests.epubcheck_run import epubcheck_messages

BOOK = BOOKS / "marked-titles"
XHTML = {"x": "http://www.w3.org/1999/xhtml"}


def _marked(el: etree._Element, href: str | None, word: str) -> bool:
    """Whether ``el`` holds ``word`` in emphasis and a link to ``href`` (None: no link)."""
    ems = [" ".join(e.itertext()) for e in el.xpath(".//x:em | .//em", namespaces=XHTML)]
    hrefs = el.xpath(".//x:a/@href | .//a/@href", namespaces=XHTML)
    return word in ems and (href in hrefs if href is not None else hrefs == [])


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    result = build_book(BOOK, ["epub", "pdf"], tmp_path_factory.mktemp("marked"))
    assert result.ok, [d.format() for d in result.diagnostics]
    return result


def test_the_build_is_clean_and_the_epub_valid(built):
    assert [d.format() for d in built.diagnostics.items] == []
    assert epubcheck_messages(built.artifacts[0].path) == []


def test_the_epub_keeps_the_markup_of_titles_and_notes(built):
    with zipfile.ZipFile(built.artifacts[0].path) as z:
        part = etree.fromstring(z.read("EPUB/text/coast.xhtml"))
        harbour = etree.fromstring(z.read("EPUB/text/ch-02-harbour.xhtml"))
        tides = etree.fromstring(z.read("EPUB/text/ch-03-tides.xhtml"))
        soundings = etree.fromstring(z.read("EPUB/text/ch-04-soundings.xhtml"))
        titlepage = etree.fromstring(z.read("EPUB/text/titlepage.xhtml"))
    part_title = part.find(".//x:h1", XHTML)
    assert _marked(part_title, "ch-03-tides.xhtml#tides", "Eastern")
    title = harbour.find(".//x:h1", XHTML)
    assert _marked(title, "ch-03-tides.xhtml#tides", "Harbour")
    [part_note] = part.xpath(".//x:aside", namespaces=XHTML)
    assert _marked(part_note, "ch-03-tides.xhtml#tides", "Harbour Ledger")
    [note] = harbour.xpath(".//x:aside", namespaces=XHTML)
    assert _marked(note, "ch-03-tides.xhtml#tides", "harbourmaster")
    assert len(note.findall("x:p", XHTML)) == 2
    [back] = tides.xpath(".//x:aside", namespaces=XHTML)
    assert _marked(back, "coast.xhtml", "The Almanac of Coastal Waters")  # its page
    # a front matter title, and book.yaml's title, subtitle and series
    assert _marked(soundings.find(".//x:h1", XHTML), "ch-02-harbour.xhtml#harbour",
                   "Breakwater")
    for cls, word in (("title", "Titles"), ("subtitle", "Survey"), ("series", "Coastal")):
        [line] = titlepage.xpath(f".//*[@class='{cls}']", namespaces=XHTML)
        assert _marked(line, None, word)


def test_the_print_html_keeps_the_markup_of_titles_and_notes(tmp_path):
    checked = check_manuscript(BOOK, ["pdf"], Diagnostics(), glyphs=False)
    book = checked.book
    doc = build_document(book, checked.layout, geometry_for(book.meta.print, 100),
                         diagnostics=Diagnostics())
    root = lxml_html.document_fromstring(doc.html)
    [part_title] = root.xpath("//section[@id='coast']//h1")
    assert _marked(part_title, "#tides", "Eastern")
    [title] = root.xpath("//section[@id='harbour']//h1")
    assert _marked(title, "#tides", "Harbour")
    [footnote] = root.xpath("//span[@id='ch-02-harbour-note-1']")
    assert _marked(footnote, "#tides", "harbourmaster")
    [part_note] = root.xpath("//*[@id='ch-01-part-coast-note-1']")
    assert _marked(part_note, "#tides", "Harbour Ledger")
    [front_matter_title] = root.xpath("//section[@id='ch-04-soundings']//h1")
    assert _marked(front_matter_title, "#harbour", "Breakwater")
    for cls, word in (("mb-title", "Titles"), ("mb-subtitle", "Survey"),
                      ("mb-series", "Coastal")):
        [line] = root.xpath(f"//*[@class='{cls}']")
        assert _marked(line, None, word)


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs pdftotext (poppler)")
def test_the_pdf_prints_the_titles_and_notes(built):
    text = subprocess.run(["pdftotext", str(built.artifacts[1].path), "-"],
                          capture_output=True, text=True, check=True).stdout
    flat = " ".join(text.split())
    for expected in ("Part One: The Eastern Coast", "The Harbour and its Tides",
                     "Soundings off the Breakwater by the harbour",
                     "Marked Titles of the Shore", "A Survey of Harbour Charts",
                     "Counted by the harbourmaster himself; the tide table lists the hours.",
                     "Quoted from the Harbour Ledger, see the tides."):
        assert expected in flat
