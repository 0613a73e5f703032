"""One chapter's Markdown -> its sanitised ``<section>``: the step the build cache keeps
(:mod:`.parse_cache`) and the convert pool runs ahead in worker processes
(:mod:`.convert_pool`). Kept apart from the reading of the file so both can call it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from make_book.errors import Diagnostic, error, warning
from make_book.markup.markdown import convert
from make_book.markup.md_limits import check_limits
from make_book.markup.sanitize import sanitize_fragment


@dataclass
class Conversion:
    """The sanitised section and the reader's and sanitiser's diagnostics; or, when the
    text is refused (limits, too deep to parse), no section and the errors saying why."""

    section: etree._Element | None
    diagnostics: list[Diagnostic]


# (body, first_line, heading keys, path, line_of) -> Conversion
Converter = Callable[[str, int, "set[str] | None", Path, Callable], Conversion]


def convert_body(body: str, first_line: int, keys: set[str] | None, path: Path,
                 line_of: Callable[[str], int | None]) -> Conversion:
    """``keys``: the labels an implicit heading reference may name (see heading_refs);
    ``line_of``: a snippet of ``body`` -> its line in the file."""
    refusals = check_limits(body)
    if refusals:
        return Conversion(None, [error(r.code, r.message, path, first_line + r.line - 1,
                                       r.hint) for r in refusals])
    try:
        html, reader_reports = convert(body, keys)
        section, sanitize_diags = sanitize_fragment(html, path=path, line_of=line_of)
    except RecursionError:  # a structure check_limits does not foresee
        return Conversion(None, [error("C005", "the chapter is nested too deeply to parse",
                                       path, hint="flatten its lists, quotes, divs or raw "
                                       "HTML")])
    found = [warning(report.code, report.message, path, line_of(report.snippet),
                     hint=report.hint) for report in reader_reports]
    found.extend(sanitize_diags)
    return Conversion(section, found)
