"""What laying out the print edition produces and carries between its steps: the repairs
made so far (:class:`Fixes`), the pieces of the book (:class:`Piece`) and one layout of
each (:class:`PieceLayout`), the laid-out pages
and their facts (:class:`LaidOut`) and the renderer's result (:class:`PrintResult`). Plain
data kept apart from the renderer, so the checks on the laid-out book (:mod:`.checks`) and
the piece cache's tests use it without the renderer."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

import weasyprint

from make_book.model import Chapter
from make_book.render.print import html as pdf_html
from make_book.render.print import join as pdf_join
from make_book.render.print import qa as print_qa
from make_book.render.print.note_splits import NoteSplit
from make_book.render.print.geometry import Geometry
from make_book.render.print.pages import PageBreak, PageFacts
from make_book.render.print.qa_pages import PageText
from make_book.transforms.folios import PageMap


@dataclass(frozen=True)
class Fixes:
    """What the renderer changed to keep footnotes on their call's page: notes moved to
    their chapter's end, and blocks that start a new page (``file_id:k`` marks); and
    figures set after a later block so as not to leave a page short (``floats``:
    (figure mark, mark of the block it follows), :mod:`pdf_floats`)."""

    endnotes: frozenset[str] = frozenset()
    breaks: frozenset[str] = frozenset()
    splits: tuple[NoteSplit, ...] = ()  # notes continued on the next page (note_plan)
    floats: tuple[tuple[str, str], ...] = ()  # (figure mark, block it follows: pdf_floats)

    def __or__(self, other: Fixes) -> Fixes:
        splits = {s.note_id: s for s in (*self.splits, *other.splits)}
        return Fixes(self.endnotes | other.endnotes, self.breaks | other.breaks,
                     tuple(splits.values()),
                     tuple({**dict(self.floats), **dict(other.floats)}.items()))

    def split(self, note_id: str) -> NoteSplit | None:
        return next((s for s in self.splits if s.note_id == note_id), None)


@dataclass(frozen=True)
class Piece:
    """A part of the book laid out as a WeasyPrint document of its own: the pages before
    the contents, the contents, a chapter, a part title, the index (:mod:`.plan`). Only
    what it is: where and how it was laid out is a :class:`PieceLayout`."""

    kind: str  # opening | contents | chapter | part | index
    key: str  # the chapter's file_id, the part's id, or the kind
    roman: bool  # numbered in lower-case roman (front matter)
    chapter: Chapter | None = None
    targets: frozenset[str] = frozenset()  # anchors whose folio it prints


@dataclass(frozen=True)
class PieceLayout:
    """One layout of a piece (:func:`.piece_layout.lay_out_piece`): its pages, the
    documents that keep them alive (the pages use their fonts), its log records, the folio
    it was numbered from, the folios it printed, and the repairs as they stand after it."""

    pages: list
    documents: list
    records: list
    folio: int
    printed: dict[str, str]  # anchor -> folio it printed
    repairs: object  # repairs.Repairs: the book's repairs once this piece was laid out
    layouts: int = 1  # WeasyPrint layouts it took (its repairs included)
    restarts: tuple = ()  # (page, block) each repair laid the chapter out again from

    def stale(self, folio: int, page_map: PageMap) -> bool:
        """Whether the piece must be laid out again: its folio moved, or a page number it
        prints did."""
        return self.folio != folio or any(page_map.folio_of(a) != f
                                          for a, f in self.printed.items())


@dataclass
class LaidOut:
    """The book's pages (the pieces' pages joined into one WeasyPrint document) and the
    facts read from them."""

    document: weasyprint.Document
    source: pdf_html.PrintDocument  # the whole book's HTML (for its ids and note calls)
    geometry: Geometry
    records: list[logging.LogRecord]
    facts: PageFacts
    documents: list[weasyprint.Document] = field(default_factory=list)  # kept alive
    text: PageText | None = None  # what the print QA measured in the same walk
    # laid out in worker processes (pdf_parallel): ``document`` only lists the pages'
    # anchors; the pieces' PDFs are joined instead of written
    pieces: list[pdf_join.PiecePdf] | None = None
    written: list[logging.LogRecord] = field(default_factory=list)  # writing the pieces

    @property
    def body_start(self) -> int | None:
        return self.facts.body_start

    @property
    def note_pages(self) -> dict[str, int]:
        return self.facts.note_pages

    @property
    def call_pages(self) -> dict[str, int]:
        return self.facts.call_pages

    @property
    def overflowing(self) -> list[str]:
        return self.facts.overflowing


@dataclass
class PrintResult:
    pdf: bytes
    laid_out: LaidOut
    layouts: int  # passes over the whole book (two when the gutter had to widen)
    endnote_ids: frozenset[str] = frozenset()
    page_breaks: tuple[PageBreak, ...] = ()  # for the EPUB's page-list
    pieces: int = 0  # WeasyPrint layouts of pieces (chapters, repairs, contents...)
    break_marks: frozenset[str] = frozenset()  # blocks moved to a new page for a note
    qa: list[print_qa.Finding] = field(default_factory=list)  # the print QA's findings
    editions: dict[str, bytes] = field(default_factory=dict)  # format -> PDF (pdf_edition)

    @property
    def document(self) -> weasyprint.Document:
        return self.laid_out.document

    @property
    def page_map(self) -> PageMap:
        """Where every anchor is printed (for the EPUB's index)."""
        return PageMap(dict(self.laid_out.facts.anchors), self.laid_out.body_start)

    @property
    def geometry(self) -> Geometry:
        return self.laid_out.geometry


class WorkerPages:
    """What a book laid out in workers keeps of its pages here: their anchors (for the
    checks that ask whose page it is) and their number."""

    def __init__(self, anchors: list[list[str]]):
        self.pages = [WorkerPage(names) for names in anchors]


class WorkerPage:
    def __init__(self, names: list[str]):
        self.anchors = dict.fromkeys(names)
