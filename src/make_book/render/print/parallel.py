"""Laying out the book's pieces in a pool of worker processes (``--jobs N``, issue 15).

Each piece (title pages, contents, a part title, a chapter with its footnote and float
repairs, the index) is laid out by a :class:`.piece_worker.PieceWorker`, from its inputs
alone (a :class:`.piece_worker.PieceTask`), and comes back as a
:class:`.piece_worker.PieceOutcome`. This module only runs them: here for one job, else in
forked workers, handing out each piece's first folio as the lengths come in (:class:`Folios`).

A piece is laid out before the pieces ahead of it have their lengths (else nothing would
run side by side): with a provisional first folio, then renumbered (:mod:`weasy_folios`)
when the pieces before it have told their lengths, which they do as soon as they are laid
out, before they write. Workers take pieces in book order, so the first piece still
waiting always has its folio on the way: nothing waits in a circle.

The same code runs in the process itself for ``--jobs 1``, one piece after another, so the
PDF is the same bytes whatever ``--jobs`` is. Pieces whose folio moved (a piece before
them changed length) or whose printed page numbers went stale are laid out again in a
further round (:func:`.settle.in_workers`), as the one-process renderer does in its
passes.

Workers are forked from the build (Linux): they inherit the book, its layout and the
WeasyPrint patches in force, and make their worker with the function they are given.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from concurrent.futures import ProcessPoolExecutor, as_completed
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass

from make_book.errors import MakeBookError
from make_book.machine import start_worker
from make_book.render.print.piece_worker import (
    PROVISIONAL_FOLIO,
    PieceOutcome,
    PieceTask,
    PieceWorker,
)

UNKNOWN = -1


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


def _start_worker(build_pid: int) -> None:
    start_worker(build_pid)  # Ctrl-C is the build's; a killed build takes its workers
    _FORKED["worker"] = _FORKED["make_worker"]()


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

    def __init__(self, make_worker, roman):
        self.worker: PieceWorker = make_worker()
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

    def __init__(self, make_worker, roman, jobs: int):
        ctx = multiprocessing.get_context("fork")
        self.roman = roman
        self.folios = ctx.Array("i", [UNKNOWN] * len(roman), lock=False)
        self.ready = ctx.Condition()
        self.lengths = ctx.SimpleQueue()
        _FORKED.update(make_worker=make_worker, folios=self.folios, ready=self.ready,
                       lengths=self.lengths)
        self.executor = ProcessPoolExecutor(jobs, mp_context=ctx, initializer=_start_worker,
                                            initargs=(os.getpid(),))
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
def pool(make_worker, roman: list[bool], jobs: int):
    """The runner of pieces: in this process for one job, else a pool of ``jobs`` forked
    processes; ``make_worker`` makes the :class:`PieceWorker` each holds."""
    runner = InProcess(make_worker, roman) if jobs <= 1 else Pool(make_worker, roman, jobs)
    with ExitStack() as stack:
        stack.callback(runner.close)
        yield runner


__all__ = ["Folios", "pool"]
