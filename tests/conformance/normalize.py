"""Pandoc's HTML5 and make-book's XHTML -> one canonical form, compared line by line.

The canonical form keeps what the Markdown means: element names, the attributes an author
can set (id, class, href, src, alt, title, style, lang, data-*, ...), and text. It puts into
one form what differs only in typography or in the writer's house markup:

- whitespace runs (spaces, newlines, no-break and narrow spaces) are one space; invisible
  format characters (word joiner, soft hyphen, zero-width space) are removed; whitespace
  at the edges of a block and between blocks is dropped; inside ``pre`` whitespace is
  kept as it is, but for the newlines ending the block;
- note calls become ``noteref N`` and the notes a final ``notes`` block of ``note N``
  (Pandoc: ``a.footnote-ref`` and ``section.footnotes`` with back links; make-book:
  ``a.mb-noteref[data-note]`` and the chapter's note bodies);
- MathML becomes ``math inline|block`` with its TeX source (Pandoc's annotation; make-book
  writes the same annotation), not the MathML tree, which two TeX converters build
  differently;
- heading ids are kept: make-book makes Pandoc's auto identifiers; ARIA roles, ``xmlns``
  and the image-size attributes make-book adds are dropped; class lists are sorted; ``50.0%`` in a style is ``50%``.

The result is a list of lines, one per element or text run, indented by depth: pytest
shows a readable diff of two such lists.
"""

from __future__ import annotations

import re

import lxml.html
from lxml import etree

BLOCKS = frozenset({
    "p", "div", "section", "aside", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "pre",
    "hr", "figure", "figcaption", "table", "thead", "tbody", "tfoot", "tr", "th", "td",
    "caption", "colgroup", "col", "ul", "ol", "li", "dl", "dt", "dd", "header", "footer",
    "address", "notes", "note", "nav",
})
HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
DROPPED_ATTRIBUTES = frozenset({"role", "xmlns", "aria-hidden", "aria-label"})
SPACES_RE = re.compile(r"[ \t\n\r\f\u00a0\u202f\u2009\u200a\u2007\u2002\u2003]+")
INVISIBLE_RE = re.compile("[\u2060\u00ad\u200b\ufeff]")
MATHML = "{http://www.w3.org/1998/Math/MathML}"


class Node:
    """One canonical element: name, sorted attributes, children (Node or str)."""

    __slots__ = ("tag", "attrs", "children")

    def __init__(self, tag: str, attrs: dict[str, str] | None = None):
        self.tag = tag
        self.attrs = attrs or {}
        self.children: list[Node | str] = []

    def lines(self, depth: int = 0) -> list[str]:
        attrs = "".join(f' {k}="{v}"' for k, v in sorted(self.attrs.items()))
        out = ["  " * depth + self.tag + attrs]
        for child in self.children:
            if isinstance(child, Node):
                out.extend(child.lines(depth + 1))
            else:
                out.append("  " * (depth + 1) + repr(child))
        return out


def _local(tag) -> str:
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1].lower()


def _text(value: str | None, verbatim: bool = False) -> str:
    if not value:
        return ""
    if verbatim:
        return INVISIBLE_RE.sub("", value)
    return SPACES_RE.sub(" ", INVISIBLE_RE.sub("", value))


def _attrs(el, tag: str) -> dict[str, str]:
    attrs = {}
    for key, value in el.attrib.items():
        key = _local(key)
        if key in DROPPED_ATTRIBUTES or key.startswith("aria-"):
            continue
        if tag == "img" and (key in ("data-width", "data-height") or key == "alt" and not value):
            continue  # sizes make-book probes; alt="" XHTML requires, Pandoc omits
        if key == "class":
            value = " ".join(sorted(value.split()))
            if not value:
                continue
        if key == "style":
            value = re.sub(r"(\d+)\.0(?!\d)", r"\1", value).replace(" ", "").rstrip(";")
        attrs[key] = value
    return attrs


def _math(el) -> Node:
    display = el.get("display") or "inline"
    tex = "".join(a.text or "" for a in el.iter() if _local(a.tag) == "annotation")
    node = Node("math", {"display": display})
    node.children.append(_text(tex).strip())
    return node


