"""What identifies the book and its editions: ISBNs per format, the printings and the formats
they list, the series it belongs to (split from :mod:`make_book.config.metadata`).
"""

from __future__ import annotations

import difflib
import re
from typing import Any

from pydantic import (
    Field,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_core import InitErrorDetails

from make_book.config.fields import (
    BAD_ISBN,
    BAD_VALUE,
    SAME_ISBN,
    WRONG_TYPE,
    IsoDate,
    Text,
    _Model,
    parse_date,
)
from make_book.config.isbn import check_isbn, check_issn, normalize_isbn, to_isbn13
from make_book.config.meta_text import MetaText
from make_book.config.values import describe, fail
from make_book.editions import EDITIONS

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
