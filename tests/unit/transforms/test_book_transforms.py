"""Book-level transforms on tiny in-memory books: anchors, numbering, links."""

from __future__ import annotations

from pathlib import Path

from make_book.config.metadata import BookMetadata
from make_book.errors import Diagnostics
from make_book.model import Book, Chapter, Heading, Note, Part
from make_book.transforms import anchors, numbering, run


def chapter(name: str, body: str = "<p>x</p>", kind: str = "chapter", ids=(), **kw) -> Chapter:
    return Chapter(source=Path(f"/book/{name}.md"), rel=f"{name}.md", file_id=name,
                   title=name.title(), kind=kind, lang=None,
                   numbered=kw.pop("numbered", kind in ("chapter", "appendix")), body=body,
                   headings=(Heading(1, name, name.title()),), ids=frozenset({name, *ids}), **kw)


def book(*items) -> Book:
    meta = BookMetadata.model_validate({"title": "T", "lang": "en"})
    return Book(root=Path("/book"), slug="t", meta=meta, items=tuple(items))


def test_numbering_counts_chapters_and_letters_appendixes():
    b = book(chapter("pre", kind="preface"),
             Part(id="p1", title="One", items=(chapter("a"), chapter("b"))),
             Part(id="p2", title="Two", items=(chapter("c"),)),
             chapter("x", kind="appendix"), chapter("y", kind="appendix"))
    out = numbering.number_chapters(b, Diagnostics())
    assert [(c.file_id, c.label) for c in out.chapters] == [
        ("pre", None), ("a", "1"), ("b", "2"), ("c", "3"), ("x", "A"), ("y", "B")]
    assert [p.label for p in out.parts] == ["I", "II"]


def test_only_parts_of_the_book_without_a_number_in_their_title_are_numbered():
    inner = Part(id="b1", title="The Town", items=(chapter("a"),), depth=2)
    b = book(Part(id="p1", title="Part One", items=(inner,)),
             Part(id="p2", title="Across the River", items=(chapter("b"),)),
             Part(id="p3", title="Book III: The Court", items=(chapter("c"),)),
             Part(id="p4", title="Epilogue", items=(chapter("d"),)),
             Part(id="p5", title="Home", items=(chapter("e"),)))
    out = numbering.number_chapters(b, Diagnostics())
    assert [(p.id, p.label) for p in out.parts] == [
        ("p1", None), ("b1", None), ("p2", "I"), ("p3", None), ("p4", None), ("p5", "II")]
    assert out.numbers["p5"] == ("part", "II") and "b1" not in out.numbers
    assert [c.label for c in out.chapters] == ["1", "2", "3", "4", "5"]


def test_a_part_opening_text_is_mapped_with_the_chapters():
    opening = chapter("p-open", kind="part", numbered=False)
    b = book(Part(id="p1", title="One", items=(chapter("a"),), opening=opening))
    assert [c.file_id for c in b.chapters] == ["p-open", "a"]
    out = b.map_chapters(lambda c: c.evolve(title=c.title.upper()))
    assert out.parts[0].opening.title == "P-OPEN" and out.chapters[1].title == "A"


def test_numbered_false_keeps_a_chapter_unnumbered():
    out = numbering.number_chapters(book(chapter("a", numbered=False), chapter("b")),
                                    Diagnostics())
    assert [c.label for c in out.chapters] == [None, "1"]


def test_anchors_map_ids_to_files_and_label_figures():
    body = '<figure id="fig-1"><img src="i.png" alt=""/><figcaption>A <em>mill</em></figcaption></figure>'
    b = book(chapter("a", ids={"sec"}), chapter("b", body=body, ids={"fig-1"},
                                                 notes=(Note(1, "b-note-1", "b-noteref-1", "<p>n</p>"),)))
    out = anchors.collect(b, Diagnostics())
    assert out.anchors["sec"] == "a" and out.anchors["fig-1"] == "b"
    assert out.anchors["b-note-1"] == "b"
    assert out.labels["fig-1"] == "A mill"
    assert out.labels["b"] == "B"


def test_duplicate_id_across_chapters_is_an_error():
    d = Diagnostics()
    anchors.collect(book(chapter("a", ids={"same"}), chapter("b", ids={"same"})), d)
    assert [x.code for x in d.errors] == ["C021"]
    assert "first defined in a.md" in d.errors[0].message


def test_link_to_missing_id_is_an_error_naming_the_file():
    d = Diagnostics()
    b = book(chapter("a", body='<p><a href="#b">ok</a> <a href="#nowhere">bad</a></p>'),
             chapter("b"))
    run(b, d)
    assert [(x.code, x.path.name) for x in d.errors] == [("C050", "a.md")]
    assert "#nowhere" in d.errors[0].message


def test_links_inside_notes_are_checked_too():
    d = Diagnostics()
    note = Note(1, "a-note-1", "a-noteref-1", '<p><a href="#gone">x</a></p>')
    run(book(chapter("a", notes=(note,))), d)
    assert [x.code for x in d.errors] == ["C050"]


def test_figures_and_captioned_tables_numbered_per_chapter_and_refs_resolved(tmp_path):
    from make_book.config.metadata import BookMetadata
    meta = BookMetadata.model_validate({"title": "T", "lang": "en", "number-figures": True,
                                        "number-tables": True})
    figure = '<figure id="fig-a"><img src="i.png" alt=""/><figcaption>Mill</figcaption></figure>'
    table = '<table id="tab-a"><tr><td>1</td></tr></table><p>Table: Wages</p>'
    refs = ('<p><a class="ref" href="#fig-a"/> <a class="ref" href="#tab-a"/> '
            '<a class="ref" href="#b"/> <a class="ref" href="#p1"/> '
            '<a class="ref" href="#fig-a">own text</a></p>')
    b = Book(root=tmp_path, slug="t", meta=meta, items=(
        chapter("pre", kind="preface", body=figure.replace("fig-a", "fig-p")),
        Part(id="p1", title="One", items=(chapter("a"), chapter("b", body=figure + table,
                                                                   ids={"fig-a", "tab-a"}))),
        chapter("c", body=refs)))
    d = Diagnostics()
    out = run(b, d)
    assert not d.errors
    body_b = out.chapters[2].body.xml
    assert '<span class="caption-label">Figure 2.1</span>. Mill' in body_b
    assert "<caption><span class=\"caption-label\">Table 2.1</span>. Wages</caption>" in body_b
    assert "Table:" not in body_b
    assert '<span class="caption-label">Figure 1</span>' in out.chapters[0].body.xml
    body_c = out.chapters[3].body.xml
    for text in (">figure 2.1<", ">table 2.1<", ">chapter 2<", ">part I<", ">own text<"):
        assert text in body_c


def test_glossary_sorted_by_collation_with_linkable_ids():
    body = ("<dl><dt>Zinoviev, Grigory</dt><dd>Z.</dd><dt>Élie, Jean</dt><dd>E.</dd>"
            "<dt>Bukharin, Nikolai (<span lang=\"ru\">Бухарин</span>)</dt><dd>B.</dd></dl>"
            '<p><a href="#glossary:zinoviev">Z</a></p>')
    d = Diagnostics()
    out = run(book(chapter("gl", kind="glossary", body=body)), d)
    assert not d.errors
    g = out.chapters[0]
    order = [g.body.xml.index(t) for t in ("Bukharin", "Élie", "Zinoviev")]
    assert order == sorted(order)
    assert 'id="glossary:zinoviev"' in g.body.xml and 'id="glossary:bukharin"' in g.body.xml
    assert out.anchors["glossary:elie"] == "gl"
