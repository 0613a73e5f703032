"""One Markdown file -> one :class:`Chapter`: decode, front matter, Markdown, then tree passes.

The tree passes that need only the chapter itself (sanitising raw HTML, extracting notes,
smart typography, heading ids) run here on the one lxml tree the chapter is parsed into,
rather than as book-level transforms that would re-parse every body: parsing dominates the
cost of a long book. Book-level transforms (ids across files, numbering, links) follow in
:mod:`make_book.transforms`.
"""

from __future__ import annotations

import bisect
import copy
import itertools
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlsplit

import yaml
from lxml import etree
from markupsafe import escape

from make_book import plain_files
from make_book.cache import Cache
from make_book.config.load import load_chapter_meta
from make_book.config.meta_text import typeset
from make_book.config.metadata import ChapterMeta
from make_book.errors import Diagnostic, Diagnostics
from make_book.manuscript import parse_cache
from make_book.markup import heading_refs
from make_book.manuscript import images as image_files
from make_book.markup.identifiers import BookIds, heading_candidates
from make_book.manuscript.leftovers import report_leftovers
from make_book.manuscript.conversion import Converter, convert_body
from make_book.markup.md_limits import MAX_NESTING
from make_book.manuscript.mathml import render_math, tex_source
from make_book.markup.typography import smarten_tree
from make_book.kinds import KINDS, NUMBERED_BY_DEFAULT
from make_book.model import Chapter, Heading, Note
from make_book.xhtml import Body
from make_book.manuscript.tree import drop_keeping_tail

HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
UNDEFINED_NOTE_RE = re.compile(r"\[\^([^\]\s]+)\]")
# Control characters are never text: C0 (but tab and newline; CR is normalised away), DEL,
# C1, and the noncharacters U+FFFE/U+FFFF. XML 1.0 forbids most of them, YAML all of them,
# and Python-Markdown uses U+0002/U+0003 for its own placeholders.
CONTROL_RE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffe\uffff]")
# Elements inside each other in the parsed chapter (raw HTML, emphasis): room for the
# Markdown nesting limit and the elements each level adds.
MAX_TREE_DEPTH = 2 * MAX_NESTING
# A chapter file: a whole long novel in one file is under 5 MB of Markdown.
MAX_CHAPTER_BYTES = 50 * 1024 * 1024


def read_text(path: Path, diagnostics: Diagnostics) -> str | None:
    """UTF-8 only: a wrong encoding is named with its byte offset, never guessed."""
    try:
        data = plain_files.read_bytes(path, MAX_CHAPTER_BYTES)
    except OSError as exc:
        diagnostics.error("C001", f"cannot read file: {exc.strerror}", path)
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        diagnostics.error("C002", f"not UTF-8: byte 0x{data[exc.start]:02x} at offset "
                          f"{exc.start} cannot be decoded", path, line,
                          hint="save the file as UTF-8")
        return None
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    return remove_controls(text, path, diagnostics)


def remove_controls(text: str, path: Path, diagnostics: Diagnostics) -> str:
    """``text`` without control characters, each distinct one reported once (C035) at the
    line where it first occurs: they are conversion debris, invisible in an editor."""
    if CONTROL_RE.search(text) is None:
        return text
    first: dict[str, int] = {}
    count: dict[str, int] = {}
    for m in CONTROL_RE.finditer(text):
        ch = m.group()
        first.setdefault(ch, m.start())
        count[ch] = count.get(ch, 0) + 1
    for ch, at in first.items():
        times = f"{count[ch]} times" if count[ch] > 1 else "once"
        diagnostics.warning("C035", f"removed control character U+{ord(ch):04X} ({times})",
                            path, text.count("\n", 0, at) + 1,
                            hint="it is usually an invisible leftover of a conversion; "
                            "delete it")
    return CONTROL_RE.sub("", text)


