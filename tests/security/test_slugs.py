"""Another book's artifact replaced (issue 13): outputs are keyed by a slug unique in the
catalogue. Folder names that slugify alike are an error naming both folders in `build`,
`list` and `release`; non-Latin names get transliterated, distinct slugs."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from make_book.catalogue import MAX_SLUG, book_slug, slug_clashes
from make_book.cli import app
from make_book.manuscript.headings import slugify
from tests.security.bookcase import (PREVIOUS, assert_clean_result, build, plant_artifact,
                                     write_book)

CHAPTER = {"chapters/01-one.md": "# One\n\nA short text of our own.\n"}


def catalogue(tmp_path: Path, *names: str) -> Path:
    books = tmp_path / "manuscript"
    for name in names:
        write_book(books / name, CHAPTER)
    return books


@pytest.mark.parametrize(("name", "slug"), [
    ("the-book", "the-book"), ("The_Book 2", "the-book-2"), ("--x--", "x"),
    ("Война и мир", "vojna-i-mir"), ("Ελληνικά", "ellenika"), ("東京物語", "dong-jing-wu-yu"),
    ("Straße", "strasse"), ("Ærø", "aero"), ("ＦＵＬＬ", "full"),
])
@pytest.mark.claim("S46")
def test_book_slugs(name, slug):
    assert book_slug(name) == slug


def test_ascii_names_keep_their_earlier_slug():
    """Existing catalogues keep their output paths (and their derived identifiers)."""
    for name in ("flatland", "the-communist-manifesto", "A Book (2nd ed.)", "x_y.z", "2024"):
        assert book_slug(name) == slugify(name)


@pytest.mark.claim("S46")
def test_non_latin_names_no_longer_share_one_slug():
    names = ["Братья Карамазовы", "Анна Каренина", "حكاية", "日本語の本", "Ελληνικά", "한국어"]
    slugs = [book_slug(n) for n in names]
    assert len(set(slugs)) == len(slugs), slugs
    assert "section" not in slugs
    assert all(s.isascii() and s == s.lower() for s in slugs)


@pytest.mark.claim("S46")
def test_names_with_nothing_to_transliterate_get_distinct_stable_slugs():
    first, second = book_slug("🙂"), book_slug("🙃")
    assert first.startswith("book-") and second.startswith("book-") and first != second
    assert book_slug("🙂") == first
    assert book_slug("!!!").startswith("book-")


def test_long_names_give_a_bounded_slug():
    slug = book_slug("a-very-long-title " * 40)
    assert len(slug) <= MAX_SLUG and not slug.endswith("-") and slug.startswith("a-very")
    assert len(book_slug("x" * 300)) == MAX_SLUG


@pytest.mark.claim("S47")
def test_clashes_name_both_folders(tmp_path):
    books = catalogue(tmp_path, "the-book", "the_book", "The Book", "other-book")
    roots = sorted(books.iterdir())
    clashes = slug_clashes(roots)
    assert set(clashes) == {(books / n).resolve() for n in ("the-book", "the_book", "The Book")}
    message = clashes[(books / "the_book").resolve()].message
    assert "'the_book'" in message and "'the-book'" in message and "'The Book'" in message
    assert clashes[(books / "the_book").resolve()].code == "B040"


@pytest.mark.claim("S47")
def test_one_book_alone_still_clashes_with_its_sibling(tmp_path):
    books = catalogue(tmp_path, "the-book", "the_book")
    assert list(slug_clashes([books / "the-book"])) == [(books / "the-book").resolve()]


@pytest.mark.claim("S47")
def test_a_link_to_a_book_and_the_same_book_twice_do_not_clash(tmp_path):
    books = catalogue(tmp_path, "the-book")
    os.symlink(books / "the-book", books / "alias")
    assert slug_clashes([books / "the-book", books / "alias", books / "the-book"]) == {}


@pytest.mark.claim("S47")
def test_build_refuses_both_and_keeps_the_earlier_artifact(tmp_path):
    books = catalogue(tmp_path, "the-book", "the_book", "other-book")
    out = tmp_path / "out"
    earlier = plant_artifact(out, "the-book")
    result = build(books.parent, out, cwd=tmp_path)
    assert_clean_result(result)
    assert result.exit_code == 1
    b040 = [line for line in result.stderr.splitlines() if " B040 " in line]
    assert len(b040) == 2, result.stderr
    assert b040[0].startswith("manuscript/the-book/book.yaml: B040 book folders 'the-book' "
                              "and 'the_book' both give the slug 'the-book'")
    assert b040[1].startswith("manuscript/the_book/book.yaml: B040")
    assert earlier.read_bytes() == PREVIOUS
    assert sorted(p.name for p in earlier.parent.iterdir()) == ["the-book.epub"]
    assert (out / "other-book" / "other-book.epub").is_file()  # the others are built


def test_building_one_of_two_alike_folders_alone_is_refused(tmp_path):
    books = catalogue(tmp_path, "the-book", "THE.BOOK")
    out = tmp_path / "out"
    earlier = plant_artifact(out, "the-book")
    result = build(books / "THE.BOOK", out, cwd=tmp_path)
    assert_clean_result(result)
    assert result.exit_code == 1
    assert "manuscript/THE.BOOK/book.yaml: B040 book folders 'THE.BOOK' and 'the-book'" \
        in result.stderr
    assert earlier.read_bytes() == PREVIOUS


@pytest.mark.claim("S46")
def test_non_latin_books_build_side_by_side(tmp_path):
    books = catalogue(tmp_path, "Война и мир", "Анна Каренина")
    out = tmp_path / "out"
    result = build(books.parent, out, cwd=tmp_path)
    assert_clean_result(result)
    assert result.exit_code == 0, result.output
    # beside the build cache (OUT/.cache), one folder per book
    assert sorted(p.name for p in out.iterdir()) == [".cache", "anna-karenina", "vojna-i-mir"]
    assert (out / "vojna-i-mir" / "vojna-i-mir.epub").is_file()


@pytest.mark.claim("S47")
def test_list_reports_the_clash(tmp_path):
    books = catalogue(tmp_path, "the-book", "the_book", "Анна Каренина")
    result = CliRunner().invoke(app, ["list", "--json", str(books.parent)])
    assert_clean_result(result)
    assert result.exit_code == 1
    assert result.stderr.count(" B040 ") == 2
    rows = json.loads(result.stdout)
    assert sorted(r["slug"] for r in rows) == ["anna-karenina", "the-book", "the-book"]

    (books / "the_book").rename(books / "a-second-book")
    result = CliRunner().invoke(app, ["list", str(books.parent)])
    assert result.exit_code == 0, result.output
    assert re.search(r"^anna-karenina\s+A Test Book\s", result.stdout, re.MULTILINE), result.stdout


@pytest.mark.claim("S52")
def test_an_output_that_cannot_be_written_is_a_diagnostic(tmp_path):
    books = catalogue(tmp_path, "the-book")
    out = tmp_path / "out"
    out.mkdir()
    (out / "the-book").write_bytes(PREVIOUS)  # a file where the book's folder goes
    result = build(books / "the-book", out, cwd=tmp_path)
    assert_clean_result(result)
    assert result.exit_code == 1
    assert re.search(r"^\S*out/the-book/the-book\.epub: B041 the artifact cannot be written: "
                     r"File exists \(hint: nothing else was replaced\)$", result.stderr,
                     re.MULTILINE), result.stderr
    assert (out / "the-book").read_bytes() == PREVIOUS
