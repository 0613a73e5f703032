"""Raw HTML made valid where it stands (code C036): an element outside the parent it needs
(an ``<li>`` outside a list), block content inside phrasing content, a link inside a link.
Each is repaired as a plain ``div`` or ``span`` (or its content hoisted) and reported, so
the XHTML is valid and the author can check the result. Split from
:mod:`make_book.markup.sanitize`: the allow-list says what may appear, this says where.
"""

from __future__ import annotations

from lxml import etree

from make_book.markup.html_attributes import GLOBAL_ATTRIBUTES
from make_book.markup.sanitize_report import _Report

# Where XHTML requires a particular parent (libxml2's HTML 4 parser does not enforce it).
_REQUIRED_PARENT = {
    "li": ("ul", "ol"), "dt": ("dl",), "dd": ("dl",), "tr": ("table", "thead", "tbody", "tfoot"),
    "td": ("tr",), "th": ("tr",), "thead": ("table",), "tbody": ("table",), "tfoot": ("table",),
    "caption": ("table",), "colgroup": ("table",), "col": ("colgroup", "table"),
    "figcaption": ("figure",), "rt": ("ruby",), "rp": ("ruby",),
}
# Containers whose children are all of one kind.
_ALLOWED_CHILDREN = {
    "ul": ("li",), "ol": ("li",), "dl": ("dt", "dd"),
    "table": ("caption", "colgroup", "thead", "tbody", "tfoot", "tr"),
    "thead": ("tr",), "tbody": ("tr",), "tfoot": ("tr",), "tr": ("td", "th"), "colgroup": ("col",),
}
# Elements that hold phrasing content only (``a``, ``ins`` and ``del`` are transparent and
# treated as phrasing: a block inside them is invalid wherever a paragraph stands).
_PHRASING_ONLY = frozenset({
    "p", "span", "em", "strong", "i", "b", "u", "s", "sub", "sup", "small", "abbr", "cite",
    "q", "dfn", "code", "kbd", "samp", "var", "mark", "time", "bdi", "bdo", "ruby", "rt", "rp",
    "h1", "h2", "h3", "h4", "h5", "h6", "pre", "a", "ins", "del",
})
# Phrasing content itself: paragraphs, headings and pre hold phrasing but are blocks.
_PHRASING = (_PHRASING_ONLY - {"p", "h1", "h2", "h3", "h4", "h5", "h6", "pre"}) | {
    "br", "img", "wbr"}


def _repair_structure(body: etree._Element, report: _Report) -> None:
    """Make what unbalanced raw HTML left behind valid XHTML, top down: an element in the
    wrong parent becomes a ``div`` (a ``span`` inside phrasing), a list's stray content is
    wrapped in an item, and a container with foreign children becomes a ``div``."""
    for notes in body.xpath(".//div[@class='footnote']"):
        if notes.getparent() is not body:  # Python-Markdown's notes, swallowed by an open tag
            _detach(notes)
            body.append(notes)
    stack = [(child, "body") for child in reversed(body)]
    while stack:
        el, parent_tag = stack.pop()
        if not isinstance(el.tag, str):
            continue
        name = el.tag
        required = _REQUIRED_PARENT.get(name)
        if required and parent_tag not in required:
            if name == "col":
                report.warning("C036", "raw HTML is not valid here: <col> outside a table "
                               "removed", "<col", "write the whole table")
                el.drop_tree()
                continue
            plain = "span" if parent_tag in _PHRASING_ONLY else "div"
            _rename(el, plain)
            report.warning("C036", f"raw HTML is not valid here: <{name}> outside <"
                           f"{required[0]}>; kept as a plain <{plain}>", f"<{name}",
                           f"write the whole <{required[0]}>, or remove the tag")
        elif parent_tag in _PHRASING_ONLY and name not in _PHRASING:
            if name == "hr":
                el.drop_tree()
            else:
                _rename(el, "span")
            kept = "removed" if name == "hr" else "kept as inline text"
            report.warning("C036", f"raw HTML is not valid here: <{name}> inside <{parent_tag}>"
                           f"; {kept}", f"<{name}",
                           "close the paragraph or span before a block element")
        elif parent_tag == "a" and name == "a":
            _rename(el, "span")
            report.warning("C036", "raw HTML is not valid here: a link inside a link; the "
                           "inner one is kept as text", "<a", "close the first link first")
        name = el.tag
        allowed = _ALLOWED_CHILDREN.get(name)
        if allowed is not None:
            stray = [c for c in el if isinstance(c.tag, str) and c.tag not in allowed]
            if name == "dl" and _term_without_definition(el):
                stray.append(el)  # a term whose definition an open tag swallowed
            loose_text = any((t or "").strip() for t in [el.text, *(c.tail for c in el)])
            if stray or loose_text:
                if name in ("ul", "ol"):
                    report.warning("C036", f"raw HTML is not valid here: content of <{name}> "
                                   "outside its items; put in items of its own", f"<{name}",
                                   "put list content inside <li>")
                    _wrap_loose_items(el)
                else:
                    report.warning("C036", f"raw HTML is not valid here: <{name}> holds "
                                   "other content; kept as a plain block", f"<{name}",
                                   "write the whole structure, or use Markdown")
                    _rename(el, "div")
                    name = "div"
        stack.extend((child, name) for child in reversed(el))


def _term_without_definition(dl: etree._Element) -> bool:
    """Whether the last term of a definition list has no definition after it."""
    tags = [c.tag for c in dl if isinstance(c.tag, str)]
    return "dt" in tags and "dd" not in tags[len(tags) - 1 - tags[::-1].index("dt"):]


def _detach(el: etree._Element) -> None:
    """Take ``el`` out of its parent, leaving its tail text where it was."""
    parent, previous, tail = el.getparent(), el.getprevious(), el.tail
    el.tail = None
    if tail:
        if previous is not None:
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(el)


def _rename(el: etree._Element, tag: str) -> None:
    """``el`` as a plain ``div`` or ``span``, keeping only the attributes they allow."""
    el.tag = tag
    for attr in list(el.attrib):
        if attr not in GLOBAL_ATTRIBUTES and not attr.startswith("data-"):
            del el.attrib[attr]


def _wrap_loose_items(lst: etree._Element) -> None:
    """Content of a list that is not in an item goes into a new item of its own."""
    items: list[etree._Element] = []
    current: etree._Element | None = None

    def holder() -> etree._Element:
        nonlocal current
        if current is None:
            current = etree.Element("li")
            items.append(current)
        return current

    if (lst.text or "").strip():
        holder().text, lst.text = lst.text, None
    for child in list(lst):
        tail, child.tail = child.tail, None
        lst.remove(child)
        if child.tag == "li":
            items.append(child)
            current = None
        else:
            holder().append(child)
        if tail and tail.strip():
            item = holder()
            if len(item):
                item[-1].tail = (item[-1].tail or "") + tail
            else:
                item.text = (item.text or "") + tail
        elif tail:
            items[-1].tail = tail
    for item in items:
        lst.append(item)


def _hoist_content(el: etree._Element) -> list[etree._Element]:
    """Move a void element's text and children to just after it; return the children."""
    parent = el.getparent()
    children = list(el)
    text, tail = el.text, el.tail
    el.text = None
    el.tail = text if children else (text or "") + (tail or "")
    index = parent.index(el)
    for offset, child in enumerate(children, start=1):
        parent.insert(index + offset, child)
    if children:
        children[-1].tail = (children[-1].tail or "") + (tail or "")
    return children