def file_id_for(rel: str, taken: set[str]) -> str:
    """A stable XML-name-safe id from the file name, unique in the book."""
    stem = Path(rel).stem
    base = re.sub(r"[^A-Za-z0-9_-]+", "-", unicodedata.normalize("NFKD", stem)
                  .encode("ascii", "ignore").decode()).strip("-").lower() or "chapter"
    if not base[0].isalpha():
        base = "ch" + ("" if base[0] in "-_" else "-") + base
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    taken.add(candidate)
    return candidate


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug or "section"


class LineFinder:
    """Maps a snippet back to its line in the source (after the front matter block)."""

    def __init__(self, body: str, first_line: int):
        self.lines = body.split("\n")
        self.first_line = first_line
        self.text = body
        self.starts = list(itertools.accumulate((len(line) + 1 for line in self.lines),
                                                initial=0))

    def __call__(self, needle: str) -> int | None:
        """One search of the whole text, not a Python loop over its lines: a chapter asks
        once per note, id and image, and thousands of notes made that quadratic."""
        if "\n" in needle:  # no single line holds it
            return None
        at = self.text.find(needle)
        if at < 0:
            return None
        return self.first_line + bisect.bisect_right(self.starts, at) - 1


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
        return [el for el in self.section if not _is_notes(el)]

    @property
    def forced(self) -> bool:
        """A YAML block naming the piece (title, kind, id) makes the file one chapter."""
        m = self.meta
        return bool(m.title or m.id or "kind" in m.model_fields_set)


