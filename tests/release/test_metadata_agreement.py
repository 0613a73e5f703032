"""One metadata source, four places: the EPUB's OPF, its copyright page, the PDF's info and
XMP, and the print copyright page must say the same title, authors, language and ISBNs."""

from __future__ import annotations

import subprocess
import zipfile

import pikepdf
import pytest
from lxml import etree

from make_book.build import build_book
from make_book.config.load import load_book_metadata
from tests.conftest import MANUSCRIPT

NS = {"opf": "http://www.idpf.org/2007/opf", "dc": "http://purl.org/dc/elements/1.1/",
      "x": "http://www.w3.org/1999/xhtml"}
BOOK = MANUSCRIPT / "letters-from-the-volga"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("agree")
    result = build_book(BOOK, ["epub", "pdf"], out)
    assert result.ok, [d.format() for d in result.diagnostics]
    return {a.format: a.path for a in result.artifacts}


def test_opf_xmp_and_copyright_pages_agree(built):
    meta = load_book_metadata(BOOK)
    with zipfile.ZipFile(built["epub"]) as z:
        opf = etree.fromstring(z.read("EPUB/content.opf"))
        copyright_epub = " ".join(etree.fromstring(z.read("EPUB/text/copyright.xhtml"))
                                  .xpath("string(//x:body)", namespaces=NS).split())
    opf_title = opf.find(".//dc:title", NS).text
    opf_creators = [c.text for c in opf.findall(".//dc:creator", NS)]
    opf_lang = opf.find(".//dc:language", NS).text

    with pikepdf.open(built["pdf"]) as pdf:
        xmp = pdf.open_metadata()
        xmp_title = xmp.get("dc:title")
        xmp_creators = list(xmp.get("dc:creator") or [])
        info_title = str(pdf.docinfo["/Title"])
        pdf_lang = str(pdf.Root.Lang)
        pages = len(pdf.pages)
    print_text = subprocess.run(["pdftotext", "-l", str(min(pages, 8)), str(built["pdf"]), "-"],
                                capture_output=True, text=True, check=True).stdout
    print_text = " ".join(print_text.split())

    assert opf_title == meta.title
    assert xmp_title.startswith(meta.title) and info_title.startswith(meta.title)
    assert opf_creators == xmp_creators == [a.name for a in meta.contributors if a.role == "aut"]
    assert opf_lang == pdf_lang == meta.lang
    for fmt, label in (("epub", "EPUB"), ("paperback", "paperback")):
        line = f"ISBN {getattr(meta.isbn, fmt).display} ({label})"
        assert line in copyright_epub
        assert line in print_text
    assert opf.find(".//dc:identifier", NS).text == meta.isbn.epub.urn
    assert meta.publisher in copyright_epub and meta.publisher in print_text
