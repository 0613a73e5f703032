"""Citations ``[@key, p. 33]`` -> notes or text, and the bibliography (issue 17).

A book with ``bibliography:`` gets its citations rendered in its CSL style (see
:mod:`make_book.citations`), in reading order, the citations of a note where the note is
called, so the style's first, short and ibid. forms follow the reader:

- a note style (Chicago notes, the default): a citation in the text becomes a footnote
  at that point, numbered with the chapter's other notes in order of call (a real
  :class:`Note`, so both formats treat it as any note); as in Pandoc, the space before it
  goes and a following punctuation mark comes before the call; ``@key`` leaves the
  author's name in the text. A citation already inside a note is printed there.
- an author-date style: every citation is printed where it stands.

The bibliography, headed by ``reference-section-title:`` or the layout's word for
"Bibliography", is placed by :mod:`make_book.transforms.bibliography`. Without ``bibliography:`` citations stay as
written, each reported (C101), as before.

book.yaml's ``nocite`` (Pandoc's field: ``['@key', '@*']``) lists works in the
bibliography that no citation names.

Codes: C101 a citation in a book without bibliography; M075 a key the bibliography does
not hold; M076 a ``nocite`` key it does not hold (a warning, as Pandoc's).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from lxml import etree

from make_book import plain_files
from make_book.citations import syntax
from make_book.citations.markup import fill
from make_book.errors import Diagnostics
from make_book.layouts import load_layout
from make_book.model import Book, Chapter, Heading, Note, Part
from make_book.transforms import bibliography
from make_book.xhtml import Body

if TYPE_CHECKING:  # citeproc-py loads only for a book with a bibliography
    from make_book.citations.processor import Rendered

PUNCTUATION = ".,;:!?"


@lru_cache(maxsize=64)
def _source_lines(path: Path) -> tuple[str, ...]:
    try:
        return tuple(plain_files.read_text(path).split("\n"))
    except (OSError, UnicodeDecodeError):
        return ()


class _Lines:
    """The line of the n-th citation of a key in a file: one message per citation."""

    def __init__(self):
        self.seen: dict[tuple[Path, str], int] = {}

    def __call__(self, path: Path, key: str) -> int | None:
        pattern = re.compile(r"(?<![\w@])-?@\{?" + re.escape(key) + r"(?![\w])", re.IGNORECASE)
        lines = [n for n, line in enumerate(_source_lines(path), start=1)
                 for _ in pattern.finditer(line)]
        k = self.seen.get((path, key), 0)
        self.seen[(path, key)] = k + 1
        if not lines:
            return None
        return lines[min(k, len(lines) - 1)]


def _is_citation(el) -> bool:
    return (isinstance(el.tag, str) and el.tag == "span"
            and "citation" in (el.get("class") or "").split() and el.get("data-cites") is not None)


@dataclass
class _Found:
    span: etree._Element
    citation: syntax.Citation
    in_note: bool
    alone: bool  # the whole of its note
    line: int | None  # of its first key
    lines: dict[str, int | None] = field(default_factory=dict)  # of each key
    rendered: Rendered | None = None


@dataclass
class _Chapter:
    chapter: Chapter
    body: etree._Element
    title: etree._Element | None
    notes: dict[int, etree._Element]
    found: list[_Found] = field(default_factory=list)


def _text_before(span: etree._Element) -> str:
    prev = span.getprevious()
    return (prev.tail if prev is not None else span.getparent().text) or ""


def _set_text_before(span: etree._Element, text: str) -> None:
    prev = span.getprevious()
    if prev is not None:
        prev.tail = text
    else:
        span.getparent().text = text


def _citation_of(span: etree._Element) -> syntax.Citation | None:
    """The citation a span holds; ``-@key [p. 3]`` in the text (the reader leaves the
    ``-`` before the span) suppresses the author rather than naming it."""
    citation = syntax.parse("".join(span.itertext()))
    if citation is None or not citation.in_text:
        return citation
    before = _text_before(span)
    if before.endswith("-") and (len(before) == 1 or not before[-2].isalnum()):
        _set_text_before(span, before[:-1])
        item = citation.items[0]
        return syntax.Citation((syntax.CiteItem(item.key, item.prefix, item.suffix,
                                                item.label, item.locator,
                                                suppress_author=True),), citation.source)
    return citation


def _walk(state: _Chapter, lines: _Lines) -> None:
    """Every citation of the chapter in reading order: a note's where it is called."""
    chapter = state.chapter
    seen_notes: set[int] = set()

    def visit(root: etree._Element, in_note: bool) -> None:
        for el in list(root.iter()):
            if _is_citation(el):
                citation = _citation_of(el)
                if citation is None:
                    continue
                where = {i.key: lines(chapter.source, i.key) for i in citation.items}
                alone = in_note and _squash(root) == _squash(el)
                state.found.append(_Found(el, citation, in_note, alone,
                                          where[citation.items[0].key], where))
            elif el.get("class") == "mb-noteref" and not in_note:
                number = int(el.get("data-note", "0") or 0)
                if number in state.notes and number not in seen_notes:
                    seen_notes.add(number)
                    visit(state.notes[number], True)

    if state.title is not None:
        visit(state.title, False)
    visit(state.body, False)
    for number, note in state.notes.items():  # a note no call reaches (cannot happen)
        if number not in seen_notes:
            visit(note, True)


