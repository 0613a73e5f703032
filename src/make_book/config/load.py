"""Read book.yaml and chapter front matter into models, every problem as a diagnostic.

Pydantic reports where a value is wrong as a ``loc`` of YAML key names; here each one is
mapped to the file's line and to a stable code, so an editor sees
``book.yaml:7: M012 isbn.epub 978-0-00-000000-1 has a wrong check digit (expected 5)``
for every fault in one run, and never a traceback or a filled-in guess.
"""

from __future__ import annotations

import copy
import difflib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, get_args

from pydantic import BaseModel, ValidationError

from make_book import plain_files
from make_book.config.fields import (
    BAD_VALUE,
    MISSING_FILE,
    MISSING_KEY,
    UNKNOWN_KEY,
    WRONG_TYPE,
)
from make_book.config.hyphenation import book_words
from make_book.config.metadata import BookMetadata, ChapterMeta
from make_book.config.values import describe
from make_book.config.yaml_lines import EMPTY, MAX_YAML_BYTES, YAML_SYNTAX, LineMap, load_yaml
from make_book.errors import Diagnostic, MakeBookError, error

UNCLOSED_FRONT_MATTER = "M005"

_EXPECTED = {
    "string_type": "text",
    "int_type": "a whole number", "int_parsing": "a whole number",
    "int_from_float": "a whole number",
    "bool_type": "true or false", "bool_parsing": "true or false",
    "list_type": "a list", "tuple_type": "a list",
    "dict_type": "a mapping of keys to values", "model_type": "a mapping of keys to values",
    "model_attributes_type": "a mapping of keys to values",
}
_BOUNDS = {"greater_than_equal": ("at least", "ge"), "less_than_equal": ("at most", "le"),
           "greater_than": ("more than", "gt"), "less_than": ("less than", "lt")}


def _locate(loc: tuple, data: Any, keep_last: bool) -> tuple[tuple, tuple]:
    """(loc as written in the YAML, the same for LineMap lookup).

    Steps that are not in the data are union tags (``path``, ``part``) and are dropped,
    except the last one of a ``missing`` error, which names the absent key.
    """
    written: list = []
    lookup: list = []
    cur = data
    for i, step in enumerate(loc):
        if isinstance(cur, dict) and step in cur:
            written.append(step)
            lookup.append(str(step))
            cur = cur[step]
        elif isinstance(cur, (list, tuple)) and isinstance(step, int) and 0 <= step < len(cur):
            written.append(step)
            lookup.append(step)
            cur = cur[step]
        elif keep_last and i == len(loc) - 1:
            written.append(step)
    return tuple(written), tuple(lookup)


def dotted(loc: tuple) -> str:
    """``("contents", 1, "part")`` -> ``contents[1].part``."""
    text = ""
    for step in loc:
        text += f"[{step}]" if isinstance(step, int) else ("." if text else "") + str(step)
    return text


def _model_at(model: type[BaseModel], loc: tuple) -> type[BaseModel] | None:
    """The model class that validates the mapping at ``loc`` (for listing its keys)."""
    for step in loc:
        if isinstance(step, int):
            continue
        field = next((f for n, f in model.model_fields.items() if (f.alias or n) == step), None)
        sub = _find_model(field.annotation) if field else None
        if sub is None:
            return None
        model = sub
    return model


def _find_model(tp: Any) -> type[BaseModel] | None:
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return tp
    for arg in get_args(tp):
        if (found := _find_model(arg)) is not None:
            return found
    return None


def _unknown_key_hint(model: type[BaseModel] | None, key: str) -> str | None:
    if model is None:
        return None
    keys = [f.alias or n for n, f in model.model_fields.items()]
    spelled = str(key).lower().replace("_", "-")
    close = [spelled] if spelled in keys else difflib.get_close_matches(spelled, keys, n=3,
                                                                         cutoff=0.6)
    if close:
        return "did you mean " + " or ".join(f"'{k}'" for k in close) + "?"
    return "known keys: " + ", ".join(keys)


