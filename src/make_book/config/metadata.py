"""book.yaml and chapter front matter as typed, validated, frozen models.

Keys are kebab-case as in Pandoc (``short-title``, ``cover-image``); Python code uses the
snake_case names. Unknown keys are errors: a typo must never be ignored. Validators raise
:func:`fail` errors whose type is our stable code and whose message is a phrase to follow
the key's location (``isbn.epub`` + ``978-... has a wrong check digit (expected 5)``);
:mod:`make_book.config.load` turns them into diagnostics with lines.

Checks that need the book folder (files exist, stay inside) run only when validation gets
``context={"book_dir": Path}``; without it paths are checked for shape only, so tests and
other stages can build a ``BookMetadata`` in memory.

Codes: M010 unknown key, M011 missing key, M012 bad ISBN/ISSN, M013 bad lang, M014 bad
date, M015 missing file, M016 path outside the book, M017 wrong type, M018 listed twice,
M019 bad contributor role, M020 bad value, M021 parts nested too deep, M022 bad chapter kind,
M023 same ISBN for two formats, M024 not a .md file, M025 bad id; M050-M052 the book's
hyphenation words (:mod:`make_book.config.hyphenation`); M090 printing and printings both
given, M091 unknown format, M092 printings out of order, M093 a format listed twice.

Text a reader sees (titles, names, rights, description...) is a :class:`MetaText`: Markdown
as Pandoc reads YAML metadata, typeset in the book's language once the whole model is
valid; what its raw HTML lost or what could not be shown is kept in ``text_problems`` for
the loader to report at the key's line (codes of :mod:`make_book.config.meta_text`).
"""

from __future__ import annotations

import datetime as dt
import difflib
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal, Union

import langcodes
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    PrivateAttr,
    StringConstraints,
    Tag,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import InitErrorDetails, PydanticCustomError

from make_book.config import hyphenation as hyphenation_words
from make_book.editions import EDITIONS
from make_book.config.isbn import check_isbn, check_issn, normalize_isbn, to_isbn13
from make_book.config.meta_text import MetaText, typeset
from make_book.config.paths import PathError, check_relative, resolve_inside
from make_book.config.prices import Prices
from make_book.config.values import describe, fail
from make_book.errors import Diagnostic
from make_book.kinds import KINDS

UNKNOWN_KEY, MISSING_KEY, BAD_ISBN, BAD_LANG, BAD_DATE = "M010", "M011", "M012", "M013", "M014"
MISSING_FILE, OUTSIDE_BOOK, WRONG_TYPE, LISTED_TWICE = "M015", "M016", "M017", "M018"
BAD_ROLE, BAD_VALUE, NESTED_PART, BAD_KIND = "M019", "M020", "M021", "M022"
SAME_ISBN, NOT_MARKDOWN, BAD_ID = "M023", "M024", "M025"

# MARC relator codes a book's contributors commonly carry (https://id.loc.gov/vocabulary/relators).
ROLES: dict[str, str] = {
    "aut": "author", "trl": "translator", "edt": "editor", "aui": "author of introduction",
    "aft": "author of afterword", "ill": "illustrator", "pht": "photographer",
    "ctb": "contributor", "com": "compiler", "cmm": "commentator", "ann": "annotator",
    "adp": "adapter", "pbl": "publisher", "red": "redaktor", "nrt": "narrator",
}

_PT_PER = {"in": 72.0, "mm": 72 / 25.4, "cm": 72 / 2.54, "pt": 1.0, "pc": 12.0, "px": 0.75}
TRIM_PRESETS: dict[str, tuple[float, float]] = {
    "us-trade": (6 * 72.0, 9 * 72.0),
    "digest": (5.5 * 72, 8.5 * 72),
    "royal": (156 * _PT_PER["mm"], 234 * _PT_PER["mm"]),
    "a5": (148 * _PT_PER["mm"], 210 * _PT_PER["mm"]),
    "demy": (138 * _PT_PER["mm"], 216 * _PT_PER["mm"]),
}


