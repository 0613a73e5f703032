"""The chapter stage on Pandoc's inline syntax: notes numbered together, MathML, and every
construct it drops or leaves as text reported with its line."""

from __future__ import annotations

from lxml import etree

from make_book.errors import Diagnostics
from make_book.manuscript.chapter import load_chapter
from make_book.manuscript.leftovers import PATTERNS, report_leftovers
from make_book.manuscript.mathml import MATHML_NS, tex_source, tex_to_mathml

M = f"{{{MATHML_NS}}}"


def load(tmp_path, text: str):
    path = tmp_path / "ch.md"
    path.write_text(text, encoding="utf-8")
    d = Diagnostics()
    return load_chapter(path, "ch.md", "ch", "en", d, tmp_path), d


def found(d: Diagnostics) -> list[tuple[str, int | None]]:
    return [(x.code, x.line) for x in d.items]


def test_inline_and_reference_notes_are_numbered_in_call_order(tmp_path):
    c, d = load(tmp_path, "# T\n\nA[^a], b^[Inline *one*.], c[^a], d^[Two.]\n\n[^a]: Ref.\n")
    assert not d.items
    assert [n.number for n in c.notes] == [1, 2, 3]
    assert ["Ref." in c.notes[0].body.xml, "<em>one</em>" in c.notes[1].body.xml,
            "Two." in c.notes[2].body.xml] == [True, True, True]
    assert c.body.xml.count('class="mb-noteref"') == 4 and "mb-inline-note" not in c.body.xml


def test_math_becomes_mathml_with_its_tex_and_is_not_smartened(tmp_path):
    c, d = load(tmp_path, "# T\n\nThe slope $f'(x)$ is \"steep\".\n")
    assert not d.items
    body = etree.fromstring(f"<div>{c.body.xml}</div>")
    math = body.find(f".//{M}math")
    assert math.get("display") == "inline" and tex_source(math) == "f'(x)"
    assert "’" not in "".join(math.itertext()) and "“steep”" in c.body.xml


def test_mathml_holds_one_presentation_element_then_the_annotation():
    math = tex_to_mathml("a + b", "block")
    semantics = math.find(f"{M}semantics")
    assert [etree.QName(el).localname for el in semantics] == ["mrow", "annotation"]
    assert math.get("display") == "block"


def test_unreadable_tex_is_a_warning_and_keeps_the_source(tmp_path):
    c, d = load(tmp_path, "# T\n\nBad $\\left( a$ here.\n")
    assert found(d) == [("C104", 3)]
    assert '<span class="math inline">\\left( a</span>' in c.body.xml


def test_dropped_raw_text_is_reported_at_its_line(tmp_path):
    _, d = load(tmp_path, "# T\n\nText.\n\nMore `x`{=latex}.\n\n```{=openxml}\n<w:p/>\n```\n\n"
                          "A \\newpage here.\n")
    assert sorted(found(d)) == [("C102", 5), ("C102", 7), ("C103", 11)]


def test_leftovers_are_warnings_with_lines_and_citations_are_left_to_their_transform(tmp_path):
    # a citation is the citations transform's (C101 without a bibliography), not a leftover
    _, d = load(tmp_path, "# T\n\nAs [@doe, p. 3] says.\n\nAn open ^[note.\n\n"
                          "A stray {.smallcaps} here.\n\n`{.code}` is fine.\n")
    assert found(d) == [("C100", 5), ("C100", 7)]
    assert all(x.severity.value == "warning" for x in d.items)


def test_leftover_table_names_each_construct():
    section = etree.fromstring(
        "<section><p>a ^[b</p><p>{=latex} and {#id .c}</p><p>::: div</p><p>| line</p>"
        "<p>+---+---+</p><p>----- -----</p><p>|---|---|</p><p>```</p><p>$$ x</p>"
        "<code>{.ok} $$</code></section>")
    d = Diagnostics()
    report_leftovers(section, None, lambda s: None, d)
    messages = [x.message for x in d.items]
    assert len(messages) == 10 and len(PATTERNS) == 11
    for word in ("inline note", "raw attribute", "attribute block", "fenced div",
                 "line block", "grid table", "simple table", "pipe table", "code fence",
                 "display math"):
        assert any(word in m for m in messages), word
