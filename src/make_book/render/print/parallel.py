"""Laying out the book's pieces in a pool of worker processes (``--jobs N``, issue 15).

Each piece (title pages, contents, a part title, a chapter with its footnote and float
repairs, the index) is laid out by :meth:`PieceWorker.run`, a function of its inputs: the
piece, the fixes and running heads the book has so far, and the page map it prints numbers
from. It returns what crosses a process: the piece written as a PDF of its own
(:mod:`pdf_join`), the facts of its pages (:mod:`piece_facts`), its log records and
diagnostics, and what its repairs changed.

A piece is laid out before the pieces ahead of it have their lengths (else nothing would
run side by side): with a provisional first folio, then renumbered (:mod:`weasy_folios`)
when the pieces before it have told their lengths, which they do as soon as they are laid
out, before they write. Workers take pieces in book order, so the first piece still
waiting always has its folio on the way: nothing waits in a circle.

The same code runs in the process itself for ``--jobs 1``, one piece after another, so the
PDF is the same bytes whatever ``--jobs`` is. Pieces whose folio moved (a piece before
them changed length) or whose printed page numbers went stale are laid out again in a
further round, as the one-process renderer does in its passes.

Workers are forked from the build (Linux): they inherit the book, its layout and the
WeasyPrint patches in force, and build their own fonts and stylesheets.
"""

from __future__ import annotations

import logging
import multiprocessing
import re
import threading
from concurrent.futures import ProcessPoolExecutor, as_completed
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field, replace

from pathlib import Path

from make_book.cache import content_key
from make_book.errors import Diagnostic, Diagnostics, MakeBookError
from make_book.render.print import hyphenator
from make_book.render import page_index as pdf_index
from make_book.render.print import join as pdf_join
from make_book.render.print import piece_cache
from make_book.render.print import piece_facts
from make_book.render.print.pages import inspect_pages
from make_book.render.print.qa_pages import PageText
from make_book.render.weasy import folios as weasy_folios
from make_book.render.weasy.log import captured_weasyprint_log

