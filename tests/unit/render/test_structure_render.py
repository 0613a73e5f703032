"""Nested parts in both renderers: the EPUB's spine, nav and part pages; the print
edition's part pages, contents and outline levels (the print HTML, before layout)."""

from __future__ import annotations

from datetime import datetime, timezone

from lxml import etree, html as lxml_html

from make_book.errors import Diagnostics
from make_book.layouts.chain import load_layout
from make_book.manuscript.book import load_book
from make_book.render.print import documents as pdf_documents
from make_book.render.epub.renderer import EpubRenderer
from make_book.render.print.geometry import geometry_for
from make_book.transforms import run
from tests.unit.manuscript.test_structure import QUOTE, write_book


def nested_book(tmp_path):
    """A part with an epigraph holding a book, whose chapters are ### headings."""
    root = write_book(tmp_path, {
        "c/00-preface.md": "# Preface\n\nWhy.\n",
        "c/01a-part.md": "# Part One: The Plain\n\n" + QUOTE,
        "c/01b-book.md": "## Book I: The Town\n",
        "c/02.md": "### I: Arrival\n\nText.\n\n#### A Scene\n\nMore.\n",
        "c/03.md": "### II: Departure\n\nText.[^1]\n\n[^1]: A note.\n",
    }, "print: {toc-depth: 2}\n")
    book = run(load_book(root, Diagnostics()), Diagnostics())
    return book, load_layout(root, "default")


def epub(book, layout):
    return EpubRenderer(book, layout, datetime(2020, 1, 1, tzinfo=timezone.utc), Diagnostics())


def test_epub_nav_nests_parts_in_parts(tmp_path):
    book, layout = nested_book(tmp_path)
    toc = epub(book, layout).toc()

    def tree(entries):
        return [(e.label, e.href, tree(e.children)) for e in entries]
    assert tree(toc) == [
        ("Preface", "ch-00-preface.xhtml", []),
        ("Part One: The Plain", "part-one-the-plain.xhtml", [
            ("Book I: The Town", "book-i-the-town.xhtml", [
                ("I: Arrival", "ch-02.xhtml", [("A Scene", "ch-02.xhtml#a-scene", [])]),
                ("II: Departure", "ch-03.xhtml", [])])])]


def test_epub_part_page_carries_its_opening_text(tmp_path):
    book, layout = nested_book(tmp_path)
    part = book.parts[0]
    page = etree.fromstring(epub(book, layout).part_doc(part))
    ns = {"x": "http://www.w3.org/1999/xhtml"}
    section = page.find(".//x:section", ns)
    assert section.get("id") == "part-one-the-plain"
    assert section.find("x:h1", ns).xpath("string()").strip() == "Part One: The Plain"
    quote = section.find(".//x:div[@class='part-opening']/x:blockquote", ns)
    assert "Patience is a slow" in quote.xpath("string()")
    # a part whose title carries its number gets no "Part I" label
    assert not section.xpath(".//x:span[@class='part-number']", namespaces=ns)


def test_print_part_pages_contents_and_outline_levels(tmp_path):
    book, layout = nested_book(tmp_path)
    geometry = geometry_for(book.meta.print, 100)
    doc = pdf_documents.build_document(book, layout, geometry, diagnostics=Diagnostics())
    root = lxml_html.document_fromstring(doc.html)
    part = root.get_element_by_id("part-one-the-plain")
    inner = root.get_element_by_id("book-i-the-town")
    assert "bookmark-level: 1" in part.get("style")
    assert "bookmark-level: 2" in inner.get("style")
    assert "Patience is a slow" in part.xpath("string(.//div[@class='mb-part-opening'])")
    arrival = root.get_element_by_id("i-arrival")
    assert "bookmark-level: 3" in arrival.xpath(".//h1")[0].get("style")
    assert "bookmark-level: 4" in arrival.xpath(".//h2")[0].get("style")
    assert arrival.get("data-running-head") == "I: Arrival"
    # every part page opens its own page group, before what it holds
    order = [s.get("id") for s in root.xpath("//body/section[@id]")]
    assert order.index("part-one-the-plain") < order.index("book-i-the-town") \
        < order.index("i-arrival") < order.index("ii-departure")
    assert doc.page_names["part-one-the-plain"] == "part-first"
    assert doc.page_names["book-i-the-town"] == "part"
    toc = root.xpath("//nav[@id='mb-contents']")[0]
    nested = toc.xpath(".//li[@class='mb-toc-part']//li[@class='mb-toc-part']"
                       "//li[@class='mb-toc-chapter']/a/@href")
    assert nested == ["#i-arrival", "#ii-departure"]
    # numbered titles print no "Chapter n" above them
    assert not arrival.xpath(".//p[@class='mb-chapter-number']")


def test_epub_body_begins_at_the_first_part_page(tmp_path):
    book, layout = nested_book(tmp_path)
    marks = {m["type"]: m["href"] for m in epub(book, layout).landmarks(False)}
    assert marks["bodymatter"] == "text/part-one-the-plain.xhtml"


def test_a_piece_without_a_heading_gets_no_invented_heading(tmp_path):
    root = write_book(tmp_path, {"c/00.md": "To my teachers.\n", "c/01.md": "# One\n\nText.\n"})
    book = run(load_book(root, Diagnostics()), Diagnostics())
    dedication = book.chapters[0]
    assert (dedication.kind, dedication.title, dedication.untitled) == (
        "dedication", "Dedication", True)
    renderer = epub(book, load_layout(root, "default"))
    page = etree.fromstring(renderer.chapter_doc(dedication))
    ns = {"x": "http://www.w3.org/1999/xhtml"}
    section = page.find(".//x:section", ns)
    assert section.get("aria-label") == "Dedication" and section.find(".//x:h1", ns) is None
    assert [e.label for e in renderer.toc()][0] == "Dedication"  # named in the nav


def test_print_part_opening_notes_as_endnotes_land_on_the_part_page(tmp_path):
    root = write_book(tmp_path, {"c/01.md": "# Part A\n\nA motto.[^1]\n\n[^1]: Its source.\n",
                                 "c/02.md": "## One\n\nText.\n"}, "notes: endnotes\n")
    book = run(load_book(root, Diagnostics()), Diagnostics())
    geometry = geometry_for(book.meta.print, 100)
    doc = pdf_documents.build_document(book, load_layout(root, "default"), geometry,
                                  diagnostics=Diagnostics())
    part = lxml_html.document_fromstring(doc.html).get_element_by_id("part-a")
    call = part.xpath(".//a[@class='mb-noteref']")[0]
    target = part.xpath(f".//div[@id='{call.get('href')[1:]}']")
    assert target and "Its source" in target[0].text_content()