@dataclass(frozen=True)
class Contributor:
    """A person the book credits, as the metadata resolves book.yaml's creators."""

    name: str
    role: str  # MARC relator code: aut, trl, edt, aui, ill, ...
    file_as: str | None = None


def _kebab(name: str) -> str:
    return name.replace("_", "-")


class _Model(BaseModel):
    # Numbers become text where text is wanted: `title: 1984`, `isbn: {epub: 9780306406157}`.
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True,
                              alias_generator=_kebab, coerce_numbers_to_str=True)


Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


def _one_or_list(value: Any) -> Any:
    if isinstance(value, (str, int)) and not isinstance(value, bool):
        return [value]
    if isinstance(value, (list, tuple)):
        return value
    raise fail(WRONG_TYPE, f"should be a text or a list of texts, not {describe(value)}")


TextList = Annotated[tuple[Text, ...], BeforeValidator(_one_or_list)]
# Markdown, typeset by BookMetadata once its language is known (see _typeset_all)
InlineList = Annotated[tuple[MetaText, ...], BeforeValidator(_one_or_list)]


def bcp47_case(tag: str) -> str:
    """RFC 5646 2.1.1 letter case: ``en-gb`` -> ``en-GB``, ``sr-latn`` -> ``sr-Latn``."""
    parts = tag.split("-")
    out = [parts[0].lower()]
    tail = len(parts[0]) == 1  # x-..., i-...: private use or grandfathered, all lower case
    for part in parts[1:]:
        tail = tail or len(part) == 1  # after a singleton come extensions: lower case
        if not tail and len(part) == 2 and part.isalpha():
            part = part.upper()
        elif not tail and len(part) == 4 and part.isalpha():
            part = part.title()
        else:
            part = part.lower()
        out.append(part)
    return "-".join(out)


def _check_lang(value: str) -> str:
    tag = value.strip()
    if "_" in tag:
        raise fail(BAD_LANG, f"'{value}' is not a BCP 47 language tag",
                   hint=f"use hyphens: {tag.replace('_', '-')}")
    if not langcodes.tag_is_valid(tag):
        raise fail(BAD_LANG, f"'{value}' is not a valid BCP 47 language tag",
                   hint="e.g. en, en-GB, fr, de-CH, ru-Latn")
    return bcp47_case(tag)


LangTag = Annotated[str, AfterValidator(_check_lang)]

_NCNAME = re.compile(r"[A-Za-z_][A-Za-z0-9._-]*")


def _check_id(value: str) -> str:
    if not _NCNAME.fullmatch(value):
        raise fail(BAD_ID, f"'{value}' is not a valid id",
                   hint="start with a letter or _, then use letters, digits, - _ or .")
    return value


XmlId = Annotated[str, AfterValidator(_check_id)]


