"""Issue 16's "done": a book released at v1 (first printing), a correction committed and a
second printing listed, released at v2. The v2 copyright page carries the printing line,
CHANGES.md lists the correction, and the page diff of the two print PDFs finds exactly the
corrected page and the copyright page changed."""

from __future__ import annotations

import json
import shutil
import subprocess
import zipfile

import pytest

from make_book.pagediff.run import diff_pdfs
from make_book.release import command, gate
from make_book.release import manifest as mf

pytestmark = pytest.mark.skipif(shutil.which("git") is None or shutil.which("pdftotext") is None,
                                reason="needs git and pdftotext")

WORDS = ("field orchard ladder basket morning evening kettle bridge willow meadow harvest "
         "shadow lantern thimble").split()


def git(cwd, *args):
    subprocess.run(["git", "-c", "user.name=T", "-c", "user.email=t@example.org", *args],
                   cwd=cwd, check=True, capture_output=True,
                   env={"PATH": "/usr/bin:/bin", "HOME": str(cwd),
                        "GIT_AUTHOR_DATE": "2025-01-15T10:00:00Z",
                        "GIT_COMMITTER_DATE": "2025-01-15T10:00:00Z"})


def chapter(title: str, seed: int, typo: bool = False) -> str:
    """Invented text, a few pages long; one paragraph holds the typo 'teh' (or 'the')."""
    paragraphs = []
    for p in range(12):
        words = [WORDS[(seed * 7 + p * 5 + i * i) % len(WORDS)] for i in range(80)]
        if p == 6:
            words[40] = "teh" if typo else "the"
        paragraphs.append(" ".join(words).capitalize() + ".")
    return f"# {title}\n\n" + "\n\n".join(paragraphs) + "\n"


BOOK_YAML = """title: The Orchard Ledger
author: Ada Example
lang: en
date: 2024-03-01
publisher: Example House
rights: Copyright 2024 Ada Example
edition: First edition
contents: [chapters/one.md, chapters/two.md]
printings:
  - {number: 1, date: 2024-03}
"""


@pytest.fixture
def no_java(monkeypatch):
    monkeypatch.setattr(gate, "run_epubcheck", lambda path: [])


def pdftext(path, page=None) -> str:
    args = ["pdftotext", "-layout"] + (["-f", str(page), "-l", str(page)] if page else [])
    return subprocess.run(args + [str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def test_a_reprint_release(tmp_path, no_java, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    book = tmp_path / "the-orchard-ledger"
    (book / "chapters").mkdir(parents=True)
    (book / "book.yaml").write_text(BOOK_YAML, encoding="utf-8")
    (book / "chapters" / "one.md").write_text(chapter("The Orchard", 1), encoding="utf-8")
    (book / "chapters" / "two.md").write_text(chapter("The Ledger", 2, typo=True),
                                              encoding="utf-8")
    git(book, "init", "-q")
    git(book, "add", "-A")
    git(book, "commit", "-qm", "The book as first printed")
    git(book, "tag", "v1")
    out = tmp_path / "release"
    assert command.release([book], out, "v1", False, None, None, False) == 0

    (book / "chapters" / "two.md").write_text(chapter("The Ledger", 2), encoding="utf-8")
    git(book, "commit", "-qam", "Correct 'teh' in chapter two")
    (book / "book.yaml").write_text(
        BOOK_YAML + '  - {number: 2, date: 2025-01, corrections: "a typo in chapter two"}\n',
        encoding="utf-8")
    git(book, "commit", "-qam", "Second printing")
    git(book, "tag", "v2")
    assert command.release([book], out, "v2", False, None, None, False) == 0

    slug = book.name
    v1, v2 = out / "v1" / slug, out / "v2" / slug
    first = pdftext(v1 / f"{slug}-print.pdf")
    second = pdftext(v2 / f"{slug}-print.pdf")
    assert "10 9 8 7 6 5 4 3 2 1" in first and "printing" not in first
    assert "Second printing 2025" in second
    assert "10 9 8 7 6 5 4 3 2\n" in second and "10 9 8 7 6 5 4 3 2 1" not in second
    assert "First edition 2024" in second

    # the EPUB keeps the edition statement and has no printing line: print only
    with zipfile.ZipFile(v2 / f"{slug}.epub") as epub:
        copyright_page = epub.read("EPUB/text/copyright.xhtml").decode()
    assert "First edition" in copyright_page
    assert "printing" not in copyright_page and "5 4 3 2" not in copyright_page

    changes = (v2 / "CHANGES.md").read_text(encoding="utf-8")
    assert "From v1 to v2." in changes
    assert "2025-01-15: Correct 'teh' in chapter two" in changes
    assert "with corrections: a typo in chapter two" in changes
    assert "The book as first printed" not in changes  # that is v1's
    manifest = json.loads((out / "v2" / mf.MANIFEST).read_text())
    listed = {a["format"]: a for a in manifest["artifacts"]}
    assert listed["changes"]["sha256"] == mf.sha256_file(v2 / "CHANGES.md")
    assert {"epub", "print", "epub-cover", "print-cover", "onix", "changes"} <= set(listed)

    result = diff_pdfs(v1 / f"{slug}-print.pdf", v2 / f"{slug}-print.pdf", tmp_path / "diff")
    assert result.old_pages == result.new_pages
    changed = {p.new.number for p in result.differences}
    assert [p.kind for p in result.differences] == ["changed", "changed"]
    copyright_no = next(n for n in range(1, result.new_pages + 1)
                        if "Second printing" in pdftext(v2 / f"{slug}-print.pdf", n))
    corrected_no = next(n for n in range(1, result.new_pages + 1)
                        if "teh" in pdftext(v1 / f"{slug}-print.pdf", n))
    assert changed == {copyright_no, corrected_no}
    corrected = next(p for p in result.differences if p.new.number == corrected_no)
    assert [(w.removed, w.added) for w in corrected.words] == [("teh", "the")]
    report = (tmp_path / "diff" / "report.md").read_text(encoding="utf-8")
    assert "The page count is the same" in report and "2 page(s) changed" in report
    assert sorted(p.name for p in (tmp_path / "diff").glob("*.png")) == sorted(
        f"page-{n:04d}.png" for n in changed)
