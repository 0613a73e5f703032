"""The attributes raw HTML may keep: the allow-list per element, URL schemes, ``data:``
images, table spans within bounds and inline styles that load nothing (codes C032-C034).
Split from :mod:`make_book.markup.sanitize`, which decides the elements.
"""

from __future__ import annotations

import re

from lxml import etree

from make_book.markup.sanitize_report import _Report, _short

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
