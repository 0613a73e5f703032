"""The preview's chapter parses, through the build's own content-addressed cache.

Parsing (Markdown, sanitising) is about three quarters of a book's load time, so the
preview loads the whole book on every change but keeps each file's parse: a file whose
Markdown, first line and the heading names it may refer to are unchanged is not
converted again, and its diagnostics are given again. That is the job of the build's
parse cache (:mod:`make_book.manuscript.parse_cache` in :class:`make_book.cache.Cache`),
so the preview uses it, in a folder of the session's own removed when it stops, rather
than a second, in-memory cache of its own: Karamazov (97 chapters) loaded in 7.9 s
anew, in 2.7 s through the build's cache and in 2.4 s through the in-memory one this
replaced (one measurement each, on a busy machine), and one key rule serves both.

What it adds is a note of the files parsed (cache misses) since last asked: their
chapters' print pages are laid out again.
"""

from __future__ import annotations

import shutil
import tempfile
import weakref
from pathlib import Path

from make_book.cache import Cache
from make_book.errors import Diagnostics
from make_book.manuscript.conversion import Converter
from make_book.manuscript.parsed_file import ParsedFile, parse_file


class ParseCache:
    """A stand-in for :func:`parse_file` (``load_book(parser=...)``)."""

    def __init__(self, folder: Path | None = None) -> None:
        """``folder``: where the entries go; None: a temporary folder, removed by
        :meth:`close`, else when the cache is dropped or Python exits."""
        if folder is None:
            folder = Path(tempfile.mkdtemp(prefix="make-book-preview-"))
            self._remove = weakref.finalize(self, shutil.rmtree, folder, ignore_errors=True)
        else:
            self._remove = None
        self.folder = folder
        self.cache = Cache(folder)
        self.parsed: list[str] = []  # the files parsed (not found in the cache) since asked

    def __call__(self, path: Path, rel: str, diagnostics: Diagnostics,
                 candidates: set[str] | None = None,
                 cache: Cache | None = None,
                 converter: Converter | None = None) -> ParsedFile | None:
        hits = self.cache.hits
        parsed = parse_file(path, rel, diagnostics, candidates, self.cache, converter)
        if self.cache.hits == hits:
            self.parsed.append(rel)
        return parsed

    def take_parsed(self) -> list[str]:
        """The files parsed since the last call (the others came from the cache)."""
        parsed, self.parsed = self.parsed, []
        return parsed

    def close(self) -> None:
        if self._remove is not None:
            self._remove()