_TAG = re.compile(r"<[^>]*>")  # as hyphenator reads words
_WORD = re.compile(r"[^\W\d_]+")
PROVISIONAL_FOLIO = 1  # what every piece is laid out with, before it is renumbered
UNKNOWN = -1


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
    """A renderer of its own laying out one piece at a time (in a worker process, or in
    the build's own for ``--jobs 1``)."""

    def __init__(self, make_renderer, geometry, plan_fixes, cache=None):
        self.renderer = make_renderer()
        self.renderer.jobs = 1  # a piece of a book laid out in pieces (the index's marks
        # are checked by the build, against the whole book's pages)
        self.renderer.cut_heads = False  # on the real folios only (_renumbered)
        self.renderer.fixes = plan_fixes
        self.renderer._prepare(geometry)
        self.pieces = self.renderer._pieces()
        self.cache = cache
        self.book_inputs = self._book_inputs(geometry, plan_fixes) if cache else ""
        self.common = (hyphenator.common_words(c.body.text(" ")
                                               for c in self.renderer.book.chapters)
                       if cache else frozenset())

    def _book_inputs(self, geometry, plan_fixes) -> str:
        """What every piece's layout reads of the book and the layout (piece_cache)."""
        r = self.renderer
        plan = r.plan
        return content_key(
            str(Path(r.book.root).resolve()), piece_cache.layout_digest(r.layout),
            repr(r.layout), repr(geometry),
            piece_cache.stable({f: getattr(plan_fixes, f) for f in ("endnotes", "breaks",
                                                                    "splits", "floats")}),
            repr(sorted(r._hyphenation_words().points.items())),
            repr((plan.first_body_id, plan.chapter_ids, plan.note_calls, plan.page_names)))

    def _base_key(self, piece, task: PieceTask, page_map) -> str:
        r = self.renderer
        source = r._piece_source(piece, PROVISIONAL_FOLIO, page_map)
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
        capitalised = {w.lower() for w in _WORD.findall(_TAG.sub(" ", source.html))
                       if w[1:].islower() and w[0].isupper()}
        state["names"] = sorted(capitalised & self.common)
        return piece_cache.base_key(book_inputs=self.book_inputs,
                                    piece=f"{piece.kind}:{piece.key}", html=source.html,
                                    printed=printed, state=state)

    def _renumbered(self, piece, task: PieceTask, folio: int, page_map) -> list:
        """The piece's pages with their real folios. The folio shares the line with the
        running head, so a head that runs over is cut only now, on the real folios, as
        the one-process renderer cuts it, and the chapter laid out again (its text does
        not move)."""
        r = self.renderer
        while True:
            pages = (piece.pages if folio == PROVISIONAL_FOLIO
                     else weasy_folios.renumbered(piece.pages, folio - PROVISIONAL_FOLIO))
            if piece.chapter is None or not r._cut_head(piece.chapter, pages):
                return pages
            with weasy_folios.keep_layout_context():
                r._lay_out_piece(piece, 0, PROVISIONAL_FOLIO, page_map)

    def run(self, task: PieceTask, folio_for) -> PieceOutcome:
        r = self.renderer
        found = Diagnostics()
        r.diagnostics = found
        r.fetcher.diagnostics = found
        r.fixes = task.fixes
        r.heads, r.head_cuts = dict(task.heads), dict(task.head_cuts)
        r.float_moves = dict(task.float_moves)
        r.unsplittable, r.displaced_moves = {}, set()
        r.reported_marks = set()
        r.piece_layouts = 0
        piece = self.pieces[task.index]
        page_map = pdf_index.PageMap(task.anchors, task.body_start)
        base = folio = None
        if self.cache is not None:
            base = self._base_key(piece, task, page_map)
            length = piece_cache.get_length(self.cache, base)
            if length is not None:  # its length is known before its folio (piece_cache)
                folio = folio_for(task.index, length)
                kept = piece_cache.get(self.cache, base, folio, PieceOutcome, type(task.fixes))
                if kept is not None and kept.length == length:
                    kept.index, kept.layouts = task.index, 0  # laid out by an earlier build
                    return kept
        with weasy_folios.keep_layout_context():
            r._lay_out_piece(piece, 0, PROVISIONAL_FOLIO, page_map)
        if folio is None:
            folio = folio_for(task.index, len(piece.pages))
        pages = self._renumbered(piece, task, folio, page_map)
        source = replace(r.plan, note_calls=r._footnote_calls(r.plan.note_calls))
        text = PageText()
        facts = inspect_pages(pages, source, text)
        with captured_weasyprint_log() as written:
            pdf = pdf_join.piece_pdf(piece.documents[0], pages)
        outcome = PieceOutcome(
            task.index, folio, pdf, piece_facts.portable(facts, text, pages),
            _plain(piece.records), _plain(written), list(found), _new_fixes(task.fixes, r.fixes),
            _changed(task.heads, r.heads), _changed(task.head_cuts, r.head_cuts),
            _changed(task.float_moves, r.float_moves), r.unsplittable, r.displaced_moves,
            r.piece_layouts, dict(piece.printed))
        piece.pages, piece.documents, piece.records = [], [], []  # free the boxes
        if base is not None:
            piece_cache.put(self.cache, base, outcome)
        return outcome


# ------------------------------------------------------------------------ the folios

class Folios:
    """Each piece's first folio, known once every piece before it has its length."""

    def __init__(self, roman: list[bool], lengths: dict[int, int]):
        self.roman = roman
        self.lengths = dict(lengths)

    def folio(self, index: int) -> int | None:
        start, body_start = 0, None
        for i in range(index + 1):
            start += start % 2
            if not self.roman[i] and body_start is None:
                body_start = start
            if i == index:
                return start + 1 if self.roman[i] else start - body_start + 1
            if i not in self.lengths:
                return None
            start += self.lengths[i]
        return None


# ------------------------------------------------------------------------- the pools

_FORKED: dict = {}  # what a forked worker inherits: how to make its PieceWorker, channels


def _start_worker() -> None:
    state = _FORKED
    state["worker"] = PieceWorker(state["make_renderer"], state["geometry"],
                                  state["plan_fixes"], state["cache"])


def _wait_folio(index: int, length: int) -> int:
    state = _FORKED
    state["lengths"].put((index, length))
    folios, ready = state["folios"], state["ready"]
    with ready:
        ready.wait_for(lambda: folios[index] != UNKNOWN)
        return folios[index]


@dataclass(frozen=True)
class Failed:
    """A piece that stopped the build (its diagnostics), sent back as a value: an
    exception crossing processes keeps only its message."""

    diagnostics: list


def _run_forked(task: PieceTask) -> PieceOutcome | Failed:
    try:
        return _FORKED["worker"].run(task, _wait_folio)
    except MakeBookError as exc:  # reported by the build, as in one process
        _FORKED["lengths"].put((task.index, None))
        return Failed(list(exc.diagnostics))
    except BaseException:
        _FORKED["lengths"].put((task.index, None))
        raise


