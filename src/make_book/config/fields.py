"""The pieces every section of book.yaml is checked with: the base model (kebab-case keys,
unknown keys refused), the diagnostic codes, and the field types that check a language tag,
an id, a date or a path inside the book (split from :mod:`make_book.config.metadata` so
that each section's model can be read on its own).
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Annotated, Any

import langcodes
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    StringConstraints,
    ValidationInfo,
)

from make_book.config.meta_text import MetaText
from make_book.config.paths import PathError, check_relative, resolve_inside
from make_book.config.values import describe, fail

UNKNOWN_KEY, MISSING_KEY, BAD_ISBN, BAD_LANG, BAD_DATE = "M010", "M011", "M012", "M013", "M014"
MISSING_FILE, OUTSIDE_BOOK, WRONG_TYPE, LISTED_TWICE = "M015", "M016", "M017", "M018"
BAD_ROLE, BAD_VALUE, NESTED_PART, BAD_KIND = "M019", "M020", "M021", "M022"
SAME_ISBN, NOT_MARKDOWN, BAD_ID = "M023", "M024", "M025"


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
