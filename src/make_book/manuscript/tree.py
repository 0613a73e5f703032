"""Small edits and questions of a parsed lxml tree that several reading steps share."""

from __future__ import annotations

from lxml import etree

from make_book.xhtml import Body


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


CODE_TAGS = frozenset({"code", "pre", "kbd", "samp"})


def in_code(el: etree._Element | None) -> bool:
    """Whether ``el`` is code or inside it: its text is never a note call or a smart dash."""
    while el is not None:
        if el.tag in CODE_TAGS:
            return True
        el = el.getparent()
    return False


def body_of(section: etree._Element) -> Body:
    """The element's content (a chapter's section, a note, a title) as a Body, moved out of
    it, without the whitespace around it (as the text of a fragment is stripped)."""
    if len(section):
        section.text = (section.text or "").lstrip() or None
        section[-1].tail = (section[-1].tail or "").rstrip() or None
    else:
        section.text = (section.text or "").strip() or None
    return Body.adopt(section)
