"""One Markdown file -> one Chapter: the loader's guards against broken and hostile input."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import pytest

from make_book.errors import Diagnostics, Severity
from make_book.manuscript import chapter as chapter_module
from make_book.manuscript import conversion as conversion_module
from make_book.manuscript import images
from make_book.manuscript.chapter import load_chapter
from make_book.manuscript.source_text import read_text, remove_controls
from tests.security.bookcase import png_header


def load(tmp_path: Path, text: str | bytes, name: str = "01-one.md"):
    path = tmp_path / "chapters" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode() if isinstance(text, str) else text)
    diagnostics = Diagnostics()
    chapter = load_chapter(path, f"chapters/{name}", "ch-01", "en", diagnostics, tmp_path)
    return chapter, [(d.code, d.line, d.severity) for d in diagnostics], diagnostics


@pytest.mark.claim("S33")
def test_not_utf8_names_the_byte_offset_and_line(tmp_path):
    path = tmp_path / "x.md"
    path.write_bytes(b"# T\n\nab\xff cd\n")
    diagnostics = Diagnostics()
    assert read_text(path, diagnostics) is None
    [d] = diagnostics
    assert (d.code, d.line) == ("C002", 3)
    assert "byte 0xff at offset 7" in d.message


@pytest.mark.claim("S35")
def test_control_characters_are_removed_and_reported_once_each(tmp_path):
    diagnostics = Diagnostics()
    text = remove_controls("a\x00b\x00\nc\x07\x1b\n\x85d\x7f", tmp_path / "x.md", diagnostics)
    assert text == "ab\nc\nd"
    found = [(d.code, d.line, d.message) for d in diagnostics]
    assert found == [
        ("C035", 1, "removed control character U+0000 (2 times)"),
        ("C035", 2, "removed control character U+0007 (once)"),
        ("C035", 2, "removed control character U+001B (once)"),
        ("C035", 3, "removed control character U+0085 (once)"),
        ("C035", 3, "removed control character U+007F (once)"),
    ]
    assert all(d.severity is Severity.WARNING for d in diagnostics)


def test_tab_and_newline_are_text(tmp_path):
    diagnostics = Diagnostics()
    assert remove_controls("a\tb\nc", tmp_path / "x.md", diagnostics) == "a\tb\nc"
    assert not diagnostics


def test_control_characters_in_front_matter_do_not_reach_yaml(tmp_path):
    chapter, found, _ = load(tmp_path, "---\ntitle: \"Bell\x07 \x00\"\n---\n\nText.\n")
    assert chapter is not None and chapter.title == "Bell"
    assert [(c, line) for c, line, _ in found] == [("C035", 2), ("C035", 2)]


@pytest.mark.claim("S35")
def test_markdown_placeholders_cannot_be_forged(tmp_path):
    """Python-Markdown stashes raw HTML behind U+0002/U+0003 placeholders."""
    chapter, found, _ = load(tmp_path, "# T\n\n<b>x</b> \x02wzxhzdk:0\x03 y\n")
    assert chapter.body.xml.count("<b>") == 1
    assert {c for c, _, _ in found} == {"C035"}


@pytest.mark.claim("S30")
def test_nesting_is_refused_before_parsing(tmp_path, monkeypatch):
    monkeypatch.setattr(conversion_module, "convert",
                        lambda text: pytest.fail("a refused chapter must not be parsed"))
    chapter, found, _ = load(tmp_path, "# T\n\n" + "".join("    " * i + "- x\n"
                                                           for i in range(200)))
    assert chapter is None
    assert found == [("C005", 202, Severity.ERROR)]


@pytest.mark.claim("S30")
def test_recursion_in_the_parser_is_a_diagnostic(tmp_path, monkeypatch):
    def deep(text, *args, **kwargs):
        raise RecursionError("maximum recursion depth exceeded")
    monkeypatch.setattr(conversion_module, "convert", deep)
    chapter, found, _ = load(tmp_path, "# T\n\ntext\n")
    assert chapter is None
    assert found == [("C005", None, Severity.ERROR)]


def test_deep_raw_html_is_refused_with_its_line(tmp_path):
    chapter, found, diagnostics = load(tmp_path, "# T\n\nok\n\n" + "<span>" * 300 + "deep"
                                       + "</span>" * 300 + "\n")
    assert chapter is None
    assert found == [("C005", 5, Severity.ERROR)]
    assert "nested 301 levels deep" in diagnostics.items[0].message  # with the <p>


def test_moderate_nesting_is_fine(tmp_path):
    chapter, found, _ = load(tmp_path, "# T\n\n" + "".join("    " * i + "- x\n"
                                                           for i in range(20))
                             + "\n" + "> " * 20 + "quote\n")
    assert chapter is not None and found == []
    assert chapter.body.xml.count("<ul>") == 20 and chapter.body.xml.count("<blockquote>") == 20


def test_links_out_of_the_book_are_kept_and_files_left_to_the_book(tmp_path):
    """Only URLs are settled per chapter; file links need every chapter (transforms.links)."""
    chapter, found, _ = load(
        tmp_path, "# T\n\n[a](02-two.md#sec) [b](https://example.org/a b.md) [c](#id)\n")
    assert found == []
    assert 'href="02-two.md#sec"' in chapter.body.xml
    assert 'href="https://example.org/a%20b.md"' in chapter.body.xml


@pytest.mark.claim("S34")
def test_unbalanced_raw_html_is_repaired_and_reported(tmp_path):
    chapter, found, _ = load(tmp_path, "# T\n\nSome <em>text\n\nmore</em> here </b>.\n")
    assert chapter is not None
    assert found == [("C036", 3, Severity.WARNING), ("C036", 5, Severity.WARNING),
                     ("C036", 5, Severity.WARNING)]  # <em> open; stray </em>, </b>
    assert chapter.body.xml.count("<em>") == chapter.body.xml.count("</em>")


def test_markdown_own_paragraph_repairs_are_not_blamed_on_the_author(tmp_path):
    """An inline <div> closes Markdown's <p> early; the author wrote no </p>."""
    chapter, found, _ = load(tmp_path, "# T\n\nText <div>block</div> more.\n")
    assert chapter is not None and found == []


