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
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import lxml.html
from lxml import etree

from make_book.errors import Diagnostic, error, warning

__all__ = ["ALLOWED_ELEMENTS", "sanitize_fragment"]

LineOf = Callable[[str], "int | None"]

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

GLOBAL_ATTRIBUTES = frozenset({"id", "class", "lang", "dir", "title", "style"})
ELEMENT_ATTRIBUTES: dict[str, frozenset[str]] = {
    "a": frozenset({"href", "prefix"}),  # prefix: {.pageref prefix="p. "} in print
    # our Markdown's index terms, [the Old Man]{index="Trotsky, Leon"}: plain text, read
    # and removed by the index transform
    "span": frozenset({"index", "index-see", "index-see-also", "index-name", "index-start",
                       "index-end"}),
    "div": frozenset({"index", "index-see", "index-see-also", "index-name"}),
    "img": frozenset({"src", "alt", "width", "height"}),
    "th": frozenset({"colspan", "rowspan", "scope", "headers"}),
    "td": frozenset({"colspan", "rowspan", "scope", "headers"}),
    "col": frozenset({"span"}),
    "colgroup": frozenset({"span"}),
    "ol": frozenset({"start", "reversed", "type"}),
    "time": frozenset({"datetime"}),
    "blockquote": frozenset({"cite"}),
    "q": frozenset({"cite"}),
    "del": frozenset({"cite", "datetime"}),
    "ins": frozenset({"cite", "datetime"}),
}
URL_ATTRIBUTES = frozenset({"href", "src", "cite"})
# Links may leave the book (a reader opens them on purpose); nothing else may.
LINK_SCHEMES = frozenset({"http", "https", "mailto", "tel", "ftp"})
# Inline raster images are part of the document itself, not fetched from anywhere.
DATA_IMAGE_TYPES = ("image/png", "image/jpeg", "image/gif", "image/webp")
# CSS that loads resources or runs code; checked after comments and whitespace are removed.
UNSAFE_CSS = ("url(", "expression(", "@import", "javascript:", "behavior:", "-moz-binding",
              "image(", "image-set(", "src(")

# data-* names restricted to ASCII XML name characters: always a valid XML name.
_DATA_ATTRIBUTE_RE = re.compile(r"data-[a-z0-9_.\-]+\Z")
_SCHEME_RE = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*\Z")
# Characters XML 1.0 forbids: C0 controls but tab, LF, CR; U+FFFE, U+FFFF; lone surrogates.
_FORBIDDEN_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
# Document-level tags mean nothing in a chapter, and the HTML parser drops whatever follows
# a stray </body> or </html>: they are removed before parsing so no text is lost.
_DOCUMENT_TAG_RE = re.compile(r"</?(html|head|body)(?=[\s/>])[^>]*>", re.IGNORECASE)


class _Report:
    """Collects diagnostics for one fragment; ``line_of`` maps a snippet to a source line."""

    def __init__(self, path: Path, line_of: LineOf | None):
        self.path = path
        self.line_of = line_of
        self.items: list[Diagnostic] = []
        self.forbidden: Counter[str] = Counter()

    def line(self, snippet: str | None) -> int | None:
        if self.line_of is None or not snippet:
            return None
        return self.line_of(snippet)

    def error(self, code: str, message: str, snippet: str | None, hint: str | None) -> None:
        self.items.append(error(code, message, self.path, self.line(snippet), hint))

    def warning(self, code: str, message: str, snippet: str | None, hint: str | None) -> None:
        self.items.append(warning(code, message, self.path, self.line(snippet), hint))

    def clean(self, text: str) -> str:
        """Text without the characters XML 1.0 forbids (counted for one C035 each)."""
        if _FORBIDDEN_RE.search(text) is None:
            return text
        self.forbidden.update(_FORBIDDEN_RE.findall(text))
        return _FORBIDDEN_RE.sub("", text)

    def finish(self) -> list[Diagnostic]:
        for ch, count in self.forbidden.items():
            times = f"{count} times" if count > 1 else "once"
            self.warning("C035", f"removed U+{ord(ch):04X} ({times}): XML 1.0 does not allow "
                         "this character", ch,
                         "it is usually an invisible leftover of a conversion; delete it")
        return list(dict.fromkeys(self.items))  # one report per distinct problem


def _short(value: str, limit: int = 60) -> str:
    """A value fit for a one-line message: control characters shown as escapes, cut short."""
    value = "".join(ch if ch >= " " else repr(ch)[1:-1] for ch in value)
    return value if len(value) <= limit else value[:limit - 1] + "…"


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


