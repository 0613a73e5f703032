"""One Markdown file -> one :class:`Chapter`: decode, front matter, Markdown, then tree passes.

The tree passes that need only the chapter itself (sanitising raw HTML, extracting notes,
smart typography, heading ids) run here on the one lxml tree the chapter is parsed into,
rather than as book-level transforms that would re-parse every body: parsing dominates the
cost of a long book. Book-level transforms (ids across files, numbering, links) follow in
:mod:`make_book.transforms`. Reading the file is :mod:`.source_text`, parsing it
:mod:`.parsed_file`; the notes and the headings have modules of their own.
"""

from __future__ import annotations

import bisect
import copy
from pathlib import Path
from urllib.parse import quote, urlsplit

from lxml import etree

from make_book.config.meta_text import MetaText, typeset_markup
from make_book.errors import Diagnostic, Diagnostics
from make_book.kinds import KINDS, NUMBERED_BY_DEFAULT
from make_book.manuscript import images as image_files
from make_book.manuscript.headings import (
    empty_headings,
    heading_ids,
    plain,
    relative_levels,
    rename_id,
    section_headings,
    take_title,
)
from make_book.manuscript.leftovers import report_leftovers
from make_book.manuscript.mathml import render_math
from make_book.manuscript.notes import extract_notes, note_of
from make_book.manuscript.parsed_file import ParsedFile, parse_file
from make_book.manuscript.source_text import LineFinder
from make_book.manuscript.tree import body_of, drop_keeping_tail
from make_book.markup.identifiers import BookIds
from make_book.markup.typography import smarten_tree
from make_book.model import Chapter, Heading
from make_book.xhtml import Body

URL_SAFE = "!#$%&'()*+,/:;=?@[]~"  # reserved and already-escaped characters stay as written


def load_chapter(path: Path, rel: str, file_id: str, book_lang: str,
                 diagnostics: Diagnostics, book_root: Path,
                 book_ids: BookIds | None = None) -> Chapter | None:
    """The whole file as one chapter (its first heading, of any level, is the title).
    ``book_ids``: the identifiers of the chapters before this one; None for a chapter
    alone."""
    parsed = parse_file(path, rel, diagnostics, book_ids.candidates if book_ids else None)
    if parsed is None:
        return None
    return build_chapter(parsed, parsed.section, file_id, book_lang, diagnostics, book_root,
                         book_ids=book_ids)


def build_chapter(parsed: ParsedFile, section: etree._Element, file_id: str, book_lang: str,
                  diagnostics: Diagnostics, book_root: Path, *, kind: str | None = None,
                  title: str | None = None, title_markup: Body | None = None,
                  numbered: bool | None = None, untitled: bool = False,
                  unused_notes: set[str] | None = None,
                  book_ids: BookIds | None = None) -> Chapter:
    """A chapter from ``section`` (the file's body or one chapter's part of it): notes,
    typography, title, headings, ids, links, images. ``kind``, ``title`` (with
    ``title_markup``, its inline markup as a tree, when it has any) and ``numbered`` are
    what the structure stage inferred where the YAML block says nothing (``untitled``:
    ``title`` only names a piece without a heading in the navigation); with
    ``unused_notes``, note definitions this chapter does not call are collected there
    (another chapter of the file may call them) instead of being reported. ``book_ids``:
    the identifiers of the chapters before this one (one :class:`BookIds` follows a book
    in reading order); None for a chapter alone."""
    path, meta, line_of, first_line = parsed.path, parsed.meta, parsed.line_of, parsed.first_line
    lang = meta.lang or None
    render_math(section, path, line_of, diagnostics)
    notes = extract_notes(section, file_id, path, line_of, diagnostics, unused_notes)
    for root in (section, *notes):
        report_leftovers(root, path, line_of, diagnostics)
    # every image, in a note or in the heading that becomes the title too, goes through
    # the same checks (and is packaged), before the title is taken out of the section
    written = {img: img.get("src", "") for root in (section, *notes) for img in root.iter("img")}
    images = image_files.collect_all((section, *notes), path, book_root, line_of,
                                     diagnostics)
    image_lines = _image_lines((section, *notes), written, line_of)
    # before typography, which adds the no-break spaces of French punctuation (not text)
    book_ids = book_ids or BookIds()
    heading_keys = heading_ids(section, notes, book_ids)
    smarten_tree(section, lang or book_lang)
    for note_el in notes:
        smarten_tree(note_el, lang or book_lang)

    # under a YAML title, only a `#` heading restates it; deeper ones are its sections
    title_el = take_title(section, any_level=not meta.title)
    given_markup = title_markup  # the contents entry's, for a title given there
    yaml_title, title_markup = _yaml_title(meta.title, lang or book_lang, parsed.text,
                                         first_line, path, diagnostics)
    if not yaml_title and title_el is None and title:
        title_markup = given_markup
    title = yaml_title or title
    if title_el is not None:
        if not title:
            title = plain(title_el)
        if not yaml_title:
            title_markup = body_of(copy.deepcopy(title_el)) if len(title_el) else None
        relative_levels(section, int(title_el.tag[1]))
    if not title:
        diagnostics.error("C010", "chapter has no title", path, first_line,
                          hint="add `title:` in a YAML block or start with a `# Heading`")
        title = ""
    if "kind" in meta.model_fields_set or kind is None:
        kind = meta.kind or "chapter"
    chapter_id = (meta.id or (title_el.get("id") if title_el is not None else None)
                  or file_id)
    if title_el is not None and title_el.get("id") != chapter_id:
        rename_id(title_el.get("id"), chapter_id, [section, *notes], book_ids, heading_keys)
    headings = [Heading(1, chapter_id, title,
                        heading_keys.get(chapter_id) if title_el is not None else None)]
    empty_headings(section, path, diagnostics)
    headings.extend(section_headings(section, file_id, heading_keys))
    ids = _collect_ids(section, chapter_id, path, line_of, diagnostics, notes)
    _check_links(section, path, line_of, diagnostics)
    _repair_definition_lists(section, path, line_of, diagnostics)
    if meta.numbered is not None:
        numbered = meta.numbered
    elif numbered is None:
        numbered = kind in NUMBERED_BY_DEFAULT
    if kind not in KINDS:  # the schema already reported it; keep going as a chapter
        kind = "chapter"
    return Chapter(
        source=path, rel=parsed.rel, file_id=file_id, title=title, kind=kind,
        lang=lang if lang and lang != book_lang else None, numbered=numbered,
        body=body_of(section),
        short_title=_typeset_key("short-title", meta.short_title, lang or book_lang,
                                 parsed.text, first_line, path, diagnostics)[0].plain
        if meta.short_title else None,  # a running head: plain text
        title_markup=title_markup, headings=tuple(headings),
        notes=tuple(note_of(n + 1, file_id, el) for n, el in enumerate(notes)),
        ids=frozenset(ids), images=tuple(images),
        untitled=untitled and title_el is None and not meta.title,
        image_lines=image_lines)


