"""Pandoc's block syntax through a whole build (tests/books/block-syntax): verse line
blocks inside quotes, a grid table with a footer inside a note, headerless pipe tables,
simple and multiline tables with captions, fancy and example lists, definition lists and a
div holding a loose list. The EPUB must pass EPUBCheck, and the print edition must set the
note's table as a table and the verse with its line breaks."""

from __future__ import annotations

import subprocess
import zipfile

import pytest
from lxml import etree

from make_book.build import build_book
from tests.conftest import BOOKS
from tests.epubcheck_run import epubcheck_messages

NS = {"x": "http://www.w3.org/1999/xhtml"}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    result = build_book(BOOKS / "block-syntax", ["epub", "pdf"],
                        tmp_path_factory.mktemp("blocks"))
    assert result.ok, [d.format() for d in result.diagnostics]
    assert [d.format() for d in result.diagnostics] == []
    return {a.format: a.path for a in result.artifacts}


def chapter(epub, stem: str) -> etree._Element:
    with zipfile.ZipFile(epub) as z:
        name = next(n for n in z.namelist() if n.endswith(f"{stem}.xhtml"))
        return etree.fromstring(z.read(name))


def test_epubcheck_passes(built):
    assert epubcheck_messages(built["epub"]) == []


def test_verse_in_quotes_keeps_its_lines(built):
    root = chapter(built["epub"], "01-verse")
    blocks = root.xpath("//x:blockquote/x:div[@class='line-block']", namespaces=NS)
    assert [len(b.xpath("x:br", namespaces=NS)) for b in blocks] == [3, 2]
    assert "\u00a0\u00a0\u00a0slowly" in "".join(blocks[0].itertext())
    assert "carry the bread" in blocks[1].text  # the continuation line joined its line
    assert "|" not in "".join(root.itertext())


def test_tables_notes_and_captions(built):
    root = chapter(built["epub"], "02-tables")
    tables = root.xpath("//x:table", namespaces=NS)
    headerless = tables[0]
    assert not headerless.xpath("x:thead", namespaces=NS)
    captions = ["".join(c.itertext()) for c in root.xpath("//x:caption", namespaces=NS)]
    assert captions == ["Mills and looms by town.", "Notes on the counts."]
    grid = root.xpath("//x:aside//x:table", namespaces=NS)[0]  # the note's table
    assert "".join(grid.xpath("x:tfoot//x:td", namespaces=NS)[0].itertext()) == "Together"
    assert len(grid.xpath("x:colgroup/x:col", namespaces=NS)) == 3
    # an empty corner cell heads nothing: a td, so screen readers meet no nameless header
    corner = tables[-1].xpath("x:thead/x:tr", namespaces=NS)[0]
    assert [c.tag.split("}")[1] for c in corner] == ["td", "th", "th"]
    assert [c.get("scope") for c in corner] == [None, "col", "col"]
    assert not [th for th in root.xpath("//x:th", namespaces=NS)
                if not "".join(th.itertext()).strip()]


def test_lists_and_definitions(built):
    root = chapter(built["epub"], "03-lists")
    alpha = root.xpath("//x:ol[@type='a']", namespaces=NS)[0]
    assert alpha.xpath("x:li[2]/x:ol/@type", namespaces=NS) == ["i"]
    assert root.xpath("//x:ol[@class='example']/x:li", namespaces=NS)
    assert "As (1) shows" in "".join(root.itertext())
    assert root.xpath("//x:ol[@start='3']", namespaces=NS)
    assert len(root.xpath("//x:dl/x:dd", namespaces=NS)) == 3
    assert root.xpath("//x:div[@class='note']/x:ul/x:li/x:p", namespaces=NS)


def test_print_sets_the_note_table_and_the_verse_lines(built):
    text = subprocess.run(["pdftotext", "-layout", str(built["pdf"]), "-"],
                          capture_output=True, text=True, check=True).stdout
    assert "Together" in text and "|" not in text and "+--" not in text
    lines = [line.strip() for line in text.splitlines()]
    assert "Over the river the lanterns go," in lines
    together = next(line for line in lines if line.startswith("Together"))
    assert together.split() == ["Together", "1,606", "2,428"]  # cells, not run-on text
