"""The print edition's page breaks as EPUB pagebreak markers (``doc-pagebreak``), each
where its print page begins: before the block a page opens with, or before the first whole
word of the page's first line. The print build of the same run says where its pages begin
(``EpubContext.breaks``)."""

from __future__ import annotations

import re

from lxml import etree

from make_book.transforms.format_context import EpubContext
from make_book.xhtml import EPUB_TYPE

# Elements whose children may not be text or a span (the marker is a span).
NO_PHRASING = frozenset({"dl", "ul", "ol", "table", "thead", "tbody", "tfoot", "tr",
                         "colgroup", "hgroup"})
def _segments(el: etree._Element):
    """(element, "text" | "tail", string) in reading order within ``el``."""
    yield el, "text", el.text or ""
    for child in el:
        yield from _segments(child)
        yield child, "tail", child.tail or ""


def insert_at_text(block: etree._Element, line: str, marker: etree._Element,
                   start: int = 0) -> int | None:
    """Put ``marker`` in ``block`` before the first whole word of the first place (at or
    after character ``start`` of its text) where ``line``'s first words occur; return
    that place, or None when they do not occur. A line that begins inside a word (the end
    of a word hyphenated on the page before) gets its marker before the next word."""
    words = line.split()[:6]
    if not words:
        return None
    segments = list(_segments(block))
    text = "".join(s for _, _, s in segments)
    match = None
    for n in range(len(words), 0, -1):  # the last word may be hyphenated at the line end
        pattern = r"\s+".join(re.escape(w) for w in words[:n])
        match = re.compile(pattern, re.IGNORECASE).search(text, start)
        if match is not None and (n > 1 or len(words) == 1):
            break
        match = None
    if match is None:
        return None
    at = match.start()
    if at > 0 and text[at - 1].isalnum():  # the tail of a word begun on the page before
        space = re.compile(r"\s+").search(text, at)
        if space is None:
            return None
        at = space.end()
    offset = 0
    for el, where, s in segments:
        if offset + len(s) > at:  # the segment holding the word's first character
            cut = at - offset
            holder = el if where == "text" else el.getparent()
            if holder is None or etree.QName(holder).localname in NO_PHRASING:
                return None
            if where == "text":
                el.text, marker.tail = s[:cut] or None, s[cut:] or None
                el.insert(0, marker)
            else:
                el.tail, marker.tail = s[:cut] or None, s[cut:] or None
                el.addnext(marker)
            return at
        offset += len(s)
    return None


# A page that begins with a block has its marker inside it, at the start of the first text
# block found going down (a quotation's first paragraph), so that no element comes between
# a heading and its first paragraph (which is then not indented: the stylesheet's
# ``h1 + p``) and the marker reads as part of the text. Before a list, a table, a rule or a
# figure (a figcaption must stay its first child) it goes just before the block.
TEXT_BLOCKS = frozenset(("p", "h1", "h2", "h3", "h4", "h5", "h6", "dt", "dd", "li"))
CONTAINERS = frozenset(("blockquote", "div", "section", "aside", "li", "dd"))


def place_before_block(block: etree._Element, marker: etree._Element) -> None:
    """The pagebreak marker of a page that begins with ``block``."""
    target = block
    while (target.tag in CONTAINERS and len(target) and not (target.text or "").strip()
           and target[0].tag in TEXT_BLOCKS | CONTAINERS):
        target = target[0]
    if target.tag not in TEXT_BLOCKS and not (target.tag in CONTAINERS
                                               and (target.text or "").strip()):
        block.addprevious(marker)  # a list, a table, a rule, a figure: before it
        return
    marker.tail, target.text = target.text, None
    target.insert(0, marker)


def place_page_markers(root: etree._Element, ctx: EpubContext) -> None:
    """A marker for each print page that begins in one of ``root``'s top-level blocks; the
    folios placed are added to ``ctx.placed``. Before the anchor paragraphs are folded:
    the print build counted the blocks as they stand."""
    if not ctx.breaks:
        return
    blocks = list(root)
    for k, pages in ctx.breaks.items():
        if k >= len(blocks):
            continue
        searched_from = 0
        for folio, text in pages:
            marker = etree.Element("span", {
                "id": f"page-{folio}", "role": "doc-pagebreak", EPUB_TYPE: "pagebreak",
                "aria-label": folio})
            if text is None:
                place_before_block(blocks[k], marker)
            else:
                found = insert_at_text(blocks[k], text, marker, searched_from)
                if found is None:
                    continue
                searched_from = found
            ctx.placed.add(folio)