def _image_lines(roots, written: dict, line_of: LineFinder) -> tuple[tuple[str, int | None], ...]:
    """(href, line) of each image left after collecting, in document order: the n-th use
    of a ``src`` as written is looked for at its n-th occurrence in the file (the first
    when the file spells it fewer times, as when one file holds several chapters)."""
    uses: dict[str, int] = {}
    out: list[tuple[str, int | None]] = []
    for img in (img for root in roots for img in root.iter("img")):
        src = written.get(img, "")
        n = uses[src] = uses.get(src, -1) + 1
        lines = _occurrences(line_of, src) if src else []
        out.append((img.get("src", ""), lines[min(n, len(lines) - 1)] if lines else None))
    return tuple(out)


def _occurrences(line_of: LineFinder, needle: str) -> list[int]:
    if "\n" in needle:
        return []
    lines: list[int] = []
    at = line_of.text.find(needle)
    while at >= 0:
        lines.append(line_of.first_line + bisect.bisect_right(line_of.starts, at) - 1)
        at = line_of.text.find(needle, at + len(needle))
    return lines


def _typeset_key(key: str, value: str, lang: str, text: str, first_line: int, path: Path,
                 diagnostics: Diagnostics) -> tuple[MetaText, Body | None]:
    """A front matter value as Markdown typeset in the chapter's language, as book.yaml's
    values are (config.meta_text), with its inline markup as a tree (None when it is
    plain); what that removed is reported at the key's line."""
    typeset_value, markup, problems = typeset_markup(value, lang)
    line = next((n for n, src in enumerate(text.split("\n")[:first_line], start=1)
                 if src.lstrip().startswith(f"{key}:")), 1)
    for d in problems:
        diagnostics.add(Diagnostic(d.code, f"{key}: {d.message}", path, line, d.severity,
                                   d.hint))
    return typeset_value, markup


def _yaml_title(value: str | None, lang: str, text: str, first_line: int, path: Path,
                diagnostics: Diagnostics) -> tuple[str | None, Body | None]:
    """(plain, inline markup or None when it is plain) of a front matter ``title``: the
    markup is the tree typesetting parsed, not its text parsed again."""
    if not value:
        return None, None
    title, markup = _typeset_key("title", value, lang, text, first_line, path, diagnostics)
    return title.plain, markup


def _check_links(section, path, line_of, diagnostics) -> None:
    """A link out of the book is kept, with what a URL may not hold (spaces, non-ASCII)
    percent-encoded, as reading systems and EPUBCheck expect. Links inside the book (an id,
    a chapter's file) are resolved once every chapter is known (transforms.links)."""
    for a in section.iter("a"):
        href = a.get("href") or ""
        parts = urlsplit(href)
        if parts.scheme or parts.netloc:
            quoted = quote(href.strip(), safe=URL_SAFE)
            if quoted != href:
                a.set("href", quoted)


def _repair_definition_lists(section, path, line_of, diagnostics) -> None:
    """Python-Markdown makes ``<dl><dd>`` with no term when ``: text`` follows a heading;
    XHTML requires a ``dt`` first. Such definitions become plain blocks before the list."""
    for dl in list(section.iter("dl")):
        orphans = []
        for child in dl:
            if child.tag == "dt":
                break
            if child.tag == "dd":
                orphans.append(child)
        for dd in orphans:
            text = next((t.strip() for t in dd.itertext() if t.strip()), "")
            diagnostics.warning("C052", "a definition without a term before it; printed as "
                                "a paragraph", path, line_of(text[:40]) if text else None,
                                hint="put the term on the line before `: `, not in a heading")
            dd.tag = "div"
            dd.set("class", " ".join(filter(None, [dd.get("class"), "definition"])))
            dl.addprevious(dd)
        if orphans and len(dl) == 0:
            drop_keeping_tail(dl)


def _collect_ids(section, chapter_id, path, line_of, diagnostics, notes=()) -> set[str]:
    """Every id of the chapter, in its text and in its notes (link targets too)."""
    ids = {chapter_id}
    for el in (el for tree in (section, *notes) for el in tree.iter()):
        ident = el.get("id")
        if ident is None:
            continue
        if ident in ids:
            diagnostics.error("C020", f"id '{ident}' is defined twice in this chapter", path,
                              line_of("#" + ident))
        ids.add(ident)
    return ids
