"""Read book.yaml and chapter front matter into models, every problem as a diagnostic.

Pydantic reports where a value is wrong as a ``loc`` of YAML key names; here each one is
mapped to the file's line and to a stable code, so an editor sees
``book.yaml:7: M012 isbn.epub 978-0-00-000000-1 has a wrong check digit (expected 5)``
for every fault in one run, and never a traceback or a filled-in guess.
"""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Any, get_args

from pydantic import BaseModel, ValidationError

from make_book.config.metadata import (
    BAD_VALUE,
    MISSING_FILE,
    MISSING_KEY,
    UNKNOWN_KEY,
    WRONG_TYPE,
    BookMetadata,
    ChapterMeta,
    describe,
)
from make_book.config.yaml_lines import EMPTY, YAML_SYNTAX, LineMap, load_yaml
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
    if kind.startswith("M0"):
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
        raw = path.read_bytes()
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
    path = book_dir / "book.yaml"
    text = _read_text(path)
    data, lines, diags = load_yaml(text, path)
    if data is None:
        raise MakeBookError(diags)
    meta, problems, _ = _validate(BookMetadata, data, lines, path, {"book_dir": book_dir})
    diags += problems
    if diags:
        raise MakeBookError(_sorted(diags))
    return meta


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
