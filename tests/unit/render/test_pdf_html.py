"""The print HTML: notes, figures, section breaks, page names, contents, generated pages."""

from __future__ import annotations

import re

from lxml import etree, html as lxml_html

from make_book.errors import Diagnostics
from make_book.render.print import contents as pdf_contents
from make_book.render.print import html as pdf_html
from make_book.render.print.geometry import LEADING_PT, geometry_for
from make_book.render.credits import printing_line
from make_book.transforms.print_notes import note_inline
from make_book.transforms.print_steps import FIGURE_MAX_HEIGHT_SHARE, figure_width_pt
from make_book.render.print.documents import build_document, chapter_document
from make_book.xhtml import Body
from tests.unit.render.test_pdf_fixtures import default_layout, make_book


def document(tmp_path, endnote_ids=frozenset(), **options):
    book = make_book(tmp_path / "b", **options)
    layout = default_layout(tmp_path / "b")
    g = geometry_for(book.meta.print, 100)
    doc = build_document(book, layout, g, diagnostics=Diagnostics(), endnote_ids=endnote_ids)
    return book, doc, lxml_html.document_fromstring(doc.html)


def test_note_inline_unwraps_the_first_paragraph():
    span = note_inline(Body.parse("<p>One <em>two</em>.</p><p>Three.</p>"
                                  "<blockquote><p>Q</p></blockquote>"))
    out = etree.tostring(span, encoding="unicode")
    assert out.startswith("<span>One <em>two</em>.")
    assert '<span class="mb-p">Three.</span>' in out
    assert '<span class="mb-blockquote"><span class="mb-p">Q</span></span>' in out
    assert "<p" not in out and "<blockquote" not in out


def test_footnotes_become_spans_at_the_call(tmp_path):
    book, doc, root = document(tmp_path)
    spans = root.xpath("//span[@class='mb-footnote']")
    assert {s.get("id") for s in spans} == set(doc.note_calls)
    note = root.get_element_by_id("the-mill-note-1")
    assert note.get("data-n") == "1"
    assert "founded in 1872" in note.text_content()
    anchor = note.getprevious()
    assert anchor.get("class") == "mb-noteanchor" and anchor.get("id") == "the-mill-noteref-1"
    assert not root.xpath("//*[@class='mb-noteref' and @data-note]"), "no placeholder left"
    assert "<a class=\"mb-noteref\" data-note" not in doc.html


def test_moved_notes_and_endnotes_mode(tmp_path):
    _, doc, root = document(tmp_path, endnote_ids=frozenset({"the-strike-note-2"}))
    assert "the-strike-note-2" not in doc.note_calls
    call = root.get_element_by_id("the-strike-noteref-2")
    assert call.tag == "a" and call.get("href") == "#the-strike-note-2" and call.text == "2"
    section = root.get_element_by_id("the-strike")
    notes = section.xpath(".//section[@class='mb-endnotes']")
    assert len(notes) == 1 and notes[0].xpath("h2")[0].text == "Notes"
    entry = notes[0].xpath(".//div[@id='the-strike-note-2']")[0]
    number = entry.xpath(".//a[@class='mb-endnote-number']")[0]
    assert number.text == "2." and number.get("href") == "#the-strike-noteref-2"

    _, doc, root = document(tmp_path / "e", notes="endnotes")
    assert doc.note_calls == {}
    assert not root.xpath("//span[@class='mb-footnote']")
    assert len(root.xpath("//section[@class='mb-endnotes']")) == 3


def test_section_breaks_and_figures(tmp_path):
    book, doc, root = document(tmp_path)
    assert not root.xpath("//hr")
    assert root.xpath("//div[@class='mb-section-break' and @role='separator']")
    widths = {img.get("src"): img.get("style") for img in root.xpath("//img")}
    assert widths["images/stamp.jpg"] == "width: 72.0pt"
    assert widths["images/mill.jpg"] == f"width: {round(4.425 * 72, 2)}pt"


def test_figure_width_rule():
    g = geometry_for(type("P", (), {"trim_size": (432.0, 648.0), "bleed_pt": 9.0,
                                    "marks": "none"})(), 100)
    assert figure_width_pt((3000, 2000), g) == round(g.text_width, 2)  # scaled to the block
    assert figure_width_pt((600, 400), g) == 144.0  # 2 in: never enlarged beyond 300 dpi
    tall = figure_width_pt((1200, 6000), g)  # a tall image is limited by the height
    assert tall * 5 <= g.text_height * FIGURE_MAX_HEIGHT_SHARE + 0.1


