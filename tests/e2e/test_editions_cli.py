"""The command line of editions: `build` follows the book's formats:, `diff` compares two
PDFs with diff(1)'s exit status, `changes` writes CHANGES.md."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from typer.testing import CliRunner

from make_book.cli import app

runner = CliRunner()
BOOK = "title: Small Book\nauthor: Ada Example\nlang: en\n"


def small_book(tmp_path, extra: str = "", text: str = "A short text of our own."):
    root = tmp_path / "small-book"
    (root / "chapters").mkdir(parents=True, exist_ok=True)
    (root / "book.yaml").write_text(BOOK + extra, encoding="utf-8")
    (root / "chapters" / "one.md").write_text(f"# One\n\n{text}\n", encoding="utf-8")
    return root


def test_build_without_format_builds_the_books_formats(tmp_path):
    root = small_book(tmp_path, "formats: [epub]\n")
    result = runner.invoke(app, ["build", str(root), "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert [p.name for p in (tmp_path / "out" / "small-book").iterdir()
            if not p.name.startswith(".")] == ["small-book.epub"]


def test_diff_of_a_pdf_with_itself_and_with_another(tmp_path):
    root = small_book(tmp_path, "formats: [pdf]\n")
    assert runner.invoke(app, ["build", str(root), "--out", str(tmp_path / "a")]).exit_code == 0
    small_book(tmp_path, "formats: [pdf]\n", "A short text of their own.")
    assert runner.invoke(app, ["build", str(root), "--out", str(tmp_path / "b")]).exit_code == 0
    a = tmp_path / "a" / "small-book" / "small-book-print.pdf"
    b = tmp_path / "b" / "small-book" / "small-book-print.pdf"
    same = runner.invoke(app, ["diff", str(a), str(a)])
    assert same.exit_code == 0 and "No page changed." in same.output
    other = runner.invoke(app, ["diff", str(a), str(b), "--out", str(tmp_path / "d")])
    assert other.exit_code == 1 and "1 page(s) changed: p. 1." in other.output
    assert "was `our`, now `their`" in (tmp_path / "d" / "report.md").read_text()
    missing = runner.invoke(app, ["diff", str(a), str(tmp_path / "none.pdf")])
    assert missing.exit_code == 2 and "D020" in missing.output
    (tmp_path / "bad.pdf").write_text("not a pdf")
    bad = runner.invoke(app, ["diff", str(a), str(tmp_path / "bad.pdf")])
    assert bad.exit_code == 2 and "D020 cannot be read as a PDF" in bad.output


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_changes_command(tmp_path):
    root = small_book(tmp_path)

    def git(*args):
        subprocess.run(["git", "-c", "user.name=T", "-c", "user.email=t@example.org", *args],
                       cwd=root, check=True, capture_output=True)
    git("init", "-q")
    git("add", "-A")
    git("commit", "-qm", "first")
    git("tag", "v1")
    small_book(tmp_path, text="A corrected text of our own.")
    git("commit", "-qam", "Correct chapter one")
    out = tmp_path / "CHANGES.md"
    result = runner.invoke(app, ["changes", str(root), "--from", "v1", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "Correct chapter one (" in out.read_text() and "first" not in out.read_text()
    bad = runner.invoke(app, ["changes", str(root), "--from", "v7"])
    assert bad.exit_code == 1 and "D011 git knows no tag or commit 'v7'" in bad.output
