"""A book's own hyphenation: words written with the points where they may break.

Patterns hyphenate the words of a dictionary language well and proper names badly
(Pet-rograd, Russi-an, Tch-ernov), so a book lists the words it cares about, as TeX's
``\\hyphenation`` does: ``Pet-ro-grad`` may break at its two hyphens and nowhere else,
``Tchernov`` (no hyphen) never breaks. The list is ``hyphenation:`` in book.yaml, a file
named there (one word a line, ``#`` starts a comment), or both:

    hyphenation: [Pet-ro-grad, Tchernov]
    hyphenation: hyphenation.txt
    hyphenation: {file: hyphenation.txt, words: [Pet-ro-grad]}

A listed word matches whatever its case, and with a possessive ending (Tchernov's). A
hyphen here always means a break point, so a word that is itself hyphenated cannot be
listed (break its parts apart in the text with a soft hyphen instead).

Codes: M050 not a word with hyphen points, M051 a word listed twice with different
points, M052 a file that cannot be read as UTF-8 text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from make_book.errors import Diagnostic, error

BAD_WORD, TWICE, BAD_FILE = "M050", "M051", "M052"
WORD_JOINER = "\u2060"
_PART = r"[^\W\d_]+(?:['’][^\W\d_]+)*"  # letters, an apostrophe between them (O'Neill)
_WORD = re.compile(rf"{_PART}(?:-{_PART})*")
_POSSESSIVE = ("'s", "’s")

__all__ = ["BAD_FILE", "BAD_WORD", "TWICE", "HyphenationWords", "book_words", "parse_word",
           "read_words_file", "word_problem"]


def word_problem(entry: str) -> str | None:
    """Why ``entry`` is not a word with hyphen points (None when it is one)."""
    if not _WORD.fullmatch(entry):
        return (f"'{entry}' is not a word with hyphen points: only letters, with single "
                "hyphens between them where the word may break")
    return None


def parse_word(entry: str) -> tuple[str, tuple[int, ...]]:
    """``Pet-ro-grad`` -> (``petrograd``, (3, 5)): the word as looked up and where it may
    break (a break at n puts n letters before the hyphen)."""
    points, length = [], 0
    for part in entry.split("-")[:-1]:
        length += len(part)
        points.append(length)
    return entry.replace("-", "").lower(), tuple(points)


@dataclass(frozen=True)
class HyphenationWords:
    """The book's words and their break points, keyed by the lower-case word."""

    points: dict[str, tuple[int, ...]] = field(default_factory=dict)

    def lookup(self, word: str) -> tuple[int, ...] | None:
        """The break points of ``word`` (word joiners left out) when the book lists it,
        also with a possessive ending; None when it does not."""
        key = word.lower()
        found = self.points.get(key)
        if found is None and key.endswith(_POSSESSIVE):
            found = self.points.get(key[:-2])
        return found

    @classmethod
    def of(cls, entries: list[str]) -> HyphenationWords:
        """The words of valid ``entries`` (later entries of a word win)."""
        return cls(dict(parse_word(entry) for entry in entries if word_problem(entry) is None))


def read_words_file(path: Path) -> tuple[list[tuple[int, str]], list[Diagnostic]]:
    """The entries of a hyphenation file as (line, entry), and its problems at their
    lines: one word a line, blank lines and ``#`` comments ignored."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        return [], [error(BAD_FILE, f"the hyphenation file is not UTF-8 text ({exc.reason})",
                          path, None)]
    except OSError as exc:
        return [], [error(BAD_FILE, f"the hyphenation file cannot be read ({exc.strerror})",
                          path, None)]
    entries, problems = [], []
    for number, line in enumerate(text.splitlines(), 1):
        entry = line.split("#", 1)[0].strip().lstrip("\ufeff")
        if not entry:
            continue
        problem = word_problem(entry)
        if problem is not None:
            problems.append(error(BAD_WORD, problem, path, number,
                                  hint="one word a line, e.g. Pet-ro-grad (or Tchernov: "
                                       "never break it)"))
            continue
        entries.append((number, entry))
    return entries, problems


def _twice(entries: list[tuple[str, tuple[Path, int | None]]]) -> list[Diagnostic]:
    """A word listed again with other break points (the same word twice is harmless)."""
    seen: dict[str, tuple[str, tuple[Path, int | None]]] = {}
    problems = []
    for entry, (path, line) in entries:
        word, points = parse_word(entry)
        if word in seen and parse_word(seen[word][0])[1] != points:
            first, (first_path, first_line) = seen[word]
            where = (f"line {first_line}" if first_path == path
                     else first_path.name + (f":{first_line}" if first_line else ""))
            problems.append(error(TWICE, f"'{entry}' gives other break points than '{first}' "
                                         f"({where})", path, line,
                                  hint="list each word once"))
        seen.setdefault(word, (entry, (path, line)))
    return problems


def book_words(book_dir: Path, words: tuple[str, ...], file: str | None,
               listed_at: tuple[Path, int | None] = (Path("book.yaml"), None),
               ) -> tuple[HyphenationWords, list[Diagnostic]]:
    """The book's hyphenation words (book.yaml's list, then the file's) and the problems
    of the file, and of a word given in both with other points."""
    located = [(entry, listed_at) for entry in words if word_problem(entry) is None]
    problems: list[Diagnostic] = []
    if file is not None:
        path = book_dir / file
        entries, problems = read_words_file(path)
        located += [(entry, (path, number)) for number, entry in entries]
        # twice in book.yaml alone is the schema's to report, at its line
        problems += [p for p in _twice(located) if p.path != listed_at[0]]
    return HyphenationWords.of([entry for entry, _ in located]), problems