def _convert(el, notes: dict[str, Node], verbatim: bool = False) -> Node | None:
    """``el`` in canonical form; note calls and note lists handled by the callers' rules."""
    tag = _local(el.tag)
    if tag == "math":
        return _math(el)
    classes = (el.get("class") or "").split()
    if tag == "a" and ("footnote-ref" in classes or "mb-noteref" in classes):
        number = el.get("data-note") or "".join(el.itertext()).strip()
        return Node("noteref", {"n": number})
    if tag == "section" and "footnotes" in classes:
        for li in el.iter("li"):
            number = (li.get("id") or "").removeprefix("fn")
            for back in li.xpath(".//a[contains(@class, 'footnote-back')]"):
                _remove_keeping_tail(back)
            note = Node("note", {"n": number})
            _children(li, note, notes)
            notes[number] = note
        return None
    node = Node(tag, _attrs(el, tag))
    _children(el, node, notes, verbatim)
    return node


def _remove_keeping_tail(el) -> None:
    parent, prev = el.getparent(), el.getprevious()
    if el.tail:
        if prev is not None:
            prev.tail = (prev.tail or "") + el.tail
        else:
            parent.text = (parent.text or "") + el.tail
    parent.remove(el)


def _children(el, node: Node, notes: dict[str, Node], verbatim: bool = False) -> None:
    parts: list[Node | str] = []
    verbatim = verbatim or node.tag == "pre"

    def add_text(value: str | None) -> None:
        value = _text(value, verbatim)
        if not value:
            return
        if parts and isinstance(parts[-1], str):
            parts[-1] += value
        else:
            parts.append(value)

    add_text(el.text)
    for child in el:
        if isinstance(child.tag, str):
            converted = _convert(child, notes, verbatim)
            if converted is not None:
                parts.append(converted)
        add_text(child.tail)
    if verbatim:
        _strip_final_newlines(parts)
        node.children = parts
    else:
        node.children = _trim(parts, node.tag)


def _strip_final_newlines(parts: list) -> None:
    """Code ends where its last line ends: one writer keeps the final newline, one not."""
    while parts:
        last = parts[-1]
        if isinstance(last, Node):
            _strip_final_newlines(last.children)
            return
        parts[-1] = last.rstrip("\n")
        if parts[-1]:
            return
        parts.pop()


def _is_block(part) -> bool:
    return isinstance(part, Node) and part.tag in BLOCKS


def _trim(parts: list, tag: str) -> list:
    """Whitespace that HTML does not render: at a block's edges, next to blocks, after br."""
    out = []
    for i, part in enumerate(parts):
        if isinstance(part, str):
            before = parts[i - 1] if i else None
            after = parts[i + 1] if i + 1 < len(parts) else None
            if before is None and tag in BLOCKS or _is_block(before) or (
                    isinstance(before, Node) and before.tag == "br"):
                part = part.lstrip()
            if after is None and tag in BLOCKS or _is_block(after) or (
                    isinstance(after, Node) and after.tag == "br"):
                part = part.rstrip()
            if not part:
                continue
        out.append(part)
    return out


def canonical(root, extra_notes: list[Node] | None = None) -> list[str]:
    notes: dict[str, Node] = {}
    doc = Node("body")
    _children(root, doc, notes)
    collected = list(notes.values()) + list(extra_notes or [])
    if collected:
        holder = Node("notes")
        holder.children = collected
        doc.children.append(holder)
    return doc.lines()


def pandoc_canonical(html: str) -> list[str]:
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    return canonical(root)


def make_book_canonical(body: str, notes: tuple[str, ...]) -> list[str]:
    root = _xml_fragment(body)
    extra = []
    for number, note_html in enumerate(notes, start=1):
        note = Node("note", {"n": str(number)})
        _children(_xml_fragment(note_html), note, {})
        extra.append(note)
    return canonical(root, extra)


def _xml_fragment(text: str):
    return etree.fromstring(f'<div xmlns:epub="http://www.idpf.org/2007/ops">{text}</div>',
                            etree.XMLParser(resolve_entities=False, huge_tree=True))