def _date_text(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.isoformat().replace("+00:00", "Z")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value


_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


def parse_date(value: str) -> dt.date | None:
    """First day of an ISO 8601 date, month, year or date-time; None if not valid."""
    m = _DATE.fullmatch(value)
    try:
        if m:
            return dt.date(int(m[1]), int(m[2] or 1), int(m[3] or 1))
        if re.match(r"\d{4}-\d{2}-\d{2}T", value):
            return dt.datetime.fromisoformat(value.replace("Z", "+00:00")).date()
    except ValueError:
        pass
    return None


def _check_date(value: str) -> str:
    if parse_date(value.strip()) is None:
        raise fail(BAD_DATE, f"'{value}' is not a valid date",
                   hint="write YYYY-MM-DD, YYYY-MM or YYYY, e.g. 2017-10-19")
    return value.strip()


IsoDate = Annotated[str, BeforeValidator(_date_text), AfterValidator(_check_date)]


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


# Paths -------------------------------------------------------------------------------------

def _book_dir(info: ValidationInfo) -> Path | None:
    ctx = info.context
    return Path(ctx["book_dir"]) if isinstance(ctx, dict) and ctx.get("book_dir") else None


def _raise_path_error(problem: PathError) -> None:
    code = OUTSIDE_BOOK if problem.escapes else (BAD_VALUE if problem.reason == "empty"
                                                  else MISSING_FILE)
    raise fail(code, problem.message, **({"hint": problem.hint} if problem.hint else {}))


def _book_path(value: str, info: ValidationInfo, suffix: str | None = None) -> str:
    """``value`` normalised; a file inside the book folder when the folder is known."""
    norm = check_relative(value)
    if isinstance(norm, PathError):
        _raise_path_error(norm)
    if suffix and not norm.lower().endswith(suffix):
        raise fail(NOT_MARKDOWN, f"{value} is not a Markdown file",
                   hint=f"list only {suffix} files here")
    book_dir = _book_dir(info)
    if book_dir is not None:
        resolved = resolve_inside(book_dir, value)
        if isinstance(resolved, PathError):
            _raise_path_error(resolved)
    return norm


def _chapter_path(value: str, info: ValidationInfo) -> str:
    return _book_path(value, info, ".md")


ChapterPath = Annotated[str, AfterValidator(_chapter_path)]


# Models ------------------------------------------------------------------------------------

MAX_PRINTING = 999  # the printing line counts down from the next ten: 1,000 numbers at most


def _check_printing(value: str) -> str:
    """``printing: 3`` becomes the line 10 ... 3; a number of millions would print
    millions of numbers. Other text (``First printing, 2024``) is printed as written."""
    if value.isascii() and value.isdigit() and int(value) > MAX_PRINTING:
        raise fail(BAD_VALUE, f"printing {value} is beyond {MAX_PRINTING}",
                   hint="the number of this printing: 1 for the first")
    return value


# Editions and printings (codes M090-M093) -------------------------------------------------
PRINTING_TWICE, UNKNOWN_FORMAT, PRINTINGS_ORDER, FORMAT_TWICE = "M090", "M091", "M092", "M093"


class Printing(_Model):
    """One printing (impression) of the edition: ``{number: 2, date: 2025-01,
    corrections: "..."}``. The latest drives the copyright page's printing line."""

    number: int = Field(ge=1, le=MAX_PRINTING)
    date: IsoDate | None = None
    corrections: Text | None = None

    @property
    def year(self) -> int | None:
        value = parse_date(self.date) if self.date else None
        return value.year if value else None


def _printings_in_order(value: tuple[Printing, ...]) -> tuple[Printing, ...]:
    """Printings are listed oldest first, each number once: the last is the current one,
    and a list out of order would print the wrong line without anyone noticing."""
    errors = []
    for i, (before, after) in enumerate(zip(value, value[1:]), start=1):
        if after.number <= before.number:
            errors.append(InitErrorDetails(
                type=fail(PRINTINGS_ORDER, f"{after.number} does not follow the previous "
                          f"printing's {before.number}", hint="list the printings oldest first, "
                          "numbered 1, 2, 3..."), loc=(i, "number"), input=after.number))
        elif before.date and after.date and parse_date(after.date) < parse_date(before.date):
            errors.append(InitErrorDetails(
                type=fail(PRINTINGS_ORDER, f"{after.date} is before the previous "
                          f"printing's {before.date}"), loc=(i, "date"), input=after.date))
    if errors:
        raise ValidationError.from_exception_data("printings", errors)
    return value


def _known_formats(value: tuple[str, ...]) -> tuple[str, ...]:
    """Every unknown or repeated name reported at its own item."""
    errors, seen = [], set()
    for i, name in enumerate(value):
        if name not in EDITIONS:
            close = difflib.get_close_matches(name.lower(), list(EDITIONS), n=1)
            errors.append(InitErrorDetails(
                type=fail(UNKNOWN_FORMAT, f"'{name}' is not a format",
                          hint=(f"did you mean {close[0]}? " if close else "")
                          + "formats: " + ", ".join(EDITIONS)), loc=(i,), input=name))
        elif name in seen:
            errors.append(InitErrorDetails(
                type=fail(FORMAT_TWICE, f"{name} is listed twice"), loc=(i,), input=name))
        seen.add(name)
    if errors:
        raise ValidationError.from_exception_data("formats", errors)
    return value


class Isbn(_Model):
    """One checked ISBN: the digits for identifiers, the text as written for display."""

    digits: str
    display: str

    @model_validator(mode="before")
    @classmethod
    def _from_text(cls, value: Any) -> Any:
        if isinstance(value, (Isbn, dict)):
            return value
        if isinstance(value, bool) or not isinstance(value, (str, int)):
            raise fail(WRONG_TYPE, f"should be an ISBN such as 978-0-306-40615-7, "
                                   f"not {describe(value)}")
        text = str(value).strip()
        problem = check_isbn(text)
        if problem:
            raise fail(BAD_ISBN, f"{text} {problem}")
        return {"digits": normalize_isbn(text), "display": text}

    @model_validator(mode="after")
    def _checked(self) -> Isbn:  # also when built from a mapping
        if problem := check_isbn(self.digits):
            raise fail(BAD_ISBN, f"{self.display} {problem}")
        return self

    @property
    def isbn13(self) -> str:
        return to_isbn13(self.digits)

    @property
    def urn(self) -> str:
        return f"urn:isbn:{self.isbn13}"

    def __str__(self) -> str:
        return self.display


class Isbns(_Model):
    epub: Isbn | None = None
    paperback: Isbn | None = None
    hardcover: Isbn | None = None
    pdf: Isbn | None = None

    @model_validator(mode="after")
    def _one_per_format(self) -> Isbns:
        first: dict[str, str] = {}
        errors = []
        for name in type(self).model_fields:
            isbn = getattr(self, name)
            if isbn is None:
                continue
            if isbn.isbn13 in first:
                other = first[isbn.isbn13]
                errors.append(InitErrorDetails(
                    type=fail(SAME_ISBN, f"{isbn.display} is also the {other} ISBN",
                              hint="each format needs its own ISBN", first=("isbn", other)),
                    loc=(name,), input=isbn.display))
            else:
                first[isbn.isbn13] = name
        if errors:
            raise ValidationError.from_exception_data(type(self).__name__, errors)
        return self

    def items(self) -> list[tuple[str, Isbn]]:
        """(format, isbn) for each format that has one."""
        return [(n, getattr(self, n)) for n in type(self).model_fields if getattr(self, n)]


class SeriesVolume(_Model):
    """Another volume of the series, for the series page: ``{number: 1, title: ...}``."""

    number: int | str | None = None
    title: MetaText
    subtitle: MetaText | None = None


class Series(_Model):
    title: MetaText
    number: int | str | None = None
    issn: str | None = None
    volumes: tuple[SeriesVolume, ...] = ()  # the whole series in order, this book included

    @field_validator("number", mode="before")
    @classmethod
    def _positive(cls, value: Any) -> Any:
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, (int, str)):
            raise fail(WRONG_TYPE, f"should be a number such as 4, not {describe(value)}")
        text = str(value).strip()
        if re.fullmatch(r"\d+", text):
            if int(text) < 1:
                raise fail(BAD_VALUE, f"{text} should be 1 or more")
            return int(text)
        if re.fullmatch(r"[1-9][0-9]*[A-Za-z]|[IVXLCDM]+|[ivxlcdm]+", text):
            return text
        raise fail(BAD_VALUE, f"'{value}' is not a series number", hint="e.g. 4, 2a or IV")

    @field_validator("issn")
    @classmethod
    def _issn(cls, value: str | None) -> str | None:
        if value is not None and (problem := check_issn(value)):
            raise fail(BAD_ISBN, f"{value} {problem}")
        return value


