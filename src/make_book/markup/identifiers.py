"""Heading identifiers and implicit heading references, as Pandoc makes them.

Pandoc is the reference for the manuscript's Markdown (DESIGN.md section 2): a link to
``#heading-text`` or a bare ``[Heading text]`` that works with ``pandoc a.md b.md`` must work
in the book. Pandoc's rules (User's Guide, "Extension: auto_identifiers" and "Extension:
implicit_header_references"; ``inlineListToIdentifier`` and ``uniqueIdent`` in its source):

- the heading's text without formatting, links or notes (an image counts with its alt text);
- lowercased; everything but letters, numbers, ``_``, ``-`` and ``.`` removed; runs of
  white space become one hyphen;
- everything up to the first letter removed; ``section`` when nothing is left;
- a duplicate gets ``-1``, ``-2``... (the first suffix not yet used), in document order
  across all the input files.

One :class:`BookIds` follows a whole book through its chapters in reading order, as Pandoc
follows its input files.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

# Python-Markdown's attr_list block at the end of a heading's source, ``# Title {#id}``.
_HEADING_ATTRS_RE = re.compile(r"\{:?\s*(?:[#.-]|[\w-]+=)[^{}]*\}\s*")

# ids of the EPUB's print page-break markers (render/epub/body.py): page-12, page-xii
_PAGE_MARKER_RE = re.compile(r"page-(?:[0-9]+|[ivxlcdm]+)\Z")


def _is_space(ch: str) -> bool:
    """Haskell's ``isSpace``, which Pandoc uses: ASCII white space, NBSP and category Zs."""
    return ch in " \t\n\r\f\v\u00a0" or unicodedata.category(ch) == "Zs"


def _kept(ch: str) -> bool:
    """Haskell's ``isAlphaNum`` (letters and numbers of every script) or ``_ - .``."""
    return ch in "_-." or unicodedata.category(ch)[0] in "LN"


def identifier(text: str) -> str:
    """Pandoc's auto identifier of a heading whose plain text is ``text`` ('' when no
    letter is left: the caller makes that ``section``)."""
    kept = "".join(ch if _kept(ch) else " " if _is_space(ch) else ""
                   for ch in text.lower())
    ident = "-".join(kept.split())
    for i, ch in enumerate(ident):  # up to the first letter
        if unicodedata.category(ch)[0] == "L":
            return ident[i:]
    return ""


def reference_key(label: str) -> str:
    """A reference label as Pandoc compares them: case and runs of white space ignored."""
    return " ".join(label.split()).lower()


def heading_key(source: str) -> str:
    """The key of a heading for implicit references: its Markdown source without the
    attribute block, so ``[*Hi* there]`` matches ``# *Hi* there {#hi}`` but
    ``[Hi there]`` does not (Pandoc compares the source text)."""
    brace = source.rfind("{")  # the block can only be the last one: no regex scan
    if brace >= 0 and _HEADING_ATTRS_RE.fullmatch(source, brace):
        source = source[:brace]
    return reference_key(source)


# What may open a line before an ATX heading's "#": quote marks, a list item's marker.
_LINE_LEAD_RE = re.compile(r"[ \t>]*(?:(?:[-*+]|[0-9]{1,9}[.)])[ \t]+)?")
_UNDERLINE_RE = re.compile(r"[ \t>]*(?:=+|-+)[ \t]*")


def heading_candidates(text: str) -> set[str]:
    """The keys of every line of ``text`` that Python-Markdown may read as a heading (ATX,
    also in quotes and list items, and the line above a setext underline): a reference
    whose label is none of them is left to Python-Markdown (placeholders cost parsing
    time). A superset is fine. Line by line, in linear time: a chapter may be one 5 MB
    line."""
    keys: set[str] = set()
    lines = text.split("\n")
    for i, line in enumerate(lines):
        rest = line[_LINE_LEAD_RE.match(line).end():]
        if rest.startswith("#"):
            keys.add(heading_key(rest.lstrip("#").rstrip(" \t").rstrip("#")))
        elif (i + 1 < len(lines) and line.strip() and len(lines[i + 1]) < 1000
              and _UNDERLINE_RE.fullmatch(lines[i + 1])):
            keys.add(heading_key(line.lstrip(" \t>")))
    return keys


@dataclass
class BookIds:
    """Identifiers used so far in the book, and the first heading of each reference key.

    ``defer``: references to headings not seen yet stay pending for the book-level pass
    (a whole book); without it (one chapter alone) they are undone at once."""


    used: set[str] = field(default_factory=set)
    headings: dict[str, str] = field(default_factory=dict)  # heading key -> its id
    defer: bool = False
    # keys of the lines of the book's chapters that may be headings (heading_candidates);
    # None: take them from each chapter's own text
    candidates: set[str] | None = None

    def unique(self, text: str) -> str:
        """Pandoc's ``uniqueIdent``: the identifier of ``text``, or with the first free
        ``-N`` suffix; recorded as used. The EPUB's page-break markers' ids count as used."""
        base = identifier(text) or "section"
        ident, n = base, 0
        while ident in self.used or _PAGE_MARKER_RE.match(ident):
            n += 1
            ident = f"{base}-{n}"
        self.used.add(ident)
        return ident

    def heading(self, key: str | None, ident: str) -> None:
        """Record a heading for implicit references: the first one with a key wins."""
        if key:
            self.headings.setdefault(key, ident)
