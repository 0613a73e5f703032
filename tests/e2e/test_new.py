"""`make-book new`: a manuscript folder that builds at once, in both formats, with no
warning; never written over an existing folder; a bad slug named with a suggestion."""

from __future__ import annotations

from pathlib import Path

import yaml
from typer.testing import CliRunner

from make_book.build import build_book
from make_book.cli import app

runner = CliRunner()


def test_a_new_book_builds_at_once_without_a_warning(tmp_path):
    into = tmp_path / "manuscript"
    result = runner.invoke(app, ["new", "the-iron-heel", "--title", "The Iron Heel",
                                 "--author", "Jack London", "--author", "A. N. Other",
                                 "--lang", "en-GB", "--into", str(into)])
    assert result.exit_code == 0, result.output
    root = into / "the-iron-heel"
    assert f"next: make-book build {root}" in result.output
    meta = yaml.safe_load((root / "book.yaml").read_text(encoding="utf-8"))
    assert meta["title"] == "The Iron Heel" and meta["lang"] == "en-GB"
    assert meta["author"] == ["Jack London", "A. N. Other"]
    assert meta["identifier"].startswith("urn:uuid:")
    readme = (root / "layout" / "README.md").read_text(encoding="utf-8")
    assert "`css/print.css`" in readme and "`templates/print/chapter.html`" in readme
    assert sorted(p.name for p in into.iterdir()) == ["the-iron-heel"]  # no scratch left
    built = build_book(root, ["epub", "pdf"], tmp_path / "out", strict=True)
    assert built.ok, [d.format() for d in built.diagnostics]
    assert not built.diagnostics, [d.format() for d in built.diagnostics]
    assert (tmp_path / "out" / "the-iron-heel" / "the-iron-heel.epub").is_file()
    assert (tmp_path / "out" / "the-iron-heel" / "the-iron-heel-print.pdf").is_file()


def test_title_from_the_slug_and_quotes_kept_as_yaml(tmp_path):
    result = runner.invoke(app, ["new", "war-and-peace", "--into", str(tmp_path),
                                 "--author", 'Lev "Leo" Tolstoy: #1'])
    assert result.exit_code == 0, result.output
    meta = yaml.safe_load((tmp_path / "war-and-peace" / "book.yaml").read_text("utf-8"))
    assert meta["title"] == "War And Peace"
    assert meta["author"] == ['Lev "Leo" Tolstoy: #1']


def test_never_written_over_an_existing_folder(tmp_path):
    book = tmp_path / "taken"
    book.mkdir()
    (book / "book.yaml").write_text("title: Mine\n", encoding="utf-8")
    result = runner.invoke(app, ["new", "taken", "--into", str(tmp_path)])
    assert result.exit_code == 1
    assert "N001" in result.output and "exists" in result.output
    assert (book / "book.yaml").read_text(encoding="utf-8") == "title: Mine\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["taken"]


def test_a_bad_slug_is_named_with_a_suggestion(tmp_path):
    result = runner.invoke(app, ["new", "The Iron_Heel", "--into", str(tmp_path)])
    assert result.exit_code == 1
    assert "N002" in result.output and "make-book new the-iron-heel" in result.output
    assert not list(Path(tmp_path).iterdir())


def test_an_unknown_house_style_says_where_it_looked(tmp_path):
    result = runner.invoke(app, ["new", "a-book", "--into", str(tmp_path),
                                 "--layout", "no-such-style"])
    assert result.exit_code == 1 and "L001" in result.output
    assert not list(Path(tmp_path).iterdir())
