"""The Kobo changes, one by one, on a small hand-written EPUB (epub_fixture)."""

from __future__ import annotations

import re

from lxml import etree

from make_book.render.retail import derive
from make_book.render.retail.kobo import (
    KOBO_CHANGES,
    kobo_spans,
    kobo_style_hacks,
    kobo_wrapper_divs,
)
from make_book.render.retail.package import NS, EpubPackage
from tests.unit.render.retail.epub_fixture import make_epub

CHAPTER = "EPUB/text/one.xhtml"


def changed(*changes) -> EpubPackage:
    epub = EpubPackage(make_epub())
    for change in changes:
        change(epub)
    return EpubPackage(epub.to_bytes())  # as written and read back


def body_text(epub: EpubPackage, name: str) -> str:
    return "".join(epub.tree(name).getroot().find("x:body", NS).itertext())


def spans(epub: EpubPackage, name: str = CHAPTER) -> list[etree._Element]:
    return epub.tree(name).getroot().xpath("//x:span[@class='koboSpan']", namespaces=NS)


def test_style_hacks_in_every_content_document_head():
    epub = changed(kobo_style_hacks)
    for name in (CHAPTER, "EPUB/text/cover.xhtml"):
        styles = epub.tree(name).getroot().xpath("x:head/x:style[@class='kobostylehacks']",
                                                 namespaces=NS)
        assert len(styles) == 1 and "div#book-inner" in styles[0].text
    assert not epub.tree("EPUB/nav.xhtml").getroot().xpath("//x:style", namespaces=NS)


def test_wrapper_divs_hold_the_whole_body():
    before = EpubPackage(make_epub())
    epub = changed(kobo_wrapper_divs)
    body = epub.tree(CHAPTER).getroot().find("x:body", NS)
    assert [c.get("id") for c in body] == ["book-columns"]
    inner = body[0]
    assert [c.get("id") for c in inner] == ["book-inner"]
    assert [c.get("class") for c in inner[0]] == ["chapter", "notes"]
    assert body_text(epub, CHAPTER) .strip() == body_text(before, CHAPTER).strip()
    assert epub.tree("EPUB/nav.xhtml").getroot().xpath("//x:div", namespaces=NS) == []


def test_spans_keep_every_character_and_have_unique_ids():
    before = EpubPackage(make_epub())
    epub = changed(kobo_spans)
    assert body_text(epub, CHAPTER) == body_text(before, CHAPTER)
    ids = [s.get("id") for s in spans(epub)]
    assert len(ids) == len(set(ids)) > 10
    assert all(re.fullmatch(r"kobo\.\d+\.\d+", i) for i in ids)


def test_spans_cut_at_sentences_by_the_text_language():
    epub = changed(kobo_spans)
    texts = [s.text for s in spans(epub) if s.text]
    assert "Mr. Brown came home at noon. " in texts  # an abbreviation is no sentence end
    assert "He was tired!" in texts
    assert "Он пришёл. " in texts and "Было поздно." in texts
    assert "An astral 𝔄 letter. " in texts  # outside the BMP: ICU's offsets are UTF-16


def test_spans_number_blocks_and_segments():
    epub = changed(kobo_spans)
    ids = {s.text: s.get("id") for s in spans(epub) if s.text}
    heading = ids["The First Chapter"]
    first, second = ids["Mr. Brown came home at noon. "], ids["He was tired!"]
    assert heading.split(".")[1] != first.split(".")[1]
    assert first.split(".")[1] == second.split(".")[1]
    assert int(second.split(".")[2]) == int(first.split(".")[2]) + 1


def test_spans_leave_notes_markers_ruby_math_and_pre_alone():
    epub = changed(kobo_spans)
    root = epub.tree(CHAPTER).getroot()
    for path in ("//x:a[@role='doc-noteref']", "//x:a[@role='doc-backlink']",
                 "//x:span[@role='doc-pagebreak']", "//x:ruby", "//x:pre",
                 "//m:math"):
        found = root.xpath(path, namespaces={**NS, "m": "http://www.w3.org/1998/Math/MathML"})
        assert found, path
        assert not found[0].xpath(".//x:span[@class='koboSpan']", namespaces=NS), path
    assert root.xpath("//x:pre/text()", namespaces=NS) == ["code. more code."]
    # the note's own text is spanned: it is read like any other
    assert root.xpath("//x:aside//x:span[@class='koboSpan']", namespaces=NS)
    # a link keeps its target; its text is spanned inside it
    link = root.xpath("//x:li/x:a[@href='#one']", namespaces=NS)[0]
    assert [s.text for s in link] == ["A link. ", "Still."]


def test_an_image_is_a_span_of_its_own():
    epub = changed(kobo_spans)
    img = epub.tree(CHAPTER).getroot().xpath("//x:img", namespaces=NS)[0]
    span = img.getparent()
    assert span.get("class") == "koboSpan" and len(span) == 1 and not span.text
    assert span.getparent().tag == f"{{{NS['x']}}}figure"


def test_the_nav_document_is_left_alone():
    before = make_epub()
    epub = changed(*KOBO_CHANGES)
    assert epub.entries["EPUB/nav.xhtml"] == EpubPackage(before).entries["EPUB/nav.xhtml"]


def test_the_changes_applied_twice_change_nothing_more():
    once = derive(make_epub(), KOBO_CHANGES)
    assert derive(once, KOBO_CHANGES) == once


def test_mimetype_first_and_stored_and_the_stamp_kept():
    import io
    import zipfile
    with zipfile.ZipFile(io.BytesIO(derive(make_epub(), KOBO_CHANGES))) as z:
        infos = z.infolist()
    assert infos[0].filename == "mimetype" and infos[0].compress_type == zipfile.ZIP_STORED
    assert {i.date_time for i in infos} == {(2024, 1, 1, 0, 0, 0)}
