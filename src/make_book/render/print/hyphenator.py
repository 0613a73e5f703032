"""Where a word may break at a line end in print: the book's own list first, then the
language's patterns (pyphen, as WeasyPrint uses them), never in a name unless asked.

WeasyPrint hyphenates with ``pyphen.Pyphen(lang, left, right)`` objects it keeps in
``context.dictionaries``; :class:`Dictionaries` takes that place and hands out a
:class:`Hyphenator` instead, which decides:

- a word the book lists (``hyphenation:`` in book.yaml) breaks at its listed points
  only, or never (config/hyphenation.py);
- a word with a capital (a proper name, an adjective of nationality: Pet-rograd,
  Russi-an, Tch-ernov) does not break, unless :attr:`Dictionaries.names` is set, which
  the renderer does only for a line that cannot be set otherwise (render/weasy/hyphens.py);
  in German, where every noun has its capital, only a capital inside a word (DDR, McCoy)
  marks it as a name. A word with only its first letter capital that the book also prints
  in lower case (:func:`common_words`) is an ordinary word opening a sentence
  ("Agriculture"), not a name: it breaks as the lower-case word does, or a line before it
  is left loose (the Condition of the Working Class had 22 lines over 300% spacing, most
  before such a word);
- a word joiner (U+2060) in a word forbids a break beside it;
- the minimum word length and the letters kept before and after the break come from the
  layout's CSS (``hyphenate-limit-chars`` per ``:lang()``), as WeasyPrint reads them.

Soft hyphens never reach here: WeasyPrint breaks a word that has them only there.
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Iterable
from typing import TYPE_CHECKING

import pyphen

from make_book.config.hyphenation import WORD_JOINER, HyphenationWords

if TYPE_CHECKING:
    from make_book.model import Book

__all__ = ["Dictionaries", "Hyphenator"]

# Languages that capitalise every noun: an initial capital does not make a name there.
NOUN_CAPITALS = ("de", "lb")


_TAG = re.compile(r"<[^>]*>")
_WORD = re.compile(r"[^\W\d_]+")


def common_words(texts: Iterable[str]) -> frozenset[str]:
    """The words the ``texts`` (XHTML or plain) print all in lower case: a capitalised
    word among them opens a sentence or a title, it is no name."""
    out: set[str] = set()
    for text in texts:
        out.update(w for w in _WORD.findall(_TAG.sub(" ", text)) if w.islower())
    return frozenset(out)


_last_book: tuple[weakref.ref, frozenset[str]] | None = None


def book_common_words(book: Book) -> frozenset[str]:
    """:func:`common_words` of the book's chapters, read once per book: the layout's
    hyphenation and the piece cache's keys both ask (0.1 s each on a 467-page book)."""
    global _last_book
    if _last_book is not None and _last_book[0]() is book:
        return _last_book[1]
    words = common_words(c.body.text(" ") for c in book.chapters)
    _last_book = (weakref.ref(book), words)
    return words


def _looks_like_a_name(word: str, nouns_capitalised: bool,
                       common: frozenset[str] = frozenset()) -> bool:
    if not nouns_capitalised and word[1:].islower() and word.lower() in common:
        return False  # "Agriculture" at a sentence's start: the book prints "agriculture"
    return any(char.isupper() for char in (word[1:] if nouns_capitalised else word))


class Hyphenator(pyphen.Pyphen):
    """A pyphen dictionary that knows the book's words and leaves names alone."""

    def __init__(self, lang: str, left: int, right: int, words: HyphenationWords,
                 names: bool, common: frozenset[str] = frozenset()) -> None:
        super().__init__(lang=lang, left=left, right=right)
        self.words = words
        self.names = names
        self.common = common
        self.nouns_capitalised = lang.lower().split("_")[0] in NOUN_CAPITALS

    def positions(self, word: str) -> list[int]:
        plain = word.replace(WORD_JOINER, "")
        listed = self.words.lookup(plain)
        if listed is not None:
            points = [p for p in listed if 0 < p < len(plain)]
        elif not self.names and _looks_like_a_name(plain, self.nouns_capitalised, self.common):
            return []
        elif plain == word:
            return super().positions(word)  # keeps pyphen's non-standard breaks (ck -> k-k)
        else:
            points = [int(p) for p in super().positions(plain)]
        if plain == word:
            return [pyphen.DataInt(p) for p in points]
        return _around_joiners(word, points)


def _around_joiners(word: str, points: list[int]) -> list[int]:
    """Points of the word without its joiners, as points of ``word``; none beside a
    joiner."""
    index_of = [i for i, char in enumerate(word) if char != WORD_JOINER]
    out = []
    for point in points:
        at = index_of[point]  # the break comes before this character
        if word[at - 1] != WORD_JOINER:
            out.append(pyphen.DataInt(at))
    return out


class Dictionaries(dict):
    """WeasyPrint's ``context.dictionaries``, keyed as it asks (lang, left, right, total):
    one :class:`Hyphenator` per key and per :attr:`names`."""

    def __init__(self, words: HyphenationWords, common: frozenset[str] = frozenset()) -> None:
        super().__init__()
        self.words = words
        self.common = common  # the book's lower-case words (:func:`common_words`)
        self.names = False  # whether words with capitals may break (set per line)

    def get(self, key, default=None):
        lang, left, right, _total = key
        full = (key, self.names)
        found = dict.get(self, full)
        if found is None:
            found = self[full] = Hyphenator(lang, left, right, self.words, self.names,
                                            self.common)
        return found