def test_page_names_and_order(tmp_path):
    book, doc, root = document(tmp_path)
    body = root.xpath("//body")[0]
    names = [(el.get("id") or el.get("class").split()[0],
              re.search(r"page: ([\w-]+)", el.get("style", "")).group(1)) for el in body]
    assert names == [
        ("mb-halftitle", "display"), ("mb-titlepage", "display"), ("mb-copyright", "display"),
        ("dedication", "display"), ("mb-contents", "front"), ("preface", "front"),
        ("part-one", "part-first"), ("the-mill", "body"), ("the-strike", "body"),
        ("after", "body"), ("chronology", "back")]
    assert doc.first_body_id == "part-one"
    assert "counter-reset: page 1" in doc.html


def test_first_body_chapter_without_parts(tmp_path):
    _, doc, root = document(tmp_path, with_parts=False)
    assert doc.first_body_id == "the-mill"
    assert "page: body-first" in root.get_element_by_id("the-mill").get("style")


def test_running_heads_and_bookmarks(tmp_path):
    _, doc, root = document(tmp_path)
    assert root.xpath("//body")[0].get("data-verso-head") == "The Weavers of the Volga"
    strike = root.get_element_by_id("the-strike")
    assert strike.get("data-running-head") == "The Three Days"
    h1 = strike.xpath(".//h1")[0]
    assert "bookmark-level: 2" in h1.get("style")
    assert '"2. The Three Days in the Autumn When the Weaving Shed Fell Silent"' in h1.get(
        "style")
    looms = root.get_element_by_id("ch1-the-looms")
    assert "bookmark-level: 3" in looms.get("style")
    after = root.get_element_by_id("after").xpath(".//h1")[0]
    assert "bookmark-level: 1" in after.get("style")  # not in a part


def test_running_head_verso_author(tmp_path):
    _, _, root = document(tmp_path, print={"trim": "us-trade", "running-head-verso": "author"})
    assert root.xpath("//body")[0].get("data-verso-head") == "Anna Vetrova"


def test_contents_entries(tmp_path):
    _, _, root = document(tmp_path)
    toc = root.get_element_by_id("mb-contents")
    links = [(a.get("href"), a.get("class"), " ".join(a.text_content().split()))
             for a in toc.xpath(".//a")]
    assert links == [
        ("#preface", "mb-roman", "Translator’s Preface"),
        ("#part-one", None, "Part One: The Town"),
        ("#the-mill", "mb-numbered", "1 The Mill on the High Bank"),
        ("#ch1-the-looms", None, "The Looms"),
        ("#ch1-output", None, "Output by Year"),
        ("#the-strike", "mb-numbered",
         "2 The Three Days in the Autumn When the Weaving Shed Fell Silent"),
        ("#after", "mb-numbered", "3 After the Strike"),
        ("#chronology", None, "Appendix A: Chronology")]


def test_contents_depth_one(tmp_path):
    _, _, root = document(tmp_path, print={"trim": "us-trade", "toc-depth": 1})
    hrefs = [a.get("href") for a in root.get_element_by_id("mb-contents").xpath(".//a")]
    assert "#ch1-the-looms" not in hrefs and "#the-mill" in hrefs


def test_contents_list_sections_only_when_asked(tmp_path):
    """The book's own toc-depth decides; without one, the layout's contents-depth (1 in
    the default layout: parts and chapters)."""
    _, _, root = document(tmp_path, print={"trim": "us-trade"})
    toc = root.get_element_by_id("mb-contents")
    hrefs = [a.get("href") for a in toc.xpath(".//a")]
    assert "#ch1-the-looms" not in hrefs and "#the-mill" in hrefs and "#part-one" in hrefs
    assert "mb-toc-dense" not in toc.get("class")


