"""Raw HTML in a chapter -> a safe, well-formed element tree, and a report of what was removed.

Markdown lets authors write raw HTML, and a manuscript may come from anywhere (a converted
Word file, a web page, a contributor). An EPUB reader is a browser: a script, an event
handler or a remote image in the book would run or be fetched on the reader's device. So
after Python-Markdown renders a chapter, its HTML goes through an explicit allow-list of
elements, attributes and URL schemes (never pattern matching over markup), and every
removal is reported with a stable code:

- ``C030`` element removed with its content (scripts, forms, frames, embedded objects: an
  error; ``svg``/``math``: a warning, not supported yet)
- ``C031`` unknown element unwrapped, its text kept (warning)
- ``C032`` attribute removed (event handlers and unsafe ``style``: error; others: warning)
- ``C033`` URL with a refused scheme (``javascript:``, ``file:``...) removed (error)
- ``C034`` remote resource (``http(s):`` image) removed: it would never be fetched (warning)
- ``C035`` character that XML 1.0 forbids removed (warning)
- ``C036`` raw HTML not balanced (a stray end tag, an element left open) or not valid where
  it stands (an ``<li>`` outside a list, a ``<div>`` inside a ``<span>``): repaired, the
  first the way a browser would, the second by turning the element into a plain ``div`` or
  ``span``, and reported so the author can check the result (warning)

The result is an XML element (``<section>``) that serialises as well-formed XHTML.

This module decides the elements; :mod:`~make_book.markup.html_attributes` their
attributes, :mod:`~make_book.markup.html_structure` where they may stand, and
:mod:`~make_book.markup.sanitize_report` collects what was removed.
"""

from __future__ import annotations

import re
from pathlib import Path

import lxml.html
from lxml import etree

from make_book.errors import Diagnostic
from make_book.markup.html_attributes import _clean_attributes
from make_book.markup.html_structure import _hoist_content, _repair_structure
from make_book.markup.sanitize_report import LineOf, _Report, _short

__all__ = ["ALLOWED_ELEMENTS", "sanitize_fragment"]

# What Markdown and our extensions produce, and common safe inline and block HTML.
ALLOWED_ELEMENTS = frozenset({
    "p", "div", "span", "section", "aside", "blockquote", "h1", "h2", "h3", "h4", "h5",
    "h6", "em", "strong", "i", "b", "u", "s", "sub", "sup", "small", "abbr", "cite", "q",
    "dfn", "code", "kbd", "samp", "var", "pre", "br", "hr", "a", "img", "figure",
    "figcaption", "table", "thead", "tbody", "tfoot", "tr", "th", "td", "caption",
    "colgroup", "col", "ul", "ol", "li", "dl", "dt", "dd", "mark", "time", "ins", "del",
    "bdi", "bdo", "ruby", "rt", "rp", "wbr", "address", "header", "footer",
})

# Removed with everything inside: they run code, submit data, embed other documents or
# change how the page loads. Their content is not text meant for the reader.
DANGEROUS_ELEMENTS = frozenset({
    "script", "style", "iframe", "object", "embed", "form", "input", "button", "select",
    "textarea", "frame", "frameset", "applet", "base", "link", "meta", "template",
    "portal", "param",
})
# Empty by definition. libxml2's HTML 4 parser does not know ``wbr`` and lets it swallow
# what follows, which XHTML forbids: such content is moved back out after the element.
VOID_ELEMENTS = frozenset({"br", "hr", "img", "wbr", "col"})
# Removed with their content too, but they are not dangerous: not supported yet.
UNSUPPORTED_ELEMENTS = frozenset({"svg", "math"})

# Document-level tags mean nothing in a chapter, and the HTML parser drops whatever follows
# a stray </body> or </html>: they are removed before parsing so no text is lost.
_DOCUMENT_TAG_RE = re.compile(r"</?(html|head|body)(?=[\s/>])[^>]*>", re.IGNORECASE)