def _squash(el: etree._Element) -> str:
    return "".join("".join(el.itertext()).split())


def _replace(span: etree._Element, html: str, lang: str) -> None:
    """The span keeps its class and keys (as Pandoc writes it); its text is ``html``."""
    fill(span, html, lang)


def _place_note(found: _Found, call_number: str, lang: str) -> None:
    """A note-style citation in the text: the author's name (if written ``@key``) stays,
    then the note call; the space before a call goes and a punctuation mark after it
    comes before it, as Pandoc places a citation's note."""
    span = found.span
    names = found.rendered.text if found.rendered else ""
    call = etree.Element("a", {"class": "mb-noteref", "data-note": call_number})
    tail = span.tail or ""
    if names:
        _replace(span, names, lang)
        span.tail = None
        span.addnext(call)
    else:
        before = _text_before(span)
        _set_text_before(span, before.rstrip(" \t\n"))
        span.getparent().replace(span, call)
    if tail[:1] and tail[0] in PUNCTUATION:
        prev = call.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + tail[0]
        else:
            parent = call.getparent()
            parent.text = (parent.text or "") + tail[0]
        tail = tail[1:]
    call.tail = tail


def _note_body(html: str, lang: str) -> etree._Element:
    div = etree.Element("div")
    fill(etree.SubElement(div, "p"), html, lang)
    return div


def _renumber(state: _Chapter, new_bodies: dict[str, tuple[etree._Element, _Found]]
              ) -> tuple[Note, ...]:
    """The chapter's notes numbered again by first call, citation notes among them."""
    chapter = state.chapter
    old = {n.number: n for n in chapter.notes}
    numbers: dict[str, int] = {}
    notes: list[Note] = []
    roots = ([state.title] if state.title is not None else []) + [state.body]
    for root in roots:
        for call in root.iter("a"):
            if call.get("class") != "mb-noteref":
                continue
            label = call.get("data-note")
            if label not in numbers:
                numbers[label] = len(numbers) + 1
                n = numbers[label]
                note_id, ref_id = f"{chapter.file_id}-note-{n}", f"{chapter.file_id}-noteref-{n}"
                if label in new_bodies:
                    body, found = new_bodies[label]
                    notes.append(Note(n, note_id, ref_id, Body(body),
                                      found.citation.source, found.line))
                else:
                    note = old[int(label)]
                    notes.append(Note(n, note_id, ref_id, Body(state.notes[int(label)]),
                                      note.source, note.line))
            call.set("data-note", str(numbers[label]))
    for number, note in old.items():  # defined, never called: kept after the others
        if str(number) not in numbers:
            n = len(notes) + 1
            notes.append(Note(n, f"{chapter.file_id}-note-{n}",
                              f"{chapter.file_id}-noteref-{n}",
                              Body(state.notes[number]), note.source, note.line))
    return tuple(notes)


def _apply(state: _Chapter, notes_style: bool, lang: str) -> Chapter:
    chapter = state.chapter
    new_bodies: dict[str, tuple[etree._Element, _Found]] = {}
    for k, found in enumerate(state.found):
        rendered = found.rendered
        if rendered is None:
            continue
        if notes_style and not found.in_note and rendered.note is not None:
            label = f"cite-{k}"
            new_bodies[label] = (_note_body(rendered.note, lang), found)
            _place_note(found, label, lang)
        else:
            _replace(found.span, rendered.text, lang)
    changes: dict = {}
    if new_bodies or state.notes:  # first: it numbers the calls in the body
        changes["notes"] = _renumber(state, new_bodies)
    changes["body"] = Body(state.body)
    if state.title is not None:
        changes["title_markup"] = Body(state.title)
    changes.update(_heading_texts(state))
    return chapter.evolve(**changes)


def _plain(el: etree._Element) -> str:
    """A heading's text as the contents print it: note calls left out."""
    parts = [el.text or ""]
    for node in el.iterdescendants():
        if node.get("class") != "mb-noteref":
            parts.append(node.text or "")
        parts.append(node.tail or "")
    return " ".join("".join(parts).split())


