"""A content-addressed build cache: a result kept under a hash of everything it depends on.

Each stage that caches (a chapter's Markdown parse, the generated EPUB cover, later print
pieces) names its entries by :func:`content_key` over every input it reads: the source
bytes, the options, the layout files, and :func:`code_version` (make-book's version and its
source code, so a changed extension never serves an old parse). A rebuild then finds the
entries of what did not change, and its output is byte-identical to a cold build's.

The folder (``build/.cache/`` by default, ``--cache DIR`` for CI) may be removed at any
time. Entries are written to a temporary file beside their name and renamed in, and each
carries the hash of its payload: a build killed mid-write, a full disk or a truncated file
leaves an entry that is ignored (and rewritten), never one that is served torn. Payloads
are JSON and raw bytes, never pickles: a cache restored in CI must not be able to run code.

Codes: E060 the cache folder cannot be written (warning; the build goes on without it).
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Iterable
from functools import cache
from pathlib import Path

from make_book.errors import Diagnostic, Diagnostics, Severity

FORMAT = 1  # the layout of an entry file; a change makes every older entry a miss
MAGIC = b"make-book-cache\n"
DEFAULT_FOLDER = ".cache"  # inside the output folder: build/.cache/


def _part(value) -> bytes:
    if isinstance(value, bytes):
        return value
    if isinstance(value, str):
        return value.encode("utf-8")
    if isinstance(value, Path):
        return os.fsencode(value)
    return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str).encode("utf-8")


def content_key(*parts) -> str:
    """The hex SHA-256 of ``parts`` (bytes, str, paths or JSON-able values), each length
    prefixed so that no two different lists of parts give the same bytes."""
    digest = hashlib.sha256(b"make-book-cache-key\0%d\0" % FORMAT)
    for part in parts:
        data = _part(part)
        digest.update(b"%d\0" % len(data))
        digest.update(data)
    return digest.hexdigest()


@cache
def code_version() -> str:
    """make-book's version and the hash of its own source: a cached result is only ever
    read back by the code that made it (a development checkout changes without a new
    version number)."""
    from make_book import __version__
    package = Path(__file__).resolve().parent
    digest = hashlib.sha256(__version__.encode())
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()


@cache
def versions(*distributions: str) -> tuple[str, ...]:
    """``name=version`` of installed libraries whose output a cached result holds (a new
    Python-Markdown may parse the same text differently)."""
    from importlib.metadata import PackageNotFoundError, version
    out = []
    for name in distributions:
        try:
            out.append(f"{name}={version(name)}")
        except PackageNotFoundError:
            out.append(f"{name}=none")
    return tuple(out)


def file_digest(path: Path) -> str:
    """A file's content hash; the empty string for a file that cannot be read (its reader
    reports it)."""
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return ""


# --------------------------------------------------------------------------- diagnostics

def dump_diagnostics(diagnostics: Iterable[Diagnostic], path: Path | None) -> list | None:
    """Diagnostics at ``path`` as JSON-able rows without the path (a book moved to another
    folder keeps its entries); None when one of them is about another file, which the
    caller then does not cache."""
    rows = []
    for d in diagnostics:
        if d.path != path:
            return None
        rows.append([d.code, d.message, d.line, d.severity.value, d.hint])
    return rows


def load_diagnostics(rows: list, path: Path | None) -> list[Diagnostic]:
    return [Diagnostic(code, message, path, line, Severity(severity), hint)
            for code, message, line, severity, hint in rows]


# --------------------------------------------------------------------------- the folder

class Cache:
    """Entries in ``root/<namespace>/<key[:2]>/<key>``. A miss, a torn or foreign entry
    and an unreadable folder all read as None; a failed write is reported once (E060)."""

    def __init__(self, root: Path, diagnostics: Diagnostics | None = None):
        self.root = Path(root)
        self.diagnostics = diagnostics
        self.hits = 0
        self.misses = 0
        self._warned = False

    def _path(self, namespace: str, key: str) -> Path:
        return self.root / namespace / key[:2] / key

    def get(self, namespace: str, key: str) -> bytes | None:
        try:
            data = self._path(namespace, key).read_bytes()
        except OSError:
            self.misses += 1
            return None
        head, sep, payload = data[len(MAGIC):].partition(b"\n")
        if (not data.startswith(MAGIC) or not sep
                or head != hashlib.sha256(payload).hexdigest().encode()):
            self.misses += 1  # torn or damaged: rebuilt and rewritten
            return None
        self.hits += 1
        return payload

    def has(self, namespace: str, key: str) -> bool:
        """An entry is there (not read, so neither a hit nor a miss; it may be torn)."""
        return self._path(namespace, key).is_file()

    def put(self, namespace: str, key: str, payload: bytes) -> None:
        target = self._path(namespace, key)
        data = MAGIC + hashlib.sha256(payload).hexdigest().encode() + b"\n" + payload
        tmp = None
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{key[:16]}.", suffix=".tmp",
                                       dir=target.parent)
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.replace(tmp, target)
        except OSError as exc:
            if tmp is not None:
                try:
                    os.unlink(tmp)
                except OSError:
                    pass
            self._warn(exc)

    def _warn(self, exc: OSError) -> None:
        if self._warned or self.diagnostics is None:
            return
        self._warned = True
        self.diagnostics.warning("E060", f"the build cache cannot be written: "
                                 f"{exc.strerror or exc}", self.root,
                                 hint="give --cache a writable folder, or --no-cache")

    # JSON records with an optional binary tail: what every stage stores
    def get_record(self, namespace: str, key: str) -> tuple[dict, bytes] | None:
        payload = self.get(namespace, key)
        if payload is None:
            return None
        head, _, blob = payload.partition(b"\n")
        try:
            record = json.loads(head)
        except ValueError:
            return None
        return (record, blob) if isinstance(record, dict) else None

    def put_record(self, namespace: str, key: str, record: dict, blob: bytes = b"") -> None:
        # json.dumps escapes newlines inside strings: the first line is the whole record
        head = json.dumps(record, ensure_ascii=True, separators=(",", ":")).encode()
        self.put(namespace, key, head + b"\n" + blob)


def cached_record(cache: Cache | None, namespace: str, key: str) -> tuple[dict, bytes] | None:
    """A record and its blob, or None on a miss or when the build runs without a cache."""
    return None if cache is None else cache.get_record(namespace, key)


__all__ = [
    "DEFAULT_FOLDER",
    "Cache",
    "cached_record",
    "code_version",
    "content_key",
    "dump_diagnostics",
    "file_digest",
    "load_diagnostics",
    "versions",
]
