"""Pandoc's inline syntax for Python-Markdown: one extension registering every inline
reader, in the order Pandoc's rules need (read as the Pandoc User's Guide defines them).

Here: ``backslash_escapes`` (any punctuation; ``\\ `` is a no-break space),
``inline_notes`` ``^[text]`` (a ``span.mb-inline-note`` holding the parsed text, which
:func:`make_book.manuscript.chapter.extract_notes` numbers with the ``[^label]`` notes),
``[text]{.mark}``/``{.underline}`` and automatic links with Pandoc's classes. Elsewhere:
raw content and code attributes (:mod:`md_raw`), citations (:mod:`md_citations`),
attributes (:mod:`md_attributes`), math (:mod:`md_math`), reference definitions
(:mod:`md_references`); superscript, subscript and strikeout are pymdownx's caret and
tilde with Pandoc's no-space rule (configured in :func:`markdown.new_parser`).

Processors record what they drop in ``md.mb_reports`` (:class:`md_raw.Report`); the
chapter loader turns those into warnings with the source line.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from markdown import util
from markdown.extensions import Extension
from markdown.inlinepatterns import (
    AUTOLINK_RE, AUTOMAIL_RE, AutolinkInlineProcessor, InlineProcessor)

from make_book.markup.md_attributes import (
    AttributeMapper, InlineAttributeGuard, is_attribute_list)
from make_book.markup.md_citations import (
    IN_TEXT_RE, BracketedCitationProcessor, InTextCitationProcessor)
from make_book.markup.md_raw import (
    RAW_TEX_RE, AttributedCodeProcessor, RawBlockPreprocessor, RawTexProcessor, Report,
    reports)
from make_book.markup.md_scan import Pairs

__all__ = ["PandocInlineExtension", "Report", "is_attribute_list", "reports", "span_tag"]

NBSP = "\u00a0"

# --------------------------------------------------------------------------- escapes


class PandocEscapeProcessor(InlineProcessor):
    """Pandoc's ``all_symbols_escapable``: a backslash before any non-alphanumeric character
    makes it literal; before a space it is a no-break space. (Python-Markdown escapes only
    its own markup characters and would leave ``\\$`` or ``\\^`` as typed.)"""

    def handleMatch(self, m, data):  # noqa: N802 (Python-Markdown API)
        char = m.group(1)
        if char == " ":
            return NBSP, m.start(0), m.end(0)
        if char.isalnum() or char.isspace():
            return None, None, None
        return f"{util.STX}{ord(char)}{util.ETX}", m.start(0), m.end(0)


# --------------------------------------------------------------------------- notes


SUPERSCRIPT_RE = re.compile(r"\^(?:\\.|[^\s^\\])+\^")


class InlineNoteProcessor(InlineProcessor):
    r"""``^[text]``: runs after code spans and escapes, so neither a ``^[`` in code nor an
    escaped ``\]`` counts; a ``^[`` that begins a superscript (``^[a](#b)^``, no space
    inside) is left to the superscript, which Pandoc tries first."""

    def __init__(self, pattern, md):
        super().__init__(pattern, md)
        self.brackets = Pairs("[", "]")

    def handleMatch(self, m, data):  # noqa: N802 (Python-Markdown API)
        start = m.start(0)
        if SUPERSCRIPT_RE.match(data, start):
            return None, None, None
        close = self.brackets.match(data, start + 1)
        if close is None:
            return None, None, None
        el = ET.Element("span", {"class": "mb-inline-note"})
        el.text = data[start + 2:close]
        return el, start, close + 1


# --------------------------------------------------------------------------- spans, links

SPAN_CLASS_TAGS = {"mark": "mark", "underline": "u"}


def span_tag(el: ET.Element) -> None:
    """Give a bracketed span the element Pandoc makes of its first special class."""
    classes = (el.get("class") or "").split()
    for cls in classes:
        if cls in SPAN_CLASS_TAGS:
            el.tag = SPAN_CLASS_TAGS[cls]
            rest = [c for c in classes if c != cls]
            if rest:
                el.set("class", " ".join(rest))
            else:
                del el.attrib["class"]
            return


class UriAutolinkProcessor(AutolinkInlineProcessor):
    """``<https://...>``: Pandoc marks an automatic link with the class ``uri``."""

    def handleMatch(self, m, data):  # noqa: N802 (Python-Markdown API)
        el, start, end = super().handleMatch(m, data)
        el.set("class", "uri")
        return el, start, end


class EmailAutolinkProcessor(InlineProcessor):
    """``<name@example.org>``: a plain ``mailto:`` link with the class ``email``, as Pandoc
    writes it (Python-Markdown hides the address in character references)."""

    def handleMatch(self, m, data):  # noqa: N802 (Python-Markdown API)
        address = m.group(1)
        el = ET.Element("a", {"href": "mailto:" + address, "class": "email"})
        el.text = util.AtomicString(address)
        return el, m.start(0), m.end(0)


# --------------------------------------------------------------------------- extension


class PandocInlineExtension(Extension):
    def extendMarkdown(self, md):  # noqa: N802 (Python-Markdown API)
        md.registerExtension(self)
        self.md = md
        md.inlinePatterns.register(InlineNoteProcessor(r"\^\[", md), "inline_note", 179)
        md.inlinePatterns.register(
            AttributedCodeProcessor(AttributedCodeProcessor.PATTERN, md), "code_attrs", 191)
        md.inlinePatterns.register(PandocEscapeProcessor(r"\\(.)", md), "escape", 180)
        md.inlinePatterns.register(
            BracketedCitationProcessor(BracketedCitationProcessor.PATTERN, md), "citation", 178)
        md.inlinePatterns.register(InTextCitationProcessor(IN_TEXT_RE, md), "cite_in_text", 177)
        md.preprocessors.register(RawBlockPreprocessor(md), "raw_block", 29.5)
        md.inlinePatterns.register(UriAutolinkProcessor(AUTOLINK_RE, md), "autolink", 120)
        md.inlinePatterns.register(EmailAutolinkProcessor(AUTOMAIL_RE, md), "automail", 110)
        md.inlinePatterns.register(RawTexProcessor(RAW_TEX_RE, md), "raw_tex", 181)
        md.treeprocessors.register(InlineAttributeGuard(md), "inline_attribute_guard", 8.5)
        md.treeprocessors.register(AttributeMapper(md), "attribute_mapper", 7)

    def reset(self) -> None:
        if hasattr(self, "md"):
            self.md.mb_reports = []
