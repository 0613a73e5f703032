"""Diagnostics: every problem found in a book, with a stable code, where it is and a hint.

Stages collect diagnostics instead of raising on the first problem, so an editor sees every
fault in one run. Only :class:`MakeBookError` stops a build, and it carries the full list.

Code ranges (stable; tests and editors rely on them):

- ``M0xx`` book.yaml and chapter metadata
- ``C0xx`` manuscript content (Markdown, notes, links, ids, raw HTML)
- ``A0xx`` assets (images, fonts, paths)
- ``L0xx`` layouts and templates
- ``E0xx`` EPUB rendering and validation; ``E020``-``E029`` the machine (make_book.machine)
- ``P0xx`` print PDF rendering
- ``B0xx`` build and output
- ``R0xx`` release: covers, ONIX, the validation gate, collecting
- ``I0xx`` ``make-book import`` of a Word file or an EPUB (make_book.importer.command)
- ``K0xx`` ``make-book check``: checkers' findings traced back to the manuscript
- ``T0xx`` retailer EPUBs: the Kindle rules (make_book.render.retail.kindle_rules)
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path


# What must never reach a terminal or a log as itself: C0 controls (ESC starts an ANSI
# sequence, LF and CR start a new line), DEL, C1 controls (CSI is an ESC of its own), the
# Unicode line and paragraph separators, and the bidi controls that reorder what a reader
# sees. A file name, key or value from a manuscript could otherwise forge a diagnostic line,
# recolour the terminal or hide text.
_UNPRINTABLE_RE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f"
                             "\u202a-\u202e\u2066-\u2069]")
_SHORT_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def printable(text: str) -> str:
    """``text`` with every character of :data:`_UNPRINTABLE_RE` written as its Python escape
    (``\\x1b``, ``\\n``, ``\\u202e``): one diagnostic stays one visible line."""
    def escape(m: re.Match[str]) -> str:
        ch = m.group()
        if ch in _SHORT_ESCAPES:
            return _SHORT_ESCAPES[ch]
        return f"\\x{ord(ch):02x}" if ord(ch) < 0x100 else f"\\u{ord(ch):04x}"
    return _UNPRINTABLE_RE.sub(escape, text)


# A value quoted into a diagnostic (a data URL, a title, a path) is cut to this many
# characters: a 20 MB value must not become 20 MB of log, or stall the terminal. What is
# left says how long the value was.
QUOTE_LIMIT = 200
MESSAGE_LIMIT = 2000  # a whole message or hint, whatever it quotes
# a long quoted value ('x', "x", `x`, “x”, «x»: the quotes of the messages and of the
# books), else a long unbroken run; one pass, so what was cut is not cut again
_LONG_VALUE_RE = re.compile(
    "(?P<q>'[^'\n]{%d,}'|\"[^\"\n]{%d,}\"|`[^`\n]{%d,}`|\u201c[^\u201d\n]{%d,}\u201d|"
    "\u00ab[^\u00bb\n]{%d,}\u00bb)|(?<!\\S)\\S{%d,}" % ((QUOTE_LIMIT + 1,) * 6))


def _cut(text: str, limit: int) -> str:
    return f"{text[:limit]}\u2026 ({len(text):,} characters)"


def shortened(text: str) -> str:
    """``text`` with every quoted value and every unbroken run (a data URL, a path) longer
    than :data:`QUOTE_LIMIT` cut to that length, then the whole cut to
    :data:`MESSAGE_LIMIT`; each cut ends in an ellipsis and the length it had. The work
    per character is bounded (about a second for 20 MB of the worst text)."""
    if len(text) <= QUOTE_LIMIT:
        return text

    def cut(m: re.Match[str]) -> str:
        value = m.group()
        if m.group("q") is None:
            return _cut(value, QUOTE_LIMIT)
        return value[0] + _cut(value[1:-1], QUOTE_LIMIT) + value[-1]
    text = _LONG_VALUE_RE.sub(cut, text)
    return _cut(text, MESSAGE_LIMIT) if len(text) > MESSAGE_LIMIT else text


# Characters json.dumps keeps as themselves that a terminal must not get raw (it escapes
# the C0 controls itself); in JSON they can only stand inside strings, where \uXXXX is valid.
_JSON_UNPRINTABLE_RE = re.compile("[\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e"
                                  "\u2066-\u2069]")


def printable_json(data: object) -> str:
    """``data`` as indented JSON (non-ASCII letters as themselves) in which no control
    character, line separator or bidi control appears raw: what :func:`printable` is for
    a diagnostic, for JSON printed to a terminal or a CI log."""
    text = json.dumps(data, ensure_ascii=False, indent=2)
    return _JSON_UNPRINTABLE_RE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


class PrintableLogFormatter(logging.Formatter):
    """A library's log record that reaches the terminal past make-book's own capture (see
    render/weasy/log.py) is escaped and cut like a diagnostic: it may quote the book."""

    def format(self, record: logging.LogRecord) -> str:
        return printable(shortened(super().format(record)))


class FloodFilter(logging.Filter):
    """At most :attr:`per_kind` records of one kind (logger and message template) and
    :attr:`total` in all reach the terminal: a damaged font in a book's layout makes
    fontTools log one line per broken record, tens of thousands of them. The last record
    let through says that more were dropped."""

    per_kind = 5
    total = 200

    def __init__(self) -> None:
        super().__init__()
        self.seen: dict[tuple[str, str], int] = {}
        self.passed = 0

    def filter(self, record: logging.LogRecord) -> bool:
        key = (record.name, str(record.msg))
        count = self.seen[key] = self.seen.get(key, 0) + 1
        if count > self.per_kind or self.passed >= self.total:
            return False
        self.passed += 1
        if count == self.per_kind or self.passed == self.total:
            message = record.getMessage()
            record.msg, record.args = "%s (further records like this are not shown)", (message,)
        return True


def log_printably(level: int = logging.ERROR) -> None:
    """``logging.basicConfig(level=level)``, with :class:`PrintableLogFormatter`; Python
    warnings (which a library may word with the book's text) go the same way."""
    root = logging.getLogger()
    if root.handlers:  # configured by the caller (a test, an application embedding us)
        return
    handler = logging.StreamHandler()
    handler.setFormatter(PrintableLogFormatter(logging.BASIC_FORMAT))
    handler.addFilter(FloodFilter())
    root.addHandler(handler)
    root.setLevel(level)
    logging.captureWarnings(True)
    logging.getLogger("py.warnings").setLevel(logging.WARNING)  # shown, as before


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Diagnostic:
    code: str
    message: str
    path: Path | None = None
    line: int | None = None
    severity: Severity = Severity.ERROR
    hint: str | None = None

    def __post_init__(self) -> None:
        # cut where the diagnostic is made, not where it is shown: the collector compares
        # and keeps them, and JSON reports and exceptions carry the same text
        object.__setattr__(self, "message", shortened(self.message))
        if self.hint is not None:
            object.__setattr__(self, "hint", shortened(self.hint))

    def location(self, relative_to: Path | None = None) -> str:
        if self.path is None:
            return "make-book"
        path = self.path
        if relative_to is not None:
            try:
                path = path.resolve().relative_to(relative_to.resolve())
            except ValueError:
                pass
        shown = shortened(str(path))
        return f"{shown}:{self.line}" if self.line else shown

    def format(self, relative_to: Path | None = None) -> str:
        """`path:line: CODE message` (the form editors and CI logs can jump to), on one line
        whatever the path, message or hint hold (see :func:`printable`)."""
        text = f"{self.location(relative_to)}: {self.code} {self.message}"
        if self.severity is Severity.WARNING:
            text = f"{self.location(relative_to)}: {self.code} warning: {self.message}"
        if self.hint:
            text += f" (hint: {self.hint})"
        return printable(text)

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR


def error(code: str, message: str, path: Path | None = None, line: int | None = None,
          hint: str | None = None) -> Diagnostic:
    return Diagnostic(code, message, path, line, Severity.ERROR, hint)


def warning(code: str, message: str, path: Path | None = None, line: int | None = None,
            hint: str | None = None) -> Diagnostic:
    return Diagnostic(code, message, path, line, Severity.WARNING, hint)


@dataclass
class Diagnostics:
    """A collector passed through a stage; keeps order of discovery, drops exact repeats."""

    items: list[Diagnostic] = field(default_factory=list)
    # what is in ``items``, for the repeat check: a list scan made 20,000 diagnostics
    # (a hostile book's) cost minutes
    _seen: set[Diagnostic] = field(default_factory=set, init=False, repr=False,
                                   compare=False)

    def __post_init__(self) -> None:
        self._seen.update(self.items)

    def add(self, diagnostic: Diagnostic) -> None:
        if diagnostic not in self._seen:
            self._seen.add(diagnostic)
            self.items.append(diagnostic)

    def extend(self, diagnostics: Iterable[Diagnostic]) -> None:
        for d in diagnostics:
            self.add(d)

    def error(self, code: str, message: str, path: Path | None = None,
              line: int | None = None, hint: str | None = None) -> None:
        self.add(error(code, message, path, line, hint))

    def warning(self, code: str, message: str, path: Path | None = None,
                line: int | None = None, hint: str | None = None) -> None:
        self.add(warning(code, message, path, line, hint))

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.items if d.is_error]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.items if not d.is_error]

    def failed(self, strict: bool = False) -> bool:
        return bool(self.errors) or (strict and bool(self.warnings))

    def __iter__(self):
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)


class MakeBookError(Exception):
    """A build cannot go on; carries every diagnostic found so far."""

    def __init__(self, diagnostics: list[Diagnostic] | Diagnostic):
        if isinstance(diagnostics, Diagnostic):
            diagnostics = [diagnostics]
        self.diagnostics = list(diagnostics)
        super().__init__("\n".join(d.format() for d in self.diagnostics))
