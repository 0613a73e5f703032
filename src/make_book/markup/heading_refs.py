"""Python-Markdown's side of Pandoc's implicit heading references (``[Heading text]``).

A reference label that no ``[label]: url`` defines may name a heading, possibly one in a
later chapter, which is not parsed yet. So the parser keeps such a reference as a
placeholder link (``<a data-mb-ref="key" data-mb-rest="...">``) instead of text; once the
headings are known it becomes a link to the heading, or is undone into the text Python-
Markdown would have left (:func:`resolve`). The parser also records each heading's Markdown
source (``data-mb-heading``), which is what Pandoc matches the label against.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from lxml import etree
from markdown.inlinepatterns import (
    ReferenceInlineProcessor,
    ShortReferenceInlineProcessor,
)
from markdown.treeprocessors import Treeprocessor

from make_book.markup.identifiers import heading_key, reference_key

KEY_ATTR = "data-mb-ref"  # on a placeholder link: the label's key
REST_ATTR = "data-mb-rest"  # the source after the link text: "[label]", "[]" or ""
HEADING_ATTR = "data-mb-heading"  # on a heading: its key
STASH = "\x02"
# Each placeholder is an element for Python-Markdown's inline pass, whose cost grows with
# the square of a paragraph's elements; the parse limits (md_limits.check_limits) count a
# bare [label] as text, so a document gets at most this many (books need far fewer).
MAX_PLACEHOLDERS = 2000
HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})  # Python-Markdown's placeholder start (escapes, code spans)


class HeadingSources(Treeprocessor):
    """Runs before the inline pass, while a heading's text is still its Markdown source."""

    def run(self, root: ET.Element) -> None:
        for el in root.iter():
            if el.tag in HEADINGS and el.text and not len(el):
                el.set(HEADING_ATTR, heading_key(el.text))


class _Placeholders:
    """A reference whose label is not defined becomes a placeholder link; labels of
    notes (``^``) and citations (``@``) are left to their own syntax."""

    def handleMatch(self, m, data):  # noqa: N802 (Python-Markdown API)
        text, index, handled = self.getText(data, m.end(0))
        if not handled:
            return None, None, None
        label, end, handled = self.evalId(data, index, text)
        if not handled:
            return None, None, None
        label = self.NEWLINE_CLEANUP_RE.sub(" ", label)
        if label in self.md.references:
            href, title = self.md.references[label]
            return self.makeTag(href, title, text), m.start(0), end
        rest = data[index:end]
        key = reference_key(label)
        candidates = getattr(self.md, "heading_keys", None)
        made = getattr(self.md, "heading_refs_made", 0)
        if (not key or key[0] in "^@" or key.startswith("-@") or STASH in key + rest
                or (candidates is not None and key not in candidates)
                or made >= MAX_PLACEHOLDERS
                or "a" in self.md.treeprocessors["inline"].ancestors):  # no link in a link
            return None, m.start(0), end
        self.md.heading_refs_made = made + 1
        el = ET.Element("a", {KEY_ATTR: key, REST_ATTR: rest})
        el.text = text
        return el, m.start(0), end


class FullReferences(_Placeholders, ReferenceInlineProcessor):
    """``[text][label]`` and ``[label][]``; with nothing between the brackets, as Pandoc
    (whose ``spaced_reference_links`` is off): ``[a] [b]`` is two references."""

    def evalId(self, data, index, text):  # noqa: N802 (Python-Markdown API)
        if data[index:index + 1].isspace():
            return None, index, False
        return super().evalId(data, index, text)


class ShortReferences(_Placeholders, ShortReferenceInlineProcessor):
    """``[label]``."""


def register(md) -> None:
    """Record the headings' sources; the reference patterns themselves are
    :class:`FullReferences` and :class:`ShortReferences`, which md_references registers
    (with Pandoc's link attributes) under Python-Markdown's names and priorities."""
    md.treeprocessors.register(HeadingSources(md), "heading_sources", 25)


# ----------------------------------------------------------------------------- resolve

def placeholders(root: etree._Element) -> list[etree._Element]:
    return root.xpath(f".//a[@{KEY_ATTR}]")


def resolve(root: etree._Element, headings: dict[str, str], final: bool) -> bool:
    """Turn ``root``'s placeholders into links to ``headings`` (key -> id); the others
    are undone when ``final``, else left for later. A placeholder inside a link is undone:
    Pandoc makes no link inside a link. True when placeholders are left."""
    left = False
    for a in placeholders(root):
        key = a.get(KEY_ATTR)
        inside_link = any(p.tag == "a" and p.get(KEY_ATTR) is None
                          for p in a.iterancestors())
        if key in headings and not inside_link:
            for attr in (KEY_ATTR, REST_ATTR):
                a.attrib.pop(attr)
            a.set("href", "#" + headings[key])
        elif final or inside_link:
            undo(a)
        else:
            left = True
    return left


def undo(a: etree._Element) -> None:
    """The text Python-Markdown leaves for an undefined reference: ``[`` content ``]``
    followed by the rest of the source (``[label]`` or ``[]``)."""
    parent = a.getparent()
    opening = "["
    closing = "]" + (a.get(REST_ATTR) or "") + (a.tail or "")
    if len(a):
        a[-1].tail = (a[-1].tail or "") + closing
    else:
        a.text = (a.text or "") + closing
    previous = a.getprevious()
    if previous is not None:
        previous.tail = (previous.tail or "") + opening + (a.text or "")
    else:
        parent.text = (parent.text or "") + opening + (a.text or "")
    index = parent.index(a)
    for child in reversed(list(a)):
        parent.insert(index + 1, child)
    parent.remove(a)
