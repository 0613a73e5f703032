"""What the sanitizer removed or repaired, kept as diagnostics at the chapter's lines: the
report every step of :mod:`make_book.markup.sanitize` writes to, and the removal of
characters XML 1.0 forbids.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from make_book.errors import Diagnostic, error, warning

LineOf = Callable[[str], "int | None"]


# Characters XML 1.0 forbids: C0 controls but tab, LF, CR; U+FFFE, U+FFFF; lone surrogates.
_FORBIDDEN_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


class _Report:
    """Collects diagnostics for one fragment; ``line_of`` maps a snippet to a source line."""

    def __init__(self, path: Path, line_of: LineOf | None):
        self.path = path
        self.line_of = line_of
        self.items: list[Diagnostic] = []
        self.forbidden: Counter[str] = Counter()

    def line(self, snippet: str | None) -> int | None:
        if self.line_of is None or not snippet:
            return None
        return self.line_of(snippet)

    def error(self, code: str, message: str, snippet: str | None, hint: str | None) -> None:
        self.items.append(error(code, message, self.path, self.line(snippet), hint))

    def warning(self, code: str, message: str, snippet: str | None, hint: str | None) -> None:
        self.items.append(warning(code, message, self.path, self.line(snippet), hint))

    def clean(self, text: str) -> str:
        """Text without the characters XML 1.0 forbids (counted for one C035 each)."""
        if _FORBIDDEN_RE.search(text) is None:
            return text
        self.forbidden.update(_FORBIDDEN_RE.findall(text))
        return _FORBIDDEN_RE.sub("", text)

    def finish(self) -> list[Diagnostic]:
        for ch, count in self.forbidden.items():
            times = f"{count} times" if count > 1 else "once"
            self.warning("C035", f"removed U+{ord(ch):04X} ({times}): XML 1.0 does not allow "
                         "this character", ch,
                         "it is usually an invisible leftover of a conversion; delete it")
        return list(dict.fromkeys(self.items))  # one report per distinct problem


def _short(value: str, limit: int = 60) -> str:
    """A value fit for a one-line message: control characters shown as escapes, cut short."""
    value = "".join(ch if ch >= " " else repr(ch)[1:-1] for ch in value)
    return value if len(value) <= limit else value[:limit - 1] + "…"
