"""The Jinja environment of a layout chain: templates are data, not code.

A book's ``layout/`` override arrives with the manuscript, from outside the press, and a
plain Jinja environment lets a template reach Python: ``{{ book.root.read_text() }}``, an
object's ``__globals__``, ``os.environ``. So every template, the house style's as well as
a book's, is rendered in Jinja's :class:`~jinja2.sandbox.ImmutableSandboxedEnvironment`
(no ``_`` attributes, no mutation of lists and dicts) with a stricter policy on top:

- **a context of plain values**: the renderers pass model objects, and every value a
  template gets (the context, then each attribute or item it reads) is made plain first
  (:func:`plain`): text, numbers, dates, lists and mappings as they are, a model object
  (dataclass, pydantic model, named tuple) as a :class:`View` of its data attributes that
  prints as ``<Book>``, never as a repr full of the machine's paths; a path, a module, a
  class, a function or a method is refused (``L021``). A template cannot call anything but
  Jinja's own helpers (macros, ``loop``, ``super()``, ``range``...) and the methods of
  text, lists and mappings. Converting lazily, attribute by attribute, keeps a page's
  render from copying the whole book;
- **files from the chain only**: ``extends``/``include``/``import`` are looked up in the
  chain's ``templates/`` folders through :func:`make_book.config.paths.confine`, so a
  symlink or a FIFO among a book's templates is refused (``L020``), never read; a name
  ``@<layout>/...`` takes that layout's file of the chain, so that an override can wrap
  the template it replaces (``{% extends "@default/epub/chapter.xhtml" %}``);
- a template that fails while rendering (an unknown name, a refused attribute, a recursion
  without end) is a diagnostic at the template's line, not an internal error (``L021``).
"""

from __future__ import annotations

import dataclasses
import datetime
import enum
import os
import sys
from collections.abc import Callable, Iterable
from pathlib import Path

import jinja2
from jinja2.runtime import BlockReference, LoopContext, Macro
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError
from jinja2.utils import Cycler, Joiner, Namespace
from pydantic import BaseModel

from make_book.config.paths import PathError, read_confined
from make_book.errors import MakeBookError, error

REFUSED_FILE = "L020"
TEMPLATE_FAILED = "L021"
MAX_TEMPLATE_BYTES = 1024 * 1024  # a page template is a few kilobytes

_SCALARS = (type(None), bool, int, float, str, bytes, datetime.date, datetime.time,
            datetime.timedelta, enum.Enum)
_CONTAINERS = (list, tuple, dict, set, frozenset)
_JINJA = (LoopContext, Cycler, Joiner, Namespace, Macro, BlockReference)


def _is_record(value) -> bool:
    """A model object: a dataclass, pydantic or named-tuple instance (not a class)."""
    return not isinstance(value, type) and (
        isinstance(value, BaseModel) or dataclasses.is_dataclass(value)
        or (isinstance(value, tuple) and hasattr(value, "_fields")))


def is_data(value) -> bool:
    """Whether a template may hold ``value``: plain data, never a thing that acts."""
    if isinstance(value, type):
        return False
    return isinstance(value, _SCALARS + _CONTAINERS + _JINJA + (View,)) or _is_record(value)


class _Refused:
    """What a template gets for a value it may not hold (a path, a method...)."""


REFUSED = _Refused()


