"""An image alone in a paragraph is marked to be set apart like a figure (transforms/figure_marks.py)."""

from __future__ import annotations

from lxml import etree

from make_book.transforms.figure_marks import IMAGE_PARAGRAPH, mark_image_paragraphs


def classes(html: str) -> list[str | None]:
    root = etree.fromstring(f"<div>{html}</div>")
    mark_image_paragraphs(root)
    return [p.get("class") for p in root.iter("p")]


def test_only_a_paragraph_holding_one_image_and_no_text_is_marked():
    assert classes('<p><img src="a.svg" alt="A"/></p>'
                   '<p>See <img src="b.png" alt="B"/> here.</p>'
                   '<p><img src="c.png" alt="C"/> and text</p>'
                   '<p class="x"> <img src="d.png" alt="D"/> </p>'
                   '<p><img src="e.png" alt=""/><img src="f.png" alt=""/></p>') == [
        IMAGE_PARAGRAPH, None, None, f"x {IMAGE_PARAGRAPH}", None]
