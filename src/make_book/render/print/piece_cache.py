"""Print pieces kept in the build cache (:mod:`make_book.cache`), so that a rebuild lays out
only the pieces that changed or moved (issue 15).

A piece's layout is named by two keys:

- :func:`base_key`, a hash of everything its layout reads except its first folio: the
  piece's HTML as its first layout gets it (its text, the fixes and running head it is
  set with, the page numbers it prints), the book's print plan and starting fixes, the
  layout's files and options, the book's hyphenation words, the geometry, and the
  make-book, WeasyPrint and pikepdf versions. Under it, the piece's length: a piece's
  layout does not depend on its folio (:mod:`weasy.folios`), so its length is known
  before its folio is.
- the base key with the folio: the piece as written (PDF bytes) with its page facts.

The record is JSON (the cache never holds pickles: a cache restored in CI must not run
code); :func:`encode` and :func:`decode` turn the outcome's dataclasses into tagged JSON
and back, for the classes listed in ``KINDS`` only. What a piece holds by the thousand has
a fixed shape and is written by type, not walked field by field: a page's lines as rows
(``ROWS``), maps and lists of plain values as they are. A torn entry is never read: the
cache checks each entry's hash (:class:`make_book.cache.Cache`).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from pathlib import Path

from make_book.cache import Cache, code_version, content_key, versions
from make_book.errors import Diagnostic, Severity
from make_book.render.print.note_splits import NoteSplit
from make_book.render.print.join import PagePrint, PiecePdf
from make_book.render.print.pages import BlockSpan, NoteBox, PageFacts
from make_book.render.print.piece_facts import PieceFacts
from make_book.render.print.qa_pages import LineFact, PageText
from make_book.render.print.running_heads import Head

NAMESPACE = "print-pieces"
LENGTHS = "print-piece-lengths"
KINDS = {cls.__name__: cls for cls in (
    PageFacts, PageText, LineFact, BlockSpan, NoteBox, Head, PieceFacts, PagePrint,
    NoteSplit, Diagnostic)}


PLAIN = (str, int, float, bool, type(None))
_LINE_FIELDS = tuple(f.name for f in dataclasses.fields(LineFact))


def _line_row(line: LineFact) -> list:
    """A line as a row of plain values (``para`` is an (int, bool) pair, ``box`` its text)."""
    row = [getattr(line, name) for name in _LINE_FIELDS]
    row[2] = list(line.para)
    return row


def _line(row: list) -> LineFact:
    fact = LineFact(*row)
    fact.para = tuple(fact.para)
    return fact


def _lines(value: list) -> bool:
    """Whether ``value`` is a page's lines, each with its text (written as rows)."""
    return bool(value) and all(type(v) is LineFact and type(v.box) in PLAIN for v in value)


def _to_json(value):
    if type(value) in PLAIN:
        return value
    if isinstance(value, list):
        if _lines(value):
            return {"@lines": [_line_row(v) for v in value]}
        return [v if type(v) in PLAIN else _to_json(v) for v in value]
    if isinstance(value, dict):
        return {"@dict": [[k if type(k) in PLAIN else _to_json(k),
                           v if type(v) in PLAIN else _to_json(v)] for k, v in value.items()]}
    if dataclasses.is_dataclass(value) and type(value).__name__ in KINDS:
        return {"@": type(value).__name__,
                "f": {f.name: _to_json(getattr(value, f.name))
                      for f in dataclasses.fields(value)}}
    if isinstance(value, Severity):
        return {"@sev": value.value}
    if isinstance(value, Path):
        return {"@path": str(value)}
    if isinstance(value, (set, frozenset)):
        return {"@set": sorted((_to_json(v) for v in value), key=repr)}
    if isinstance(value, tuple):
        return {"@tuple": [_to_json(v) for v in value]}
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    raise TypeError(f"not kept in the piece cache: {type(value).__name__}")


def _from_json(value):
    if isinstance(value, list):
        return [v if type(v) in PLAIN else _from_json(v) for v in value]
    if not isinstance(value, dict):
        return value
    if "@lines" in value:
        return [_line(row) for row in value["@lines"]]
    if "@dict" in value:
        return {(k if type(k) in PLAIN else _hashable(_from_json(k))):
                (v if type(v) in PLAIN else _from_json(v)) for k, v in value["@dict"]}
    if "@" in value:
        cls = KINDS[value["@"]]
        return cls(**{k: _from_json(v) for k, v in value["f"].items()})
    if "@sev" in value:
        return Severity(value["@sev"])
    if "@path" in value:
        return Path(value["@path"])
    if "@set" in value:
        return {_from_json(v) for v in value["@set"]}
    if "@tuple" in value:
        return tuple(_from_json(v) for v in value["@tuple"])
    raise ValueError("not a piece cache record")


def stable(value) -> str:
    """``value`` as JSON that does not change between runs (sets sorted)."""
    return json.dumps(_to_json(value), sort_keys=True)


def _hashable(value):
    return tuple(value) if isinstance(value, list) else value


def encode(outcome) -> tuple[dict, bytes]:
    """An outcome (:class:`pdf_parallel.PieceOutcome`) as a JSON record and its PDF."""
    fixes = outcome.fixes
    record = {f.name: _to_json(getattr(outcome, f.name))
              for f in dataclasses.fields(outcome) if f.name not in ("pdf", "fixes")}
    record["pages"] = _to_json(outcome.pdf.pages)
    record["fixes"] = _to_json({f.name: getattr(fixes, f.name)
                                for f in dataclasses.fields(fixes)})
    return record, outcome.pdf.data


def decode(record: dict, blob: bytes, outcome_type, fixes_type):
    """The outcome :func:`encode` kept, or None for a record it cannot read."""
    try:
        fields = {k: _from_json(v) for k, v in record.items()
                  if k not in ("pages", "fixes")}
        fields["pdf"] = PiecePdf(blob, _from_json(record["pages"]))
        fields["fixes"] = fixes_type(**_from_json(record["fixes"]))
        fields["facts"].facts.blocks = list(fields["facts"].facts.blocks)
        return outcome_type(**fields)
    except (KeyError, TypeError, ValueError):
        return None


def layout_digest(layout) -> str:
    """The layout's files (stylesheets, fonts, templates, options) as one hash."""
    digest = hashlib.sha256()
    for d in layout.dirs:
        root = Path(d.path)
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            digest.update(path.relative_to(root).as_posix().encode() + b"\0")
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def base_key(*, book_inputs: str, piece: str, html: str, printed: dict,
             state: dict) -> str:
    """What a piece's layout depends on, but its folio (see the module docstring)."""
    return content_key(NAMESPACE, code_version(),
                       versions("weasyprint", "pikepdf", "pydyf", "fonttools"),
                       book_inputs, piece, html, _to_json(printed), _to_json(state))


def folio_key(base: str, folio: int) -> str:
    return content_key(base, folio)


def get_length(cache: Cache, base: str) -> int | None:
    found = cache.get_record(LENGTHS, base)
    length = found[0].get("length") if found else None
    return length if isinstance(length, int) else None


def get(cache: Cache, base: str, folio: int, outcome_type, fixes_type):
    found = cache.get_record(NAMESPACE, folio_key(base, folio))
    return None if found is None else decode(*found, outcome_type, fixes_type)


def put(cache: Cache, base: str, outcome) -> None:
    record, blob = encode(outcome)
    cache.put_record(NAMESPACE, folio_key(base, outcome.folio), record, blob)
    cache.put_record(LENGTHS, base, {"length": outcome.length})


__all__ = ["base_key", "stable", "decode", "encode", "get", "get_length", "layout_digest", "put"]
