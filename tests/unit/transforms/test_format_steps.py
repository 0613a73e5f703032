"""The tree steps each format runs (transforms.PIPELINE, transforms.for_format): each step
on a small tree, and the list itself: every step says why it sits there and for which
formats, every format module's step is listed."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

from lxml import etree

from make_book import transforms
from make_book.errors import Diagnostics
from make_book.manuscript.book import load_book
from make_book.render.serialise import serialise
from make_book.transforms import (
    contents_steps,
    epub_steps,
    index_locators,
    page_markers,
    print_notes,
    print_steps,
)
from make_book.transforms.format_context import EpubContext, PrintContext
from make_book.transforms.steps import FORMATS, FRAGMENTS
from make_book.xhtml import EPUB_TYPE, Body, parse_fragment

GEOMETRY = SimpleNamespace(text_width=300.0, text_height=500.0, bleed=False)


def book(tmp_path: Path, text: str, kind: str = ""):
    root = tmp_path / "book"
    (root / "chapters").mkdir(parents=True)
    (root / "book.yaml").write_text("title: T\nauthor: A. Writer\nlang: en\n")
    (root / "chapters" / "01.md").write_text(text, encoding="utf-8")
    diagnostics = Diagnostics()
    return transforms.run(load_book(root, diagnostics), diagnostics), diagnostics


def epub(b, **kw) -> EpubContext:
    return EpubContext(b, b.chapters[0], {b.chapters[0].file_id: "ch.xhtml"},
                       {"back-to-text": "Back"}, **kw)


def printing(b, d, **kw) -> PrintContext:
    return PrintContext(b, b.chapters[0], d, GEOMETRY, frozenset("0123456789"), **kw)


def tree(markup: str) -> etree._Element:
    return Body.parse(markup).edit()


# ------------------------------------------------------------------------- the list

def test_every_step_says_why_and_for_which_formats_and_fragments():
    for step in transforms.PIPELINE:
        assert len(step.why) > 20, step.run
        assert step.formats and set(step.formats) <= set(FORMATS), step.run
        assert set(step.fragments) <= set(FRAGMENTS), step.run
    book_steps = [s.on_tree for s in transforms.PIPELINE]
    assert book_steps == sorted(book_steps), "book steps come before tree steps"


def test_every_public_step_of_the_format_modules_is_listed():
    listed = {s.run for s in transforms.PIPELINE}
    steps = []
    for module in (epub_steps, print_steps, print_notes, page_markers, index_locators,
                   contents_steps):
        for name, value in vars(module).items():
            if (callable(value) and getattr(value, "__module__", "") == module.__name__
                    and value.__code__.co_varnames[:2] in (("root", "ctx"), ("view", "ctx"))):
                steps.append(value)
                assert value in listed, name
    assert page_markers.place_page_markers in steps
    assert {index_locators.linked, index_locators.printed} <= set(steps)
    assert {contents_steps.contents_linked, contents_steps.contents_printed,
            contents_steps.contents_folios, contents_steps.figures_linked,
            contents_steps.figures_printed, contents_steps.figure_folios} <= set(steps)
    for step in transforms.PIPELINE:  # the template data's steps too: why, formats, fragments
        if step.run in steps:
            assert step.why and step.formats and step.fragments, step.run


def test_for_format_runs_only_the_steps_of_its_format_and_fragment(tmp_path):
    b, d = book(tmp_path, "# One\n\nText.[^1]\n\n---\n\nMore.\n\n[^1]: A note.\n")
    tree = b.chapters[0].body.epub_root()
    out = serialise(transforms.for_format("body", "epub", epub(b), tree), "epub")
    assert 'role="doc-noteref"' in out and 'class="section-break"' in out
    assert "mb-footnote" not in out
    ctx = printing(b, d)
    out = serialise(transforms.for_format("body", "print", ctx, b.chapters[0].body.edit()),
                    "print")
    assert 'class="mb-footnote"' in out and "mb-section-break" in out
    assert "doc-noteref" not in out and "<hr" not in out


# ------------------------------------------------------------------------- EPUB steps

def test_noterefs_number_each_call_and_give_a_second_call_its_own_id(tmp_path):
    b, _ = book(tmp_path, "# One\n\nA[^1] and again.\n\n[^1]: N.\n")
    ctx = epub(b)
    note = b.chapters[0].notes[0]
    root = parse_fragment(f'<p>A<a class="mb-noteref" data-note="1"/> B<a '
                          f'class="mb-noteref" data-note="1"/></p>')
    epub_steps.noterefs(root, ctx)
    ids = [a.get("id") for a in root.iter("a")]
    assert ids == [note.ref_id, f"{note.ref_id}-2"]
    assert root.find(".//a").get(EPUB_TYPE) == "noteref" and ctx.calls == {1: 2}


def test_links_go_to_the_file_that_holds_the_target(tmp_path):
    b, _ = book(tmp_path, "# One {#one}\n\nText.\n")
    ctx = epub(b)
    ctx.local = False
    root = parse_fragment('<p><a href="#one" prefix="p. "></a></p>')
    epub_steps.links(root, ctx)
    a = root.find(".//a")
    assert a.get("href") == "ch.xhtml#one" and a.get("prefix") is None and a.text


def test_images_and_table_headers_and_glossary(tmp_path):
    b, _ = book(tmp_path, "# One\n\nText.\n")
    ctx = epub(b)
    root = parse_fragment('<p><img src="images/a.png" data-width="10"/></p><table><thead>'
                          '<tr><th/><th>H</th></tr></thead></table>')
    epub_steps.images(root, ctx)
    epub_steps.table_headers(root, ctx)
    img = root.find(".//img")
    assert img.get("src") == "../images/a.png" and img.get("width") == "10"
    assert [c.tag for c in root.find(".//tr")] == ["td", "th"]
    assert root.find(".//th").get("scope") == "col"


def test_note_backlink_leads_the_first_paragraph(tmp_path):
    b, _ = book(tmp_path, "# One\n\nA.[^1]\n\n[^1]: The note.\n")
    ctx = epub(b)
    ctx.note = b.chapters[0].notes[0]
    root = parse_fragment("<p>The note.</p>")
    epub_steps.note_backlink(root, ctx)
    first = root[0][0]
    assert first.get("role") == "doc-backlink" and first.text == "1."
    assert first.tail == " The note."


def test_page_markers_are_placed_and_counted(tmp_path):
    b, _ = book(tmp_path, "# One\n\nText.\n")
    ctx = epub(b, breaks={0: [("7", None)], 1: [("8", "second line")]})
    root = parse_fragment("<p>First.</p><p>The second line here.</p>")
    page_markers.place_page_markers(root, ctx)
    assert ctx.placed == {"7", "8"}
    assert root[1][0].get("id") == "page-8" and root[1].text == "The "


# ------------------------------------------------------------------------- print steps

def test_print_notes_are_footnotes_or_endnotes(tmp_path):
    b, d = book(tmp_path, "# One\n\nA.[^1] B.[^2]\n\n[^1]: One.\n\n[^2]: Two.\n")
    notes = b.chapters[0].notes
    ctx = printing(b, d, endnote_ids=frozenset({notes[1].id}))
    root = tree('<p>A.<a class="mb-noteref" data-note="1"/> B.<a class="mb-noteref"'
                       ' data-note="2"/></p>')
    print_notes.place_notes(root, ctx)
    foot = root.find(".//span[@class='mb-footnote']")
    assert foot.get("id") == notes[0].id and "".join(foot.itertext()) == "One."
    assert ctx.note_calls[notes[0].id][0] == notes[0].ref_id
    assert ctx.endnotes == [2] and root.find(".//a").get("href") == f"#{notes[1].id}"
    ctx.note = notes[1]
    end = transforms.for_format("endnote", "print", ctx, tree("<p>Two.</p>"))
    assert end[0][0].get("class") == "mb-endnote-number" and end[0][0].text == "2."


def test_print_math_images_breaks_verse_and_bookmarks(tmp_path):
    b, d = book(tmp_path, "# One\n\n## Sec {#sec}\n\nText.\n")
    ctx = printing(b, d)
    root = tree('<h2 id="sec">Sec</h2><p><img src="x.png" data-width="3000" '
                       'data-height="1000"/></p><hr/><div class="verse"><p>a<br/>b</p></div>')
    print_steps.images(root, ctx)
    print_steps.section_breaks(root, ctx)
    print_steps.verse(root, ctx)
    print_steps.bookmarks(root, ctx)
    assert root.find(".//img").get("style") == "width: 300.0pt"
    assert root.find(".//div[@role='separator']") is not None
    assert [s.text for s in root.iter("span")] == ["a", "b"]
    assert "bookmark-label: \"Sec\"" in root[0].get("style")
    formula = etree.SubElement(root, "{http://www.w3.org/1998/Math/MathML}math")
    etree.SubElement(formula, "{http://www.w3.org/1998/Math/MathML}mi").text = "x"
    print_steps.math_as_tex(root, ctx)
    assert root[-1].get("class") == "mb-math-tex inline"
    assert [x.code for x in d if x.code == "C105"] == ["C105"]


def test_print_superiors_mark_what_the_font_sets_as_superiors(tmp_path):
    b, d = book(tmp_path, "# One\n\nText.\n")
    root = tree("<p>x<sup>2</sup> y<sup>b</sup></p>")
    print_steps.superiors(root, printing(b, d))
    assert [s.get("data-sups") for s in root.iter("sup")] == ["", None]
