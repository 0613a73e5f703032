"""Text escaped for Pandoc Markdown, so that it reads back as the same text.

Pandoc gives meaning to many ASCII characters (emphasis, spans, math, sub- and superscript,
citations, raw HTML and TeX, pipe tables); any of them may be backslash-escaped, so the
inline rule escapes every one that could start a construct. Characters that only mean
something at the start of a line (headings, list markers, block quotes, definitions) are
escaped by :func:`escape_line_starts` on the written lines, where it is known what starts
a line. Straight quotes, ``--`` and ``...`` are left as they are: the build sets them as
the book's typography wants, as it does for hand-written Markdown.
"""

from __future__ import annotations

import re

# Every character that may open or close an inline construct of Pandoc Markdown.
_INLINE_SPECIAL = re.compile(r"([\\`*_\[\]<>$~^@|])")
# An HTML entity reference would be decoded on reading: its ampersand is written as one.
_ENTITY = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
_SPACES = re.compile(r"[ \t\r\n\f]+")

# What starts a block when it opens a line: ATX headings; bullet, definition, caption,
# title-block and setext markers; ordered-list markers of Pandoc's fancy_lists (decimal,
# letter or roman, ``.`` or ``)``, or in parentheses), which the text "1. " or "A) " or
# "(iv) " would otherwise become.
_LINE_HASH = re.compile(r"^(#)")
_LINE_MARK = re.compile(r"^([-+=:%])")
_LINE_ORDERED = re.compile(r"^(\d+|[A-Za-z]|[ivxlcdmIVXLCDM]+)([.)])(?=\s|$)")
_LINE_PAREN = re.compile(r"^\((?=(?:\d+|[A-Za-z]|[ivxlcdmIVXLCDM]+)\)(?:\s|$))")
_TABLE_CAPTION = re.compile(r"^(Table):")


def collapse_spaces(text: str) -> str:
    """Runs of HTML white space as one space (a no-break space is kept: it is text)."""
    return _SPACES.sub(" ", text)


def escape_inline(text: str) -> str:
    """``text`` as Markdown inline text: every special character backslash-escaped."""
    text = _INLINE_SPECIAL.sub(r"\\\1", text)
    return _ENTITY.sub("&amp;", text)


def escape_heading(text: str) -> str:
    """Heading text: ``#`` (a closing sequence) and braces (an attribute block) too."""
    return re.sub(r"([#{}])", r"\\\1", text)


def escape_line_start(line: str) -> str:
    """One written line, with what would make it a block marker escaped."""
    line = _LINE_HASH.sub(r"\\\1", line)
    line = _LINE_MARK.sub(r"\\\1", line)
    line = _LINE_ORDERED.sub(r"\1\\\2", line)
    line = _LINE_PAREN.sub(r"\\(", line)
    return _TABLE_CAPTION.sub(r"\1\\:", line)


def escape_line_starts(text: str) -> str:
    """Every line of a paragraph's Markdown (lines follow hard breaks) escaped at its start."""
    return "\n".join(escape_line_start(line) for line in text.split("\n"))


def yaml_scalar(value: str) -> str:
    """A YAML scalar for any text: a JSON string is a valid YAML double-quoted one."""
    import json
    return json.dumps(value, ensure_ascii=False)
