"""Where a named layout is found: the book's own layout/, a project's layouts/ (the current
folder's, then the book's project's), then the house styles make-book ships; L001 names
every place it looked."""

from __future__ import annotations

import pytest

from make_book.errors import MakeBookError
from make_book.layouts import chain, load_layout


def write_book(root, layout: str | None = None):
    root.mkdir(parents=True)
    yaml = "title: T\n" + (f"layout: {layout}\n" if layout else "")
    (root / "book.yaml").write_text(yaml, encoding="utf-8")
    return root


def write_layout(folder, extends: str | None = None):
    folder.mkdir(parents=True)
    (folder / "layout.yaml").write_text(f"extends: {extends}\n" if extends else "{}\n",
                                        encoding="utf-8")
    return folder


@pytest.fixture
def elsewhere(tmp_path, monkeypatch):
    """Run from a folder with no layouts/ of its own."""
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    monkeypatch.chdir(cwd)
    return cwd


def test_a_lone_book_gets_the_shipped_house_style(tmp_path, elsewhere):
    book = write_book(tmp_path / "lone" / "book")
    layout = load_layout(book)
    assert [d.path for d in layout.dirs] == [chain.shipped_layouts() / "default"]


def test_the_current_folders_layouts_come_first(tmp_path, elsewhere):
    house = write_layout(elsewhere / "layouts" / "house", extends="default")
    book = write_book(tmp_path / "lone" / "book", layout="house")
    layout = load_layout(book, "house")
    assert [d.path for d in layout.dirs] == [house, chain.shipped_layouts() / "default"]


def test_a_project_layout_is_found_from_anywhere(tmp_path, elsewhere):
    project = tmp_path / "project"
    own_default = write_layout(project / "layouts" / "default")
    book = write_book(project / "manuscript" / "book")
    assert [d.path for d in load_layout(book).dirs] == [own_default]


def test_the_books_own_layout_folder_is_most_specific(tmp_path, elsewhere):
    book = write_book(tmp_path / "lone" / "book")
    write_layout(book / "layout")
    assert [d.path for d in load_layout(book).dirs] == [
        book / "layout", chain.shipped_layouts() / "default"]


def test_an_installed_copy_wins_over_the_checkout(tmp_path, elsewhere, monkeypatch):
    wheel = tmp_path / "site-packages" / "make_book" / "layouts" / "packaged"
    write_layout(wheel / "default")
    monkeypatch.setattr(chain, "WHEEL_LAYOUTS", wheel)
    book = write_book(tmp_path / "lone" / "book")
    assert [d.path for d in load_layout(book).dirs] == [wheel / "default"]


def test_a_checkout_reads_the_repositorys_layouts(monkeypatch):
    monkeypatch.setattr(chain, "WHEEL_LAYOUTS", chain.WHEEL_LAYOUTS / "absent")
    assert chain.shipped_layouts() == chain.CHECKOUT_LAYOUTS
    assert (chain.CHECKOUT_LAYOUTS / "default" / "layout.yaml").is_file()


def test_l001_names_every_place_it_searched(tmp_path, elsewhere):
    book = write_book(tmp_path / "project" / "manuscript" / "book", layout="fancy")
    with pytest.raises(MakeBookError) as caught:
        load_layout(book, "fancy")
    [d] = caught.value.diagnostics
    assert d.code == "L001"
    assert d.hint == "searched " + ", ".join(str(p) for p in (
        elsewhere / "layouts" / "fancy", tmp_path / "project" / "layouts" / "fancy",
        chain.shipped_layouts() / "fancy"))


def test_l001_says_when_make_books_own_layouts_are_missing(tmp_path, elsewhere, monkeypatch):
    monkeypatch.setattr(chain, "WHEEL_LAYOUTS", None)
    monkeypatch.setattr(chain, "CHECKOUT_LAYOUTS", None)
    book = write_book(tmp_path / "lone" / "book")
    with pytest.raises(MakeBookError) as caught:
        load_layout(book)
    [d] = caught.value.diagnostics
    assert d.code == "L001"
    assert d.hint == (f"searched {elsewhere / 'layouts' / 'default'}, "
                      f"{tmp_path / 'layouts' / 'default'}; make-book's own layouts are "
                      "missing: reinstall it")
