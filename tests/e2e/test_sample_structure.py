"""The real books' trees as their files give them: Flatland's part files over ``##``
sections, Karamazov's parts in parts over ``###`` chapters (skipped without the samples)."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from lxml import etree

from make_book.errors import Diagnostics
from make_book.manuscript import chapter as chapter_module
from make_book.manuscript.book import load_book
from make_book.model import Part
from tests.conftest import ROOT

SAMPLES = next((p for p in (ROOT.parent / "shared" / "samples", Path("/work/shared/samples"))
                if p.is_dir()), None)
pytestmark = pytest.mark.skipif(SAMPLES is None, reason="the shared samples are not here")


def load(name, monkeypatch):
    # the structure does not depend on the figures (Flatland's SVGs are another stage's)
    monkeypatch.setattr(chapter_module.image_files, "collect", lambda *a, **k: [])
    diagnostics = Diagnostics()
    return load_book(SAMPLES / name, diagnostics), list(diagnostics)


def test_flatland_parts_come_from_its_part_files(monkeypatch):
    book, diagnostics = load("flatland", monkeypatch)
    assert diagnostics == []
    kinds = [i.kind if not isinstance(i, Part) else "part" for i in book.items]
    assert kinds == ["dedication", "preface", "part", "part"]
    one, two = book.items[2:]
    assert (one.title, len(one.items), two.title, len(two.items)) == (
        "Part I: This World", 12, "Part II: Other Worlds", 10)
    assert "Be patient" in one.opening.body.xml  # the epigraph goes on the part's page
    assert one.items[0].title == "I: Of the Nature of Flatland"
    assert not any(c.numbered for c in one.chapters)  # "I: ..." carries its number


def test_karamazov_parts_nest_two_deep_over_its_chapters(monkeypatch):
    book, diagnostics = load("the-brothers-karamazov", monkeypatch)
    assert diagnostics == []
    assert book.items[0].kind == "epigraph"
    assert [p.title for p in book.items[1:]] == ["Part I", "Part II", "Part III", "Part IV",
                                                 "Epilogue"]
    assert len(book.parts) == 4 + 12 + 1  # four parts of three books each, the epilogue
    assert {c.depth for c in book.items[1].chapters} == {2}
    assert {c.depth for c in book.items[-1].chapters} == {1}
    assert len([c for c in book.chapters if c.kind == "chapter"]) == 96


def test_karamazov_epub_nav_is_nested(tmp_path):
    from typer.testing import CliRunner

    from make_book.cli import app
    result = CliRunner().invoke(app, ["build", str(SAMPLES / "the-brothers-karamazov"),
                                      "--format", "epub", "--out", str(tmp_path), "--strict"])
    assert result.exit_code == 0, result.output
    epub = tmp_path / "the-brothers-karamazov" / "the-brothers-karamazov.epub"
    with zipfile.ZipFile(epub) as z:
        nav = etree.fromstring(z.read("EPUB/nav.xhtml"))
    ns = {"x": "http://www.w3.org/1999/xhtml", "epub": "http://www.idpf.org/2007/ops"}
    toc = nav.xpath("//x:nav[@epub:type='toc']/x:ol", namespaces=ns)[0]
    top = [li.xpath("string(x:a)", namespaces=ns) for li in toc.xpath("x:li", namespaces=ns)]
    assert top == ["Epigraph", "Part I", "Part II", "Part III", "Part IV", "Epilogue"]
    books = toc.xpath("x:li[2]/x:ol/x:li/x:a/text()", namespaces=ns)
    assert books == ["Book I: The History of a Family", "Book II: An Unfortunate Gathering",
                     "Book III: The Sensualists"]
    chapters = toc.xpath("x:li[2]/x:ol/x:li[1]/x:ol/x:li/x:a/text()", namespaces=ns)
    assert chapters[0] == "I: Fyodor Pavlovitch Karamazov" and len(chapters) == 5