def test_rtl_and_combining_marks_are_kept_as_written(tmp_path):
    text = "# T\n\n[שָׁלוֹם]{lang=he dir=rtl} e\u0301 a\u0300\u0301 \u202bembedded\u202c\n"
    chapter, found, _ = load(tmp_path, text)
    assert found == []
    assert "שָׁלוֹם" in chapter.body.xml and "e\u0301" in chapter.body.xml
    assert 'dir="rtl"' in chapter.body.xml and 'lang="he"' in chapter.body.xml


@pytest.mark.claim("S29")
def test_bomb_header_is_refused_without_decoding(tmp_path):
    bomb = tmp_path / "images" / "bomb.png"
    bomb.parent.mkdir()
    bomb.write_bytes(png_header(30_000, 30_000))
    diagnostics = Diagnostics()
    tracemalloc.start()
    try:
        image = images.probe(bomb, "images/bomb.png", diagnostics, tmp_path / "x.md", 3)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert image is None
    assert [d.code for d in diagnostics] == ["A005"]
    assert peak < 5 * 1024 * 1024  # 30,000 x 30,000 pixels would need over 100 MB


def test_image_over_our_limit_but_under_pillows_is_refused_quietly(tmp_path, recwarn):
    big = tmp_path / "big.png"
    big.write_bytes(png_header(10_000, 9_000))  # 90 Mpx: Pillow only warns at this size
    diagnostics = Diagnostics()
    assert images.probe(big, "big.png", diagnostics, tmp_path / "x.md", 1) is None
    assert [d.code for d in diagnostics] == ["A005"]
    assert not [w for w in recwarn if "DecompressionBomb" in str(w.category)]


def test_note_syntax_in_code_is_code(tmp_path):
    _, found, _ = load(tmp_path, "# T\n\nWrite `[^1]` for a note; [^2] is a call.\n\n"
                                       "```\n[^3]\n```\n")
    assert found == [("C040", 3, Severity.ERROR)]  # only [^2]


@pytest.mark.claim("S14")
def test_links_out_of_the_book_are_percent_encoded(tmp_path):
    chapter, found, _ = load(
        tmp_path, "# T\n\n<a href=\"https://example.org/a b/Ж?q=1&amp;r=%20\">x</a>\n")
    assert found == []
    assert 'href="https://example.org/a%20b/%D0%96?q=1&amp;r=%20"' in chapter.body.xml


def test_wbr_does_not_swallow_the_text_after_it(tmp_path):
    """Found by the property test: libxml2's HTML parser does not know <wbr> is empty."""
    chapter, found, _ = load(tmp_path, "# T\n\nlong<wbr>word and <em>more</em> <wbr>"
                                       "<span onclick=\"x()\">s</span>\n")
    assert "<wbr/>word and <em>more</em> <wbr/><span>s</span>" in chapter.body.xml
    assert [c for c, _, _ in found] == ["C032"]  # the hoisted content was sanitised too