def diagnostic_from_error(err: dict, data: Any, lines: LineMap, path: Path,
                          model: type[BaseModel]) -> Diagnostic:
    """One pydantic error as a diagnostic at the right line of ``path``."""
    kind = err["type"]
    written, lookup = _locate(err["loc"], data, keep_last=kind in ("missing", "invalid_key"))
    where = dotted(written)
    line = lines.line_for(lookup)
    ctx = err.get("ctx") or {}
    value = err.get("input")
    hint = None
    if re.fullmatch(r"[A-Z]\d{3}", kind):  # our own code (config/values.fail)
        code, message, hint = kind, f"{where} {ctx['message']}".strip(), ctx.get("hint")
        if ctx.get("first"):
            _, first_lookup = _locate(tuple(ctx["first"]), data, keep_last=False)
            message += f" (first at line {lines.line_for(first_lookup)})"
    elif kind in ("extra_forbidden", "invalid_key"):  # invalid_key: `1:` or `null:`
        key, parent = written[-1], written[:-1]
        code = UNKNOWN_KEY
        message = f"unknown key '{key}'" + (f" in {dotted(parent)}" if parent else "")
        hint = _unknown_key_hint(_model_at(model, parent), key)
    elif kind == "missing":
        key, parent = written[-1], written[:-1]
        code = MISSING_KEY
        message = f"missing required key '{key}'" + (f" in {dotted(parent)}" if parent else "")
    elif kind in _EXPECTED:
        code, message = WRONG_TYPE, f"{where} should be {_EXPECTED[kind]}, not {describe(value)}"
    elif kind == "literal_error":
        code = BAD_VALUE
        message = f"{where} should be {ctx.get('expected')}, not {describe(value)}"
    elif kind in ("string_too_short", "too_short"):
        code, message = BAD_VALUE, f"{where} must not be empty"
    elif kind in _BOUNDS:
        words, key = _BOUNDS[kind]
        code, message = BAD_VALUE, f"{where} should be {words} {ctx.get(key)}, not {value}"
    else:
        code, message = BAD_VALUE, f"{where}: {err['msg']}"
    return error(code, message, path, line, hint)


def _validate(model: type[BaseModel], data: dict, lines: LineMap, path: Path,
              context: dict | None = None) -> tuple[Any, list[Diagnostic], set]:
    """(model or None, diagnostics, the top-level keys that had errors)."""
    try:
        return (model.model_validate(data, context=context, by_alias=True, by_name=False),
                [], set())
    except ValidationError as exc:
        errors = exc.errors()
        return (None, [diagnostic_from_error(e, data, lines, path, model) for e in errors],
                {e["loc"][0] for e in errors if e["loc"]})


def _sorted(diags: list[Diagnostic]) -> list[Diagnostic]:
    return sorted(diags, key=lambda d: d.line or 0)


def _read_text(path: Path) -> str:
    """The file as text; a missing or undecodable file is a diagnostic."""
    try:
        raw = plain_files.read_bytes(path, MAX_YAML_BYTES)
    except FileNotFoundError:
        raise MakeBookError(error(MISSING_FILE, f"{path.name} not found", path,
                                  hint="every book folder needs a book.yaml")) from None
    except OSError as exc:
        raise MakeBookError(error(MISSING_FILE, f"{path.name} cannot be read: "
                                                f"{exc.strerror}", path)) from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise MakeBookError(error(YAML_SYNTAX, f"{path.name} is not UTF-8 text", path, line,
                                  hint="save the file as UTF-8")) from None


def load_book_metadata(book_dir: Path) -> BookMetadata:
    """``book_dir/book.yaml`` validated; raises MakeBookError listing every problem."""
    read = read_book_metadata(book_dir)
    if read.meta is None or any(d.is_error for d in read.diagnostics):
        raise MakeBookError(read.diagnostics)
    return read.meta


@dataclass(frozen=True)
class MetadataRead:
    """book.yaml as far as it could be read.

    ``meta`` is the valid model, or when the file has errors, the model of what is valid in
    it (each faulty key or list entry left out; a faulty ``title`` or ``lang`` stood in for
    by the folder's name and ``und``) so the chapters can still be read and checked in the
    same run; such a book is never published, its diagnostics hold errors. None when not
    even that can be built. ``contents_known``: the reading order is the one book.yaml
    gives (a ``contents`` key dropped as a whole would silently become every .md file);
    ``contents_whole``: no entry of it was left out either (else a link into a chapter left
    out would be reported as broken)."""

    meta: BookMetadata | None
    diagnostics: list[Diagnostic]
    contents_known: bool = True
    contents_whole: bool = True


# The keys without which no model can be built: what stands in for them while the rest of
# the book is checked (never published: their errors fail the build).
_STAND_INS = {"title": lambda book_dir: book_dir.name or "book", "lang": lambda _: "und"}
_SALVAGE_ROUNDS = 5  # each round drops what the last reported; real files need one or two