class View:
    """A model object as a template sees it: its data attributes, each made plain in turn,
    and a name instead of its repr, which would print paths of the machine
    (``Book(root=PosixPath('/home/ci/...'))``) through ``{{ book }}``, ``|string`` or ``~``."""

    __slots__ = ("_record",)

    def __init__(self, record):
        object.__setattr__(self, "_record", record)

    def __getattr__(self, name: str):
        if name.startswith("_"):
            raise AttributeError(name)
        if isinstance(self._record, BaseModel) and name.startswith("model_"):
            return REFUSED  # pydantic's own API (model_dump, model_fields), not the book
        return plain(getattr(self._record, name))

    def __setattr__(self, name, value):
        raise AttributeError("a template cannot change the book")

    def __str__(self) -> str:
        return f"<{type(self._record).__name__}>"

    __repr__ = __str__

    def __bool__(self) -> bool:
        return bool(self._record)

    def __iter__(self):  # a named tuple unpacks; other records are not sequences
        if not isinstance(self._record, tuple):
            raise TypeError(f"{self} is not a sequence")
        return iter([plain(v) for v in self._record])

    def __len__(self) -> int:
        if not isinstance(self._record, tuple):
            raise TypeError(f"{self} has no length")
        return len(self._record)

    def __eq__(self, other) -> bool:
        return isinstance(other, View) and self._record == other._record

    def __hash__(self) -> int:
        try:
            return hash(self._record)
        except TypeError:
            return id(self._record)


def plain(value):
    """``value`` as a template may hold it: text, numbers and dates as they are; lists and
    mappings made plain item by item; model objects as a :class:`View`; anything else
    (a path, a function, a method, a class, a module) refused."""
    if isinstance(value, _SCALARS + _JINJA + (View,)) and not isinstance(value, type):
        return value
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if type(value) in (list, tuple):
        return type(value)(plain(v) for v in value)
    if isinstance(value, tuple) and hasattr(value, "_fields"):
        return View(value)  # a named tuple: a record
    if isinstance(value, (set, frozenset)):
        return frozenset(plain(v) for v in value)
    if _is_record(value):
        return View(value)
    return REFUSED


