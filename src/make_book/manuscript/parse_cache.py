"""A chapter's Markdown -> sanitised XHTML step, kept in the build cache by content.

Python-Markdown's conversion is about half of an EPUB build. Its result depends on the
chapter's Markdown (after the front matter), the line the Markdown starts on (diagnostics
carry lines), the heading keys the chapter may reference (implicit heading references,
:mod:`heading_refs`), the code (:func:`make_book.cache.code_version`, which also changes
with our Markdown extensions) and the versions of Python-Markdown, pymdown-extensions and
lxml. The entry keeps the sanitised ``<section>`` as the
XML the sanitiser itself round-trips it through, and the diagnostics of the reader and
the sanitiser, so a warm build reports exactly what a cold one does.
"""

from __future__ import annotations

import re
from pathlib import Path

from lxml import etree

from make_book.cache import (
    Cache,
    cached_record,
    code_version,
    content_key,
    dump_diagnostics,
    load_diagnostics,
    versions,
)
from make_book.errors import Diagnostic
from make_book.markup.identifiers import reference_key

NAMESPACE = "chapters"
LIBRARIES = ("markdown", "pymdown-extensions", "lxml")  # the reader, and the sanitiser's parser
# the innermost bracketed texts: every reference label without brackets of its own
_LABEL_RE = re.compile(r"\[([^\[\]]*)\]")
# what a quote, a line block, a list or a div puts before a line's text: a label running
# over lines reaches the parser without it
_LINE_LEAD_RE = re.compile(r"(?m)^[ \t>|:]+")
_PARSER_OPTIONS = {"huge_tree": True, "resolve_entities": False, "no_network": True}


def referenced_keys(body: str, candidates: set[str] | None) -> list[str] | None:
    """The book's heading keys this chapter's conversion can depend on: those some
    bracketed text of the chapter spells, and those with brackets of their own (which the
    scan cannot match); None when the chapter takes its keys from its own text. An edit
    elsewhere in the book that adds or removes an unrelated heading keeps the entry."""
    if candidates is None:
        return None
    spelled = {reference_key(m.group(1)) for text in (body, _LINE_LEAD_RE.sub("", body))
               for m in _LABEL_RE.finditer(text)}
    return sorted(k for k in candidates if k in spelled or "[" in k or "]" in k)


def parse_key(body: str, first_line: int, candidates: set[str] | None) -> str:
    return content_key("chapter-parse", code_version(), versions(*LIBRARIES), body,
                       first_line, referenced_keys(body, candidates))


def load(cache: Cache | None, key: str, path: Path
         ) -> tuple[etree._Element, list[Diagnostic]] | None:
    """The cached section and diagnostics (now at ``path``), or None on a miss."""
    found = cached_record(cache, NAMESPACE, key)
    if found is None:
        return None
    record, xml = found
    try:
        section = from_xml(xml)
        diagnostics = load_diagnostics(record["diagnostics"], path)
    except (etree.XMLSyntaxError, KeyError, TypeError, ValueError):
        return None  # not an entry this code wrote: parsed again and rewritten
    return section, diagnostics


def store(cache: Cache | None, key: str, path: Path, section: etree._Element,
          diagnostics: list[Diagnostic]) -> None:
    if cache is None:
        return
    rows = dump_diagnostics(diagnostics, path)
    if rows is None:  # a diagnostic about another file: parsed again each time
        return
    cache.put_record(NAMESPACE, key, {"diagnostics": rows}, to_xml(section))


def to_xml(section: etree._Element) -> bytes:
    """The section as an entry keeps it (and a convert pool's worker sends it)."""
    return etree.tostring(section, encoding="utf-8", with_tail=False)


def from_xml(xml: bytes) -> etree._Element:
    """Raises ``etree.XMLSyntaxError`` on what :func:`to_xml` did not write."""
    return etree.fromstring(xml, etree.XMLParser(**_PARSER_OPTIONS))
