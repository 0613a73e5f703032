"""The print QA report's data: the kinds of finding with their codes and which block print,
the thresholds the checks use, a finding, the report written beside the PDF, and what the
checks are given (:class:`Context`, :class:`ImageCheck`). Split from
:mod:`make_book.render.print.qa`, which finds them.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path

from make_book.render.cover.spine import Paper

SCHEMA = "make-book/print-qa/1"
PX_PER_PT = 96 / 72

# kind -> (code, what one finding is called, and several); in report order
KINDS: dict[str, tuple[str, str, str]] = {
    "broken-line": ("Q001", "line broken in mid-paragraph", "lines broken in mid-paragraph"),
    "orphan": ("Q002", "orphan", "orphans"),
    "widow": ("Q003", "widow", "widows"),
    "hyphen-ladder": ("Q004", "hyphen ladder", "hyphen ladders"),
    "recto-foot-hyphen": ("Q005", "hyphen at the foot of a recto",
                          "hyphens at the foot of a recto"),
    "float-short-page": ("Q013", "page short before a figure or table",
                         "pages short before a figure or table"),
    "short-page": ("Q006", "short page", "short pages"),
    "loose-line": ("Q007", "loose line", "loose lines"),
    "overfull-line": ("Q008", "overfull line", "overfull lines"),
    "separated-caption": ("Q009", "caption apart from its figure or table",
                          "captions apart from their figure or table"),
    "running-head": ("Q014", "running head on more than one line",
                     "running heads on more than one line"),
    "shortened-head": ("Q015", "running head cut to fit", "running heads cut to fit"),
    "missing-glyph": ("Q010", "missing glyph", "missing glyphs"),
    "low-resolution": ("Q011", "low-resolution figure", "low-resolution figures"),
    "page-count": ("Q016", "interior too thick for one paperback",
                   "interiors too thick for one paperback"),
}
MORE_CODE = "Q012"
# what a printer would refuse: these fail a --strict build
# A page short for another reason (a heading kept with its text, a note kept with its
# call's line) is how a typesetter sets it too when nothing else helps: advice, counted.
BLOCKING = frozenset({"broken-line", "orphan", "widow", "hyphen-ladder", "float-short-page",
                      "overfull-line", "separated-caption", "running-head", "missing-glyph"})
LISTED = 5  # blocking findings per kind given as diagnostics; the rest are counted

BROKEN_SHARE = 0.1  # a mid-paragraph line short of the measure by more than this share
OVERFULL_PX = 0.5  # wider than the measure by more than this (rounding stays quiet)
SHORT_LINES = 2  # a page may run this many lines short (a footnote or a widow moved)
NATURAL_SPACE = 0.25  # em: the word space assumed when the font's cannot be read


@dataclass(frozen=True)
class Finding:
    kind: str
    message: str
    page: int | None = None  # PDF page, from 1
    folio: str | None = None  # the page number as printed
    file: str | None = None  # the source, relative to the book folder
    line: int | None = None
    text: str | None = None  # the printed line it is about

    @property
    def code(self) -> str:
        return KINDS[self.kind][0]

    @property
    def blocking(self) -> bool:
        return self.kind in BLOCKING

    def where(self) -> str:
        if self.page is not None:
            return f"p. {self.folio} (PDF page {self.page})"
        return "the whole book" if self.kind == "page-count" else "before layout"


_FIELDS = tuple(f.name for f in fields(Finding))


@dataclass
class Report:
    book: str
    pdf: str
    pages: int
    findings: list[Finding] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(KINDS, 0)
        for f in self.findings:
            counts[f.kind] += 1
        return counts

    def to_json(self) -> bytes:
        data = {
            "schema": SCHEMA, "book": self.book, "pdf": self.pdf, "pages": self.pages,
            "blocking": sorted(BLOCKING), "counts": self.counts(),
            # the fields one by one: asdict copies each value deeply, and took as long
            # as the rest of the report (3,333 findings of a 467-page book: 0.03 s)
            "findings": [{"kind": f.kind, "code": f.code, "blocking": f.blocking,
                          **{k: getattr(f, k) for k in _FIELDS if k != "kind"}}
                         for f in self.findings]}
        return (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode()

    def summary(self, shown: int = 3) -> list[str]:
        """Counts per kind, then the first few findings of each advisory kind (blocking
        ones are printed as diagnostics already)."""
        counts = self.counts()
        found = [f"{n} {KINDS[k][1 if n == 1 else 2]}" for k, n in counts.items() if n]
        lines = [(f"print QA: {', '.join(found) if found else 'no findings'} "
                 f"({self.pages} pages)")]
        for kind in KINDS:
            if kind in BLOCKING:
                continue
            for f in [f for f in self.findings if f.kind == kind][:shown]:
                lines.append(f"  {f.file or self.book}{f':{f.line}' if f.line else ''}: "
                             f"{f.code} {f.where()}: {f.message}")
        return lines


@dataclass(frozen=True)
class ImageCheck:
    """A figure's resolution as printed (what ``P002``/``P003`` report)."""

    page: int  # PDF page index
    src: str
    dpi: float
    source: Path | None


@dataclass(frozen=True)
class Context:
    """What the findings need besides the pages: the book's files and the layout's rules."""

    root: Path
    sources: dict[str, Path]  # chapter file_id -> its Markdown file
    body_start: int | None
    hyphen_limit: int | None
    max_word_spacing: float  # percent of the font's word space
    natural_space: float  # em: the text font's word space
    leading: float  # px: one line of body text
    # file_id -> (the chapter's running head, the head the renderer cut it to)
    shortened_heads: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    pages: int = 0  # the interior's page count
    paper: Paper | None = None  # print.paper: how many pages one paperback binds
