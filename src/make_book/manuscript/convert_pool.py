"""Chapters' Markdown converted ahead in forked worker processes (``--jobs``).

Python-Markdown's conversion is most of a cold EPUB build, and each chapter's is
independent of the others. A worker reads a chapter file as the loader does, converts it
(:func:`.conversion.convert_body`) and sends back what the build cache keeps: the
sanitised section as XML, and its diagnostics. The loader still reads every file itself,
in order, and takes a worker's result only for exactly the text, start line and heading
keys it found; any other case is converted in the loader. So the book, its diagnostics
and their order are those of a serial load, whatever the number of workers.

The pool starts at the second chapter that is not in the build cache, with the files from
there on (a warm build, or one with a single chapter edited, forks nothing; the first is
converted in the loader); a worker skips a file the cache holds.
"""

from __future__ import annotations

import contextlib
import gc
import os
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from pathlib import Path
from typing import TYPE_CHECKING

from make_book.cache import Cache
from make_book.config.load import load_chapter_meta
from make_book.errors import Diagnostic, Diagnostics
from make_book.machine import start_worker
from make_book.manuscript import parse_cache
from make_book.manuscript.source_text import LineFinder, read_text
from make_book.manuscript.conversion import Conversion, Converter, convert_body
from make_book.markup.identifiers import heading_candidates

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

# what a forked worker inherits: the book's heading candidates and the cache
_FORKED: dict = {}
# body, first line, the section's XML (None: refused), the diagnostics
Result = tuple[str, int, bytes | None, list[Diagnostic]]


def _convert_ahead(path: Path) -> Result | None:
    """None: nothing to send (unreadable, in the cache, or failed: the loader does it)."""
    candidates, cache = _FORKED["candidates"], _FORKED["cache"]
    try:
        text = read_text(path, Diagnostics())
        if text is None:
            return None
        meta, body, first_line, _ = load_chapter_meta(text, path)
        if meta is None or (cache is not None and cache.has(
                parse_cache.NAMESPACE, parse_cache.parse_key(body, first_line, candidates))):
            return None
        keys = candidates if candidates is not None else heading_candidates(body)
        done = convert_body(body, first_line, keys, path, LineFinder(body, first_line))
        xml = None if done.section is None else parse_cache.to_xml(done.section)
    except Exception:  # noqa: BLE001 the loader converts it again, and reports what fails
        return None
    return body, first_line, xml, done.diagnostics


class ConvertPool:
    """A :data:`Converter` answering from the workers' results, made ahead in file order.
    A worker that dies (a crash, the memory killer) fails its file and the ones not yet
    done: the loader converts them itself."""

    def __init__(self, paths: list[Path], candidates: set[str] | None, cache: Cache | None,
                 jobs: int) -> None:
        self.paths = paths
        self.candidates = candidates
        self.cache = cache
        self.jobs = jobs
        self.executor: ProcessPoolExecutor | None = None
        self.futures: dict[Path, Future] = {}
        self.used = 0  # conversions taken from the workers
        self.misses = 0  # chapters converted here before the pool started

    def __call__(self, body: str, first_line: int, keys: set[str] | None, path: Path,
                 line_of: Callable[[str], int | None]) -> Conversion:
        if self.executor is None and not self.misses:  # one edited chapter: no fork
            self.misses += 1
            return convert_body(body, first_line, keys, path, line_of)
        found = self._result(path)
        if (found is not None and found[0] == body and found[1] == first_line
                and (self.candidates is None or keys == self.candidates)):
            _, _, xml, diagnostics = found
            self.used += 1
            return Conversion(None if xml is None else parse_cache.from_xml(xml), diagnostics)
        return convert_body(body, first_line, keys, path, line_of)

    def _result(self, path: Path) -> Result | None:
        if self.executor is None:
            self._start(path)
        future = self.futures.pop(path, None)
        if future is None:
            return None
        try:
            return future.result()
        except Exception:  # noqa: BLE001 a worker died (BrokenProcessPool): converted here
            return None

    def _start(self, path: Path) -> None:
        # imported here: multiprocessing costs every build ~20 ms, and a warm one forks none
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        ahead = self.paths[self.paths.index(path):] if path in self.paths else []
        _FORKED.update(candidates=self.candidates, cache=self.cache)
        gc.freeze()  # the workers share the loader's objects: no copy for a collection
        self.executor = ProcessPoolExecutor(min(self.jobs, len(ahead)) or 1,
                                            mp_context=multiprocessing.get_context("fork"),
                                            initializer=start_worker, initargs=(os.getpid(),))
        self.futures = {p: self.executor.submit(_convert_ahead, p) for p in ahead}

    def close(self) -> None:
        if self.executor is not None:
            self.executor.shutdown(wait=True, cancel_futures=True)
            gc.unfreeze()
        _FORKED.clear()


@contextlib.contextmanager
def converter(paths: list[Path], candidates: set[str] | None, cache: Cache | None,
              jobs: int) -> Iterator[Converter | None]:
    """The pool's converter for ``paths`` (the chapter files in reading order); None (the
    loader converts each file itself) for one job or one file."""
    if jobs <= 1 or len(paths) <= 1:
        yield None
        return
    pool = ConvertPool(paths, candidates, cache, jobs)
    try:
        yield pool
    finally:
        pool.close()
