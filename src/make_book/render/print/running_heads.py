"""Running heads that fit on one line.

A running head is the chapter's title (or its ``short-title:``) set in the page's top
margin box. A long title ("XIX: How, though the Sphere showed me other mysteries of
Spaceland, I still desired more; and what came of it") wraps there onto two or more
lines, which no printer accepts. The layout's CSS decides the head's font, size and
spacing, so the only faithful measure is WeasyPrint's own layout of the margin box: the
renderer reads the lines it set (:func:`wrapped_heads`), cuts the head after the words of
its first line (:func:`shortened`), and lays the chapter out again. The print QA reports
each head so shortened (the editor may choose better words with ``short-title:``) and any
head that still runs over a line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from weasyprint.formatting_structure import boxes as wp_boxes

ELLIPSIS = "\u2026"
MAX_CUTS = 3  # words dropped one at a time when the ellipsis itself does not fit
# a clause break this far into the first line is a better end than the last word that fits
CLAUSE_SHARE = 0.5
_CLAUSE = re.compile(r"[,;:\u2014\u2013]\s")
_TRAILING = re.compile(r"[\s,;:.\u2014\u2013\-]+$")


@dataclass(frozen=True)
class Head:
    """A margin box whose text runs over one line."""

    page: int  # index of the page in the laid-out pages
    box: str  # the margin box: "@top-center"...
    side: str  # "left" (verso) or "right" (recto)
    lines: tuple[str, ...]  # the lines WeasyPrint set

    @property
    def text(self) -> str:
        return " ".join(line.strip() for line in self.lines)


def _lines(box) -> list[str]:
    out, stack = [], [box]
    while stack:
        b = stack.pop()
        if isinstance(b, wp_boxes.LineBox):
            out.append("".join(t.text for t in b.descendants()
                               if isinstance(t, wp_boxes.TextBox)))
            continue
        stack.extend(reversed(getattr(b, "children", None) or ()))
    return [line for line in out if line.strip()]


def page_side(page_box) -> str:
    """"left" (a verso) or "right" (a recto), as WeasyPrint placed the page."""
    return getattr(getattr(page_box, "page_type", None), "side", None) or "right"


def page_heads(index: int, page_box) -> list[Head]:
    """The margin boxes of one page that WeasyPrint set on more than one line."""
    side = page_side(page_box)
    out = []
    for box in page_box.children:
        if isinstance(box, wp_boxes.MarginBox):
            lines = _lines(box)
            if len(lines) > 1:
                out.append(Head(index, box.at_keyword, side, tuple(lines)))
    return out


def wrapped_heads(pages) -> list[Head]:
    """Every margin box of ``pages`` (WeasyPrint pages) set on more than one line."""
    return [h for i, page in enumerate(pages) for h in page_heads(i, page._page_box)]


def recto_head(pages) -> Head | None:
    """The first right-hand page's running head that wraps: a chapter's head (a verso
    carries the book's)."""
    return next((h for h in wrapped_heads(pages) if h.side == "right"), None)


def shortened(first_line: str, cuts: int = 1) -> str | None:
    """The head cut to fit: the words of its ``first_line`` (what fitted), ending at a
    clause break in its second half if there is one, else without its last ``cuts``
    words, then an ellipsis. None when no word would be left."""
    line = first_line.strip()
    breaks = [m.start() for m in _CLAUSE.finditer(line)
              if m.start() >= CLAUSE_SHARE * len(line)]
    if breaks and cuts == 1:
        kept = line[:breaks[-1]]
    else:
        words = line.split()
        if len(words) <= cuts:
            return None
        kept = " ".join(words[:-cuts])
    kept = _TRAILING.sub("", kept)
    return kept + ELLIPSIS if kept else None