def sanitize_fragment(html: str, *, path: Path,
                      line_of: LineOf | None = None
                      ) -> tuple[etree._Element, list[Diagnostic]]:
    """Parse a chapter's HTML (recovering unbalanced markup) into a ``<section>`` element,
    keeping only allowed elements, attributes and URLs; return it with the diagnostics of
    everything removed. ``line_of`` maps an offending snippet (``<script``, ``onclick``, a
    URL) to its line in the Markdown source; without it, diagnostics carry no line."""
    report = _Report(path, line_of)
    html = report.clean(html)
    html = _DOCUMENT_TAG_RE.sub(lambda m: _document_tag(m, report), html)
    body = _parse(html, report)

    if body.text:
        body.text = report.clean(body.text)
    unwrap: list[etree._Element] = []
    stack = list(reversed(body))
    while stack:  # pre-order, iterative: 1,000 nested blockquotes must not recurse
        el = stack.pop()
        if el.tail:
            el.tail = report.clean(el.tail)
        tag = el.tag
        if not isinstance(tag, str):  # comments and PIs: editorial, never published
            el.drop_tree()
            continue
        name = tag.lower()
        if name in DANGEROUS_ELEMENTS:
            report.error("C030", f"removed <{name}> and its content: raw HTML may not "
                         "contain scripts, styles, forms, frames or embedded objects",
                         f"<{name}", "an EPUB is read in a browser engine; keep to text "
                         "markup, and put styles in the layout's CSS")
            el.drop_tree()
            continue
        if name in UNSUPPORTED_ELEMENTS:
            report.warning("C030", f"removed <{name}> and its content: not supported yet",
                           f"<{name}", "use an image file (PNG or JPEG) instead")
            el.drop_tree()
            continue
        if name in ALLOWED_ELEMENTS:
            if tag != name:
                el.tag = name
            _clean_attributes(el, name, report)
            if name in VOID_ELEMENTS and (el.text or len(el)):
                stack.extend(reversed(_hoist_content(el)))
        else:
            report.warning("C031", f"unknown element <{_short(tag, 30)}> removed; its text "
                           "is kept", f"<{tag}", "use Markdown or an allowed HTML element")
            unwrap.append(el)
        if el.text:
            el.text = report.clean(el.text)
        stack.extend(reversed(el))
    for el in reversed(unwrap):  # innermost first; each moves its content to its parent
        el.drop_tag()
    _repair_structure(body, report)
    return _to_xml(body), report.finish()


def _document_tag(match: re.Match[str], report: _Report) -> str:
    name = match.group(1).lower()
    report.warning("C031", f"<{name}> tag ignored: a chapter is a fragment of the book",
                   match.group(0), "remove the tag; the chapter's text is kept")
    return ""


def _parse(html: str, report: _Report | None = None) -> etree._Element:
    """The fragment as the children of a ``<body>``, the way ``lxml.html.fragments_fromstring``
    does it, but keeping leading text as it is (lxml would set it through an API that
    rejects control characters before we can report them). A new parser per call: lxml
    parsers are not thread-safe, and one costs nothing next to the parse."""
    parser = lxml.html.HTMLParser(remove_comments=True, remove_pis=True, huge_tree=True,
                                  no_network=True)
    root = etree.fromstring(f"<html><body>{html}</body></html>", parser)
    if report is not None:
        _report_unbalanced(parser.error_log, report)
    body = root.find("body")
    if body is None:
        body = etree.SubElement(root, "body")
    # defensive: anything the parser placed in <head> or after <body> belongs to the text
    head = root.find("head")
    if head is not None:
        for index, child in enumerate(list(head)):
            body.insert(index, child)
    for sibling in list(body.itersiblings()):
        body.append(sibling)
    return body


_STRAY_END_RE = re.compile(r"Unexpected end tag : (\S+)")
_MISMATCH_RE = re.compile(r"Opening and ending tag mismatch: (\S+) and (\S+)")


def _report_unbalanced(log, report: _Report) -> None:
    """The HTML parser's own findings (it repairs as it goes): a stray end tag or an element
    closed by its parent's end. Read from libxml2's error log, not from the markup. Only tags
    found in the source are reported: Markdown's own ``<p>`` around an inline ``<div>`` is
    closed early too, and the author never wrote it."""
    for entry in log:
        if entry.type_name != "ERR_TAG_NAME_MISMATCH":
            continue
        if m := _STRAY_END_RE.search(entry.message):
            snippet = f"</{m.group(1)}>"
            message = f"raw HTML is not balanced: stray {_short(snippet, 30)} ignored"
            hint = "remove it, or add the start tag it belongs to"
        elif m := _MISMATCH_RE.search(entry.message):
            snippet, name = f"<{m.group(2)}", _short(m.group(2), 30)
            message = (f"raw HTML is not balanced: <{name}> is not closed where it should "
                       "be; closed at the end of its paragraph or block")
            hint = f"add </{name}> where it ends"
        else:
            continue
        if report.line(snippet) is not None:
            report.warning("C036", message, snippet, hint)


def _to_xml(body: etree._Element) -> etree._Element:
    """The cleaned body as a standalone XML ``<section>``, its content moved out of the HTML
    document (not serialised and parsed again: the chapter is parsed once, issue 14). It
    is well-formed by construction: only allowed element and attribute names (valid XML
    names) and text cleaned of control characters are left."""
    section = etree.Element("section")
    section.text = body.text or None
    section.extend(list(body))
    for el in section.iter():  # an emptied text is no text, as a parser reads it back
        if el.text == "":
            el.text = None
        if el.tail == "":
            el.tail = None
    return section
