"""`make-book release` makes the editions of the book's ``formats:``: an EPUB-only book gets
no print files; a format this make-book cannot render fails the book, named."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest

from make_book import formats
from make_book.release import command, gate, one_book
from make_book.release import manifest as mf
from tests.release.conftest import EPUB, make_meta

BOOK = "title: Small Book\nauthor: Ada Example\nlang: en\npublisher: Example House\n"


@pytest.fixture
def book(tmp_path):
    root = tmp_path / "small-book"
    (root / "chapters").mkdir(parents=True)
    (root / "chapters" / "one.md").write_text("# One\n\nA short text of our own.\n",
                                               encoding="utf-8")
    return root


def test_an_epub_only_book_releases_no_print_files(book, tmp_path, monkeypatch):
    monkeypatch.setattr(gate, "run_epubcheck", lambda path: [])
    (book / "book.yaml").write_text(BOOK + "formats: [epub]\n", encoding="utf-8")
    out = tmp_path / "out"
    assert command.release([book], out, "v1", False, None, None, False) == 0
    manifest = json.loads((out / "v1" / mf.MANIFEST).read_text())
    assert sorted(a["format"] for a in manifest["artifacts"]) == ["epub", "epub-cover", "onix"]
    for a in manifest["artifacts"]:
        assert a["sha256"] == mf.sha256_file(out / "v1" / a["path"])


def test_a_format_not_rendered_here_fails_the_book(book, tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(gate, "run_epubcheck", lambda path: [])
    monkeypatch.setattr(formats, "buildable", lambda: ("epub", "pdf"))
    (book / "book.yaml").write_text(BOOK + "formats: [epub, kindle]\n", encoding="utf-8")
    assert command.release([book], tmp_path / "out", "v1", False, None, None, False) == 1
    err = capsys.readouterr().err
    assert "D001 formats: kindle" in err and "R041 not released: failed formats" in err
    assert not (tmp_path / "out" / "v1" / mf.MANIFEST).exists()


def test_deliveries_carry_the_epub_isbn_and_the_screen_pdf_its_own(tmp_path):
    meta = make_meta(isbn={"epub": EPUB, "pdf": "978-0-306-40615-7"})
    path = tmp_path / "x.epub"
    path.write_bytes(b"x")
    facts = {}
    for fmt in ("kepub", "kindle", "screen"):
        facts.update(one_book._edition_facts(fmt, path, meta, None, None))
    assert facts["kepub"][1]["isbn"] == facts["kindle"][1]["isbn"] == "9781739000004"
    assert facts["screen"][1]["isbn"] == "9780306406157"
    assert one_book._edition_facts("pdf", path, meta, None, SimpleNamespace(pages=9)) == {
        "print": (path, {"isbn": None, "pages": 9})}