def _heading_texts(state: _Chapter) -> dict:
    """The title and section headings that held a citation, for the contents and running
    heads, as rendered (an author-date citation) or without it (a note's call)."""
    chapter = state.chapter
    cited = {id(f.span) for f in state.found}
    if not cited:
        return {}
    elements = {el.get("id"): el for el in state.body.iter("h2", "h3", "h4", "h5", "h6")}
    changes: dict = {}
    headings = []
    for heading in chapter.headings:
        el = state.title if heading.level == 1 else elements.get(heading.id)
        if el is not None and "@" in heading.text:
            text = _plain(el)
            heading = Heading(heading.level, heading.id, text, heading.key)
            if el is state.title:
                changes["title"] = text
        headings.append(heading)
    changes["headings"] = tuple(headings)
    return changes


def _report_unresolved(book: Book, diagnostics: Diagnostics) -> None:
    """No bibliography: citations stay as written, each one a warning."""
    for chapter in book.chapters:
        roots = [chapter.body.root, *(n.body.root for n in chapter.notes)]
        for root in roots:
            for span in root.iter("span"):
                if _is_citation(span):
                    text = "".join(span.itertext())
                    diagnostics.warning("C101", f"citation {text[:60]} is not resolved: the "
                                        "book has no bibliography; kept as written",
                                        chapter.source, _first_line(chapter.source, text),
                                        hint="add `bibliography:` to book.yaml, or write "
                                        "the reference out")


def _first_line(path: Path, text: str) -> int | None:
    first = text.split("\n")[0]
    return next((n for n, line in enumerate(_source_lines(path), start=1) if first in line),
                None)


def _part_titles(book: Book) -> Book:
    """A part's title is its opening's, resolved there like a chapter's title: a
    note-style citation in it is a note of the part's page, as Pandoc makes a citation in
    a heading a footnote of that heading's section."""
    def fix(items):
        out = []
        for item in items:
            if isinstance(item, Part):
                opening = item.opening
                changes = {"items": fix(item.items)}
                if opening is not None and opening.title_markup != item.title_markup:
                    changes.update(title_markup=opening.title_markup, title=opening.title)
                item = item.evolve(**changes)
            out.append(item)
        return tuple(out)
    return book.evolve(items=fix(book.items))


def _known_nocite(book: Book, source, diagnostics: Diagnostics) -> tuple[str, ...]:
    """book.yaml's ``nocite`` keys the bibliography holds; the others reported (M076)."""
    where = book.root / "book.yaml"
    line = _first_line(where, "nocite") if book.meta.nocite else None
    for key in book.meta.nocite:
        if key != "*" and key.lower() not in source:
            diagnostics.warning("M076", f"nocite: @{key} is not in the bibliography; "
                                "left out", where, line,
                                hint="check the spelling, or add the reference to "
                                + ", ".join(book.meta.bibliography))
    return tuple(k for k in book.meta.nocite if k == "*" or k.lower() in source)


def resolve(book: Book, diagnostics: Diagnostics) -> Book:
    if not book.meta.bibliography:
        _report_unresolved(book, diagnostics)
        return book
    from make_book.citations.processor import Processor
    from make_book.citations.references import load_references
    from make_book.citations.styles import find_style
    layout = load_layout(book.root, book.meta.layout)
    source = load_references(book.root, book.meta.bibliography, diagnostics)
    style = find_style(book.root, book.meta.csl, layout, book.meta.lang, diagnostics)
    if source is None or style is None:
        return book
    states: list[_Chapter] = []
    lines = _Lines()
    for chapter in book.chapters:
        title = chapter.title_markup.edit() if chapter.title_markup is not None else None
        states.append(_Chapter(chapter, chapter.body.edit(), title,
                               {n.number: n.body.edit() for n in chapter.notes}))
        _walk(states[-1], lines)
    nocite = _known_nocite(book, source, diagnostics)
    processor = Processor(style, source, nocite)
    everything = []
    for state in states:
        for found in state.found:
            missing = [i.key for i in found.citation.items if not processor.known(i.key)]
            for key in missing:
                diagnostics.error("M075", f"citation key @{key} is not in the bibliography",
                                  state.chapter.source, found.lines.get(key, found.line),
                                  hint="check the spelling, or add the reference to "
                                  + ", ".join(book.meta.bibliography))
            if not missing:  # else left as written: the build fails on the error
                everything.append(found)
    if not everything and not processor.nocite:
        return book
    for found, rendered in zip(everything, processor.render(
            [(f.citation, f.in_note, f.alone) for f in everything])):
        found.rendered = rendered
    changed = {s.chapter.file_id: _apply(s, style.notes, s.chapter.lang or book.meta.lang)
               for s in states if s.found}
    book = _part_titles(book.map_chapters(lambda c: changed.get(c.file_id, c)))
    title = (book.meta.reference_section_title.plain if book.meta.reference_section_title
             else layout.strings(book.meta.lang).get("bibliography", "Bibliography"))
    return bibliography.place(book, processor.bibliography(), title)
