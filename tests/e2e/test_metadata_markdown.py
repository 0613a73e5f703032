"""book.yaml values are Markdown (Pandoc's reading of YAML metadata): emphasis and links
reach the title and copyright pages of both editions, plain typeset text reaches the OPF,
the nav, the PDF's info and the ONIX record; EPUBCheck and Ace stay clean."""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pikepdf
import pytest
from lxml import etree

from make_book.cli import app
from make_book.config.load import load_book_metadata
from make_book.errors import Diagnostics
from make_book.release.onix import onix_record, products_for
from tests.epubcheck_run import epubcheck_messages
from tests.security.bookcase import assert_clean_result, runner, write_book

NS = {"opf": "http://www.idpf.org/2007/opf", "dc": "http://purl.org/dc/elements/1.1/",
      "x": "http://www.w3.org/1999/xhtml", "ncx": "http://www.daisy.org/z3986/2005/ncx/"}
YAML = """\
title: "The *Odyssey*'s \\"Sea\\" -- a Test"
subtitle: "Homer's song, [retold]{.smallcaps}"
author: Brendan O'Hara
lang: en
publisher: "Harbour & Sons"
rights: "Licensed [CC BY 4.0](https://creativecommons.org/licenses/by/4.0/); it's \\"free\\""
description: "A *small* book; it's \\"quoted\\"."
edition: "Second edition -- revised"
isbn: {epub: 978-0-306-40615-7}
"""
CHAPTER = "# At Sea\n\nThe ship's crew sailed on.\n"
TITLE = "The Odyssey’s “Sea” – a Test"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, Path, Path]:
    root = write_book(tmp_path_factory.mktemp("books") / "odyssey",
                      {"chapters/01-sea.md": CHAPTER}, YAML)
    out = tmp_path_factory.mktemp("out")
    result = runner.invoke(app, ["build", str(root), "--out", str(out)])
    assert_clean_result(result)
    assert result.exit_code == 0, result.output
    return root, out / "odyssey" / "odyssey.epub", out / "odyssey" / "odyssey-print.pdf"


def xml(epub: Path, name: str) -> etree._Element:
    with zipfile.ZipFile(epub) as z:
        return etree.fromstring(z.read(name))


def test_opf_holds_plain_typeset_text(built):
    md = xml(built[1], "EPUB/content.opf").find("opf:metadata", NS)
    titles = [t.text for t in md.findall("dc:title", NS)]
    assert titles == [TITLE, "Homer’s song, retold"]
    assert md.find("dc:rights", NS).text == "Licensed CC BY 4.0; it’s “free”"
    assert md.find("dc:description", NS).text == "A small book; it’s “quoted”."
    assert md.find("dc:creator", NS).text == "Brendan O’Hara"
    assert md.find("dc:publisher", NS).text == "Harbour & Sons"


def test_title_and_copyright_pages_carry_the_markup(built):
    page = xml(built[1], "EPUB/text/titlepage.xhtml")
    h1 = page.find(".//x:h1", NS)
    assert etree.tostring(h1, encoding="unicode", with_tail=False).endswith(
        ">The <em>Odyssey</em>’s “Sea” – a Test</h1>")
    assert page.find(".//x:title", NS).text == TITLE
    subtitle = page.find(".//x:p[@class='subtitle']", NS)
    assert subtitle.find("x:span[@class='smallcaps']", NS).text == "retold"
    copyright_page = xml(built[1], "EPUB/text/copyright.xhtml")
    link = copyright_page.find(".//x:p[@class='rights']/x:a", NS)
    assert link.get("href") == "https://creativecommons.org/licenses/by/4.0/"
    assert "".join(copyright_page.find(".//x:p[@class='rights']", NS).itertext()) == \
        "Licensed CC BY 4.0; it’s “free”"
    assert copyright_page.find(".//x:p[@class='edition']", NS).text == \
        "Second edition – revised"


def test_navigation_is_plain(built):
    ncx = xml(built[1], "EPUB/toc.ncx")
    assert ncx.find("ncx:docTitle/ncx:text", NS).text == TITLE


def test_epub_validates(built):
    assert epubcheck_messages(built[1]) == []


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler's pdftotext")
def test_print_title_page_and_info(built):
    text = subprocess.run(["pdftotext", "-f", "1", "-l", "4", str(built[2]), "-"],
                          capture_output=True, text=True, check=True).stdout
    assert TITLE in text
    assert "Licensed CC BY 4.0; it’s “free”" in text
    assert "*" not in text and "[" not in text and "--" not in text
    with pikepdf.open(built[2]) as pdf:
        assert str(pdf.docinfo["/Title"]) == TITLE + ": Homer’s song, retold"
        assert str(pdf.docinfo["/Author"]) == "Brendan O’Hara"
        links = [a.get("/A", {}).get("/URI") for page in pdf.pages[:6]
                 for a in page.get("/Annots", [])]
        assert "https://creativecommons.org/licenses/by/4.0/" in [str(u) for u in links if u]


def test_onix_is_plain(built):
    meta = load_book_metadata(built[0])
    diagnostics = Diagnostics()
    data = onix_record(meta, "urn:isbn:9780306406157",
                       products_for(meta, built={"epub"}, diagnostics=diagnostics),
                       prices=None, source_date=datetime(2024, 1, 1, tzinfo=UTC),
                       diagnostics=diagnostics)
    assert data is not None, list(diagnostics)
    root = etree.fromstring(data)
    texts = {el.tag.rpartition("}")[2]: el.text for el in root.iter()
             if isinstance(el.tag, str) and el.text and el.text.strip()}
    assert texts["TitleText"] == TITLE
    assert texts["Subtitle"] == "Homer’s song, retold"
    assert texts["EditionStatement"] == "Second edition – revised"
    assert texts["Text"] == "A small book; it’s “quoted”."
