"""Where a block opens: a paragraph of anchors only is folded into the block after it.

``[]{#id}`` or ``<a id="x"></a>`` on a line of its own is, to Pandoc and to us, a paragraph
holding an empty anchor. Printed or shown as a paragraph it is an empty line, and the text
after it becomes a second paragraph, indented after its heading (both stylesheets' ``h2 +
p``). Its anchors (a page marker too) open the next paragraph or heading instead, so links
to them land in the same place. A step for both formats (transforms.PIPELINE).
"""

from __future__ import annotations

from lxml import etree

from make_book.manuscript.tree import drop_keeping_tail

OPENED = frozenset(("p", "h1", "h2", "h3", "h4", "h5", "h6"))
ANCHORS = frozenset(("span", "a"))


def is_anchor_paragraph(p: etree._Element) -> bool:
    """A ``p`` with elements and no text, every element an empty span or a with an id."""
    return (p.tag == "p" and len(p) > 0 and not "".join(p.itertext()).strip()
            and all(el.tag in ANCHORS and el.get("id") and not (el.tail or "").strip()
                    for el in p.iterdescendants()))


def fold_anchor_paragraphs(root: etree._Element, context=None) -> None:
    """Every top-level anchor paragraph of ``root`` moved into the start of the block after
    it (when that is a paragraph or a heading; else it stays)."""
    for p in list(root.iterchildren("p")):
        after = p.getnext()
        if after is None or after.tag not in OPENED or not is_anchor_paragraph(p):
            continue
        anchors = list(p)
        for el in anchors:
            el.tail = None
        anchors[-1].tail, after.text = after.text, None
        for el in reversed(anchors):
            after.insert(0, el)
        drop_keeping_tail(p)
