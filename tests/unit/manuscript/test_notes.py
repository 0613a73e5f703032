"""Notes become one model source: placeholders in the body, bodies numbered by first call."""

from __future__ import annotations

from make_book.errors import Diagnostics
from make_book.manuscript.chapter import load_chapter


def load(tmp_path, text: str, lang: str = "en-GB"):
    path = tmp_path / "ch.md"
    path.write_text(text, encoding="utf-8")
    d = Diagnostics()
    return load_chapter(path, "ch.md", "ch", lang, d, tmp_path), d


def test_notes_numbered_in_order_of_first_call(tmp_path):
    c, d = load(tmp_path, "# Title {#t}\n\nA[^b] then B[^a] and A again[^b].\n\n"
                          "[^a]: Second.\n[^b]: First.\n")
    assert not d.errors
    assert [n.number for n in c.notes] == [1, 2]
    assert "First." in c.notes[0].body.xml and "Second." in c.notes[1].body.xml
    assert c.body.xml.count('class="mb-noteref"') == 3
    assert c.notes[0].id == "ch-note-1" and c.notes[0].ref_id == "ch-noteref-1"
    assert "footnote" not in c.body.xml


def test_note_called_from_the_title(tmp_path):
    c, _ = load(tmp_path, "# Bourgeois and Proletarians[^1] {#c1}\n\nText.\n\n[^1]: Note.\n")
    assert c.title == "Bourgeois and Proletarians"
    assert 'data-note="1"' in c.title_markup.xml
    assert c.headings[0].id == "c1"


def test_multi_paragraph_note_keeps_its_paragraphs(tmp_path):
    c, _ = load(tmp_path, "Text[^1].\n\n[^1]: One.\n\n    Two.\n")
    assert c.notes[0].body.xml.count("<p>") == 2
    assert "\u00a0" not in c.notes[0].body.xml


def test_undefined_and_unused_notes_are_reported_with_lines(tmp_path):
    _, d = load(tmp_path, "# T\n\nCalled[^missing].\n\n[^spare]: Never called.\n")
    codes = {(x.code, x.line) for x in d}
    assert ("C040", 3) in codes
    assert ("C041", 5) in codes


def test_typography_follows_span_language(tmp_path):
    c, _ = load(tmp_path, '# T\n\nHe said "yes" and [sie sagte "ja"]{lang=de}.\n')
    assert "\u201cyes\u201d" in c.body.xml
    assert "\u201eja\u201c" in c.body.xml


def test_yaml_title_wins_and_headings_get_ids(tmp_path):
    c, _ = load(tmp_path, "---\ntitle: Preface\nkind: preface\n---\n\n## A Section\n\nText.\n")
    assert c.title == "Preface" and c.kind == "preface" and c.matter == "front"
    assert [h.text for h in c.headings] == ["Preface", "A Section"]
    assert c.headings[1].id == "a-section"  # Pandoc's auto identifier


def test_notes_remember_how_the_manuscript_writes_them_for_messages(tmp_path):
    chapter, _ = load(tmp_path, "# One\n\nA call.[^wages] And an aside.^[Said in passing, "
                      "at some length here.]\n\n[^wages]: The wages of 1844.\n")
    assert [(n.source, n.line) for n in chapter.notes] == [
        ("[^wages]", 5), ("^[Said in passing, at\u2026]", 3)]
    assert "data-mb" not in chapter.notes[0].body.xml + chapter.notes[1].body.xml
