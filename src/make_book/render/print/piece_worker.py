"""What a worker process holds, and what one piece's layout sends back across processes.

A :class:`PieceWorker` keeps the prepared source of every piece's layout
(:class:`.piece_layout.LayoutSource`), the book's pieces, and what the piece cache keys
read of the book; :meth:`PieceWorker.run` lays out one :class:`PieceTask` (the piece, the
book's repairs so far, the page map it prints numbers from) with the layout function the
renderer was given, and returns a :class:`PieceOutcome`: the piece written as a PDF of its
own (:mod:`.join`), the facts of its pages (:mod:`.piece_facts`), its log records and
diagnostics, and what its repairs changed."""

from __future__ import annotations

import copy
import logging
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from make_book.cache import content_key
from make_book.errors import Diagnostic, Diagnostics
from make_book.render.print import hyphenator
from make_book.render.print import join as pdf_join
from make_book.render.print import piece_cache
from make_book.render.print import piece_facts
from make_book.render.print.pages import inspect_pages
from make_book.render.print.piece_layout import (
    LayoutSource,
    hyphenation_words,
    piece_source,
)
from make_book.render.print.plan import pieces as plan_pieces
from make_book.render.print.qa_pages import PageText
from make_book.render.print.repairs import Repairs, cut_head, footnote_calls
from make_book.render.weasy import folios as weasy_folios
from make_book.render.weasy.log import captured_weasyprint_log
from make_book.transforms.folios import PageMap

_TAG = re.compile(r"<[^>]*>")  # as hyphenator reads words
_WORD = re.compile(r"[^\W\d_]+")
PROVISIONAL_FOLIO = 1  # what every piece is laid out with, before it is renumbered


@dataclass(frozen=True)
class PieceTask:
    """What one layout of a piece depends on, besides the book and its geometry."""

    index: int  # in the renderer's pieces
    anchors: dict  # the page map it prints numbers from: anchor -> page index
    body_start: int | None
    fixes: object  # results.Fixes
    heads: dict = field(default_factory=dict)  # file_id -> running head cut to fit
    head_cuts: dict = field(default_factory=dict)
    float_moves: dict = field(default_factory=dict)


@dataclass
class PieceOutcome:
    index: int
    folio: int
    pdf: pdf_join.PiecePdf
    facts: piece_facts.PieceFacts
    records: list[tuple[int, str]]  # (level, message) of its layouts
    written: list[tuple[int, str]]  # (level, message) of writing it
    diagnostics: list[Diagnostic]
    fixes: object  # what its repairs added to the book's fixes
    heads: dict  # the running heads it cut (file_id -> head)
    head_cuts: dict
    float_moves: dict
    unsplittable: dict
    displaced_moves: set
    layouts: int
    printed: dict

    @property
    def length(self) -> int:
        return len(self.pdf.pages)


def _plain(records) -> list[tuple[int, str]]:
    out = []
    for record in records:
        try:
            text = record.getMessage()
        except Exception:
            text = str(record.msg)
        out.append((record.levelno, text))
    return out


def log_records(rows) -> list[logging.LogRecord]:
    return [logging.makeLogRecord({"name": "weasyprint", "levelno": level,
                                   "levelname": logging.getLevelName(level), "msg": text})
            for level, text in rows]


def _changed(before: dict, after: dict) -> dict:
    """What a piece's layout changed in one of the book's tables: all the pieces of a round
    start from the same tables, so each gives back only its own changes."""
    return {k: v for k, v in after.items() if before.get(k, _changed) != v}


def _new_fixes(before, after):
    """The fixes a piece's repairs added or changed (a split note's next step replaces
    the step before it)."""
    old = set(before.splits)
    return type(after)(after.endnotes - before.endnotes, after.breaks - before.breaks,
                       tuple(s for s in after.splits if s not in old),
                       tuple(f for f in after.floats if f not in set(before.floats)))