def _clean_attributes(el: etree._Element, name: str, report: _Report) -> None:
    allowed_here = ELEMENT_ATTRIBUTES.get(name, frozenset())
    for attr, value in list(el.attrib.items()):
        lname = attr.lower()
        keep = True
        if lname == "xml:lang":
            # HTML has no namespaces: xml:lang arrives as a plain name. Keep its meaning.
            if el.get("lang") is None:
                el.set("lang", report.clean(value))
            keep = False
        elif lname.startswith("on"):
            report.error("C032", f"removed event handler {_short(attr, 30)} on <{name}>",
                         attr, "raw HTML may not run scripts")
            keep = False
        elif not (lname in GLOBAL_ATTRIBUTES or lname in allowed_here
                  or (lname.startswith("data-") and _DATA_ATTRIBUTE_RE.match(lname))):
            why = ("not a valid XML name" if lname.startswith("data-")
                   else "not allowed in raw HTML")
            report.warning("C032", f"removed attribute {_short(attr, 30)} on <{name}>: {why}",
                           attr, "allowed: id, class, lang, dir, title, style, data-*, and "
                           "the element's own (href, src, alt, colspan...)")
            keep = False
        elif lname == "style" and _unsafe_css(value):
            report.error("C032", f"removed style on <{name}>: it loads a resource or runs "
                         "code", value, "put styling in the layout's CSS; "
                         "url(), expression() and @import are refused")
            keep = False
        elif lname in SPAN_LIMITS:
            bounded = _bounded_span(attr, value, name, report)
            keep = bounded is not None
            if keep and bounded != value:
                el.set(attr, bounded)
                value = bounded
        elif lname in URL_ATTRIBUTES:
            keep = _check_url(lname, value, name, report)
        if not keep:
            del el.attrib[attr]
        else:
            cleaned = report.clean(value)
            if cleaned != value:
                el.set(attr, cleaned)


# HTML's own clamps (the table model, "colspan", "rowspan", "span"): browsers read a larger
# number as these, but a print renderer that builds the grid first would allocate a billion
# columns, so the number is written down to them here.
SPAN_LIMITS = {"colspan": (1, 1000), "span": (1, 1000), "rowspan": (0, 65534)}
_SPAN_RE = re.compile(r"\s*\+?(\d+)")


def _bounded_span(attr: str, value: str, name: str, report: _Report) -> str | None:
    """A ``colspan``/``rowspan``/``span`` as HTML reads it (``"3x"`` is 3), one beyond
    HTML's limit set to the limit (what a browser shows) with a warning (C112); None when
    it is no number at all."""
    low, high = SPAN_LIMITS[attr.lower()]
    m = _SPAN_RE.match(value)
    if m is None:
        report.warning("C112", f"removed {attr}={_short(value, 20)} on <{name}>: not a "
                       "number", value, f"{attr} is a whole number of cells")
        return None
    number = int(m.group(1)) if len(m.group(1)) < 12 else high + 1
    if number > high:
        report.warning("C112", f"{attr}={_short(value, 20)} on <{name}> is set to "
                       f"{high}, HTML's limit", value,
                       f"a table cell spans at most {high} cells")
    return str(min(max(number, low), high))


def _unsafe_css(value: str) -> bool:
    css = value.lower()
    while "/*" in css:  # comments can split a keyword: ur/**/l(
        start = css.index("/*")
        end = css.find("*/", start + 2)
        css = css[:start] + (css[end + 2:] if end >= 0 else "")
    if "\\" in css:  # escapes can spell anything: u\72 l(
        return True
    css = "".join(css.split())
    return any(token in css for token in UNSAFE_CSS)


def _check_url(attr: str, value: str, name: str, report: _Report) -> bool:
    """Whether a URL may stay. Browsers ignore tabs and newlines inside a URL and leading
    control characters and spaces, so ``java\\tscript:`` is checked as ``javascript:``."""
    url = "".join(ch for ch in value if ch not in "\t\n\r").lstrip(
        "".join(chr(c) for c in range(0x21)))
    colon = url.find(":")
    scheme = None
    if colon > 0 and _SCHEME_RE.match(url, 0, colon):
        scheme = url[:colon].lower()
    network_path = url[:2] in ("//", "\\\\", "/\\", "\\/")  # //host/x: a remote URL
    shown = _short(value)
    if attr == "src":
        if scheme in ("http", "https") or (scheme is None and network_path):
            report.warning("C034", f"removed remote image {shown} from <{name} src>: remote "
                           "resources are never fetched", value,
                           "download the image into the book's images/ folder")
            return False
        if scheme is None or (scheme == "data"
                              and url[5:].lower().startswith(DATA_IMAGE_TYPES)):
            return True
    elif scheme is None or scheme in LINK_SCHEMES:
        return True
    report.error("C033", f"refused URL {shown} in {attr} of <{name}>: {scheme}: URLs are "
                 "not allowed here", value,
                 "use a relative path inside the book, or an http(s)/mailto link")
    return False


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
