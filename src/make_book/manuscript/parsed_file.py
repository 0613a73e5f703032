"""One Markdown file read, its front matter checked, converted to XHTML (or taken from the
parse cache) and sanitised: the :class:`ParsedFile` the structure stage cuts into
chapters."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from pathlib import Path

import yaml
from lxml import etree

from make_book.cache import Cache
from make_book.config.load import load_chapter_meta
from make_book.config.metadata import ChapterMeta
from make_book.errors import Diagnostics
from make_book.manuscript import parse_cache
from make_book.manuscript.conversion import Converter, convert_body
from make_book.manuscript.source_text import CONTROL_RE, LineFinder, read_text
from make_book.markup.identifiers import heading_candidates
from make_book.markup.md_limits import MAX_NESTING


# Elements inside each other in the parsed chapter (raw HTML, emphasis): room for the
# Markdown nesting limit and the elements each level adds.
MAX_TREE_DEPTH = 2 * MAX_NESTING


@dataclass
class ParsedFile:
    """One Markdown file read, parsed and sanitised: what the structure stage splits into
    chapters (:mod:`make_book.manuscript.structure`)."""

    path: Path
    rel: str
    meta: ChapterMeta
    section: etree._Element  # the whole file's body
    first_line: int
    line_of: LineFinder
    text: str  # the whole file, front matter included: keys' lines for messages

    @property
    def blocks(self) -> list[etree._Element]:
        """Top-level elements, Python-Markdown's note definitions left out."""
        return [el for el in self.section if not is_notes(el)]

    @property
    def forced(self) -> bool:
        """A YAML block naming the piece (title, kind, id) makes the file one chapter."""
        m = self.meta
        return bool(m.title or m.id or "kind" in m.model_fields_set)


def is_notes(el: etree._Element) -> bool:
    return el.tag == "div" and el.get("class") == "footnote"


def parse_file(path: Path, rel: str, diagnostics: Diagnostics,
               candidates: set[str] | None = None,
               cache: Cache | None = None,
               converter: Converter | None = None) -> ParsedFile | None:
    """Read, front matter, Markdown, sanitising; None (with diagnostics) when unusable.
    ``candidates``: what an implicit heading reference may name in the whole book
    (:class:`BookIds`); None: the headings of this file. ``cache``: where the Markdown ->
    XHTML step is kept by content (:mod:`.parse_cache`); ``converter``: that step
    (:func:`convert_body`, or the convert pool's results made ahead)."""
    text = read_text(path, diagnostics)
    if text is None:
        return None
    try:
        meta, body, first_line, meta_diags = load_chapter_meta(text, path)
    except yaml.YAMLError as exc:  # the reader's own errors carry no line mark
        diagnostics.error("M001", f"YAML syntax error in the front matter: {exc}", path, 1)
        return None
    diagnostics.extend(meta_diags)
    if meta is None:
        return None
    for key, value in meta.model_dump().items():  # "\0" escapes pass the YAML reader
        if isinstance(value, str) and (m := CONTROL_RE.search(value)) is not None:
            line = next((n for n, src in enumerate(text.split("\n")[:first_line], start=1)
                         if src.lstrip().startswith(key.replace("_", "-") + ":")
                         or src.lstrip().startswith(key + ":")), 1)
            diagnostics.error("M020", f"{key} contains the control character "
                              f"U+{ord(m.group()):04X}", path, line,
                              hint="remove the escape sequence from the value")
            return None
    line_of = LineFinder(body, first_line)

    key = parse_cache.parse_key(body, first_line, candidates) if cache is not None else ""
    # an entry exists only for a text that passed the limits (the key holds the text)
    if (hit := parse_cache.load(cache, key, path)) is not None:
        section, parse_diags = hit
    else:
        keys = candidates if candidates is not None else heading_candidates(body)
        done = (converter or convert_body)(body, first_line, keys, path, line_of)
        if done.section is None:  # refused: the errors say why
            diagnostics.extend(done.diagnostics)
            return None
        section, parse_diags = done.section, done.diagnostics
        parse_cache.store(cache, key, path, section, parse_diags)
    diagnostics.extend(parse_diags)
    if (deep := too_deep(section)) is not None:
        depth, el = deep
        text_near = next((t.strip() for t in el.itertext() if t.strip()), "")
        diagnostics.error("C005", f"elements nested {depth} levels deep; the limit is "
                          f"{MAX_TREE_DEPTH}", path, line_of(text_near[:40]) if text_near
                          else None, hint="flatten the raw HTML or the emphasis")
        return None
    return ParsedFile(path, rel, meta, section, first_line, line_of, text)


def unit_section(parsed: ParsedFile, start: int, end: int) -> etree._Element:
    """A ``<section>`` holding blocks ``start:end`` of the file (copies) and the file's
    note definitions, so each chapter of a file numbers its own notes."""
    section = etree.Element("section")
    blocks = parsed.blocks
    if start == 0:
        section.text = parsed.section.text
    for block in blocks[start:end]:
        section.append(copy.deepcopy(block))
    for el in parsed.section:
        if is_notes(el):
            section.append(copy.deepcopy(el))
    return section


def too_deep(section: etree._Element) -> tuple[int, etree._Element] | None:
    """(depth, element) of the deepest element when it is deeper than MAX_TREE_DEPTH, else
    None; walks the tree without recursion."""
    deepest: tuple[int, etree._Element] | None = None
    stack = [(child, 1) for child in section]
    while stack:
        el, depth = stack.pop()
        if depth > MAX_TREE_DEPTH and (deepest is None or depth > deepest[0]):
            deepest = (depth, el)
        stack.extend((child, depth + 1) for child in el)
    return deepest
