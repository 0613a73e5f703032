"""A chapter file as text: read as UTF-8 (a wrong encoding named, never guessed), control
characters removed with a warning, a stable id from its name, and its lines found again
for messages (:class:`LineFinder`)."""

from __future__ import annotations

import bisect
import itertools
import re
import unicodedata
from pathlib import Path

from make_book import plain_files
from make_book.errors import Diagnostics


# Control characters are never text: C0 (but tab and newline; CR is normalised away), DEL,
# C1, and the noncharacters U+FFFE/U+FFFF. XML 1.0 forbids most of them, YAML all of them,
# and Python-Markdown uses U+0002/U+0003 for its own placeholders.
CONTROL_RE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffe\uffff]")


# A chapter file: a whole long novel in one file is under 5 MB of Markdown.
MAX_CHAPTER_BYTES = 50 * 1024 * 1024


def read_text(path: Path, diagnostics: Diagnostics) -> str | None:
    """UTF-8 only: a wrong encoding is named with its byte offset, never guessed."""
    try:
        data = plain_files.read_bytes(path, MAX_CHAPTER_BYTES)
    except OSError as exc:
        diagnostics.error("C001", f"cannot read file: {exc.strerror}", path)
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        diagnostics.error("C002", f"not UTF-8: byte 0x{data[exc.start]:02x} at offset "
                          f"{exc.start} cannot be decoded", path, line,
                          hint="save the file as UTF-8")
        return None
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    return remove_controls(text, path, diagnostics)


def remove_controls(text: str, path: Path, diagnostics: Diagnostics) -> str:
    """``text`` without control characters, each distinct one reported once (C035) at the
    line where it first occurs: they are conversion debris, invisible in an editor."""
    if CONTROL_RE.search(text) is None:
        return text
    first: dict[str, int] = {}
    count: dict[str, int] = {}
    for m in CONTROL_RE.finditer(text):
        ch = m.group()
        first.setdefault(ch, m.start())
        count[ch] = count.get(ch, 0) + 1
    for ch, at in first.items():
        times = f"{count[ch]} times" if count[ch] > 1 else "once"
        diagnostics.warning("C035", f"removed control character U+{ord(ch):04X} ({times})",
                            path, text.count("\n", 0, at) + 1,
                            hint="it is usually an invisible leftover of a conversion; "
                            "delete it")
    return CONTROL_RE.sub("", text)


def file_id_for(rel: str, taken: set[str]) -> str:
    """A stable XML-name-safe id from the file name, unique in the book."""
    stem = Path(rel).stem
    base = re.sub(r"[^A-Za-z0-9_-]+", "-", unicodedata.normalize("NFKD", stem)
                  .encode("ascii", "ignore").decode()).strip("-").lower() or "chapter"
    if not base[0].isalpha():
        base = "ch" + ("" if base[0] in "-_" else "-") + base
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    taken.add(candidate)
    return candidate


class LineFinder:
    """Maps a snippet back to its line in the source (after the front matter block)."""

    def __init__(self, body: str, first_line: int):
        self.lines = body.split("\n")
        self.first_line = first_line
        self.text = body
        self.starts = list(itertools.accumulate((len(line) + 1 for line in self.lines),
                                                initial=0))

    def __call__(self, needle: str) -> int | None:
        """One search of the whole text, not a Python loop over its lines: a chapter asks
        once per note, id and image, and thousands of notes made that quadratic."""
        if "\n" in needle:  # no single line holds it
            return None
        at = self.text.find(needle)
        if at < 0:
            return None
        return self.first_line + bisect.bisect_right(self.starts, at) - 1