def _is_notes(el: etree._Element) -> bool:
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
    if (deep := _too_deep(section)) is not None:
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
        if _is_notes(el):
            section.append(copy.deepcopy(el))
    return section


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
                  title: str | None = None, numbered: bool | None = None,
                  untitled: bool = False,
                  unused_notes: set[str] | None = None,
                  book_ids: BookIds | None = None) -> Chapter:
    """A chapter from ``section`` (the file's body or one chapter's part of it): notes,
    typography, title, headings, ids, links, images. ``kind``, ``title`` and ``numbered``
    are what the structure stage inferred where the YAML block says nothing (``untitled``:
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
    heading_keys = _heading_ids(section, notes, book_ids)
    smarten_tree(section, lang or book_lang)
    for note_el in notes:
        smarten_tree(note_el, lang or book_lang)

    # under a YAML title, only a `#` heading restates it; deeper ones are its sections
    title_el = _take_title(section, any_level=not meta.title)
    yaml_title, title_markup = _yaml_title(meta.title, lang or book_lang, parsed.text,
                                         first_line, path, diagnostics)
    title = yaml_title or title
    if title_el is not None:
        if not title:
            title = _plain(title_el)
        if not yaml_title:
            title_markup = _body(copy.deepcopy(title_el)) if len(title_el) else None
        _relative_levels(section, int(title_el.tag[1]))
    if not title:
        diagnostics.error("C010", "chapter has no title", path, first_line,
                          hint="add `title:` in a YAML block or start with a `# Heading`")
        title = ""
    if "kind" in meta.model_fields_set or kind is None:
        kind = meta.kind or "chapter"
    chapter_id = (meta.id or (title_el.get("id") if title_el is not None else None)
                  or file_id)
    if title_el is not None and title_el.get("id") != chapter_id:
        _rename_id(title_el.get("id"), chapter_id, [section, *notes], book_ids, heading_keys)
    headings = [Heading(1, chapter_id, title,
                        heading_keys.get(chapter_id) if title_el is not None else None)]
    _empty_headings(section, path, diagnostics)
    headings.extend(_section_headings(section, file_id, heading_keys))
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
        body=_body(section),
        short_title=_typeset_key("short-title", meta.short_title, lang or book_lang,
                                 parsed.text, first_line, path, diagnostics).plain
        if meta.short_title else None,  # a running head: plain text
        title_markup=title_markup, headings=tuple(headings),
        notes=tuple(_note(n + 1, file_id, el) for n, el in enumerate(notes)),
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


def _relative_levels(section: etree._Element, title_level: int) -> None:
    """Headings under a chapter whose title is a level-n heading move up n - 1 levels, so
    that its sections are h2 whatever its level in the whole book (a chapter that is
    ``###`` under a part and a book is set like any other)."""
    if title_level <= 1:
        return
    for el in section.iter(*HEADINGS):
        el.tag = f"h{max(2, int(el.tag[1]) - title_level + 1)}"


def _typeset_key(key: str, value: str, lang: str, text: str, first_line: int, path: Path,
                 diagnostics: Diagnostics):
    """A front matter value as Markdown typeset in the chapter's language, as book.yaml's
    values are (config.meta_text); what that removed is reported at the key's line."""
    typeset_value, problems = typeset(value, lang)
    line = next((n for n, src in enumerate(text.split("\n")[:first_line], start=1)
                 if src.lstrip().startswith(f"{key}:")), 1)
    for d in problems:
        diagnostics.add(Diagnostic(d.code, f"{key}: {d.message}", path, line, d.severity,
                                   d.hint))
    return typeset_value


def _yaml_title(value: str | None, lang: str, text: str, first_line: int, path: Path,
                diagnostics: Diagnostics) -> tuple[str | None, Body | None]:
    """(plain, inline markup or None when it is plain) of a front matter ``title``."""
    if not value:
        return None, None
    title = _typeset_key("title", value, lang, text, first_line, path, diagnostics)
    html = str(title.html)
    return title.plain, (Body.parse(html) if html != str(escape(title.plain)) else None)


_SOURCE_ATTR, _LINE_ATTR = "data-mb-source", "data-mb-line"


def _note_source(body: etree._Element, source: str, line: int | None) -> None:
    """Remember on a note body how the manuscript writes the note, for messages."""
    body.set(_SOURCE_ATTR, source)
    if line is not None:
        body.set(_LINE_ATTR, str(line))


def _note(number: int, file_id: str, body: etree._Element) -> Note:
    source = body.attrib.pop(_SOURCE_ATTR, "")
    line = body.attrib.pop(_LINE_ATTR, None)
    return Note(number, f"{file_id}-note-{number}", f"{file_id}-noteref-{number}",
                _body(body), source, int(line) if line else None)


def _too_deep(section: etree._Element) -> tuple[int, etree._Element] | None:
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


def _plain(el: etree._Element) -> str:
    """Text of an element without note calls (a title in the toc carries no note number)."""
    parts = []
    for node in el.iter():
        if node.get("class") == "mb-noteref":
            if node.tail:
                parts.append(node.tail)
            continue
        if node is el:
            parts.append(node.text or "")
        else:
            parts.append((node.text or "") + (node.tail or ""))
    return re.sub(r"\s+", " ", "".join(parts)).strip()


def _body(section: etree._Element) -> Body:
    """The section's content as the chapter's Body, without the whitespace around it (as
    the text of a fragment is stripped)."""
    if len(section):
        section.text = (section.text or "").lstrip() or None
        section[-1].tail = (section[-1].tail or "").rstrip() or None
    else:
        section.text = (section.text or "").strip() or None
    return Body.adopt(section)


def _take_title(section: etree._Element, any_level: bool = True) -> etree._Element | None:
    """The first element, when it is a heading (of any level: levels are the book's; an
    h1 only with ``any_level`` false), is the chapter's title: templates print it."""
    tags = HEADINGS if any_level else ("h1",)
    if len(section) and section[0].tag in tags and not (section.text or "").strip():
        title = section[0]
        section.remove(title)
        section.text = (section.text or "") + (title.tail or "")
        return title
    return None


def _heading_ids(section: etree._Element, notes: list[etree._Element],
                 ids: BookIds) -> dict[str, str]:
    """Every heading gets Pandoc's auto identifier (an explicit ``{#id}`` wins), unique in
    the book; then the chapter's implicit heading references are resolved. Unlike Pandoc,
    an automatic id also avoids every explicit id of the chapter (Pandoc would repeat it,
    and an XHTML document may not). Returns id -> key of the headings that have one."""
    trees = [section, *notes]
    for tree in trees:
        ids.used.update(el.get("id") for el in tree.iter() if el.get("id"))
    keys: dict[str, str] = {}
    opening = section[0] if len(section) and not (section.text or "").strip() else None
    for tree in trees:
        for el in tree.iter(*HEADINGS):
            key = el.attrib.pop(heading_refs.HEADING_ATTR, None)
            if tree is not section:
                continue  # a heading in a note is no section of the book
            if el.get("id") is None:
                if not _plain(el) and not len(el):
                    continue  # removed as empty below (C011)
                el.set("id", ids.unique(_id_text(el)))
            if el is opening:  # the title: the templates' <h1 id="{id}-title"> is taken
                ids.used.add(el.get("id") + "-title")
            if key:
                keys[el.get("id")] = key
                ids.heading(key, el.get("id"))
    for tree in trees:
        heading_refs.resolve(tree, ids.headings, final=not ids.defer)
    return keys


def _id_text(el: etree._Element) -> str:
    """A heading's text as Pandoc's ``stringify`` sees it: note calls left out, an
    image's alt text in, a formula as its TeX source, and ``--``, ``---``, ``...`` gone
    (Pandoc's smart punctuation makes them dashes and an ellipsis, which the identifier
    drops)."""
    parts = [_SMART_RE.sub("", el.text or "")]

    def walk(parent: etree._Element) -> None:
        for node in parent:
            if node.get("class") == "mb-noteref":
                pass
            elif etree.QName(node).localname == "math":
                parts.append(tex_source(node))
            else:
                if node.tag == "img":
                    parts.append(node.get("alt") or "")
                text = node.text or ""
                parts.append(text if _in_code(node) else _SMART_RE.sub("", text))
                walk(node)
            parts.append(_SMART_RE.sub("", node.tail or ""))
    walk(el)
    return "".join(parts)


def _rename_id(old: str | None, new: str, trees, ids: BookIds,
               keys: dict[str, str]) -> None:
    """The title's id when the front matter sets ``id:``: links resolved to the heading's
    own id follow it."""
    for key, ident in ids.headings.items():
        if ident == old:
            ids.headings[key] = new
    if old in keys:
        keys[new] = keys.pop(old)
    ids.used.add(new)
    for tree in trees:
        for a in tree.iter("a"):
            if old and a.get("href") == "#" + old:
                a.set("href", "#" + new)


def _section_headings(section: etree._Element, file_id: str,
                      keys: dict[str, str] | None = None) -> list[Heading]:
    headings = []
    used = {el.get("id") for el in section.iter() if el.get("id")}
    for el in section.iter(*HEADINGS):
        if el.get("id") is None:
            base = f"{file_id}-{slugify(_plain(el))}"
            candidate, n = base, 2
            while candidate in used:
                candidate, n = f"{base}-{n}", n + 1
            el.set("id", candidate)
            used.add(candidate)
        level = int(el.tag[1])
        if text := _plain(el):  # an empty entry would be an empty link in the nav
            headings.append(Heading(max(level, 2), el.get("id"), text,
                                    (keys or {}).get(el.get("id"))))
    return headings


def _empty_headings(section, path, diagnostics) -> None:
    """A heading with no text (``##`` alone on a line, or only note calls) is no section:
    an empty one is removed, one holding note calls stays out of the table of contents."""
    for el in list(section.iter(*HEADINGS)):
        if _plain(el):
            continue
        holds_something = len(el) > 0
        diagnostics.warning("C011", f"<{el.tag}> heading without text"
                            + ("; left out of the table of contents" if holds_something
                               else "; removed"), path,
                            hint="give the heading words, or remove the # marks")
        if not holds_something:
            drop_keeping_tail(el)


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


def extract_notes(section: etree._Element, file_id: str, path: Path, line_of,
                  diagnostics: Diagnostics,
                  unused: set[str] | None = None) -> list[etree._Element]:
    """Python-Markdown's footnotes and our ``^[inline notes]`` -> placeholders + note
    bodies numbered by first call.

    The model keeps one note source; each renderer decides between pop-up notes, page-foot
    notes and endnotes (DESIGN.md section 3, after Sphinx)."""
    definitions: dict[str, etree._Element] = {}
    for container in section.xpath(".//div[@class='footnote']"):
        for li in container.xpath("./ol/li[@id]"):
            label = li.get("id").partition(":")[2]
            for back in li.xpath(".//a[contains(@class, 'footnote-backref')]"):
                holder = back.getparent()
                drop_keeping_tail(back)
                if (holder.tag == "p" and not len(holder)  # the extension's own <p> after a
                        and not (holder.text or "").strip("\u00a0 \n")):  # table or list
                    holder.getparent().remove(holder)
            for p in li.xpath(".//p"):  # the extension leaves a no-break space before backrefs
                if p.text and not len(p):
                    p.text = p.text.rstrip("\u00a0")
                elif len(p) and p[-1].tail:
                    p[-1].tail = p[-1].tail.rstrip("\u00a0")
            definitions[label] = li
        drop_keeping_tail(container)
    numbers: dict[str, int] = {}
    bodies: list[etree._Element] = []
    calls = ".//sup[starts-with(@id, 'fnref')] | .//span[@class='mb-inline-note']"
    for sup in section.xpath(calls):
        if sup.tag == "span":  # ^[inline note]: its own text is the note's
            label = f"^[{len(numbers)}]"
            numbers[label] = len(numbers) + 1
            body = etree.SubElement(etree.Element("div"), "p")
            body.text, sup.text = sup.text, None
            for child in list(sup):
                body.append(child)
            bodies.append(body.getparent())
            text = " ".join("".join(body.itertext()).split())
            shown = text if len(text) <= 20 else text[:20].rstrip() + "\u2026"
            _note_source(body.getparent(), f"^[{shown}]",
                         line_of(text[:30]) if text else None)
            call = etree.Element("a", {"class": "mb-noteref",
                                       "data-note": str(numbers[label])})
            call.tail = sup.tail
            sup.getparent().replace(sup, call)
            continue
        label = sup.get("id").partition(":")[2]
        if label not in definitions:
            # not Python-Markdown's call (raw HTML reusing its id form), or its note was
            # swallowed by unbalanced raw HTML: text, not a note
            del sup.attrib["id"]
            diagnostics.error("C040", f"note [^{label}] is called but its text cannot be "
                              "found", path, line_of(f"[^{label}]") or line_of("fnref"),
                              hint="check the raw HTML before the note's definition")
            continue
        if label not in numbers:
            numbers[label] = len(numbers) + 1
            li = definitions[label]
            body = etree.Element("div")
            body.text, li.text = li.text, None
            for child in list(li):
                body.append(child)
            bodies.append(body)
            _note_source(body, f"[^{label}]", line_of(f"[^{label}]:"))
        call = etree.Element("a", {"class": "mb-noteref", "data-note": str(numbers[label])})
        call.tail = sup.tail
        sup.getparent().replace(sup, call)
    for label in definitions:
        if label not in numbers and unused is not None:
            unused.add(label)
        elif label not in numbers:
            diagnostics.warning("C041", f"note [^{label}] is defined but never called",
                                path, line_of(f"[^{label}]:"))
    for node in section.iter():
        # node.text is inside node, its tail inside the parent: text in code is code
        for text, owner in ((node.text, node), (node.tail, node.getparent())):
            if text and "[^" in text and not _in_code(owner):
                for m in UNDEFINED_NOTE_RE.finditer(text):
                    diagnostics.error("C040", f"note [^{m.group(1)}] is called but never "
                                      "defined", path, line_of(m.group(0)))
    return bodies


_SMART_RE = re.compile(r"-{2,3}|\.\.\.")  # Pandoc's smart dashes and ellipsis
URL_SAFE = "!#$%&'()*+,/:;=?@[]~"  # reserved and already-escaped characters stay as written
CODE_TAGS = frozenset({"code", "pre", "kbd", "samp"})


def _in_code(el: etree._Element | None) -> bool:
    while el is not None:
        if el.tag in CODE_TAGS:
            return True
        el = el.getparent()
    return False
