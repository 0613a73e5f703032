"""Pandoc's lists: ``lists``, ``fancy_lists``, ``startnum``, ``example_lists``.

Python-Markdown's lists follow Markdown.pl: content belongs to an item when indented by
four spaces, only ``1.`` and bullets are markers, and looseness is decided per item. Pandoc
differs on each point, and manuscripts are written for Pandoc, so this module replaces
Python-Markdown's list processors:

- an item's content column is where its text starts after the marker (``- `` -> 2,
  ``10. `` -> 4); continuation blocks after a blank line belong to the item when indented
  at least that far, and are dedented by exactly that much (so a sub-list or a second
  paragraph lines up with the text, not with a fixed four spaces);
- a line that is neither blank, indented nor a list marker continues the item's paragraph
  (lazy continuation); inside an item a marker line starts a sub-list without a blank line;
- ordered markers: ``1.`` ``1)`` ``(1)``, letters ``a.`` ``A)``, roman numerals ``iv.``
  ``(II)``, ``#.`` and example markers ``(@)`` ``(@label)``; a marker of another style or
  delimiter starts a new list; the first number is the start (``<ol start="3">``) and the
  style is Pandoc's ``type`` (``<ol type="a">``); an upper-case letter with a period needs
  two spaces after it (``B. Russell`` is a paragraph);
- tight or loose as Pandoc's ``compactify``: a paragraph followed by a blank line makes the
  whole list loose (every paragraph a ``<p>``), except a blank line after the last item's
  last paragraph; a tight list's paragraphs are bare text;
- example items are numbered through the whole document (``<ol class="example">``), and
  ``(@label)`` in the text becomes the label's number.
"""

from __future__ import annotations

import dataclasses
import re
import xml.etree.ElementTree as ET

from markdown.blockprocessors import BlockProcessor
from markdown.inlinepatterns import InlineProcessor

from make_book.numerals import ROMAN_DIGITS, roman_value

MARKER_RE = re.compile(
    r"^(?P<indent>[ ]{0,3})(?:(?P<bullet>[*+-])|(?P<open>\()?(?P<token>\d{1,9}|#|@[\w-]*|"
    r"[ivxlcdm]+|[IVXLCDM]+|[a-z]|[A-Z])(?P<close>[.)]))(?P<space>[ ]+|$)")
HR_RE = re.compile(r"^[ ]{0,3}(?:(?:-[ ]*){3,}|(?:\*[ ]*){3,}|(?:_[ ]*){3,})$")
EXAMPLE_REF_RE = r"\(@([\w-]+)\)"


@dataclasses.dataclass(frozen=True)
class Marker:
    """One list marker: the list kind it belongs to, its number, and its width."""

    kind: str  # "bullet", or an ordered style: decimal, lower-alpha, upper-alpha,
    # lower-roman, upper-roman, default (#.), example
    delim: str  # "", "period", "paren", "parens"
    number: int
    width: int  # from the line start to the item's text (the content column)
    label: str = ""  # an example's label

    def continues(self, other: Marker) -> bool:
        """Whether ``other`` may be the next item of a list started by ``self``."""
        if self.kind == "bullet":
            return other.kind == "bullet"
        return other.kind == self.kind and other.delim == self.delim


def parse_marker(line: str, style: Marker | None = None) -> Marker | None:
    """The list marker at the start of ``line``; with ``style``, read a letter or roman
    token as that list reads it (``v.`` is 5 in a roman list, a letter otherwise)."""
    if HR_RE.match(line):
        return None
    m = MARKER_RE.match(line)
    if m is None:
        return None
    spaces = len(m.group("space"))
    marker_end = m.end("space") - spaces
    width = marker_end + (spaces if 0 < spaces <= 4 else 1)
    if m.group("bullet"):
        return Marker("bullet", "", 0, width)
    token, opened, close = m.group("token"), m.group("open"), m.group("close")
    if opened and close != ")":
        return None
    delim = "parens" if opened else ("period" if close == "." else "paren")
    if token.isdigit():
        return Marker("decimal", delim, int(token), width)
    if token == "#":
        return Marker("default", delim, 1, width)
    if token.startswith("@"):
        return Marker("example", delim, 1, width, token[1:])
    roman_first = token in ("i", "I") and (style is None or "roman" in style.kind)
    in_roman_list = style is not None and "roman" in style.kind
    is_roman = set(token.lower()) <= ROMAN_DIGITS
    if len(token) == 1 and not roman_first and not (in_roman_list and is_roman):
        kind = "upper-alpha" if token.isupper() else "lower-alpha"
        if kind == "upper-alpha" and delim == "period" and spaces < 2:
            return None  # "B. Russell": an initial, not a list
        return Marker(kind, delim, ord(token.lower()) - ord("a") + 1, width)
    if not is_roman or (value := roman_value(token)) is None:
        return None
    kind = "upper-roman" if token.isupper() else "lower-roman"
    if kind == "upper-roman" and delim == "period" and spaces < 2 and len(token) == 1:
        return None
    return Marker(kind, delim, value, width)


TYPES = {"decimal": "1", "lower-alpha": "a", "upper-alpha": "A", "lower-roman": "i",
         "upper-roman": "I", "example": "1"}


