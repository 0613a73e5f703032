"""Find a snippet's line in a source file, for diagnostics raised after parsing."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from make_book import plain_files


@lru_cache(maxsize=64)
def _lines(path: Path) -> tuple[str, ...]:
    try:
        return tuple(plain_files.read_text(path).split("\n"))
    except (OSError, UnicodeDecodeError):
        return ()


def line_in(path: Path, needle: str) -> int | None:
    for number, line in enumerate(_lines(path), start=1):
        if needle in line:
            return number
    return None
