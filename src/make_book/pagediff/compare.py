"""Pairing the pages of two PDFs and naming what happened to each.

The pages are aligned as sequences (difflib over each page's body text), the way a diff
aligns lines: a run of equal bodies is the same text; at another page number it moved; a
replaced run pairs its pages in order and diffs their words; pages left over were added or
removed. A page whose body is the same but whose head or foot differs at the same number
(a running head) changed; one whose text is the same everywhere may still differ in what
is drawn (a figure): :mod:`make_book.pagediff.pixels` decides those.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from make_book.pagediff.pages import PageText

Kind = Literal["same", "moved", "changed", "added", "removed"]


@dataclass
class WordChange:
    """One run of changed words: what was there and what is there now, with a few words
    of context either side for the reader to find it. ``moved_to`` / ``moved_from``: the
    page (name) where the removed words reappear, or the added ones came from: text that
    ran over onto the next page, not a change of wording."""
    before: str
    removed: str
    added: str
    after: str
    moved_to: str | None = None
    moved_from: str | None = None


@dataclass
class PagePair:
    kind: Kind
    old: PageText | None
    new: PageText | None
    words: list[WordChange] = field(default_factory=list)
    boxes: list[tuple[int, int, int, int]] = field(default_factory=list)  # changed areas
    drawing_only: bool = False  # the text is the same; what is drawn differs

    @property
    def name(self) -> str:
        """'p. 5' or 'p. 5 -> 6' (old -> new), by printed folio."""
        if self.old and self.new and self.old.number != self.new.number:
            return f"p. {self.old.label} -> {self.new.label}"
        page = self.new or self.old
        return f"p. {page.label}" if page else "?"


@dataclass
class PageDiff:
    """Two PDFs' pages paired: the value the run returns and the report reads (here, below
    both, so that neither imports the other)."""
    old: Path
    new: Path
    old_pages: int
    new_pages: int
    pairs: list[PagePair]

    @property
    def differences(self) -> list[PagePair]:
        return [p for p in self.pairs if p.kind != "same"]

    def of_kind(self, kind: str) -> list[PagePair]:
        return [p for p in self.pairs if p.kind == kind]


CONTEXT = 4


def word_changes(old: tuple[str, ...], new: tuple[str, ...]) -> list[WordChange]:
    """The word-level differences between two pages' texts."""
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    out = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        out.append(WordChange(" ".join(old[max(0, i1 - CONTEXT):i1]), " ".join(old[i1:i2]),
                              " ".join(new[j1:j2]), " ".join(old[i2:i2 + CONTEXT])))
    return out


MIN_MOVED_WORDS = 3  # fewer words recur by chance


def link_runs(pairs: list[PagePair]) -> None:
    """Mark runs removed from one changed page and added, word for word, to another: the
    text flowed to a neighbouring page."""
    changed = [p for p in pairs if p.kind == "changed"]
    for pair in changed:
        for change in pair.words:
            if change.moved_to or len(change.removed.split()) < MIN_MOVED_WORDS:
                continue
            for other in changed:
                match = next((c for c in other.words if other is not pair
                              and c.moved_from is None and c.added == change.removed), None)
                if match is not None:
                    change.moved_to, match.moved_from = other.name, pair.name
                    break


def pair_pages(old: list[PageText], new: list[PageText]) -> list[PagePair]:
    """Every page of both PDFs in one pair, in the new PDF's order."""
    matcher = difflib.SequenceMatcher(None, [p.body for p in old], [p.body for p in new],
                                      autojunk=False)
    pairs: list[PagePair] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            for a, b in zip(old[i1:i2], new[j1:j2]):
                if a.number != b.number:
                    pairs.append(PagePair("moved", a, b))
                elif a.words != b.words:
                    pairs.append(PagePair("changed", a, b, word_changes(a.words, b.words)))
                else:
                    pairs.append(PagePair("same", a, b))
            continue
        olds, news = old[i1:i2], new[j1:j2]
        for a, b in zip(olds, news):
            pairs.append(PagePair("changed", a, b, word_changes(a.words, b.words)))
        pairs += [PagePair("removed", a, None) for a in olds[len(news):]]
        pairs += [PagePair("added", None, b) for b in news[len(olds):]]
    link_runs(pairs)
    return pairs
