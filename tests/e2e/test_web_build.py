"""`make-book build --format web` (issue 16): the site's folder beside the other
artifacts, the same files on every build, the old site kept when a build fails, and
``--format`` repeated for several formats in one run."""

from __future__ import annotations

import shutil

import pytest

from make_book.cli import app
from tests.conftest import BOOKS
from tests.security.bookcase import runner


@pytest.fixture(scope="module")
def cache(tmp_path_factory):
    return tmp_path_factory.mktemp("web-build-cache")  # the WOFF2 fonts, made once


def build(book, out, cache, *formats: str):
    args = ["build", str(book), "--out", str(out), "--cache", str(cache)]
    for fmt in formats:
        args += ["-f", fmt]
    return runner.invoke(app, args)


def tree(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_web_and_epub_in_one_run_and_rebuilt_identically(tmp_path, cache):
    book = BOOKS / "web-edition"
    result = build(book, tmp_path / "one", cache, "web", "epub")
    assert result.exit_code == 0, result.output
    assert "web-edition/web" in result.output and "pages" in result.output
    first = tmp_path / "one" / "web-edition"
    assert (first / "web-edition.epub").is_file()
    assert not (first / "web-edition-print.pdf").exists()
    assert build(book, tmp_path / "two", cache, "web").exit_code == 0
    assert tree(first / "web") == tree(tmp_path / "two" / "web-edition" / "web")


def test_all_still_means_epub_and_pdf(tmp_path, cache):
    from make_book.cli import FormatChoice, chosen_formats
    assert chosen_formats(None) == ["epub", "pdf"]
    assert chosen_formats([FormatChoice.web, FormatChoice.all]) == ["web", "epub", "pdf"]
    assert chosen_formats([FormatChoice.web, FormatChoice.web]) == ["web"]


def test_a_failed_build_keeps_the_previous_site(tmp_path, cache):
    book = tmp_path / "book"
    shutil.copytree(BOOKS / "web-edition", book)
    out = tmp_path / "out"
    assert build(book, out, cache, "web").exit_code == 0
    before = tree(out / "book" / "web")
    chapter = book / "chapters" / "03-oil.md"
    chapter.write_text(chapter.read_text() + "\nA call to a note nobody wrote.[^missing]\n")
    result = build(book, out, cache, "web")
    assert result.exit_code == 1
    assert "not built" in result.output
    assert tree(out / "book" / "web") == before
    assert sorted(p.name for p in (out / "book").iterdir()) == ["web"]


def test_two_books_get_a_catalogue(tmp_path, cache):
    other = tmp_path / "second-book"
    shutil.copytree(BOOKS / "web-edition", other)
    yaml = other / "book.yaml"
    yaml.write_text(yaml.read_text().replace("The Lighthouse Accounts", "The Second Book"))
    out = tmp_path / "out"
    result = runner.invoke(app, ["build", str(BOOKS / "web-edition"), str(other), "--out",
                                 str(out), "--cache", str(cache), "-f", "web"])
    assert result.exit_code == 0, result.output
    page = (out / "index.html").read_text()
    assert "The Lighthouse Accounts" in page and "The Second Book" in page
    assert 'href="second-book/web/index.html"' in page
