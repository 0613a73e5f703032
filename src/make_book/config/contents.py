"""The contents list of book.yaml: parts, chapter files and indexes, their nesting and the
checks that no file is listed twice and no part nests too deep (split from
:mod:`make_book.config.metadata`).
"""

from __future__ import annotations

import posixpath
from typing import Annotated, Any, Union

from pydantic import (
    Discriminator,
    Field,
    Tag,
)
from pydantic_core import InitErrorDetails, PydanticCustomError

from make_book.config.fields import (
    LISTED_TWICE,
    NESTED_PART,
    ChapterPath,
    Text,
    XmlId,
    _Model,
)
from make_book.config.meta_text import TitleText
from make_book.config.values import fail

# Parts inside parts, as deep as a book needs (Part > Book > Section > Chapter): four
# levels of parts leave heading levels 5 and 6 for chapters and their sections.
MAX_PART_DEPTH = 4


class IndexDecl(_Model):
    """One of the book's indexes (``indexes: [{name: index-of-names, title: Index of Names}]``);
    index marks name it with ``index-name=``; without declarations there is one index."""

    name: XmlId
    title: Text


class PartEntry(_Model):
    """``{part: Title, contents: [...]}``: chapter files and parts inside it, in order. The
    title is Markdown, typeset with the book's other values (inline markup kept)."""

    part: TitleText
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
    it takes when it has no heading (a dedication, an epigraph, a note): Markdown, as a
    part's title."""

    file: ChapterPath
    title: TitleText | None = None


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