class InProcess:
    """``--jobs 1``: the pieces one after another, in this process."""

    def __init__(self, make_renderer, geometry, plan_fixes, roman, cache=None):
        self.worker = PieceWorker(make_renderer, geometry, plan_fixes, cache)
        self.roman = roman

    def run(self, tasks: list[PieceTask], lengths: dict[int, int],
            done=None) -> list[PieceOutcome]:
        folios = Folios(self.roman, lengths)
        out = []
        for task in tasks:
            folios.lengths.pop(task.index, None)

            def folio_for(index, length, folios=folios):
                folios.lengths[index] = length
                return folios.folio(index)
            out.append(self.worker.run(task, folio_for))
            if done is not None:
                done(out[-1])
        return out

    def close(self) -> None:
        pass


class Pool:
    """``--jobs N``: forked workers; a thread hands out folios as lengths come in."""

    def __init__(self, make_renderer, geometry, plan_fixes, roman, jobs: int, cache=None):
        ctx = multiprocessing.get_context("fork")
        self.roman = roman
        self.folios = ctx.Array("i", [UNKNOWN] * len(roman), lock=False)
        self.ready = ctx.Condition()
        self.lengths = ctx.SimpleQueue()
        _FORKED.update(make_renderer=make_renderer, geometry=geometry,
                       plan_fixes=plan_fixes, cache=cache, folios=self.folios,
                       ready=self.ready,
                       lengths=self.lengths)
        self.executor = ProcessPoolExecutor(jobs, mp_context=ctx, initializer=_start_worker)
        # a forking executor starts all its workers at its first task: start them now,
        # before the thread that hands out folios runs (a fork copies a lock another
        # thread holds as held for ever)
        self.executor.submit(int).result()

    def run(self, tasks: list[PieceTask], lengths: dict[int, int],
            done=None) -> list[PieceOutcome]:
        """The tasks' outcomes in the tasks' order; ``done`` hears of each as it comes
        (for progress only: the build takes them in order, whatever finished first)."""
        folios = Folios(self.roman, lengths)
        waiting = {t.index for t in tasks}
        for index in waiting:
            folios.lengths.pop(index, None)
        with self.ready:
            for i in range(len(self.roman)):
                self.folios[i] = UNKNOWN
        stop = threading.Event()

        def hand_out():
            while waiting and not stop.is_set():
                index, length = self.lengths.get()
                if index is None:
                    return
                waiting.discard(index)
                if length is None:  # the piece failed: release the rest
                    with self.ready:
                        for i in range(len(self.roman)):
                            if self.folios[i] == UNKNOWN:
                                self.folios[i] = PROVISIONAL_FOLIO
                        self.ready.notify_all()
                    continue
                folios.lengths[index] = length
                with self.ready:
                    for t in tasks:
                        if self.folios[t.index] == UNKNOWN:
                            value = folios.folio(t.index)
                            if value is not None:
                                self.folios[t.index] = value
                    self.ready.notify_all()

        thread = threading.Thread(target=hand_out, daemon=True)
        thread.start()
        futures = [self.executor.submit(_run_forked, task) for task in tasks]
        try:
            if done is not None:
                for future in as_completed(futures):
                    if isinstance(future.result(), PieceOutcome):
                        done(future.result())
            results = [f.result() for f in futures]
        finally:
            stop.set()
            if thread.is_alive():
                self.lengths.put((None, None))
            thread.join()
        failed = [d for r in results if isinstance(r, Failed) for d in r.diagnostics]
        if failed:
            raise MakeBookError(failed)
        return results

    def close(self) -> None:
        self.executor.shutdown()
        _FORKED.clear()


@contextmanager
def pool(make_renderer, geometry, plan_fixes, roman: list[bool], jobs: int, cache=None):
    """The runner of pieces: in this process for one job, else a pool; ``cache`` (a
    :class:`make_book.cache.Cache`) keeps laid-out pieces (:mod:`piece_cache`)."""
    runner = (InProcess(make_renderer, geometry, plan_fixes, roman, cache) if jobs <= 1
              else Pool(make_renderer, geometry, plan_fixes, roman, jobs, cache))
    with ExitStack() as stack:
        stack.callback(runner.close)
        yield runner


__all__ = ["Folios", "PieceOutcome", "PieceTask", "PieceWorker",
           "log_records", "pool"]