@pytest.mark.claim("S34")
def test_a_definition_without_a_term_is_repaired(tmp_path):
    """Found by the property test: `: text` after a heading made <dl><dd> with no <dt>."""
    chapter, found, _ = load(tmp_path, "# T\n\n## Term as a heading\n: the definition\n\n"
                                       "Word\n: meaning\n")
    assert found == [("C052", 4, Severity.WARNING)]
    assert '<div class="definition">the definition</div>' in chapter.body.xml
    assert "<dt>Word</dt>" in chapter.body.xml and chapter.body.xml.count("<dl>") == 1


@pytest.mark.parametrize("raw, expected", [
    # found by the property test: an unclosed <div> in a list left an <li> inside the <div>
    ("1. a <div>\n2. b\n", "<div>"),
    ("<div><li>x</li></div>", "<div><div>x</div></div>"),
    ("<span>a<div>b</div></span>", "<span>a<span>b</span></span>"),
    ("<span><table><tr><td colspan=\"2\">z</td></tr></table></span>",
     "<span><span><span><span>z</span></span></span></span>"),
    ("<ul><li>a</li> loose</ul>", "<ul><li>a</li><li> loose</li></ul>"),
    ("<table><p>x</p><tr><td>1</td></tr></table>", "<div><p>x</p><div><div>1</div></div></div>"),
    # found by the property test: an open <div> in a term swallowed its definition
    ("<dl><dt>a<div>b</div></dt></dl>", "<div><div>a<div>b</div></div></div>"),
])
@pytest.mark.claim("S34")
def test_raw_html_in_the_wrong_place_becomes_valid_xhtml(tmp_path, raw, expected):
    chapter, found, _ = load(tmp_path, "# T\n\n" + raw + "\n")
    assert expected in chapter.body.xml
    assert found and all(code == "C036" for code, _, _ in found)
    from lxml import etree
    root = etree.fromstring(f"<div>{chapter.body.xml}</div>")
    for li in root.iter("li"):
        assert li.getparent().tag in ("ul", "ol")
    for el in root.iter("span", "p"):
        assert not any(c.tag in ("div", "table", "li", "tr", "td", "p") for c in el)


def test_notes_survive_an_unclosed_div_in_a_heading(tmp_path):
    """Found by the property test: the open <div> swallowed Python-Markdown's notes, and the
    heading repair hid them from the notes pass (KeyError)."""
    chapter, found, _ = load(tmp_path, "# T\n\n## A heading <div> left open\n\nText[^n].\n\n"
                                       "[^n]: The note.\n")
    assert chapter is not None and len(chapter.notes) == 1
    assert "The note." in chapter.notes[0].body.xml
    assert {c for c, _, _ in found} == {"C036"}


def test_raw_html_posing_as_a_note_call_is_an_error_not_a_crash(tmp_path):
    chapter, found, _ = load(tmp_path, "# T\n\n<sup id=\"fnref:zz\">1</sup> <sup id=\"fnref\">2"
                                       "</sup>\n")
    assert chapter is not None and chapter.notes == ()
    assert [c for c, _, _ in found] == ["C040", "C040"]


@pytest.mark.claim("S34")
def test_headings_without_text_stay_out_of_the_nav(tmp_path):
    """Found by the property test: a heading of note calls only made an empty nav link."""
    chapter, found, _ = load(tmp_path, "# T\n\n##\n\n## [^1]\n\n## Real\n\ntext\n\n[^1]: n\n")
    assert [h.text for h in chapter.headings] == ["T", "Real"]
    assert [c for c, _, _ in found] == ["C011", "C011"]
    assert chapter.body.xml.count("<h2") == 2  # the empty one removed, the note call kept


def test_a_front_matter_title_is_markdown_typeset_in_the_chapters_language(tmp_path):
    chapter, problems, _ = load(tmp_path, '---\nlang: de\ntitle: \'Das *Meer* und "Sie"\'\n'
                                          "---\n\nText.\n")
    assert problems == []
    assert chapter.title == "Das Meer und „Sie“"
    assert chapter.title_markup.xml == "Das <em>Meer</em> und „Sie“"
    plain, _, _ = load(tmp_path, "---\ntitle: Don't\n---\n\nText.\n", "02-two.md")
    assert (plain.title, plain.title_markup) == ("Don’t", None)


def test_a_front_matter_title_wins_over_the_heading_and_reports_at_its_line(tmp_path):
    chapter, problems, _ = load(tmp_path, "---\nkind: preface\ntitle: '- A'\n---\n\n"
                                          "# *Heading*\n\nText.\n")
    assert (chapter.title, chapter.title_markup) == ("A", None)
    assert problems == [("M040", 3, Severity.WARNING)]


def test_a_short_title_is_plain_typeset_text(tmp_path):
    chapter, _, _ = load(tmp_path, "---\nshort-title: \"The *Sea*'s End\"\n---\n# Sea\n\nText.\n")
    assert chapter.short_title == "The Sea’s End"