def read_book_metadata(book_dir: Path) -> MetadataRead:
    """Every problem of ``book_dir/book.yaml`` as a diagnostic, and the model when there is
    one (see :class:`MetadataRead`)."""
    path = book_dir / "book.yaml"
    try:
        text = _read_text(path)
    except MakeBookError as exc:
        return MetadataRead(None, exc.diagnostics)
    data, lines, diags = load_yaml(text, path)
    if data is None:
        return MetadataRead(None, diags)
    context = {"book_dir": book_dir}
    meta, problems, _ = _validate(BookMetadata, data, lines, path, context)
    diags = diags + problems
    known = whole = True
    if meta is None:
        meta, kept = _salvage(data, book_dir, context)
        known = kept is not None and ("contents" in kept or "contents" not in data)
        whole = kept is not None and kept.get("contents") == data.get("contents")
    if meta is not None:
        diags += text_diagnostics(meta, data, lines, path)
        if meta.hyphenation.file is not None:  # its words, each at its line of the file
            diags += book_words(book_dir, meta.hyphenation.words, meta.hyphenation.file,
                                (path, None))[1]
    return MetadataRead(meta, _sorted(list(dict.fromkeys(diags))), known, whole)


def _salvage(data: dict, book_dir: Path, context: dict
             ) -> tuple[BookMetadata | None, dict | None]:
    """(the model of the valid part of ``data``, that part); errors are left out key by
    key, list entry by list entry, until it validates."""
    kept = copy.deepcopy(data)
    for _ in range(_SALVAGE_ROUNDS):
        try:
            return BookMetadata.model_validate(kept, context=context, by_alias=True,
                                               by_name=False), kept
        except ValidationError as exc:
            errors = exc.errors()
        doomed = set()
        for err in errors:
            written, _ = _locate(err["loc"], kept, keep_last=False)
            if not written and err["loc"] and err["loc"][0] in _STAND_INS:
                written = (err["loc"][0],)
            if not written:
                return None, None
            doomed.add(written)
        # deepest and last first, so removing a list entry never shifts one still to remove
        for loc in sorted(doomed, key=lambda loc: (len(loc), loc), reverse=True):
            *parent_loc, last = loc
            parent = kept
            for step in parent_loc:
                parent = parent[step]
            if parent is kept and last in _STAND_INS:
                kept[last] = _STAND_INS[last](book_dir)
            else:
                del parent[last]
    return None, None


def text_diagnostics(meta: BookMetadata, data: Any, lines: LineMap,
                     path: Path) -> list[Diagnostic]:
    """What typesetting the metadata's Markdown removed or reduced, at each key's line."""
    out = []
    for loc, d in meta.text_problems:
        written, lookup = _locate(loc, data, keep_last=False)
        out.append(Diagnostic(d.code, f"{dotted(written)}: {d.message}", path,
                              lines.line_for(lookup), d.severity, d.hint))
    return out


def load_chapter_meta(text: str, path: Path
                      ) -> tuple[ChapterMeta, str, int, list[Diagnostic]]:
    """Split a chapter file into (front matter, body, body's first line, diagnostics).

    The block opens with a ``---`` first line and closes with ``---`` or ``...``. Keys with
    errors are left at their defaults so later stages can go on and report more; the
    diagnostics must still fail the build.
    """
    if text.startswith("\ufeff"):
        text = text[1:]
    src = text.splitlines(keepends=True)
    if not src or src[0].rstrip() != "---":
        return ChapterMeta(), text, 1, []
    end = next((i for i in range(1, len(src)) if src[i].rstrip() in ("---", "...")), None)
    if end is None:
        return ChapterMeta(), text, 1, [error(
            UNCLOSED_FRONT_MATTER, "the front matter opened at line 1 is not closed", path, 1,
            hint="end it with a line holding only ---")]
    body, body_line = "".join(src[end + 1:]), end + 2
    block = "".join(src[1:end])
    if not block.strip():
        return ChapterMeta(), body, body_line, []
    data, lines, diags = load_yaml(block, path, line_offset=1)
    diags = [d for d in diags if d.code != EMPTY]  # only comments: nothing to say
    if data is None:
        return ChapterMeta(), body, body_line, diags
    meta, problems, bad = _validate(ChapterMeta, data, lines, path)
    if meta is None:
        # Keep what is valid (a good title still helps later messages), drop the rest.
        meta, _, _ = _validate(ChapterMeta, {k: v for k, v in data.items() if k not in bad},
                               lines, path)
    return meta or ChapterMeta(), body, body_line, _sorted(diags + problems)