class CreatorEntry(_Model):
    name: MetaText
    role: str = "aut"
    file_as: Text | None = None

    @field_validator("role")
    @classmethod
    def _known_role(cls, value: str) -> str:
        code = value.strip().lower()
        if code not in ROLES:
            raise fail(BAD_ROLE, f"'{value}' is not a known MARC relator code",
                       hint="use one of " + ", ".join(f"{c} ({n})" for c, n in ROLES.items()))
        return code


def _creators(value: Any) -> Any:
    return [value] if isinstance(value, dict) else value


# KDP Print's bleed (TYPOGRAPHY.md, render/pdf_geometry.py): what ``bleed: auto`` gives the
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


# Parts inside parts, as deep as a book needs (Part > Book > Section > Chapter): four
# levels of parts leave heading levels 5 and 6 for chapters and their sections.
MAX_PART_DEPTH = 4


class IndexDecl(_Model):
    """One of the book's indexes (``indexes: [{name: index-of-names, title: Index of Names}]``);
    index marks name it with ``index-name=``; without declarations there is one index."""

    name: XmlId
    title: Text


class PartEntry(_Model):
    """``{part: Title, contents: [...]}``: chapter files and parts inside it, in order."""

    part: Text
    contents: tuple[ContentsEntry, ...] = Field(min_length=1)
    id: XmlId | None = None

    @property
    def paths(self) -> tuple[str, ...]:
        """Every chapter path inside, nested parts flattened, in reading order."""
        out: list[str] = []
        for entry in self.contents:
            out.extend(entry_paths(entry))
        return tuple(out)


