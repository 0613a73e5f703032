"""Pagebreak markers inside a paragraph: before the first whole word of the print page's
first line (transforms/page_markers.insert_at_text)."""

from __future__ import annotations

from lxml import etree

from make_book.transforms.page_markers import insert_at_text, place_before_block


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


# ----------------------------------------------------------------- a page that begins a block

def placed(html: str) -> str:
    """The marker of a page that begins with the fragment's second block."""
    root = etree.fromstring(f"<div>{html}</div>")
    marker = etree.Element("span", {"id": "page-7"})
    place_before_block(root[1], marker)
    return etree.tostring(root, encoding="unicode")[len("<div>"):-len("</div>")]


def test_marker_opens_the_paragraph_so_nothing_comes_between_heading_and_text():
    out = placed("<h2>The Looms</h2><p>Each loom <em>wove</em> cotton.</p>")
    assert out == '<h2>The Looms</h2><p><span id="page-7"/>Each loom <em>wove</em> cotton.</p>'


def test_marker_goes_down_to_the_first_paragraph_of_a_quotation():
    out = placed("<p>Before.</p><blockquote><p>Quoted.</p></blockquote>")
    assert out == '<p>Before.</p><blockquote><p><span id="page-7"/>Quoted.</p></blockquote>'


def test_marker_opens_a_quotation_of_bare_lines():
    out = placed("<p>Before.</p><blockquote>A line,<br/>and another.</blockquote>")
    assert out == ('<p>Before.</p><blockquote><span id="page-7"/>A line,<br/>and another.'
                   "</blockquote>")


def test_marker_stays_before_a_list_a_table_or_a_figure():
    for block in ("<ul><li><p>One.</p></li></ul>", "<table><tr><td>1</td></tr></table>",
                  '<figure><figcaption>A map.</figcaption><img src="m.png" alt=""/></figure>'):
        assert placed(f"<p>Before.</p>{block}") == f'<p>Before.</p><span id="page-7"/>{block}'
