"""Pagebreak markers inside a paragraph: before the first whole word of the print page's
first line (render/epub_body.insert_at_text)."""

from __future__ import annotations

from lxml import etree

from make_book.render.epub_body import insert_at_text


def marked(html: str, line: str, start: int = 0):
    block = etree.fromstring(html)
    marker = etree.Element("span", {"id": "page-7"})
    at = insert_at_text(block, line, marker, start)
    return at, etree.tostring(block, encoding="unicode")


def test_marker_goes_before_the_lines_first_word():
    at, out = marked("<p>The workers met at the river school and spoke of wages.</p>",
                     "river school and spoke of wages.")
    assert out == ('<p>The workers met at the <span id="page-7"/>river school and spoke of '
                   "wages.</p>")
    assert at == len("The workers met at the ")


def test_line_across_inline_markup_and_hyphenated_last_word():
    html = "<p>They read <em>the letters</em> of the council in win&#173;ter evenings.</p>"
    # the print line ends with a word broken at the line's end
    _, out = marked(html, "the letters of the council in win\u2010")
    assert out.startswith('<p>They read <em><span id="page-7"/>the letters</em>')


def test_a_line_that_begins_inside_a_word_is_marked_at_the_next_word():
    _, out = marked("<p>the long revolution of the workers</p>", "tion of the workers")
    assert out == '<p>the long revolution <span id="page-7"/>of the workers</p>'


def test_search_starts_after_the_previous_marker_and_can_fail():
    html = "<p>of the town; and of the town again</p>"
    _, out = marked(html, "of the town", start=3)
    assert out == '<p>of the town; and <span id="page-7"/>of the town again</p>'
    assert marked(html, "nowhere in this text")[0] is None


def test_never_a_span_where_a_list_needs_items():
    html = "<dl><dt>Term</dt>\n<dd>its definition runs on</dd></dl>"
    _, out = marked(html, "definition runs on")
    assert out == '<dl><dt>Term</dt>\n<dd>its <span id="page-7"/>definition runs on</dd></dl>'
