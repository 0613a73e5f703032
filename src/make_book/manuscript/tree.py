"""Small edits of a parsed lxml tree that several reading steps share."""

from __future__ import annotations

from lxml import etree


def drop_keeping_tail(el: etree._Element) -> None:
    """Remove ``el`` with its content but keep the text after it (its tail), which
    belongs to the parent's flow; an element without a parent is left alone."""
    parent = el.getparent()
    if parent is None:
        return
    if el.tail:
        prev = el.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + el.tail
        else:
            parent.text = (parent.text or "") + el.tail
    parent.remove(el)
