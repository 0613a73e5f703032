"""A paragraph of anchors only (``[]{#id}``, a raw ``<a id>``) opens the next paragraph
instead of standing as an empty one (transforms/openings.py), in both formats."""

from __future__ import annotations

from make_book.transforms.openings import fold_anchor_paragraphs
from make_book.xhtml import parse_fragment, serialize_fragment


def folded(html: str) -> str:
    root = parse_fragment(html)
    fold_anchor_paragraphs(root)
    return "".join(serialize_fragment(root).split("\n"))


def test_anchor_paragraph_opens_the_next_one():
    assert folded('<h2 id="a">A</h2><p><span id="x"></span></p><p>Text <em>here</em>.</p>') \
        == '<h2 id="a">A</h2><p><span id="x"/>Text <em>here</em>.</p>'


def test_several_anchors_and_a_page_marker_keep_their_order():
    out = folded('<p><a id="x"></a> <span id="page-3" role="doc-pagebreak"></span></p>'
                 "<p>Words.</p>")
    assert out == ('<p><a id="x"/><span id="page-3" role="doc-pagebreak"/>Words.</p>')


def test_a_paragraph_with_words_or_without_a_text_block_after_it_stays():
    kept = ['<p><span id="x">Trotsky</span></p><p>Words.</p>',  # an index mark with text
            '<p><span id="x"></span></p><ul><li>One</li></ul>',  # nothing to open
            '<p><span id="x"></span></p>',  # the last block
            '<p><img src="a.png" alt="A"/></p><p>Words.</p>']  # an image is no anchor
    for html in kept:
        assert folded(html) == "".join(serialize_fragment(parse_fragment(html)).split("\n"))
