"""Pandoc's attributes ``{#id .class key=value}`` on the elements Markdown makes.

Pandoc reads attributes after links, images, code spans and bracketed spans (and headings
and fences), and its HTML5 writer sets ``key=value`` as an attribute the element may carry,
image sizes as ``width``/``height`` (pixels) or a style (other units), and any other key as
``data-key``. Python-Markdown's ``attr_list`` copies any key onto any inline element; the
processors here bring that back to Pandoc's rules, so the EPUB stays valid.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from markdown import util
from markdown.treeprocessors import Treeprocessor

from make_book.markup.html_attributes import ELEMENT_ATTRIBUTES, GLOBAL_ATTRIBUTES

_ATTRIBUTE_RE = re.compile(
    r"\s*(?:(?:#[^\s{}#.]+|\.[^\s{}#.]+|[A-Za-z_][\w.:-]*=(?:\"[^\"]*\"|'[^']*'|[^\s\"'{}]+))"
    r"\s*)*\Z")


def is_attribute_list(spec: str) -> bool:
    """Whether ``spec`` (inside the braces) is Pandoc's attribute syntax: ``#id``,
    ``.class`` and ``key=value`` only; a bare word makes the braces text, as in Pandoc."""
    return _ATTRIBUTE_RE.match(spec) is not None


# Classes Pandoc reads as their own inline element, not a span (its ``mark`` extension and
# the underline class): ``[text]{.mark}`` -> ``<mark>``, ``[text]{.underline}`` -> ``<u>``.

_SAFE_NAME_RE = re.compile(r"[a-z][a-z0-9_.-]*\Z")
_LENGTH_RE = re.compile(r"(?P<number>\d+(?:\.\d+)?|\.\d+)"
                        r"(?P<unit>%|px|cm|mm|in|inch|pt|pc|em|ex|ch|rem|vw|vh)?\Z")


def apply_attributes(el: ET.Element, attrs: list[tuple[str, str | None]]) -> None:
    """``{#id .class key=value}`` on an element, with keys mapped as in :func:`map_key`."""
    set_attributes(el, attrs)
    map_attributes(el)


def set_attributes(el: ET.Element, attrs: list[tuple[str, str | None]]) -> None:
    """``{#id .class key=value}`` on an element as written (AttributeMapper maps the keys
    of the whole tree later)."""
    classes: list[str] = []
    for key, value in attrs:
        if key == "#":
            el.set("id", value or "")
        elif key == ".":
            classes.append(value or "")
        elif value is not None:
            el.set(key, value)
    if classes:
        el.set("class", " ".join(classes))


def _allowed(tag: str, key: str) -> bool:
    return (key in GLOBAL_ATTRIBUTES or key in ELEMENT_ATTRIBUTES.get(tag, ())
            or key.startswith("data-"))


def map_attributes(el: ET.Element) -> None:
    """Pandoc's HTML5 writer for ``key=value``: ``width``/``height`` of an image in pixels
    stay attributes, other units and percentages become a style (``width:50%``); a key the
    element may not carry becomes ``data-key``. Event handlers and odd names are left for
    the sanitizer to refuse, never disguised as data."""
    styles = []
    for key in list(el.attrib):
        value = el.attrib[key]
        if el.tag == "img" and key in ("width", "height"):
            m = _LENGTH_RE.match(value.strip())
            if m and m.group("unit") in (None, "px"):
                el.set(key, str(round(float(m.group("number")))))
            elif m:
                unit = "in" if m.group("unit") == "inch" else m.group("unit")
                styles.append(f"{key}:{m.group('number')}{unit}")
                del el.attrib[key]
            continue
        if _allowed(el.tag, key) or key.startswith("on") or not _SAFE_NAME_RE.match(key):
            continue
        del el.attrib[key]
        el.set(f"data-{key}", value)
    if styles:
        el.set("style", ";".join(filter(None, [*styles, el.get("style")])))


# Pandoc reads {attributes} after links, images, code spans and [spans] only; after any
# other inline element they are text. Python-Markdown's attr_list takes them after any.
ATTRIBUTE_TAKERS = frozenset({"a", "img"})  # code and spans read their own
_BRACE = f"{util.STX}{ord('{')}{util.ETX}"  # an escaped "{", restored by "unescape"


class InlineAttributeGuard(Treeprocessor):
    """Runs before ``attr_list``: a ``{`` right after an inline element that takes no
    attributes in Pandoc is escaped, so it stays text (and the leftover check sees it)."""

    def run(self, root: ET.Element) -> None:
        for el in root.iter():
            if (el.tail and el.tail.startswith("{") and el.tag not in ATTRIBUTE_TAKERS
                    and not self.md.is_block_level(el.tag)):
                el.tail = _BRACE + el.tail[1:]


class AttributeMapper(Treeprocessor):
    """Runs after ``attr_list``: maps the keys it copied onto Markdown's own elements."""

    def run(self, root: ET.Element) -> None:
        for el in root.iter():
            if el.attrib:
                map_attributes(el)
