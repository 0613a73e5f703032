"""What a BOOK argument and ``release --book`` complete to (terminal/completion.py)."""

from __future__ import annotations

import contextlib
from pathlib import Path
from types import SimpleNamespace

import pytest

from make_book.terminal.completion import complete_books, complete_slugs


def write_book(folder: Path, title: str) -> None:
    folder.mkdir(parents=True)
    (folder / "book.yaml").write_text(f"title: {title}\nlang: en\n")


@pytest.fixture
def catalogue(tmp_path):
    """A project: manuscript/ with two books, a folder of notes, a hidden folder, a file;
    and beside it a shelf of one book outside manuscript/."""
    write_book(tmp_path / "manuscript" / "alpha-book", "Alpha Book")
    write_book(tmp_path / "manuscript" / "beta", "Beta")
    (tmp_path / "manuscript" / "notes").mkdir()
    (tmp_path / "manuscript" / ".hidden").mkdir()
    (tmp_path / "manuscript" / "README.md").write_text("not a book")
    write_book(tmp_path / "shelf" / "gamma", "Gamma")
    (tmp_path / "empty").mkdir()
    with contextlib.chdir(tmp_path):
        yield tmp_path


def test_nothing_typed_offers_manuscript_and_its_books(catalogue):
    assert dict(complete_books("")) == {
        "manuscript": "2 book(s)", "manuscript/alpha-book": "Alpha Book",
        "manuscript/beta": "Beta", "shelf": "1 book(s)"}


def test_a_prefix_keeps_only_what_starts_with_it(catalogue):
    assert [v for v, _ in complete_books("man")] == [
        "manuscript", "manuscript/alpha-book", "manuscript/beta"]
    assert [v for v, _ in complete_books("manuscript/a")] == ["manuscript/alpha-book"]
    assert complete_books("sh") == [("shelf", "1 book(s)")]


def test_a_folder_typed_lists_its_books_only(catalogue):
    # notes/, .hidden/ and README.md are no book; shelf/gamma is found by the path typed
    assert [v for v, _ in complete_books("manuscript/")] == [
        "manuscript/alpha-book", "manuscript/beta"]
    assert complete_books("shelf/") == [("shelf/gamma", "Gamma")]
    assert complete_books(f"{catalogue}/shelf/g") == [(f"{catalogue}/shelf/gamma", "Gamma")]


def test_nothing_to_offer_is_an_empty_list_not_an_error(catalogue):
    assert complete_books("empty/") == []
    assert complete_books("no-such-folder/x") == []
    assert complete_books("zzz") == []


def test_a_broken_book_yaml_still_completes_without_a_title(catalogue):
    write_book(catalogue / "manuscript" / "broken", "x")
    (catalogue / "manuscript" / "broken" / "book.yaml").write_text("title: [unclosed\n")
    assert ("manuscript/broken", "") in complete_books("manuscript/b")


def test_a_title_with_a_bidi_override_is_shown_escaped(catalogue):
    write_book(catalogue / "manuscript" / "odd", '"Odd\\u202eEvil"')
    assert complete_books("manuscript/o") == [("manuscript/odd", "Odd\\u202eEvil")]


def test_slugs_come_from_manuscript_or_from_the_books_given(catalogue):
    none_given = SimpleNamespace(params={"books": ()}, args=[])
    assert complete_slugs(none_given, "") == [("alpha-book", "Alpha Book"), ("beta", "Beta")]
    assert complete_slugs(none_given, "b") == [("beta", "Beta")]
    # while completing, click leaves the positional BOOK arguments in ctx.args
    shelf = SimpleNamespace(params={"books": ()}, args=["shelf"])
    assert complete_slugs(shelf, "") == [("gamma", "Gamma")]
