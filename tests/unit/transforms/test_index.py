"""Index marks -> collated indexes: terms, sub-entries, see/see also, passages, alphabets."""

from __future__ import annotations

from pathlib import Path

from make_book.config.metadata import BookMetadata
from make_book.errors import Diagnostics
from make_book.model import Book, Chapter, Heading, Note
from make_book.transforms import run

BODY = ('<p><span class="index">Trotsky</span> met <span index="Trotsky, Leon">the Old Man</span> '
        '<span index="Trotsky, Leon!exile in Mexico">there</span> and '
        '<span index="Ветрова, Анна">V</span> <span index="Élie, Jean">E</span> '
        '<span index="Bronstein, Lev" index-see="Trotsky, Leon">B</span> '
        '<span index="Zinoviev" index-start="z">Z</span> text <span index-end="z"></span></p>'
        '<div index="Müller, Friedrich"><p>passage</p></div>')


def build(body=BODY, lang="en-GB", notes=(), **meta):
    c = Chapter(source=Path("/b/a.md"), rel="a.md", file_id="a", title="A", kind="chapter",
                lang=None, numbered=True, body=body, headings=(Heading(1, "a", "A"),),
                ids=frozenset({"a"}), notes=tuple(notes))
    m = BookMetadata.model_validate({"title": "T", "lang": lang, **meta})
    d = Diagnostics()
    return run(Book(root=Path("/b"), slug="b", meta=m, items=(c,)), d), d


def entries(book):
    return {e.term: e for g in book.indexes[0].groups for e in g.entries}


def test_groups_follow_the_alphabet_with_accents_and_cyrillic():
    book, d = build()
    assert not d.errors
    labels = [g.label for g in book.indexes[0].groups]
    assert labels == ["B", "E", "M", "T", "Z", "В"]
    e_group = book.indexes[0].groups[1]
    assert [e.term for e in e_group.entries] == ["Élie, Jean"]


def test_terms_locators_subentries_and_references():
    book, _ = build()
    e = entries(book)
    assert [l.anchor for l in e["Trotsky"].locators] == ["ix-a-1"]
    assert [s.term for s in e["Trotsky, Leon"].subentries] == ["exile in Mexico"]
    assert e["Bronstein, Lev"].see == ("Trotsky, Leon",) and not e["Bronstein, Lev"].locators
    z = e["Zinoviev"].locators[0]
    assert (z.anchor, z.end_anchor) == ("ix-a-7", "ix-a-8")
    m = e["Müller, Friedrich"].locators[0]
    assert m.end_anchor == "ix-a-9-end"


def test_marks_become_plain_spans_with_ids_in_the_id_map():
    book, _ = build()
    body = book.chapters[0].body.xml
    assert "index=" not in body and 'class="index"' not in body
    assert book.anchors["ix-a-2"] == "a" and book.anchors["ix-a-9-end"] == "a"


def test_marks_in_a_note_are_read_and_taken_out_too():
    """A mark inside a footnote is indexed like one in the text; left in, its ``index``
    attribute made the EPUB invalid (EPUBCheck RSC-005, found by the fuzzing)."""
    note = Note(1, "a-note-1", "a-noteref-1",
                '<p>In the note, <span index="Trotsky, Leon">Trotsky</span>.</p>')
    book, d = build(body='<p>Lenin<a class="mb-noteref" data-note="1"/> and '
                         '<span index="Lenin, V. I.">he</span>.</p>', notes=[note])
    assert not d.errors
    e = entries(book)
    assert [l.anchor for l in e["Lenin, V. I."].locators] == ["ix-a-1"]
    assert [l.anchor for l in e["Trotsky, Leon"].locators] == ["ix-a-2"]
    html = book.chapters[0].notes[0].body.xml
    assert "index=" not in html and 'id="ix-a-2"' in html


def test_a_mark_in_the_title_is_indexed_at_the_heading_and_taken_out():
    """The heading that became the chapter's title printed a raw ``index`` attribute
    (EPUBCheck RSC-005, found by the fuzzing)."""
    from dataclasses import replace
    book, d = build(body="<p>Text.</p>")
    chapter = replace(book.chapters[0], title_markup='A <span index="Lenin, V. I.">L</span>')
    d = Diagnostics()
    book = run(replace(book, items=(chapter,), indexes=()), d)
    assert not d.errors
    assert "index=" not in book.chapters[0].title_markup.xml
    assert [l.anchor for l in entries(book)["Lenin, V. I."].locators] == ["a"]


def test_a_mark_in_a_part_title_is_taken_out_with_a_warning():
    from make_book.model import Part
    c = build(body="<p>Text.</p>")[0].chapters[0]
    part = Part("p1", "P", items=(c,), title_markup='P <span index="Zinoviev">Z</span>')
    m = BookMetadata.model_validate({"title": "T", "lang": "en"})
    d = Diagnostics()
    book = run(Book(root=Path("/b"), slug="b", meta=m, items=(part,)), d)
    assert "index=" not in book.items[0].title_markup.xml
    assert [w.code for w in d.warnings] == ["C064"]


def test_declared_indexes_and_unknown_index_name():
    body = ('<p><span index="Lenin" index-name="names">L</span> '
            '<span index="wages" index-name="subjects">w</span> '
            '<span index="x" index-name="nope">x</span></p>')
    book, d = build(body, indexes=[{"name": "names", "title": "Index of Names"},
                                   {"name": "subjects", "title": "Subject Index"}])
    assert [i.name for i in book.indexes] == ["names", "subjects"]
    assert [e.code for e in d.errors] == ["C061"]


def test_german_collation_puts_umlauts_with_their_base_letter():
    body = "".join(f'<span index="{t}">x</span>' for t in ["Zander", "Österreich", "Ofen", "Apfel"])
    book, _ = build(f"<p>{body}</p>", lang="de")
    terms = [e.term for g in book.indexes[0].groups for e in g.entries]
    assert terms == ["Apfel", "Ofen", "Österreich", "Zander"]
