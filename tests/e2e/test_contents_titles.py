"""Titles book.yaml's ``contents`` gives (tests/books/contents-titles, issue 14): a part's
(``{part: ...}``) and a headless file's (``{file: ..., title: ...}``) are Markdown,
typeset in the book's language and carrying their inline markup, parsed once, in every
place a title appears: the EPUB's headings (markup), nav and NCX (plain, typeset), the
print headings (markup), contents, running heads and PDF outline (plain, typeset)."""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile

import pikepdf
import pytest
from lxml import etree, html as lxml_html

from make_book.build import build_book
from make_book.errors import Diagnostics
from make_book.gate import check_manuscript
from make_book.render.print.documents import build_document
from make_book.render.print.geometry import geometry_for
from tests.conftest import BOOKS
from tests.epubcheck_run import epubcheck_messages

BOOK = BOOKS / "contents-titles"
XHTML = {"x": "http://www.w3.org/1999/xhtml", "n": "http://www.daisy.org/z3986/2005/ncx/"}
PART = "The Eastern Shore \u2013 \u201cSoundings\u201d and the Keeper\u2019s Tides"
FILE = "A Keeper\u2019s Note \u2013 \u2018the Night Watch\u2019"


def text(el) -> str:
    return " ".join("".join(el.itertext()).split())


def emphasis(el) -> list[str]:
    return [text(e) for e in el.xpath(".//x:em | .//em", namespaces=XHTML)]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    result = build_book(BOOK, ["epub", "pdf"], tmp_path_factory.mktemp("contents-titles"))
    assert result.ok, [d.format() for d in result.diagnostics]
    return result


@pytest.fixture(scope="module")
def checked():
    return check_manuscript(BOOK, ["epub", "pdf"], Diagnostics(), glyphs=False)


def test_the_titles_are_typeset_with_their_markup_parsed_once(checked):
    book = checked.book
    [part] = book.parts
    watch = book.chapters[2]
    assert (part.title, watch.title) == (PART, FILE)
    assert part.title_markup.text() == PART and watch.title_markup.text() == FILE
    assert emphasis(part.title_markup.root) == ["Eastern"]
    assert emphasis(watch.title_markup.root) == ["Keeper\u2019s"]
    entries = book.meta.contents
    # the model's trees are the ones the metadata's typesetting cut from its one parse
    assert part.title_markup is entries[1].part.markup
    assert watch.title_markup is entries[2].title.markup
    assert part.id == "part-the-eastern-shore-soundings-and-the-keeper-s-tides"  # as before


def test_the_build_is_clean_and_the_epub_valid(built):
    assert [d.format() for d in built.diagnostics.items] == []
    assert epubcheck_messages(built.artifacts[0].path) == []


def test_the_epub_headings_keep_the_markup_and_the_nav_the_typeset_text(built):
    with zipfile.ZipFile(built.artifacts[0].path) as z:
        names = z.namelist()
        part_doc = next(n for n in names if n.startswith("EPUB/text/part-"))
        part = etree.fromstring(z.read(part_doc))
        watch = etree.fromstring(z.read("EPUB/text/ch-03-watch.xhtml"))
        nav = etree.fromstring(z.read("EPUB/nav.xhtml"))
        ncx = etree.fromstring(z.read("EPUB/toc.ncx"))
    part_title = part.find(".//x:h1", XHTML)
    assert text(part_title) == f"Part I {PART}" and emphasis(part_title) == ["Eastern"]
    title = watch.find(".//x:h1", XHTML)
    assert FILE in text(title) and emphasis(title) == ["Keeper\u2019s"]
    toc = [text(a) for a in nav.xpath("//x:nav[@id='toc']//x:a", namespaces=XHTML)]
    assert toc == ["1. The Charts", f"Part I: {PART}", "2. The Shore", f"3. {FILE}"]
    assert not nav.xpath("//x:nav[@id='toc']//x:em", namespaces=XHTML)
    points = [t.text for t in ncx.xpath("//n:navMap//n:text", namespaces=XHTML)]
    assert points == toc


def test_the_print_headings_keep_the_markup_and_the_contents_the_typeset_text(checked):
    book = checked.book
    doc = build_document(book, checked.layout, geometry_for(book.meta.print, 100),
                         diagnostics=Diagnostics())
    root = lxml_html.document_fromstring(doc.html)
    [part_title] = root.xpath(f"//section[@id='{book.parts[0].id}']//h1")
    assert text(part_title) == PART and emphasis(part_title) == ["Eastern"]
    [title] = root.xpath("//section[@id='ch-03-watch']//h1")
    assert FILE in text(title) and emphasis(title) == ["Keeper\u2019s"]
    toc = [text(a) for a in root.xpath("//nav[@id='mb-contents']//a")]
    assert toc == ["1 The Charts", f"Part I: {PART}", "2 The Shore", f"3 {FILE}"]
    assert not root.xpath("//nav[@id='mb-contents']//em")
    [chapter] = root.xpath("//section[@id='ch-03-watch']")
    assert chapter.get("data-running-head") == FILE  # plain text


def test_the_pdf_outline_and_text(built):
    with pikepdf.open(io.BytesIO(built.artifacts[1].path.read_bytes())) as pdf:
        with pdf.open_outline() as outline:
            top = [item.title for item in outline.root]
            part = next(item for item in outline.root if item.title.startswith("Part"))
            inside = [c.title for c in part.children]
    assert f"Part I: {PART}" in top and f"3. {FILE}" in top
    assert inside == ["2. The Shore"]
    if shutil.which("pdftotext") is None:
        return
    flat = " ".join(subprocess.run(["pdftotext", str(built.artifacts[1].path), "-"],
                                   capture_output=True, text=True, check=True).stdout.split())
    assert PART in flat and FILE in flat


def test_the_web_edition_part_page_and_contents(tmp_path):
    result = build_book(BOOK, ["web"], tmp_path)
    assert result.ok, [d.format() for d in result.diagnostics]
    web = next(tmp_path.rglob("web"))
    part = lxml_html.parse(str(next(web.glob("part-*.html")))).getroot()
    [title] = part.xpath("//h1")
    assert PART in text(title) and emphasis(title) == ["Eastern"]
    watch = lxml_html.parse(str(web / "ch-03-watch.html")).getroot()
    assert emphasis(watch.xpath("//h1")[0]) == ["Keeper\u2019s"]
    book = lxml_html.parse(str(web / "index.html")).getroot()
    contents = [text(a) for a in book.xpath("//nav[@id='contents']//a")]
    assert contents == ["1. The Charts", f"Part I: {PART}", "2. The Shore", f"3. {FILE}"]
