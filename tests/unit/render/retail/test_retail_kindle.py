"""The Kindle changes, one by one, and the Kindle rules: none broken by the small EPUB once
changed, each found in an EPUB made to break it."""

from __future__ import annotations

from pathlib import Path

import pytest

from make_book.render.retail import derive
from make_book.render.retail.kindle import (
    KINDLE_CHANGES,
    kindle_body_text_defaults,
    kindle_single_cover,
    kindle_supported_selectors,
)
from make_book.render.retail.kindle_rules import kindle_rules
from make_book.render.retail.package import NS, EpubPackage
from tests.unit.render.retail.epub_fixture import CHAPTER, NAV, OPF, make_epub

WHERE = Path("book-kindle.epub")


def changed(*changes, epub: bytes | None = None) -> EpubPackage:
    return EpubPackage(derive(epub or make_epub(), changes))


def codes(data: bytes) -> list[str]:
    return sorted(d.code for d in kindle_rules(data, WHERE))


def test_body_text_defaults_keep_what_is_not_the_reader_s():
    css = changed(kindle_body_text_defaults).text("EPUB/css/book.css")
    assert "body { font-variant-numeric: oldstyle-nums; }" in css
    assert "html { font-family: serif; }" in css  # the family may be set (KDP)
    assert ".hang { padding-left: 2em; text-indent: -2em; }" in css  # not body text


def test_body_text_defaults_keep_top_and_bottom_margins():
    epub = make_epub({"EPUB/css/book.css": "body { margin: 1em 2em 0.5em; }\n"})
    css = changed(kindle_body_text_defaults, epub=epub).text("EPUB/css/book.css")
    assert css == "body { margin-top: 1em; margin-bottom: 0.5em; }\n"


def test_unsupported_selectors_leave_the_rest_of_their_group():
    css = changed(kindle_supported_selectors).text("EPUB/css/book.css")
    assert ":has(" not in css
    assert "p.first { text-indent: 0; }" in css
    only = make_epub({"EPUB/css/book.css": "p:is(.a, .b) { color: red; }\np { margin: 0; }"})
    assert changed(kindle_supported_selectors, epub=only).text(
        "EPUB/css/book.css") == "\np { margin: 0; }"


def test_single_cover_takes_the_cover_page_out_and_keeps_the_image():
    epub = changed(kindle_single_cover)
    assert "EPUB/text/cover.xhtml" not in epub.entries
    assert [r.get("idref") for r in epub.opf.findall("opf:spine/opf:itemref", NS)] == [
        "one", "nav"]
    assert epub.item("cover") is None and epub.items_with("cover-image")
    nav = epub.tree("EPUB/nav.xhtml").getroot()
    assert nav.xpath("//x:nav[@epub:type='landmarks']//x:a/@epub:type", namespaces=NS) == [
        "toc", "bodymatter"]


def test_a_cover_page_with_text_is_no_cover_page():
    page = CHAPTER.replace('<section id="one" class="chapter" epub:type="chapter">',
                           '<section id="one" class="chapter" epub:type="cover">')
    epub = changed(kindle_single_cover, epub=make_epub({"EPUB/text/cover.xhtml": page}))
    assert "EPUB/text/cover.xhtml" in epub.entries


def test_the_changed_epub_breaks_no_rule_and_the_main_one_the_three_changed():
    assert codes(derive(make_epub(), KINDLE_CHANGES)) == []
    assert codes(make_epub()) == ["T003", "T014", "T014", "T015"]


BAD_CSS = """p.a { position: fixed; }
p.b { margin-left: -1em; }
p.c { text-indent: -2em; }
p.d { line-height: -1; }
body { font-size: 12pt; }
p:where(.e) { color: red; }
"""


@pytest.mark.parametrize(("replace", "expected"), [
    ({"EPUB/content.opf": OPF.replace('<meta name="cover" content="cover-image"/>', "")},
     "T001"),
    ({"EPUB/content.opf": OPF.replace(' properties="cover-image"', "")}, "T001"),
    ("small cover", "T002"),
    ({"EPUB/content.opf": OPF.replace(' toc="ncx"', "")}, "T004"),
    ({"EPUB/toc.ncx": b""}, "T004"),
    ({"EPUB/nav.xhtml": NAV.replace('href="nav.xhtml#toc"', 'href="text/one.xhtml"')},
     "T005"),
    ({"EPUB/text/one.xhtml": CHAPTER.replace("<h1 ", "<h1 onclick=\"go()\" ")}, "T006"),
    ({"EPUB/text/one.xhtml": CHAPTER.replace("</head>", "<script>go()</script></head>")},
     "T006"),
    ({"EPUB/content.opf": OPF.replace('fonts/Serif.otf" id="font-1" media-type="font/otf"',
                                      'fonts/Serif.woff2" id="font-1" media-type="font/woff2"')},
     "T007"),
])
def test_each_structural_rule_is_found(replace, expected):
    if replace == "small cover":
        bad = derive(make_epub(cover_px=(600, 900)), KINDLE_CHANGES)
    else:
        bad = derive(make_epub(replace), KINDLE_CHANGES)
    found = kindle_rules(bad, WHERE)
    assert [d.code for d in found] == [expected], [d.format() for d in found]
    assert found[0].is_error
    assert str(found[0].path).startswith("book-kindle.epub/EPUB/")


def test_each_stylesheet_rule_is_found_at_its_line_as_a_warning():
    bad = derive(make_epub({"EPUB/css/book.css": BAD_CSS}), KINDLE_CHANGES[2:])
    found = kindle_rules(bad, WHERE)
    assert [(d.code, d.line) for d in found] == [
        ("T010", 1), ("T011", 2), ("T012", 3), ("T013", 4), ("T014", 5), ("T015", 6)]
    assert not any(d.is_error for d in found)
    assert all(d.path == WHERE / "EPUB/css/book.css" for d in found)


def test_a_hanging_indent_made_up_by_padding_passes():
    for rule in (".h { padding-left: 2em; text-indent: -2em; }",
                 ".h { padding: 0 0 0 3em; text-indent: -2em; }",
                 ".h { margin-left: 10%; text-indent: -5%; }"):
        assert codes(derive(make_epub({"EPUB/css/book.css": rule}), KINDLE_CHANGES)) == []
    for rule in (".h { padding-left: 1em; text-indent: -2em; }",
                 ".h { padding-left: 20px; text-indent: -2em; }"):
        assert codes(derive(make_epub({"EPUB/css/book.css": rule}), KINDLE_CHANGES)) == [
            "T012"]

