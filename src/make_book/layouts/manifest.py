"""A layout's ``layout.yaml`` read with the bounds and lines of book.yaml, its shape checked.

A book's own ``layout/`` folder arrives with the manuscript, so its manifest is as
untrusted as book.yaml: it is read by the same bounded YAML loader (depth, aliases, value
length, no special files) and every key the chain reads is checked for its type here, once,
with its line, instead of failing as ``'int' object has no attribute 'get'`` wherever the
value is first used. ``fonts`` is checked by :mod:`make_book.layouts.fonts` and ``print``
settings where they are read (``L006``); unknown keys are left alone (a layout may carry
notes for its designers).

Codes: L002 unreadable or not a mapping, L040 a key of the wrong type, L041 nested too
deep, too many values once aliases are expanded, or a value too long, L042 a named pipe,
device or socket in a book's layout folder.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import yaml

from make_book import plain_files
from make_book.config.yaml_lines import (
    MAX_YAML_BYTES,
    TOO_DEEP,
    TOO_LONG,
    TOO_MANY_VALUES,
    LineMap,
    load_yaml,
)
from make_book.errors import Diagnostic, MakeBookError, error

UNREADABLE, WRONG_TYPE, BEYOND_BOUNDS, SPECIAL_FILE = "L002", "L040", "L041", "L042"
# the YAML loader's bounds (nesting, expanded aliases, value length) under a layout code
_CODES = {TOO_DEEP: BEYOND_BOUNDS, TOO_MANY_VALUES: BEYOND_BOUNDS, TOO_LONG: BEYOND_BOUNDS}
TARGETS = ("epub", "print", "cover")


def _text(value) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _shape_problems(data: dict) -> list[tuple[tuple, str]]:
    """(location, what is wrong) for each key of the wrong type."""
    found: list[tuple[tuple, str]] = []
    for key in ("name", "description", "extends"):
        if key in data and data[key] is not None and not _text(data[key]):
            found.append(((key,), f"{key} must be a text"))
    sheets = data.get("stylesheets")
    if sheets is not None:
        if not isinstance(sheets, dict):
            found.append((("stylesheets",), "stylesheets must map epub, print and cover to "
                                            "lists of files"))
        else:
            for target, files in sheets.items():
                if target not in TARGETS:
                    found.append((("stylesheets", target), f"stylesheets.{target}: not a "
                                  f"target (use {', '.join(TARGETS)})"))
                elif files is not None and (not isinstance(files, list)
                                            or not all(_text(f) for f in files)):
                    found.append((("stylesheets", target), f"stylesheets.{target} must be a "
                                  "list of file paths"))
    strings = data.get("strings")
    if strings is not None:
        if not isinstance(strings, dict):
            found.append((("strings",), "strings must map language codes to words"))
        else:
            for lang, words in strings.items():
                if words is None:
                    continue
                if not isinstance(words, dict) or not all(
                        isinstance(k, str) and isinstance(v, str) for k, v in words.items()):
                    found.append((("strings", lang), f"strings.{lang} must map names to "
                                  "words (chapter: Chapter)"))
    if "fonts" in data and data["fonts"] is not None and not isinstance(data["fonts"], dict):
        found.append((("fonts",), "fonts must be a mapping (faces, text, code, sources)"))
    return found


def check_shape(data: dict, lines: LineMap, file: Path) -> list[Diagnostic]:
    return [error(WRONG_TYPE, message, file, lines.line_for(loc))
            for loc, message in _shape_problems(data)]


def refuse_special_files(folder: Path) -> None:
    """A book's layout folder holding a named pipe, a device or a socket (directly or by a
    symbolic link): any reader of it, Jinja's template loader included, would hang or
    read forever, so the layout is refused before anything opens its files."""
    found = [error(SPECIAL_FILE, f"{path.relative_to(folder).as_posix()} is {what}, not a "
                   "file", path, hint="layout files are stylesheets, templates and fonts")
             for path, what in plain_files.special_files(folder)]
    if found:
        raise MakeBookError(found)


def read_manifest(folder: Path) -> dict:
    """``folder/layout.yaml`` as a checked mapping ({} when there is none); raises
    :class:`MakeBookError` with every problem of the file."""
    file = folder / "layout.yaml"
    if not file.exists() and not file.is_symlink():
        return {}
    try:
        text = plain_files.read_bytes(file, MAX_YAML_BYTES).decode("utf-8-sig")
    except UnicodeDecodeError:
        raise MakeBookError(error(UNREADABLE, "layout manifest is not UTF-8 text", file,
                                  hint="save the file as UTF-8")) from None
    except OSError as exc:
        raise MakeBookError(error(UNREADABLE, f"layout manifest cannot be read: "
                                  f"{exc.strerror}", file)) from None
    try:
        data, lines, diags = load_yaml(text, file)
    except yaml.YAMLError as exc:  # PyYAML's reader: control characters, without a mark
        raise MakeBookError(error(UNREADABLE, f"layout manifest cannot be read: {exc}",
                                  file)) from None
    if data is None:
        if diags and all(d.code == "M004" for d in diags):  # empty: no settings
            return {}
        # the YAML loader's syntax and bound diagnostics, under the layout's code
        raise MakeBookError([replace(d, code=_CODES.get(d.code, UNREADABLE)) for d in diags]
                            or [error(UNREADABLE, "layout manifest must be a mapping", file)])
    problems = [replace(d, code=UNREADABLE) for d in diags] + check_shape(data, lines, file)
    if problems:
        raise MakeBookError(problems)
    return data
