"""The registry of edition names: what is sold under which ISBN, what the build renders."""

from __future__ import annotations

from make_book import formats


def test_sold_formats_follow_the_isbns_that_sell_them():
    assert formats.sold_formats(["epub", "pdf"]) == ["epub", "paperback", "hardcover"]
    assert formats.sold_formats(["screen", "web", "kepub", "kindle"]) == ["pdf"]
    assert formats.EDITIONS["kepub"].delivers == "epub"
    assert formats.EDITIONS["kindle"].delivers == "epub"
    assert formats.EDITIONS["web"].isbn_keys == ()


def test_the_build_renders_at_least_epub_and_pdf():
    assert {"epub", "pdf"} <= set(formats.buildable())
    assert set(formats.buildable()) <= set(formats.EDITIONS)


def test_a_book_asks_for_what_it_lists(tmp_path, monkeypatch):
    (tmp_path / "book.yaml").write_text("title: T\nlang: en\nformats: [pdf, web]\n",
                                        encoding="utf-8")
    monkeypatch.setattr(formats, "buildable", lambda: ("epub", "pdf"))
    asked = formats.book_formats(tmp_path)
    assert asked.build == ["pdf"]
    assert [(d.code, d.is_error) for d in asked.missing] == [("D001", False)]
    assert "web" in asked.missing[0].message


def test_a_book_yaml_with_errors_still_gives_its_formats(tmp_path):
    (tmp_path / "book.yaml").write_text("title: T\nlang: en\nformats: [epub]\nbad: 1\n",
                                        encoding="utf-8")
    assert formats.book_formats(tmp_path).build == ["epub"]
    (tmp_path / "book.yaml").write_text("title: T\nlang: en\n", encoding="utf-8")
    assert formats.book_formats(tmp_path).build == ["epub", "pdf"]
