"""Parsed chapter files kept in memory by content, so an edit re-parses only its file.

Parsing (Markdown, sanitising) is about three quarters of a book's load time: Karamazov
(97 chapters) loaded in 10.6 s anew and in 2.5 s with every parse kept, on a busy machine
here. The preview therefore loads the whole book on every change, but through this cache:
a file whose bytes, path and book-wide heading names are unchanged is not parsed again,
and the diagnostics its parse gave are given again.
"""

from __future__ import annotations

import copy
import hashlib
from dataclasses import dataclass, replace
from pathlib import Path

from make_book import plain_files
from make_book.cache import Cache
from make_book.errors import Diagnostic, Diagnostics
from make_book.manuscript.chapter import MAX_CHAPTER_BYTES, ParsedFile, parse_file


@dataclass(frozen=True)
class _Entry:
    parsed: ParsedFile | None
    diagnostics: tuple[Diagnostic, ...]


def _digest(path: Path) -> str | None:
    try:  # bounded, and a FIFO in a chapter's place is refused, not read forever
        return hashlib.sha256(plain_files.read_bytes(path, MAX_CHAPTER_BYTES)).hexdigest()
    except OSError:
        return None  # parse_file reports it


class ParseCache:
    """A stand-in for :func:`parse_file` (``load_book(parser=...)``)."""

    def __init__(self) -> None:
        self.entries: dict[tuple, _Entry] = {}
        self.parsed: list[str] = []  # the files parsed (not found here) since last asked

    def __call__(self, path: Path, rel: str, diagnostics: Diagnostics,
                 candidates: set[str] | None = None,
                 cache: Cache | None = None) -> ParsedFile | None:
        digest = _digest(path)
        key = (rel, digest, frozenset(candidates) if candidates is not None else None)
        entry = self.entries.get(key) if digest is not None else None
        if entry is None:
            found = Diagnostics()
            entry = _Entry(parse_file(path, rel, found, candidates, cache), tuple(found))
            self.parsed.append(rel)
            if digest is not None and _digest(path) == digest:  # not saved mid-parse
                self._keep(rel, key, entry)
        diagnostics.extend(entry.diagnostics)
        if entry.parsed is None:
            return None
        # the structure stage copies the blocks it uses; a copy here keeps the cached
        # tree safe from any stage that one day edits it in place
        return replace(entry.parsed, section=copy.deepcopy(entry.parsed.section))

    def _keep(self, rel: str, key: tuple, entry: _Entry) -> None:
        """One entry per file: an editor saving a file a hundred times keeps one parse."""
        for old in [k for k in self.entries if k[0] == rel]:
            del self.entries[old]
        self.entries[key] = entry

    def take_parsed(self) -> list[str]:
        """The files parsed since the last call (the others came from memory)."""
        parsed, self.parsed = self.parsed, []
        return parsed