class FileEntry(_Model):
    """``{file: chapters/01.md, title: Dedication}``: a chapter file listed with the title
    it takes when it has no heading (a dedication, an epigraph, a note)."""

    file: ChapterPath
    title: Text | None = None


def _entry_kind(value: Any) -> str:
    if isinstance(value, FileEntry) or (isinstance(value, dict) and "file" in value
                                         and "part" not in value):
        return "<file>"
    return "<part>" if isinstance(value, (dict, PartEntry)) else "<path>"


# Tags show up in error locations; brackets keep them from being mistaken for YAML keys.
ContentsEntry = Annotated[Union[Annotated[ChapterPath, Tag("<path>")],
                                Annotated[FileEntry, Tag("<file>")],
                                Annotated["PartEntry", Tag("<part>")]],
                          Discriminator(_entry_kind)]
PartEntry.model_rebuild()


def entry_paths(entry: Any) -> tuple[str, ...]:
    """The chapter paths one ``contents`` entry lists, in reading order."""
    if isinstance(entry, PartEntry):
        return entry.paths
    return (entry.file,) if isinstance(entry, FileEntry) else (entry,)


def _located_paths(raw: Any, loc: tuple = ()) -> list[tuple[tuple, Any]]:
    """(location, item) of every chapter path in raw ``contents``, nested parts included."""
    out = []
    for i, entry in enumerate(raw if isinstance(raw, (list, tuple)) else ()):
        if isinstance(entry, dict):
            if isinstance(entry.get("contents"), list):
                out += _located_paths(entry["contents"], loc + (i, "contents"))
            elif "file" in entry:
                out.append((loc + (i, "file"), entry["file"]))
        else:
            out.append((loc + (i,), entry))
    return out


def _too_deep(raw: Any, loc: tuple = (), depth: int = 1) -> list[InitErrorDetails]:
    """Errors at each part nested deeper than MAX_PART_DEPTH."""
    errors = []
    for i, entry in enumerate(raw if isinstance(raw, (list, tuple)) else ()):
        if not isinstance(entry, dict):
            continue
        if depth > MAX_PART_DEPTH:
            errors.append(InitErrorDetails(
                type=fail(NESTED_PART, f"is a part nested {depth} deep; parts nest at most "
                          f"{MAX_PART_DEPTH} deep", hint="heading levels 1-6 must hold the "
                          "parts, the chapters and their sections"),
                loc=loc + (i,), input=entry.get("part")))
        elif isinstance(entry.get("contents"), list):
            errors += _too_deep(entry["contents"], loc + (i, "contents"), depth + 1)
    return errors