@dataclasses.dataclass
class Item:
    marker: Marker
    lines: list[str]  # the content, dedented; blank lines kept as ""


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def split_list(lines: list[str], first: Marker) -> tuple[list[Item], list[str]]:
    """The items of the list starting at ``lines[0]`` and the lines after the list."""
    items: list[Item] = []
    n = 0
    blank_before = False
    while n < len(lines):
        line = lines[n]
        marker = parse_marker(line, first)
        if not line.strip():
            if items:
                items[-1].lines.append("")
            blank_before = True
            n += 1
            continue
        current = items[-1] if items else None
        if current is not None and _indent(line) >= current.marker.width:
            current.lines.append(line[current.marker.width:])
        elif marker is not None and (current is None or first.continues(marker)):
            if marker.width >= len(line):  # an empty item
                items.append(Item(marker, [""]))
            else:
                items.append(Item(marker, [line[marker.width:]]))
        elif (current is not None and not blank_before and marker is None
              and not line.lstrip().startswith(":::")):
            current.lines.append(line.lstrip())  # lazy continuation
        else:
            break
        blank_before = False
        n += 1
    rest = lines[n:]
    return items, rest


def _chunks(item: Item) -> list[str]:
    """Blocks of an item's content: split at blank lines, and before a marker line that
    follows text (a sub-list needs no blank line inside an item)."""
    blocks: list[list[str]] = [[]]
    for line in item.lines:
        if not line.strip():
            blocks.append([])
            continue
        if blocks[-1] and parse_marker(line) is not None and not parse_marker(blocks[-1][0]):
            blocks.append([])
        blocks[-1].append(line)
    return ["\n".join(b) for b in blocks if b]


class ListProcessor(BlockProcessor):
    """Every list syntax (see the module docstring); consumes the blocks after its first
    one that still belong to the list."""

    def __init__(self, parser):
        super().__init__(parser)
        self.examples = 0
        self.labels: dict[str, int] = {}

    def test(self, parent: ET.Element, block: str) -> bool:
        return parse_marker(block.split("\n", 1)[0]) is not None

    def run(self, parent: ET.Element, blocks: list[str]) -> bool | None:
        first = parse_marker(blocks[0].split("\n", 1)[0])
        lines: list[str] = []
        taken = 0
        for block in blocks:  # the list may run over blank lines: offer it every block
            if taken and block.strip():
                head = block.split("\n", 1)[0]
                nxt = parse_marker(head, first)
                if not ((nxt is not None and first.continues(nxt)) or _indent(head) >= 1):
                    break
            if taken:
                lines.append("")
            lines.extend(block.split("\n"))
            taken += 1
        items, rest = split_list(lines, first)
        if not items:
            return False
        del blocks[:taken]
        remainder = "\n".join(rest).strip("\n")
        if remainder:
            blocks[:0] = remainder.split("\n\n")
        self._build(parent, items)
        return True

    def _build(self, parent: ET.Element, items: list[Item]) -> None:
        first = items[0].marker
        if first.kind == "bullet":
            lst = ET.SubElement(parent, "ul")
        else:
            lst = ET.SubElement(parent, "ol")
            start = first.number
            if first.kind == "example":
                lst.set("class", "example")
                start = self.examples + 1
            if first.kind in TYPES:
                lst.set("type", TYPES[first.kind])
            if start != 1:
                lst.set("start", str(start))
        paras: list[tuple[ET.Element, ET.Element, bool]] = []  # (p, li, followed by blank)
        for item in items:
            if item.marker.kind == "example":
                self.examples += 1
                if item.marker.label:
                    self.labels.setdefault(item.marker.label, self.examples)
            li = ET.SubElement(lst, "li")
            chunks = _chunks(item)
            if chunks:
                self.parser.parseBlocks(li, chunks)
            raw = "\n".join(item.lines) + "\n"
            for child in li:
                if child.tag == "p" and child.text is not None:
                    paras.append((child, li, child.text.strip() + "\n\n" in raw))
        last_li = lst[-1]
        loose = any(followed for p, _, followed in paras
                    if not (p is _last_block(last_li)))
        if not loose:
            for p, li, _ in paras:
                _unwrap(p, li)


def _last_block(li: ET.Element) -> ET.Element | None:
    return li[-1] if len(li) else None


def _unwrap(p: ET.Element, li: ET.Element) -> None:
    """A paragraph of a tight list is bare text in its item (Pandoc's Plain)."""
    index = list(li).index(p)
    text = p.text or ""
    if index == 0:
        li.text = (li.text or "") + text
    else:
        prev = li[index - 1]
        prev.tail = (prev.tail or "") + text
    li.remove(p)


class ExampleReferenceProcessor(InlineProcessor):
    """``(@label)`` -> ``(n)``, the number of the example item with that label."""

    def __init__(self, pattern, md, lists: ListProcessor):
        super().__init__(pattern, md)
        self.lists = lists

    def handleMatch(self, m, data):  # noqa: N802 (Python-Markdown API)
        number = self.lists.labels.get(m.group(1))
        if number is None:
            return None, None, None
        return f"({number})", m.start(0), m.end(0)
