"""The book's settings for its editions: the print trim, bleed and marks, the web edition's
address, which front matter make-book generates, and the book's own hyphenation words
(split from :mod:`make_book.config.metadata`: settings, not bibliographic facts).
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
)
from pydantic_core import InitErrorDetails

from make_book.config import hyphenation as hyphenation_words
from make_book.config.fields import (
    BAD_VALUE,
    Text,
    _book_path,
    _Model,
)
from make_book.config.values import fail

_PT_PER = {"in": 72.0, "mm": 72 / 25.4, "cm": 72 / 2.54, "pt": 1.0, "pc": 12.0, "px": 0.75}
TRIM_PRESETS: dict[str, tuple[float, float]] = {
    "us-trade": (6 * 72.0, 9 * 72.0),
    "digest": (5.5 * 72, 8.5 * 72),
    "royal": (156 * _PT_PER["mm"], 234 * _PT_PER["mm"]),
    "a5": (148 * _PT_PER["mm"], 210 * _PT_PER["mm"]),
    "demy": (138 * _PT_PER["mm"], 216 * _PT_PER["mm"]),
}


def parse_length(value: str) -> float | None:
    """A CSS length in points (``0.125in``, ``3mm``, ``0``); None if not one."""
    m = re.fullmatch(r"\s*(\d+(?:\.\d*)?|\.\d+)\s*([a-z]*)\s*", value)
    if not m:
        return None
    number, unit = float(m[1]), m[2]
    if not unit:
        return 0.0 if number == 0 else None
    return number * _PT_PER[unit] if unit in _PT_PER else None


def parse_trim(value: str) -> tuple[float, float] | None:
    """Page size in points from a preset name or two lengths (``6in 9in``)."""
    if value.strip().lower() in TRIM_PRESETS:
        return TRIM_PRESETS[value.strip().lower()]
    parts = value.split()
    if len(parts) != 2:
        return None
    w, h = parse_length(parts[0]), parse_length(parts[1])
    return (w, h) if w and h else None


# KDP Print's bleed (TYPOGRAPHY.md, render/print/geometry.py): what ``bleed: auto`` gives the
# pages that bleed, and what a cover always has.
DEFAULT_BLEED = "0.125in"


class PrintSettings(_Model):
    trim: str = "us-trade"
    # ``auto``: the interior gets KDP's 0.125 in on its three outer edges only when a figure
    # bleeds, else none (a plain text book is printed at its trim); a length: always that
    # bleed; ``0``: never (a figure marked to bleed then stays inside the margins).
    bleed: str = "auto"
    marks: Literal["none", "crop"] = "none"
    toc_depth: int = Field(2, ge=1, le=3)
    paper: Text | None = None
    running_head_verso: Literal["title", "author"] = "title"
    # A tagged PDF (structure tree: headings, paragraphs, figures with their alt text, in
    # reading order) for a PDF that readers get too, not only the printer; it costs write
    # time (about 4 ms a page), so it is asked for.
    tagged: bool = False

    @field_validator("trim")
    @classmethod
    def _trim(cls, value: str) -> str:
        if parse_trim(value) is None:
            raise fail(BAD_VALUE, f"'{value}' is not a trim size",
                       hint="a preset (" + ", ".join(TRIM_PRESETS)
                            + ") or width and height, e.g. 6in 9in or 156mm 234mm")
        return value.strip()

    @field_validator("bleed")
    @classmethod
    def _bleed(cls, value: str) -> str:
        if value.strip().lower() == "auto":
            return "auto"
        if parse_length(value) is None:
            raise fail(BAD_VALUE, f"'{value}' is not a length",
                       hint="auto, or a length: e.g. 0.125in, 3mm or 0")
        return value.strip()

    @property
    def trim_size(self) -> tuple[float, float]:
        """(width, height) of the trimmed page in points."""
        return parse_trim(self.trim)  # type: ignore[return-value]  # validated

    @property
    def bleed_auto(self) -> bool:
        """Bleed only if something in the book bleeds (``bleed: auto``)."""
        return self.bleed == "auto"

    @property
    def bleed_pt(self) -> float:
        """The bleed in points where there is bleed (``auto``: KDP's 0.125 in)."""
        value = DEFAULT_BLEED if self.bleed_auto else self.bleed
        return parse_length(value)  # type: ignore[return-value]  # validated


class Generate(_Model):
    """Which pieces of front matter make-book writes itself."""

    half_title: bool = True
    series_page: bool = True  # only printed when the book belongs to a series
    title_page: bool = True
    copyright_page: bool = True
    toc: bool = True
    list_of_illustrations: bool = False
    cover: bool = True  # an EPUB cover from the layout's template when there is no cover-image
    index: bool = True  # the indexes built from the index marks, in both formats


BAD_BASE_URL = "W001"


class WebSettings(_Model):
    """The web edition (render/web): where it is published. Absolute URLs are what a
    sitemap must list (sitemaps.org) and what feed readers resolve links against."""

    base_url: Text | None = None

    @field_validator("base_url")
    @classmethod
    def _absolute(cls, value: str | None) -> str | None:
        if value is None:
            return None
        if not re.fullmatch(r"https?://[^\s/?#]+(/[^\s?#]*)?", value):
            raise fail(BAD_BASE_URL, f"'{value}' is not an http(s) URL of a folder",
                       hint="e.g. https://books.example.org/flatland/")
        return value if value.endswith("/") else value + "/"


def _hyphenation_shape(value: Any) -> Any:
    """``hyphenation: [words]`` and ``hyphenation: file.txt`` are shorthands of the
    mapping."""
    if isinstance(value, str):
        return {"file": value}
    if isinstance(value, (list, tuple)):
        return {"words": value}
    return value


def _hyphen_word(value: str) -> str:
    problem = hyphenation_words.word_problem(value)
    if problem is not None:
        raise fail(hyphenation_words.BAD_WORD, problem,
                   hint="e.g. Pet-ro-grad (breaks at its hyphens only) or Tchernov (never)")
    return value


class Hyphenation(_Model):
    """The book's words with their break points (see :mod:`make_book.config.hyphenation`)."""

    words: tuple[Annotated[str, AfterValidator(_hyphen_word)], ...] = ()
    file: str | None = None

    @field_validator("file")
    @classmethod
    def _file_inside(cls, value: str | None, info: ValidationInfo) -> str | None:
        return None if value is None else _book_path(value, info)

    @field_validator("words", mode="after")
    @classmethod
    def _points_agree(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        first: dict[str, tuple[int, str]] = {}
        errors = []
        for i, entry in enumerate(value):
            word, points = hyphenation_words.parse_word(entry)
            if word in first and hyphenation_words.parse_word(first[word][1])[1] != points:
                errors.append(InitErrorDetails(
                    type=fail(hyphenation_words.TWICE,
                              f"'{entry}' gives other break points than '{first[word][1]}'",
                              hint="list each word once"),
                    loc=(i,), input=entry))
            first.setdefault(word, (i, entry))
        if errors:
            raise ValidationError.from_exception_data(cls.__name__, errors)
        return value