def _listed_twice(raw: Any) -> list[InitErrorDetails]:
    """Errors at each repeated chapter path in raw ``contents`` (parts included)."""
    if not isinstance(raw, (list, tuple)):
        return []
    first: dict[str, tuple] = {}
    errors = []
    for loc, item in _located_paths(raw):
        if not isinstance(item, str) or not item.strip():
            continue
        key = posixpath.normpath(item.strip())
        if key in first:
            errors.append(InitErrorDetails(
                type=fail(LISTED_TWICE, f"{item} is listed twice in contents",
                          first=("contents",) + first[key]),
                loc=loc, input=item))
        else:
            first[key] = loc
    return errors


def _rebuild(errors: list[dict]) -> list[InitErrorDetails]:
    """ValidationError.errors() back into raisable details (to add errors of our own)."""
    out = []
    for e in errors:
        ctx = e.get("ctx")
        if e["type"].startswith("M0"):
            out.append(InitErrorDetails(type=PydanticCustomError(e["type"], "{message}", ctx),
                                        loc=e["loc"], input=e["input"]))
        else:
            details = InitErrorDetails(type=e["type"], loc=e["loc"], input=e["input"])
            if ctx:
                details["ctx"] = ctx
            out.append(details)
    return out


def _check_identifier(value: str) -> str:
    if re.search(r"\s", value):
        raise fail(BAD_VALUE, f"'{value}' contains spaces; an identifier is one URN or URI",
                   hint="e.g. urn:uuid:... or https://example.org/books/slug")
    return value


def _check_layout(value: str) -> str:
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_-]*", value):
        raise fail(BAD_VALUE, f"'{value}' is not a layout name",
                   hint="the name of a folder under layouts/, e.g. default")
    return value


_NOCITE_RE = re.compile(r"(?<![\w@])@(\*|\{[^{}]+\}|\w(?:[\w]|[:.#$%&\-+?<>~/](?=\w))*)")


def _nocite_keys(values: tuple[str, ...]) -> tuple[str, ...]:
    """Pandoc's ``nocite``: each value holds ``@key``s (or ``@*``, every reference)."""
    keys: list[str] = []
    for value in values:
        found = [k.strip("{}") for k in _NOCITE_RE.findall(value)]
        if not found:
            raise fail(BAD_VALUE, f"nocite: '{value}' names no citation key",
                       hint="write keys as in the text: ['@smith', '@doe'], or '@*' for "
                       "every reference of the bibliography")
        keys.extend(k for k in found if k not in keys)
    return tuple(keys)


def _typeset_value(value: Any, lang: str, loc: tuple,
                   problems: list[tuple[tuple, Diagnostic]]) -> Any:
    """``value`` with its MetaTexts typeset in ``lang`` (the same object when unchanged)."""
    if isinstance(value, MetaText):
        if value.lang == lang:
            return value
        text, found = typeset(value.source, lang)
        problems.extend((loc, d) for d in found)
        return text
    if isinstance(value, tuple):
        items = tuple(_typeset_value(v, lang, loc + (i,), problems) for i, v in enumerate(value))
        return value if all(a is b for a, b in zip(items, value)) else items
    if isinstance(value, _Model):
        changes = {}
        for name in type(value).model_fields:
            item = getattr(value, name)
            new = _typeset_value(item, lang, loc + (_kebab(name),), problems)
            if new is not item:
                changes[name] = new
        return value.model_copy(update=changes) if changes else value
    return value


def _contributor_file_as(name: str) -> str | None:
    """``Vadim Z. Rogovin`` -> ``Rogovin, Vadim Z.``; single names are filed as they are."""
    words = name.split()
    if len(words) < 2 or "," in name:
        return None
    return f"{words[-1]}, {' '.join(words[:-1])}"