class DataOnlySandbox(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox, where templates see data and call no one's methods but
    those of text, lists and mappings."""

    def is_safe_attribute(self, obj, attr: str, value) -> bool:
        if value is REFUSED or not super().is_safe_attribute(obj, attr, value):
            return False
        if callable(value) and not isinstance(value, _JINJA):
            return isinstance(getattr(value, "__self__", None), _SCALARS + _CONTAINERS + _JINJA)
        return is_data(value)

    def getattr(self, obj, attribute: str):
        """Attributes of model objects come back plain (:func:`plain`)."""
        return super().getattr(obj if not _is_record(obj) else View(obj), attribute)

    def getitem(self, obj, argument):
        return super().getitem(obj if not _is_record(obj) else View(obj), argument)

    def is_safe_callable(self, obj) -> bool:
        if not super().is_safe_callable(obj):
            return False
        if isinstance(obj, _JINJA) or any(obj is g for g in self.globals.values()):
            return True
        owner = getattr(obj, "__self__", None)
        return isinstance(owner, _SCALARS + _CONTAINERS + _JINJA)


class ConfinedLoader(jinja2.BaseLoader):
    """Templates by name along the chain's ``templates/`` folders, most specific first,
    each file through :func:`read_confined` (inside the book and layout folders, a regular file,
    symlinks resolved)."""

    def __init__(self, folders: Iterable[Path], roots: Iterable[Path]):
        self.folders = [Path(f) for f in folders]
        self.roots = tuple(roots)

    def get_source(self, environment, template: str):
        parts = jinja2.loaders.split_template_path(template)  # refuses `..`
        folders = self.folders
        if parts and parts[0].startswith("@"):
            # "@default/epub/chapter.xhtml": that layout's own file, so that an override
            # can extend the template it replaces (Pelican's "!theme/") instead of copying it
            name, parts = parts[0][1:], parts[1:]
            folders = [f for f in self.folders if f.parent.name == name]
            if not folders or not parts:
                raise jinja2.TemplateNotFound(
                    template, f"no layout named '{name}' in the chain: "
                              + ", ".join(f"@{f.parent.name}/" for f in self.folders))
        for folder in folders:
            candidate = folder.joinpath(*parts)
            if not (candidate.is_symlink() or candidate.exists()):
                continue
            found = read_confined(candidate, self.roots, limit=MAX_TEMPLATE_BYTES)
            if isinstance(found, PathError):
                message = found.message.replace(str(candidate), template, 1)
                raise MakeBookError(error(REFUSED_FILE, f"template {message}",
                                          candidate, hint=found.hint))
            try:
                source = found.data.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise MakeBookError(error(REFUSED_FILE, f"template {template} cannot be "
                                          f"read: {exc}", candidate)) from None
            mtime = found.path.stat().st_mtime
            return source, str(candidate), lambda f=found.path, t=mtime: _unchanged(f, t)
        raise jinja2.TemplateNotFound(template)

    def list_templates(self) -> list[str]:
        """Every template name of the chain; symlinked folders are not followed."""
        names: set[str] = set()
        for folder in self.folders:
            if not folder.is_dir() or folder.is_symlink():
                continue
            for dirpath, _dirs, files in os.walk(folder, followlinks=False):
                for name in files:
                    rel = Path(dirpath, name).relative_to(folder)
                    names.add(rel.as_posix())
        return sorted(names)


def _unchanged(path: Path, mtime: float) -> bool:
    try:
        return path.stat().st_mtime == mtime
    except OSError:
        return False


def _innermost_template(tb, files: list[str]) -> tuple[str, int] | None:
    """The file and line of the deepest template frame of a traceback: where the
    template's own text was being rendered (a block runs inside its base's frame)."""
    found = None
    while tb is not None:
        if tb.tb_frame.f_code.co_filename in files:
            found = (tb.tb_frame.f_code.co_filename, tb.tb_lineno)
        tb = tb.tb_next
    return found


class CheckedTemplate(jinja2.Template):
    """A template whose failures while rendering are diagnostics at its file and line."""

    def render(self, *args, **kwargs) -> str:
        """Render with a context of plain values (model objects as :class:`View`)."""
        context = {k: plain(v) for k, v in dict(*args, **kwargs).items()}
        try:
            return super().render(**context)
        except MakeBookError:
            raise
        except Exception as exc:  # noqa: BLE001 - whatever a template makes a filter raise
            tb = sys.exc_info()[2]
            folders = getattr(self.environment.loader, "folders", [])
            files = _template_files(tb, folders)
            where, line = _innermost_template(tb, files) or (self.filename, None)
            message = ("recursion too deep" if isinstance(exc, RecursionError) else
                       _not_found(exc) if isinstance(exc, jinja2.TemplateNotFound) else
                       str(exc) if isinstance(exc, (jinja2.TemplateError, SecurityError))
                       else f"{type(exc).__name__}: {exc}")
            if len(message) > 200:
                message = message[:199] + "…"
            raise MakeBookError(error(
                TEMPLATE_FAILED, f"template {self.name} failed: {message}",
                Path(where) if where else None, line,
                hint="templates see the book's data only: fields, text, lists; no paths, "
                     "no methods")) from None


def _not_found(exc: jinja2.TemplateNotFound) -> str:
    """What the loader says (an unknown ``@layout``), else which name is missing."""
    if exc.message and exc.message != exc.name:
        return f"no template {exc.name}: {exc.message}"
    return f"no template {exc.name} in the layout folders"


def _template_files(tb, folders: list[Path]) -> list[str]:
    """The template files in a traceback (Jinja rewrites its frames to point at them)."""
    prefixes = tuple(str(f) + os.sep for f in folders)
    found: list[str] = []
    while tb is not None:
        name = tb.tb_frame.f_code.co_filename
        if prefixes and name.startswith(prefixes) and name not in found:
            found.append(name)
        tb = tb.tb_next
    return found


DataOnlySandbox.template_class = CheckedTemplate  # every template of the sandbox, from_string too


def template_environment(folders: Iterable[Path], roots: Iterable[Path],
                         autoescape: Callable[[str | None], bool] | None = None
                         ) -> jinja2.Environment:
    """The sandboxed environment for a chain's ``templates/`` folders (most specific
    first); ``roots``: the folders any template file must resolve into."""
    env = DataOnlySandbox(
        loader=ConfinedLoader(folders, roots),
        autoescape=autoescape or jinja2.select_autoescape(["html", "xhtml", "xml", "ncx"]),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    return env


__all__ = ["CheckedTemplate", "ConfinedLoader", "DataOnlySandbox", "is_data",
           "template_environment"]
