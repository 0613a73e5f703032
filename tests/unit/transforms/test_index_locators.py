"""Index locators as each format's step on the index's template data
(transforms.index_locators, fragment "index"): print's folios and ranges, the EPUB's links
(labelled by chapter, or by print page in a build of both), and where a mark inside a note
is in the EPUB (transforms.epub_steps.place, shared with the text's links)."""

from __future__ import annotations

from pathlib import Path

from make_book import transforms
from make_book.errors import Diagnostics
from make_book.manuscript.book import load_book
from make_book.transforms import index_locators
from make_book.transforms.epub_steps import place
from make_book.transforms.folios import PLACEHOLDER, PageMap
from make_book.transforms.format_context import IndexContext
from make_book.transforms.index_view import entries, index_view

ONE = ('# One\n\n[Alpha]{.index} and [Beta]{index="Beta!sub"} text.[^1]\n\n'
       '[^1]: A [Alpha]{.index} note.\n')
TWO = '# Two\n\n[Alpha]{.index} [Gamma]{index="Gamma" index-see="Alpha"}.\n'
FILES = {"ch-01": "ch-01.xhtml", "ch-02": "ch-02.xhtml"}
# Alpha's marks: ix-ch-01-1 (text), ix-ch-01-3 (in note 1), ix-ch-02-1; Beta!sub: ix-ch-01-2
PAGES = PageMap({"ix-ch-01-1": 4, "ix-ch-01-2": 4, "ix-ch-01-3": 5, "ix-ch-02-1": 9}, 2)


def book(tmp_path: Path):
    root = tmp_path / "book"
    (root / "chapters").mkdir(parents=True)
    (root / "book.yaml").write_text("title: T\nauthor: A. Writer\nlang: en\n")
    (root / "chapters" / "01.md").write_text(ONE, encoding="utf-8")
    (root / "chapters" / "02.md").write_text(TWO, encoding="utf-8")
    diagnostics = Diagnostics()
    b = transforms.run(load_book(root, diagnostics), diagnostics)
    assert not diagnostics.errors
    return b


def by_term(groups: list[dict]) -> dict[str, list]:
    return {e["term"]: e["locators"] for e in entries(groups)}


def linked(b, pages=None, notes=None) -> dict[str, list]:
    """The EPUB's locators of each term."""
    groups = index_view(b.indexes[0])
    index_locators.linked(groups, IndexContext(b, pages, FILES, notes or {}))
    return by_term(groups)


def test_the_view_holds_the_marks_until_a_format_step_runs(tmp_path):
    b = book(tmp_path)
    groups = index_view(b.indexes[0])
    alpha = by_term(groups)["Alpha"]
    assert [loc.anchor for loc in alpha] == ["ix-ch-01-1", "ix-ch-01-3", "ix-ch-02-1"]
    gamma = next(e for e in entries(groups) if e["term"] == "Gamma")
    assert gamma["see"] == [{"term": "Alpha", "href": "#index-alpha"}]


def test_print_locators_are_folios_merged_into_ranges(tmp_path):
    b = book(tmp_path)
    groups = index_view(b.indexes[0])
    index_locators.printed(groups, IndexContext(b, PAGES))
    # pages 4 and 5 are folios 3 and 4 (arabic 1 is page 2), merged; page 9 is folio 8
    assert by_term(groups) == {"Alpha": ["3\u20134", "8"], "Beta": [], "sub": ["3"],
                               "Gamma": []}


def test_print_locators_are_placeholders_before_the_pages_are_known(tmp_path):
    b = book(tmp_path)
    groups = index_view(b.indexes[0])
    index_locators.printed(groups, IndexContext(b))
    assert by_term(groups)["Alpha"] == [PLACEHOLDER] * 3
    assert by_term(groups)["sub"] == [PLACEHOLDER]


def test_epub_locators_link_each_mark_labelled_by_its_chapter(tmp_path):
    assert linked(book(tmp_path))["Alpha"] == [
        {"href": "ch-01.xhtml#ix-ch-01-1", "label": "1"},
        {"href": "ch-01.xhtml#ix-ch-01-3", "label": "1"},
        {"href": "ch-02.xhtml#ix-ch-02-1", "label": "2"}]


def test_epub_locators_read_as_in_print_and_link_to_the_first_mark_of_a_range(tmp_path):
    assert linked(book(tmp_path), PAGES)["Alpha"] == [
        {"href": "ch-01.xhtml#ix-ch-01-1", "label": "3\u20134"},
        {"href": "ch-02.xhtml#ix-ch-02-1", "label": "8"}]


def test_a_mark_inside_a_note_links_into_the_back_matter_notes_file(tmp_path):
    alpha = linked(book(tmp_path), notes={"ch-01": "notes.xhtml"})["Alpha"]
    assert [loc["href"] for loc in alpha] == [
        "ch-01.xhtml#ix-ch-01-1", "notes.xhtml#ix-ch-01-3", "ch-02.xhtml#ix-ch-02-1"]


def test_place_goes_to_the_note_for_a_link_and_to_the_mark_for_a_locator(tmp_path):
    b = book(tmp_path)
    notes = {"ch-01": "notes.xhtml"}
    note = b.chapters[0].notes[0].id
    assert place(b, notes, "ix-ch-01-3", to_note=True) == (note, "ch-01", "notes.xhtml")
    assert place(b, notes, "ix-ch-01-3", to_note=False) == (
        "ix-ch-01-3", "ch-01", "notes.xhtml")
    assert place(b, {}, "ix-ch-01-3", to_note=False) == ("ix-ch-01-3", "ch-01", None)
    # an id in the text is where it is, whatever the choice
    assert place(b, notes, "ix-ch-01-1", to_note=True) == ("ix-ch-01-1", "ch-01", None)


def test_for_format_runs_the_index_step_of_its_format_only(tmp_path):
    b = book(tmp_path)
    ctx = IndexContext(b, PAGES, FILES)
    printed = transforms.for_format("index", "print", ctx, index_view(b.indexes[0]))
    linked = transforms.for_format("index", "epub", ctx, index_view(b.indexes[0]))
    assert by_term(printed)["Alpha"] == ["3\u20134", "8"]
    assert by_term(linked)["Alpha"][0]["label"] == "3\u20134"
    index_steps = [s.run for s in transforms.PIPELINE if "index" in s.fragments]
    assert index_steps == [index_locators.linked, index_locators.printed]
