"""What the print renderer is doing, as plain events for whoever shows progress.

Laying out a long book takes minutes: the renderer lays it out piece by piece (title
pages, contents, each part and chapter, the index), repairs a chapter in rounds (a
footnote pushed to the next page, a figure moved on), and goes over the book again while
page numbers move. These events say which piece is being laid out and how many pages the
book has so far, so the command line can show it; the renderer knows nothing of terminals
(``make_book.terminal.progress`` draws them).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class PassStarted:
    """A pass over the book begins: the first lays out every piece; a later one only the
    pieces whose page numbers or page references moved (``number`` counts every pass,
    including those after the inside margin was widened for a thicker book)."""
    number: int
    pieces: int


@dataclass(frozen=True)
class PieceStarted:
    """Piece ``index`` (1-based) of ``pieces`` is being laid out from page
    ``pages_before`` + 1; ``round`` is 1 for its first layout, then each repair round of
    a chapter (notes and figures settled one at a time) adds one."""
    index: int
    pieces: int
    kind: str  # opening, contents, part, chapter, index
    title: str  # the chapter's or part's title; else the kind's name
    pages_before: int
    round: int = 1


@dataclass(frozen=True)
class PieceDone:
    """Piece ``index`` is laid out; the book has ``pages`` pages up to its end."""
    index: int
    pieces: int
    kind: str
    title: str
    pages: int


@dataclass(frozen=True)
class Finishing:
    """The layout has settled at ``pages`` pages: checks, the QA report and the PDF file
    follow."""
    pages: int


PrintEvent = PassStarted | PieceStarted | PieceDone | Finishing
PrintProgress = Callable[[PrintEvent], None]