class BookMetadata(_Model):
    title: MetaText
    subtitle: MetaText | None = None
    short_title: MetaText | None = None
    author: InlineList = ()
    translator: InlineList = ()
    editor: InlineList = ()
    introduction_by: InlineList = ()
    illustrator: InlineList = ()
    creator: Annotated[tuple[CreatorEntry, ...], BeforeValidator(_creators)] = ()
    lang: LangTag
    date: IsoDate | None = None
    publisher: MetaText | None = None
    place: MetaText | None = None
    rights: MetaText | None = None
    source: InlineList = ()
    description: MetaText | None = None
    subject: TextList = ()
    keywords: TextList = ()
    identifier: Annotated[Text, AfterValidator(_check_identifier)] | None = None
    edition: MetaText | None = None
    printing: Annotated[Text, AfterValidator(_check_printing)] | None = None
    printings: Annotated[tuple[Printing, ...], AfterValidator(_printings_in_order)] = ()
    edition_number: int | None = Field(None, ge=1)  # ONIX <EditionNumber>
    formats: Annotated[tuple[Text, ...], BeforeValidator(_one_or_list),
                       AfterValidator(_known_formats)] = ("epub", "pdf")
    isbn: Isbns | None = None
    series: Series | None = None
    cover_image: str | None = None
    layout: Annotated[Text, AfterValidator(_check_layout)] = "default"
    print: PrintSettings = PrintSettings()
    notes: Literal["footnotes", "endnotes"] = "footnotes"
    epub_notes: Literal["chapter", "book"] = "chapter"
    contents: tuple[ContentsEntry, ...] | None = None
    generate: Generate = Generate()
    web: WebSettings = WebSettings()
    indexes: tuple[IndexDecl, ...] = ()
    number_figures: bool = False  # "Figure 2.1" captions and {.ref} labels, per chapter
    number_tables: bool = False
    price: Prices | None = None  # per format and currency, for the ONIX record
    hyphenation: Annotated[Hyphenation, BeforeValidator(_hyphenation_shape)] = Hyphenation()
    # citations (make_book.citations): bibliography files in the book, a CSL style (a .csl
    # file in the book or a style the layout ships), the bibliography's heading (Pandoc's key)
    bibliography: TextList = ()
    csl: Text | None = None
    nocite: Annotated[TextList, AfterValidator(_nocite_keys)] = ()  # keys, "*": all
    reference_section_title: MetaText | None = None
    _text_problems: tuple = PrivateAttr(default=())

    @model_validator(mode="after")
    def _typeset_all(self) -> BookMetadata:
        """Every MetaText, nested ones too, typeset in the book's language: done here, once,
        because only the whole model knows the language."""
        problems: list[tuple[tuple, Diagnostic]] = []
        for name in type(self).model_fields:
            value = getattr(self, name)
            new = _typeset_value(value, self.lang, (_kebab(name),), problems)
            if new is not value:
                object.__setattr__(self, name, new)  # frozen for everyone but its validator
        self._text_problems = tuple(problems)
        return self

    @model_validator(mode="after")
    def _one_printing_key(self) -> BookMetadata:
        if self.printing is not None and self.printings:
            raise ValidationError.from_exception_data(type(self).__name__, [InitErrorDetails(
                type=fail(PRINTING_TWICE, "printing and printings are both given",
                          hint="keep printings (the list) and remove printing",
                          first=("printing",)),
                loc=("printings",), input=None)])
        return self

    @property
    def current_printing(self) -> Printing | None:
        """The latest of ``printings``, or ``printing: N`` as a printing of that number
        (None when there is none, or ``printing`` is text)."""
        if self.printings:
            return self.printings[-1]
        if self.printing and self.printing.isascii() and self.printing.isdigit() \
                and int(self.printing) >= 1:
            return Printing(number=int(self.printing))
        return None

    @property
    def text_problems(self) -> tuple[tuple[tuple, Diagnostic], ...]:
        """(location of the key, diagnostic without path or line) for what typesetting a
        value removed or could not show (raw HTML refused, a list in a title)."""
        return self._text_problems

    @field_validator("cover_image")
    @classmethod
    def _cover_inside(cls, value: str | None, info: ValidationInfo) -> str | None:
        return None if value is None else _book_path(value, info)

    @field_validator("bibliography")
    @classmethod
    def _bibliography_inside(cls, value: tuple[str, ...], info: ValidationInfo
                             ) -> tuple[str, ...]:
        """Each file checked, every problem reported at once (with its item's line)."""
        paths, errors = [], []
        for i, rel in enumerate(value):
            try:
                paths.append(_book_path(rel, info))
            except PydanticCustomError as exc:
                errors.append(InitErrorDetails(type=exc, loc=(i,), input=rel))
        if errors:
            raise ValidationError.from_exception_data(cls.__name__, errors)
        return tuple(paths)

    @field_validator("csl")
    @classmethod
    def _csl_inside(cls, value: str | None, info: ValidationInfo) -> str | None:
        """A file when it ends in .csl, else a style's name (looked up when building)."""
        if value is not None and value.lower().endswith(".csl"):
            return _book_path(value, info)
        return value

    @field_validator("contents", mode="wrap")
    @classmethod
    def _each_once(cls, value: Any, handler, info: ValidationInfo):
        repeated = _listed_twice(value) + _too_deep(value)
        try:
            result = handler(value)
        except ValidationError as exc:
            raise ValidationError.from_exception_data(
                cls.__name__, _rebuild(exc.errors()) + repeated) from None
        if repeated:
            raise ValidationError.from_exception_data(cls.__name__, repeated)
        return result

    @property
    def date_value(self) -> dt.date | None:
        """The date as a ``datetime.date`` (the first day of a bare year or month)."""
        return parse_date(self.date) if self.date else None

    @property
    def contributors(self) -> tuple[Contributor, ...]:
        """Everyone credited, authors first, each (name, role) once."""
        people = [Contributor(n, "aut", _contributor_file_as(n)) for n in self.author]
        people += [Contributor(c.name, c.role, c.file_as) for c in self.creator
                   if c.role == "aut"]
        for names, role in ((self.translator, "trl"), (self.editor, "edt"),
                            (self.introduction_by, "aui"), (self.illustrator, "ill")):
            people += [Contributor(n, role, _contributor_file_as(n)) for n in names]
        people += [Contributor(c.name, c.role, c.file_as) for c in self.creator
                   if c.role != "aut"]
        seen: set[tuple[str, str]] = set()
        unique = []
        for p in people:
            if (p.name, p.role) not in seen:
                seen.add((p.name, p.role))
                unique.append(p)
        return tuple(unique)

    @property
    def authors(self) -> tuple[Contributor, ...]:
        return tuple(c for c in self.contributors if c.role == "aut")

    @property
    def contents_paths(self) -> tuple[str, ...]:
        """Every chapter path in ``contents``, parts flattened, in reading order."""
        out: list[str] = []
        for entry in self.contents or ():
            out.extend(entry_paths(entry))
        return tuple(out)


class ChapterMeta(_Model):
    """The YAML block that may open a chapter file."""

    title: Text | None = None
    short_title: Text | None = None
    kind: str = "chapter"
    lang: LangTag | None = None
    numbered: bool | None = None
    id: XmlId | None = None

    @field_validator("kind")
    @classmethod
    def _known_kind(cls, value: str) -> str:
        kinds = [k for k in KINDS if k != "part"]  # a part's text comes from its heading
        if value not in kinds:
            close = difflib.get_close_matches(value.lower(), kinds, n=1)
            hint = (f"did you mean {close[0]}? " if close else "") + "kinds: " + ", ".join(kinds)
            raise fail(BAD_KIND, f"'{value}' is not a chapter kind", hint=hint)
        return value
