"""A web edition is written as one folder swapped in whole (output.write_tree_atomic), and
the catalogue of the editions in an output folder (render/web/catalogue.py)."""

from __future__ import annotations

import os

import pytest
from lxml import html as lxml_html

from make_book.errors import MakeBookError
from make_book.output import write_tree_atomic
from make_book.render.web.catalogue import editions, write_catalogue
from make_book.render.web.jsonld import script_text


def test_the_new_folder_replaces_the_old_whole(tmp_path):
    target = tmp_path / "b" / "web"
    write_tree_atomic(target, {"index.html": b"old", "gone.html": b"x"}, tmp_path)
    write_tree_atomic(target, {"index.html": b"new", "css/book.css": b"p{}"}, tmp_path)
    assert sorted(p.relative_to(target).as_posix() for p in target.rglob("*")
                  if p.is_file()) == ["css/book.css", "index.html"]
    assert (target / "index.html").read_bytes() == b"new"
    assert sorted(os.listdir(tmp_path / "b")) == ["web"]  # no temporary folder left


def test_a_failed_write_keeps_the_old_edition(tmp_path):
    target = tmp_path / "b" / "web"
    write_tree_atomic(target, {"index.html": b"old"}, tmp_path)
    with pytest.raises(MakeBookError):  # a path that leaves the folder fails the write
        write_tree_atomic(target, {"a.html": b"new", "../../evil.html": b"x"}, tmp_path)
    assert (target / "index.html").read_bytes() == b"old"
    assert not (target / "a.html").exists()
    assert sorted(os.listdir(tmp_path / "b")) == ["web"]
    assert not (tmp_path / "evil.html").exists()


def test_a_killed_writers_folder_is_cleared_by_the_next_write(tmp_path):
    target = tmp_path / "b" / "web"
    stale = tmp_path / "b" / ".web.999999999.x.tmp"  # no process has that id
    (stale / "css").mkdir(parents=True)
    write_tree_atomic(target, {"index.html": b"new"}, tmp_path)
    assert not stale.exists()


def edition(out, slug, title, authors, lang="en"):
    data = {"@type": "Book", "name": title, "inLanguage": lang,
            "author": [{"@type": "Person", "name": a} for a in authors]}
    page = out / slug / "web" / "index.html"
    page.parent.mkdir(parents=True)
    page.write_text(f'<html><head><script type="application/ld+json">{script_text(data)}'
                    "</script></head></html>")


def test_catalogue_lists_each_edition_in_the_folder(tmp_path):
    edition(tmp_path, "b-second", "Second & Last", ["Bo Birch"])
    assert write_catalogue(tmp_path) is None  # one book: its own page is the site
    edition(tmp_path, "a-first", "First", ["Ann Ash", "Cy Cole"], lang="de")
    edition(tmp_path, "c-third", "Third", [])
    assert [e.slug for e in editions(tmp_path)] == ["a-first", "b-second", "c-third"]
    path = write_catalogue(tmp_path)
    doc = lxml_html.fromstring(path.read_bytes())
    assert doc.get("lang") == "en"
    items = doc.xpath("//main//li")
    assert [li.xpath("string(.//a)") for li in items] == ["First", "Second & Last", "Third"]
    assert items[0].get("lang") == "de"  # a book in another language says so
    assert items[0].xpath("string(.//span)") == "Ann Ash, Cy Cole"
    assert [a.get("href") for a in doc.xpath("//main//a")] == [
        "a-first/web/index.html", "b-second/web/index.html", "c-third/web/index.html"]
