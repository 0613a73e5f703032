"""Pandoc's citation syntax, read from a ``span.citation`` the Markdown reader kept.

``[see @doe, pp. 33-35, 38 and passim; -@roe]``: items separated by ``;``, each with a
prefix, a key (``-@`` suppresses the author), then a locator and a suffix. ``@doe [p. 33]``
names the author in the text. Locator terms are those Pandoc knows (its English locale's
terms), mapped to CSL's locator labels; a locator without a term is a page, and text after
the key that is no locator is the suffix, as in Pandoc.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from make_book.markup.md_citations import CITE_KEY

# Pandoc's locator terms (citeproc's English locale, singular and plural, long and short)
_TERMS: dict[str, tuple[str, ...]] = {
    "book": ("book", "books", "bk.", "bks."),
    "chapter": ("chapter", "chapters", "chap.", "chaps."),
    "column": ("column", "columns", "col.", "cols."),
    "figure": ("figure", "figures", "fig.", "figs."),
    "folio": ("folio", "folios", "fol.", "fols."),
    "issue": ("number", "numbers", "no.", "nos."),
    "line": ("line", "lines", "l.", "ll."),
    "note": ("note", "notes", "n.", "nn."),
    "opus": ("opus", "opera", "op.", "opp."),
    "page": ("page", "pages", "p.", "pp."),
    "paragraph": ("paragraph", "paragraphs", "para.", "paras.", "¶¶", "¶"),
    "part": ("part", "parts", "pt.", "pts."),
    "section": ("section", "sections", "sec.", "secs.", "§§", "§"),
    "sub verbo": ("sub verbo", "sub verbis", "s.v.", "s.vv."),
    "verse": ("verse", "verses", "v.", "vv."),
    "volume": ("volume", "volumes", "vol.", "vols."),
}
LABELS: dict[str, str] = {term: label for label, terms in _TERMS.items() for term in terms}
# longest first, so "pp." is not read as "p." followed by "p."
_TERM_RE = re.compile("(" + "|".join(re.escape(t) for t in sorted(LABELS, key=len, reverse=True))
                      + r")(?=\s|\d|$)\s*", re.IGNORECASE)
# one locator value: digits, roman numerals, letters with digits, ranges (-, en dash), and
# lists joined by ", " or "&" while the next piece is again such a value
_VALUE = r"(?:[\dIVXLCDMivxlcdm]+[\w.]*|\w*\d\w*)(?:\s*[-\u2013]+\s*\w+)?"
_VALUES_RE = re.compile(_VALUE + r"(?:\s*(?:,|&)\s*" + _VALUE + r"(?![\w]))*")
_KEY_RE = re.compile(r"(-?)@(" + CITE_KEY + ")")


@dataclass(frozen=True)
class CiteItem:
    key: str
    prefix: str = ""
    suffix: str = ""
    label: str | None = None  # CSL locator label: "page", "chapter"...
    locator: str | None = None
    suppress_author: bool = False
    author_in_text: bool = False


@dataclass(frozen=True)
class Citation:
    items: tuple[CiteItem, ...]
    source: str  # as written, for messages

    @property
    def in_text(self) -> bool:
        """``@doe`` or ``@doe [p. 3]``: the author's name belongs to the sentence."""
        return any(i.author_in_text for i in self.items)


def _locator(rest: str) -> tuple[str | None, str | None, str]:
    """(label, locator, suffix) of what follows a key."""
    text = rest
    if text.startswith("{"):  # [@doe{ii, A, D-Z}, with a suffix]: the braces are the locator
        end = text.find("}")
        if end > 0:
            inner = text[1:end].strip()
            term = _TERM_RE.match(inner)
            label = LABELS[term.group(1).lower()] if term else "page"
            return label, inner[term.end():] if term else inner, text[end + 1:]
    if not text.lstrip().startswith(","):
        return None, None, text
    body = text.lstrip()[1:].lstrip()
    term = _TERM_RE.match(body)
    label = LABELS[term.group(1).lower()] if term else "page"
    after_term = body[term.end():] if term else body
    value = _VALUES_RE.match(after_term)
    if value is None or not re.search(r"\d|^[ivxlcdm]+\b", value.group(0), re.IGNORECASE):
        return None, None, text  # no locator: all of it is the suffix
    return label, value.group(0).strip(), after_term[value.end():]


def _item(text: str) -> CiteItem | None:
    m = _KEY_RE.search(text)
    if m is None:
        return None
    label, locator, suffix = _locator(text[m.end():])
    return CiteItem(m.group(2).strip("{}"), text[:m.start()].strip(), suffix.strip(),
                    label, locator, suppress_author=bool(m.group(1)))


def parse(text: str) -> Citation | None:
    """The citation the Markdown reader found (``[...]`` or ``@key [...]``); None when the
    text holds no key."""
    text = text.strip()
    if text.startswith("["):
        items = [_item(part) for part in text[1:-1].split(";")]
        if not items or any(i is None for i in items):
            return None
        return Citation(tuple(items), text)  # type: ignore[arg-type]
    m = _KEY_RE.match(text)
    if m is None:
        return None
    rest = text[m.end():].strip()
    label = locator = None
    suffix = ""
    if rest.startswith("[") and rest.endswith("]"):
        inner = rest[1:-1].strip()
        label, locator, suffix = _locator(inner if inner.startswith((",", "{"))
                                          else ", " + inner)
        if locator is None:
            suffix = inner
    item = CiteItem(m.group(2).strip("{}"), "", suffix.strip(), label, locator,
                    author_in_text=True)
    return Citation((item,), text)
