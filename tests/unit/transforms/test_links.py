"""Ids and links across a whole book, as ``pandoc a.md b.md`` makes them: heading ids
unique in reading order, implicit heading references anywhere in the book, ids inside notes,
links to chapter files, placeholders. Each test loads a small book folder and runs the
book transforms, as a build does."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from make_book.errors import Diagnostics, MakeBookError, Severity
from make_book.manuscript.book import load_book
from make_book.model import Book
from make_book.render.epub import body as epub_body
from make_book.transforms import run


def make(tmp_path: Path, files: dict[str, str], extra_yaml: str = "") -> Path:
    root = tmp_path / "book"
    (root / "chapters").mkdir(parents=True)
    (root / "book.yaml").write_text("title: T\nauthor: A. Writer\nlang: en\n" + extra_yaml)
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def load(tmp_path, files, extra_yaml="") -> tuple[Book, Diagnostics]:
    diagnostics = Diagnostics()
    book = load_book(make(tmp_path, files, extra_yaml), diagnostics)
    return run(book, diagnostics), diagnostics


def found(diagnostics) -> list[tuple[str, str, int | None, Severity]]:
    return [(d.code, d.path.name, d.line, d.severity) for d in diagnostics]


def links(fragment: str) -> list[tuple[str | None, str]]:
    root = etree.fromstring(f"<div>{fragment}</div>")
    return [(a.get("href"), "".join(a.itertext())) for a in root.iter("a")
            if a.get("class") != "mb-noteref"]


def test_heading_ids_are_unique_across_chapters_in_reading_order(tmp_path):
    book, d = load(tmp_path, {
        "chapters/01.md": "# Introduction\n\n## Notes\n\nSee [there](#notes-1).\n",
        "chapters/02.md": "# Chapter Two\n\n## Notes\n\n## Introduction\n",
    })
    assert [[h.id for h in c.headings] for c in book.chapters] == [
        ["introduction", "notes"], ["chapter-two", "notes-1", "introduction-1"]]
    assert found(d) == []  # the link to #notes-1 in another file resolves


def test_an_explicit_id_in_an_earlier_chapter_is_avoided(tmp_path):
    book, _ = load(tmp_path, {
        "chapters/01.md": "# One\n\nA [mark]{#sources}.\n",
        "chapters/02.md": "# Two\n\n## Sources\n",
    })
    assert book.chapters[1].headings[1].id == "sources-1"


def test_the_chapter_title_heading_gets_pandoc_s_id_and_front_matter_id_wins(tmp_path):
    book, d = load(tmp_path, {
        "chapters/01.md": "# The *First* Day\n\nSee [The *First* Day] and [Second].\n",
        "chapters/02.md": "---\nid: second\n---\n\n# Second\n",
    })
    assert [c.headings[0].id for c in book.chapters] == ["the-first-day", "second"]
    assert links(book.chapters[0].body.xml) == [("#the-first-day", "The First Day"),
                                            ("#second", "Second")]
    assert found(d) == []


@pytest.mark.claim("S14")
def test_implicit_references_reach_any_chapter_and_the_first_heading_wins(tmp_path):
    book, d = load(tmp_path, {
        "chapters/01.md": "# One\n\nSee [Rents], [the wages][Wages] and [Wages][].\n\n"
                          "Also [sic] and [Nothing][here].\n",
        "chapters/02.md": "# Two\n\n## Wages\n\n## Rents\n",
        "chapters/03.md": "# Three\n\n## Rents\n\nBack to [Rents].[^n]\n\n[^n]: See [Wages].\n",
    })
    one, three = book.chapters[0], book.chapters[2]
    assert links(one.body.xml) == [("#rents", "Rents"), ("#wages", "the wages"),
                               ("#wages", "Wages")]
    assert "[sic]" in one.body.xml and "[Nothing][here]" in one.body.xml
    assert links(three.body.xml) == [("#rents", "Rents")]
    assert links(three.notes[0].body.xml) == [("#wages", "Wages")]
    assert "data-mb-" not in "".join(c.body.xml for c in book.chapters)
    assert found(d) == []


def test_an_explicit_reference_definition_wins(tmp_path):
    book, _ = load(tmp_path, {
        "chapters/01.md": "# One\n\nSee [Two].\n\n[Two]: https://example.org/two\n",
        "chapters/02.md": "# Two\n",
    })
    assert links(book.chapters[0].body.xml) == [("https://example.org/two", "Two")]


def test_ids_inside_notes_are_link_targets_that_lead_to_the_note(tmp_path):
    book, d = load(tmp_path, {
        "chapters/01.md": "# One\n\nText.[^1]\n\n[^1]: []{#note-1}The first note.\n",
        "chapters/02.md": "# Two\n\nMore.[^a]\n\n[^a]: Kay, see [note 1](#note-1).\n",
    })
    assert found(d) == []
    note = book.chapters[0].notes[0]
    assert book.in_notes["note-1"] == note.id and book.anchors["note-1"] == "ch-01"
    files = {"ch-01": "ch-01.xhtml", "ch-02": "ch-02.xhtml"}
    ctx = epub_body.converter(book, book.chapters[1], files, {"back-to-text": "Back"})
    html = epub_body.note(ctx, book.chapters[1].notes[0])
    assert ("ch-01.xhtml#" + note.id, "note 1") in links(html)
    # with the notes in a back-matter notes file, the link goes there
    ctx = epub_body.converter(book, book.chapters[1], files, {"back-to-text": "Back"},
                              note_files={"ch-01": "notes-1.xhtml"})
    assert ("notes-1.xhtml#" + note.id, "note 1") in links(epub_body.note(
        ctx, book.chapters[1].notes[0]))


def test_an_id_defined_twice_counting_notes_is_reported(tmp_path):
    with pytest.raises(MakeBookError) as caught:
        load(tmp_path, {"chapters/01.md": "# One\n\n[x]{#here} Text.[^1]\n\n"
                                          "[^1]: [y]{#here} note.\n"})
    assert [x.code for x in caught.value.diagnostics] == ["C020"]


@pytest.mark.claim("S13")
def test_links_to_chapter_files_go_to_the_chapter_or_its_id(tmp_path):
    book, d = load(tmp_path, {
        "chapters/01.md": "# One\n\n[a](02.md) [b](chapters/02.md#later) "
                          "[c](../chapters/02.md) [d](02.md#nowhere)\n",
        "chapters/02.md": "# Two\n\n## Later\n",
    })
    assert links(book.chapters[0].body.xml) == [("#two", "a"), ("#later", "b"), ("#two", "c"),
                                            ("#nowhere", "d")]
    assert found(d) == [("C050", "01.md", 3, Severity.ERROR)]


@pytest.mark.claim("S13")
def test_other_files_missing_files_and_placeholders_warn_and_keep_the_text(tmp_path):
    book, d = load(tmp_path, {
        "chapters/01.md": "# One\n\n[data](../data.csv)\n\n[gone](03.md)\n\n"
                          "[empty]() and [hash](#)\n\n[up](../../outside.md)\n",
        "data.csv": "a,b\n",
    })
    assert found(d) == [("C055", "01.md", 3, Severity.WARNING),
                        ("C056", "01.md", 5, Severity.WARNING),
                        ("C054", "01.md", 7, Severity.WARNING),
                        ("C054", "01.md", 7, Severity.WARNING),
                        ("C056", "01.md", 9, Severity.WARNING)]
    assert links(book.chapters[0].body.xml) == [(None, "data"), (None, "gone"), (None, "empty"),
                                            (None, "hash"), (None, "up")]


@pytest.mark.claim("S14")
def test_a_link_to_an_id_that_exists_nowhere_stays_an_error(tmp_path):
    _, d = load(tmp_path, {"chapters/01.md": "# One\n\nSee [x](#nowhere).\n"})
    assert found(d) == [("C050", "01.md", 3, Severity.ERROR)]


def test_an_explicit_id_equal_to_an_earlier_automatic_one_names_the_heading(tmp_path):
    _, d = load(tmp_path, {"chapters/01.md": "# One\n\n## Sources\n",
                           "chapters/02.md": "# Two\n\nA [mark]{#sources}.\n"})
    assert found(d) == [("C021", "02.md", 3, Severity.ERROR)]
    assert "the heading 'Sources' in chapters/01.md" in d.errors[0].hint


def test_print_links_to_an_id_inside_a_note_go_to_its_footnote(tmp_path):
    from lxml import html as lxml_html

    from make_book.layouts import load_layout
    from make_book.render.print.geometry import geometry_for
    from make_book.render.print.documents import build_document

    book, d = load(tmp_path, {
        "chapters/01.md": "# One\n\nText.[^1]\n\n[^1]: []{#note-1}The first note.\n",
        "chapters/02.md": "# Two\n\nSee [note 1](#note-1) and [Two].\n",
    })
    assert found(d) == []
    doc = build_document(book, load_layout(book.root, "default"),
                         geometry_for(book.meta.print, 100), diagnostics=Diagnostics())
    root = lxml_html.document_fromstring(doc.html)
    note_id = book.chapters[0].notes[0].id
    link = next(a for a in root.iter("a") if a.text_content() == "note 1")
    assert link.get("href") == "#" + note_id
    assert "mb-footnote" in root.get_element_by_id(note_id).get("class")
    assert root.get_element_by_id("note-1") is not None  # the id itself stays a target
    assert next(a for a in root.iter("a") if a.text_content() == "Two").get("href") == "#two"


def test_the_id_of_the_title_element_is_never_a_heading_id(tmp_path):
    book, _ = load(tmp_path, {"chapters/01.md": "# Wages\n\n## Wages Title\n"})
    assert [h.id for h in book.chapters[0].headings] == ["wages", "wages-title-1"]