class PieceWorker:
    """Lays out one piece at a time (in a worker process, or in the build's own for
    ``--jobs 1``) from a prepared source, with ``lay_out``
    (:func:`.piece_layout.lay_out_piece` or what the renderer was given)."""

    def __init__(self, source: LayoutSource, lay_out, cache=None):
        self.source = source
        self.lay_out = lay_out
        self.pieces = plan_pieces(source.book, source.plan)
        self.cache = cache
        self.book_inputs = self._book_inputs() if cache else ""
        self.common = hyphenator.book_common_words(source.book) if cache else frozenset()

    def _book_inputs(self) -> str:
        """What every piece's layout reads of the book and the layout (piece_cache)."""
        s = self.source
        plan, fixes = s.plan, s.plan_fixes
        return content_key(
            str(Path(s.book.root).resolve()), piece_cache.layout_digest(s.layout),
            repr(s.layout), repr(s.geometry),
            piece_cache.stable({f: getattr(fixes, f) for f in ("endnotes", "breaks",
                                                               "splits", "floats")}),
            repr(sorted(hyphenation_words(s.book).points.items())),
            repr((plan.first_body_id, plan.chapter_ids, plan.note_calls, plan.page_names)))

    def _base_key(self, source: LayoutSource, repairs: Repairs, piece, task: PieceTask,
                  page_map) -> str:
        html = piece_source(source, repairs, piece, PROVISIONAL_FOLIO, page_map).html
        chapter = piece.chapter
        state = {}
        if chapter is not None:
            notes = {n.id for n in chapter.notes}
            mine = f"{chapter.file_id}:"
            f = task.fixes
            state = {"head": task.heads.get(chapter.file_id),
                     "cuts": task.head_cuts.get(chapter.file_id, 0),
                     "floats": {k: v for k, v in task.float_moves.items()
                                if k.startswith(mine)},
                     "endnotes": sorted(n for n in f.endnotes if n in notes),
                     "breaks": sorted(b for b in f.breaks if b.startswith(mine)),
                     "splits": [s for s in f.splits if s.note_id in notes],
                     "placed": sorted(m for m, _ in f.floats if m.startswith(mine))}
        printed = {a: page_map.folio_of(a) for a in sorted(piece.targets)}
        # the hyphenation reads the book's lower-case words only for the piece's
        # capitalised ones (is it a name?): those answers, not the whole list, so that a new
        # word in one chapter does not lay out every other again
        capitalised = {w.lower() for w in _WORD.findall(_TAG.sub(" ", html))
                       if w[1:].islower() and w[0].isupper()}
        state["names"] = sorted(capitalised & self.common)
        return piece_cache.base_key(book_inputs=self.book_inputs,
                                    piece=f"{piece.kind}:{piece.key}", html=html,
                                    printed=printed, state=state)

    def _provisional(self, piece, source: LayoutSource, repairs: Repairs, page_map):
        with weasy_folios.keep_layout_context(margins=False):  # made when renumbered
            return self.lay_out(piece, source=source, repairs=repairs, start=0,
                                folio=PROVISIONAL_FOLIO, page_map=page_map, cut_heads=False)

    def _renumbered(self, piece, laid, source: LayoutSource, folio: int, page_map):
        """The piece's pages with their real folios, its last layout, and how many layouts
        it took. The folio shares the line with the running head, so a head that runs over
        is cut only now, on the real folios, as the one-process renderer cuts it, and the
        chapter laid out again (its text does not move)."""
        layouts = laid.layouts
        while True:
            # laid out without margin boxes: made here, with the real folios
            pages = weasy_folios.renumbered(laid.pages, folio - PROVISIONAL_FOLIO)
            cut = cut_head(laid.repairs, piece.chapter, pages) if piece.chapter else None
            if cut is None:
                return pages, laid, layouts
            laid = self._provisional(piece, source, cut, page_map)
            layouts += laid.layouts

    def run(self, task: PieceTask, folio_for) -> PieceOutcome:
        found = Diagnostics()  # the piece's own, sent back with its outcome
        fetcher = copy.copy(self.source.fetcher)
        fetcher.diagnostics = found
        source = replace(self.source, diagnostics=found, fetcher=fetcher)
        repairs = Repairs(task.fixes, dict(task.heads), dict(task.head_cuts),
                          dict(task.float_moves))
        piece = self.pieces[task.index]
        page_map = PageMap(task.anchors, task.body_start)
        base = folio = None
        if self.cache is not None:
            base = self._base_key(source, repairs, piece, task, page_map)
            length = piece_cache.get_length(self.cache, base)
            if length is not None:  # its length is known before its folio (piece_cache)
                folio = folio_for(task.index, length)
                kept = piece_cache.get(self.cache, base, folio, PieceOutcome, type(task.fixes))
                if kept is not None and kept.length == length:
                    kept.index, kept.layouts = task.index, 0  # laid out by an earlier build
                    return kept
        laid = self._provisional(piece, source, repairs, page_map)
        if folio is None:
            folio = folio_for(task.index, len(laid.pages))
        pages, laid, layouts = self._renumbered(piece, laid, source, folio, page_map)
        after = laid.repairs
        document = replace(source.plan, note_calls=footnote_calls(after.fixes,
                                                                  source.plan.note_calls))
        text = PageText()
        facts = inspect_pages(pages, document, text)
        with captured_weasyprint_log() as written:
            pdf = pdf_join.piece_pdf(laid.documents[0], pages)
        outcome = PieceOutcome(
            task.index, folio, pdf, piece_facts.portable(facts, text, pages),
            _plain(laid.records), _plain(written), list(found),
            _new_fixes(task.fixes, after.fixes), _changed(task.heads, after.heads),
            _changed(task.head_cuts, after.head_cuts),
            _changed(task.float_moves, after.float_moves), dict(after.unsplittable),
            set(after.displaced_moves), layouts, dict(laid.printed))
        del laid, pages  # free the boxes before the next piece
        if base is not None:
            piece_cache.put(self.cache, base, outcome)
        return outcome