def test_contents_longer_than_a_page_are_set_dense(tmp_path, monkeypatch):
    """Contents that would run past their first page at the body's leading are set dense
    (print.css: smaller, the title without its sinkage)."""
    book = make_book(tmp_path / "b")
    ctx, _ = pdf_html.make_context(book, default_layout(tmp_path / "b"),
                               geometry_for(book.meta.print, 100), Diagnostics())
    room = ctx.geometry.text_height / LEADING_PT - pdf_contents.CONTENTS_TITLE_LINES
    assert 25 < room < 40  # 6 x 9 in: about 29 lines under the title

    def chapters(count):
        entries = [pdf_contents.TocEntry("chapter", str(n), f"Chapter {n}", f"#c{n}")
                   for n in range(1, count + 1)]
        return [pdf_contents.TocEntry("part", None, "Part", "#p", children=entries)]

    assert pdf_contents.contents_lines(chapters(25)) == 28
    long = pdf_contents.TocEntry("chapter", None, "word " * 20, "#long")  # 100 characters
    assert pdf_contents.contents_lines([long], per_line=40) == 3  # a title set on 3 lines
    assert 45 < pdf_contents._contents_chars(ctx.geometry) < 60
    for count, dense in ((int(room) - 4, False), (int(room), True)):
        monkeypatch.setattr(pdf_contents, "toc_entries",
                            lambda ctx, after, page_map: chapters(count))
        [toc], _ = pdf_contents.contents_sections(ctx, [], None)
        assert ("mb-toc-dense" in toc) == dense, count


def test_copyright_page(tmp_path):
    _, _, root = document(tmp_path)
    lines = [" ".join(p.text_content().split())
             for p in root.xpath("//section[@class='mb-copyright']//p")]
    assert lines == [
        "The Weavers of the Volga: Letters from a Factory Town",
        "All rights reserved. No part of this book may be reproduced without permission.",
        "First edition 2024",
        "Translated by Thomas Ashdown",
        "10 9 8 7 6 5 4 3 2 1",
        "ISBN 978-1-7390000-1-1 (paperback)",
        "ISBN 978-1-7390000-0-4 (EPUB)",
        "Northfield Press, Northfield"]


def test_no_copyright_holder_is_invented(tmp_path):
    _, _, root = document(tmp_path, rights="© 2024 Northfield Press. All rights reserved.")
    text = root.xpath("//section[@class='mb-copyright']")[0].text_content()
    assert "Copyright ©" not in text and text.count("©") == 1


def test_printing_line():
    class M:
        def __init__(self, printing):
            self.meta = type("Meta", (), {"printing": printing})()
    assert printing_line(M("3")) == "10 9 8 7 6 5 4 3"
    assert printing_line(M("12")) == "20 19 18 17 16 15 14 13 12"
    assert printing_line(M("Second printing, 2025")) == "Second printing, 2025"
    assert printing_line(M(None)) is None


def test_generated_pages_can_be_turned_off(tmp_path):
    _, _, root = document(tmp_path, generate={"half-title": False, "toc": False})
    classes = [el.get("class") for el in root.xpath("//body/*")]
    assert "mb-halftitle" not in classes and "mb-toc" not in classes


def test_html_is_fixed_and_relative(tmp_path):
    _, doc, root = document(tmp_path)
    assert doc.base_url == pdf_html.BOOK_URL
    assert str(tmp_path / "b") not in doc.html.replace("file://", "")  # only layout URLs
    assert root.xpath("//img")[0].get("src").startswith("images/")


def test_note_blocks_leave_no_blank_lines():
    span = note_inline(Body.parse("<p>One.</p>\n\n<p>Two.</p>\n<p>Three.</p>"))
    out = etree.tostring(span, encoding="unicode")
    assert out == ('<span>One.<span class="mb-p">Two.</span><span class="mb-p">Three.</span>'
                   "</span>")


def test_verse_lines_become_blocks(tmp_path):
    _, _, root = document(tmp_path)
    stanza = root.xpath("//div[@class='verse']/p")[0]
    lines = [" ".join(s.text_content().split()) for s in stanza.xpath("span")]
    assert lines == ["The river does not care", "whether we are late,",
                     "it carries ice and timber", "past the factory gate."]
    assert all(s.get("class") == "mb-verse-line" for s in stanza.xpath("span"))
    assert not stanza.xpath(".//br")


def test_one_chapter_as_its_own_document(tmp_path):
    book = make_book(tmp_path / "b")
    g = geometry_for(book.meta.print, 100)
    doc = chapter_document(book, default_layout(tmp_path / "b"), g, book.chapters[2],
                                    diagnostics=Diagnostics())
    root = lxml_html.document_fromstring(doc.html)
    assert [el.get("id") for el in root.xpath("//body/*")] == ["the-mill"]
    assert set(doc.note_calls) == {"the-mill-note-1", "the-mill-note-2"}
