"""A layout's ``layout.yaml`` read with the bounds and lines of book.yaml, against its schema.

A book's own ``layout/`` folder arrives with the manuscript, so its manifest is as
untrusted as book.yaml: it is read by the same bounded YAML loader (depth, aliases, value
length, no special files) and validated once against :class:`LayoutManifest`, every
problem with its line, before anything uses a value: a key of the wrong type or an
unknown key (``L040``, with the keys it may have meant), a ``print:`` setting it cannot
take (``L006``). The chain (:mod:`make_book.layouts.chain`) then reads typed values, and
the defaults live here, once. ``fonts`` is checked by :mod:`make_book.layouts.fonts`.

Codes: L002 unreadable or not a mapping, L006 a ``print:`` setting with a value it cannot
take, L040 a key of the wrong type or unknown, L041 nested too deep, too many values once
aliases are expanded, or a value too long, L042 a named pipe, device or socket in a book's
layout folder.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    field_validator,
)

from make_book import plain_files
from make_book.config.load import diagnostic_from_error
from make_book.config.values import fail
from make_book.config.yaml_lines import (
    MAX_YAML_BYTES,
    TOO_DEEP,
    TOO_LONG,
    TOO_MANY_VALUES,
    LineMap,
    load_yaml,
)
from make_book.errors import Diagnostic, MakeBookError, error

UNREADABLE, BAD_SETTING = "L002", "L006"
WRONG_TYPE, BEYOND_BOUNDS, SPECIAL_FILE = "L040", "L041", "L042"
# the YAML loader's bounds (nesting, expanded aliases, value length) under a layout code
_CODES = {TOO_DEEP: BEYOND_BOUNDS, TOO_MANY_VALUES: BEYOND_BOUNDS, TOO_LONG: BEYOND_BOUNDS}


Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


class PrintSettings(BaseModel):
    """``print:``: what WeasyPrint's CSS cannot say. A layout sets some of them; the most
    specific layout that sets one wins, and the default here stands when none does."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    # hyphenated lines in a row at most (none: no limit; WeasyPrint has no such property)
    hyphenate_limit_lines: int | None = Field(2, alias="hyphenate-limit-lines")
    # a right-hand page ends without a hyphen where it can (the reader turns the leaf)
    recto_foot_hyphen: Literal["avoid", "allow"] = Field("avoid", alias="recto-foot-hyphen")
    # heading levels the printed contents list: 1 parts and chapters, 2 and 3 sections too
    contents_depth: Literal[1, 2, 3] = Field(1, alias="contents-depth")
    # print QA: a justified word space wider than this, in % of the font's own, is loose
    max_word_spacing: float = Field(200, alias="max-word-spacing")

    @field_validator("hyphenate_limit_lines", mode="before")
    @classmethod
    def _lines(cls, value: Any) -> Any:
        if value is None or value == "none":
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise fail(BAD_SETTING, "must be a number of lines (1 or more) or none, not "
                       f"{value!r}")
        return value

    @field_validator("recto_foot_hyphen", mode="before")
    @classmethod
    def _recto(cls, value: Any) -> Any:
        if value not in ("avoid", "allow"):
            raise fail(BAD_SETTING, f"must be avoid or allow, not {value!r}")
        return value

    @field_validator("contents_depth", mode="before")
    @classmethod
    def _depth(cls, value: Any) -> Any:
        if isinstance(value, bool) or value not in (1, 2, 3):
            raise fail(BAD_SETTING, f"must be 1, 2 or 3, not {value!r}")
        return value

    @field_validator("max_word_spacing", mode="before")
    @classmethod
    def _spacing(cls, value: Any) -> Any:
        if isinstance(value, str):  # read without float guesses (yaml_lines)
            try:
                value = float(value)
            except ValueError:
                pass
        if isinstance(value, bool) or not isinstance(value, int | float) or value <= 100:
            raise fail(BAD_SETTING, "must be a percentage over 100 of the font's word "
                       f"space, not {value!r}")
        return value

    def set_here(self, name: str) -> bool:
        """Whether this layout.yaml sets ``name`` (else a less specific layout, or the
        default, decides)."""
        return name in self.model_fields_set


class LayoutManifest(BaseModel):
    """A layout.yaml: what the layout is, what it extends, its fonts, print settings,
    stylesheets per target and the words of its generated matter per language. Notes for
    the layout's designers go in YAML comments: an unknown key is a mistake (a misspelt
    ``stylesheet:`` would silently drop the layout's CSS)."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    name: Text | None = None
    description: Text | None = None
    extends: Text | None = None
    fonts: dict[str, Any] | None = None  # faces, text, code, sources: layouts/fonts.py
    print_settings: PrintSettings = Field(default_factory=PrintSettings, alias="print")
    stylesheets: dict[Literal["epub", "print", "cover", "web"], list[Text] | None] = Field(
        default_factory=dict)
    strings: dict[str, dict[str, str] | None] = Field(default_factory=dict)

    @field_validator("print_settings", "stylesheets", "strings", mode="before")
    @classmethod
    def _empty_is_nothing(cls, value: Any) -> Any:
        return {} if value is None else value

    def stylesheet_files(self, target: str) -> list[str]:
        return list(self.stylesheets.get(target) or [])

    def words(self, lang: str) -> dict[str, str]:
        return dict(self.strings.get(lang) or {})


EMPTY_MANIFEST = LayoutManifest()


def _diagnostics(exc: ValidationError, data: dict, lines: LineMap,
                 file: Path) -> list[Diagnostic]:
    """Each schema error at its line: L006 for ``print:`` and its settings, L040 for the
    rest."""
    out = []
    for err in exc.errors():
        found = diagnostic_from_error(err, data, lines, file, LayoutManifest)
        in_print = bool(err["loc"]) and err["loc"][0] == "print"
        out.append(replace(found, code=BAD_SETTING if in_print else WRONG_TYPE))
    return out


def refuse_special_files(folder: Path) -> None:
    """A book's layout folder holding a named pipe, a device or a socket (directly or by a
    symbolic link): any reader of it, Jinja's template loader included, would hang or
    read forever, so the layout is refused before anything opens its files."""
    found = [error(SPECIAL_FILE, f"{path.relative_to(folder).as_posix()} is {what}, not a "
                   "file", path, hint="layout files are stylesheets, templates and fonts")
             for path, what in plain_files.special_files(folder)]
    if found:
        raise MakeBookError(found)


def read_manifest(folder: Path) -> LayoutManifest:
    """``folder/layout.yaml`` validated (:data:`EMPTY_MANIFEST` when there is none); raises
    :class:`MakeBookError` with every problem of the file."""
    file = folder / "layout.yaml"
    if not file.exists() and not file.is_symlink():
        return EMPTY_MANIFEST
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
            return EMPTY_MANIFEST
        # the YAML loader's syntax and bound diagnostics, under the layout's code
        raise MakeBookError([replace(d, code=_CODES.get(d.code, UNREADABLE)) for d in diags]
                            or [error(UNREADABLE, "layout manifest must be a mapping", file)])
    if not isinstance(data, dict):
        raise MakeBookError([replace(d, code=UNREADABLE) for d in diags]
                            + [error(UNREADABLE, "layout manifest must be a mapping", file)])
    problems = [replace(d, code=UNREADABLE) for d in diags]
    try:
        manifest = LayoutManifest.model_validate(data, by_alias=True, by_name=False)
    except ValidationError as exc:
        problems += sorted(_diagnostics(exc, data, lines, file), key=lambda d: d.line or 0)
    if problems:
        raise MakeBookError(problems)
    return manifest
