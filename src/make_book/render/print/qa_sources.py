"""The source line a printed line of text comes from, for the print QA's findings.

The model keeps no line numbers for blocks, and a printed line rarely matches a source
line (Markdown wraps anywhere, markup and typography change the characters), so both are
read as streams of lower-case words and the printed line's first words are looked up in
the file's stream: the line of the first matching word is the answer. None when no run of
words matches (the text was generated, or changed too much).
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from make_book import plain_files
from make_book.manuscript.source_text import MAX_CHAPTER_BYTES

WORD_RE = re.compile(r"\w+")
RUN = 4  # words that must match in a row (fewer when the line is shorter)


@lru_cache(maxsize=64)
def _stream(path: Path) -> tuple[tuple[str, ...], tuple[int, ...], dict[str, tuple[int, ...]]]:
    """The file's words, the line of each, and where each word occurs."""
    try:
        text = plain_files.read_text(path, MAX_CHAPTER_BYTES)  # bounded, never blocking
    except (OSError, UnicodeDecodeError):
        return (), (), {}
    words: list[str] = []
    lines: list[int] = []
    for number, line in enumerate(text.split("\n"), start=1):
        for word in WORD_RE.findall(line.lower()):
            words.append(word)
            lines.append(number)
    where: dict[str, list[int]] = {}
    for i, word in enumerate(words):
        where.setdefault(word, []).append(i)
    return tuple(words), tuple(lines), {w: tuple(p) for w, p in where.items()}


def source_line(path: Path | None, text: str) -> int | None:
    """The line of ``path`` where the printed ``text`` starts, or None."""
    if path is None:
        return None
    words, lines, where = _stream(path)
    wanted = WORD_RE.findall(text.lower())
    if not wanted or not words:
        return None
    # the line's last word may be cut by a hyphen, its first be the rest of one: try runs
    # from each start, the longest first
    run = min(RUN, len(wanted))
    for size in range(run, 0, -1):
        for start in range(len(wanted) - size + 1):
            needle = wanted[start:start + size]
            if size == 1 and len(needle[0]) < 4:
                continue  # one short word is found anywhere
            for i in where.get(needle[0], ()):
                if tuple(words[i:i + size]) == tuple(needle):
                    return lines[i]
    return None
