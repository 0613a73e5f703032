"""The book's tree (parts > chapters) from ``contents:`` and the headings of its files,
as Pandoc's EPUB writer builds it from one document with ``--split-level``.

Pandoc reads the files as one document: heading levels are the book's, and a heading
holds what follows it up to the next heading of its level or shallower. So does this
stage, with the ``part:`` entries of book.yaml as headings of their depth (a part entry
inside another is level 2...). Levels inside a part entry are the book's when they are
deeper than the entry (Karamazov's ``###`` chapters under two entries); files whose
headings are not (``#`` chapters listed under a part, the older contract) move down to
the first level inside it.

Where Pandoc is told the split level, the book's files tell it here: a heading is a
**part** when headings under it start files of their own (Flatland's ``# Part I`` file,
followed by ``##`` files), or when it holds a part; every other heading directly under a
part (or the book) is a **chapter**, and the headings under a chapter are its sections.
A file may so hold several chapters, and a part's own text (the epigraph under its
title) is printed on its opening page.

A file with a YAML block naming it (``title``, ``kind``, ``id``) is one chapter, as
before. A file (or the text before a file's first heading) without a heading takes the
title of its YAML block, else of its ``contents:`` entry (``{file: ..., title: ...}``,
typeset Markdown as a part entry's title), else none: before the first chapter, a short one is the dedication, or the epigraph when
it is only block quotes; elsewhere it needs a title (C010).

Codes: C072 a Markdown file of the book folder left out of ``contents:`` (warning).
"""

from __future__ import annotations

import bisect
import posixpath
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from lxml import etree

from make_book.config.contents import FileEntry, PartEntry
from make_book.config.meta_text import TitleText
from make_book.errors import Diagnostics
from make_book.manuscript import kinds
from make_book.manuscript.chapter import build_chapter
from make_book.manuscript.headings import HEADINGS, slugify
from make_book.manuscript.parsed_file import ParsedFile, unit_section
from make_book.manuscript.source_text import file_id_for
from make_book.markup.identifiers import BookIds
from make_book.model import Chapter, Heading, Item, Part
from make_book.xhtml import Body

# An unnamed piece before the first chapter is a dedication or an epigraph when it is at
# most this long (characters of text): longer, it is a chapter that needs a title.
SHORT_PIECE = 2000
# A headed piece before the first chapter whose title addresses someone ("To the
# Working-Classes of Great-Britain") is a dedication when at most this long: a chapter
# called "To Moscow" runs longer.
ADDRESS_PIECE = 8000
# Front-matter kinds a title names that, after the first chapter, are back matter.
BACK_WHEN_LATE = frozenset({"preface", "foreword"})


@dataclass(eq=False)
class Node:
    """A heading (or a ``part:`` entry, or a piece without a heading) in the book's tree."""

    level: int
    parsed: ParsedFile | None = None  # the file the heading is in
    start: int = 0  # index of its heading (or first block) among the file's blocks
    entry: PartEntry | None = None
    headed: bool = True  # False: a file or leading text without a heading
    starts_file: bool = False  # the first thing in its file
    forced: bool = False  # a file a YAML block names: one chapter, whatever it holds
    entry_title: TitleText | None = None  # the title its contents entry gives a file
    children: list[Node] = field(default_factory=list)

    @cached_property  # asked once the tree is built, which it then never changes
    def is_part(self) -> bool:
        return self.entry is not None or any(c.starts_file or c.is_part
                                             for c in self.children)


def _level(el: etree._Element) -> int | None:
    return int(el.tag[1]) if isinstance(el.tag, str) and el.tag in HEADINGS else None


def _top_level(parsed: ParsedFile) -> int | None:
    levels = [lv for b in parsed.blocks if (lv := _level(b)) is not None]
    return min(levels) if levels else None


class TreeBuilder:
    """contents -> a tree of Nodes (see the module docstring)."""

    def __init__(self, files: dict[str, ParsedFile]):
        self.files = files

    def container(self, node: Node, entries) -> None:
        paths = [e.file if isinstance(e, FileEntry) else e for e in entries]
        parsed = [self.files[e] for e in paths if isinstance(e, str) and e in self.files]
        tops = [t for p in parsed if (t := _top_level(p)) is not None]
        shift = max(0, node.level + 1 - min(tops)) if tops else 0
        stack = [node]
        prev_top: int | None = None
        for entry in entries:
            if isinstance(entry, PartEntry):
                del stack[1:]
                child = Node(node.level + 1, entry=entry)
                node.children.append(child)
                self.container(child, entry.contents)
                prev_top = None
                continue
            title = entry.title if isinstance(entry, FileEntry) else None
            rel = entry.file if isinstance(entry, FileEntry) else entry
            if rel not in self.files:
                continue  # not loaded: its diagnostics are given
            prev_top = self.file(self.files[rel], stack, shift, prev_top, node.level, title)

    def file(self, parsed: ParsedFile, stack: list[Node], shift: int,
             prev_top: int | None, floor: int, title: TitleText | None = None) -> int | None:
        """Nodes of one file attached to ``stack``; returns the file's top level."""
        blocks = parsed.blocks
        heads = [(i, lv + shift) for i, b in enumerate(blocks)
                 if (lv := _level(b)) is not None]
        if parsed.forced:  # one chapter: its title heading, if any, places it
            titled = heads and heads[0][0] == 0 and (heads[0][1] - shift == 1
                                                     or not parsed.meta.title)
            heads = heads[:1] if titled else []
        leading = heads[0][0] if heads else len(blocks)
        if leading or not heads:
            if any(_has_content(b) for b in blocks[:leading]) or not heads:
                level = prev_top if prev_top is not None else floor + 1
                self._attach(stack, Node(level, parsed, 0, headed=False, starts_file=True,
                                         forced=parsed.forced, entry_title=title),
                             push=False)
        for n, (i, level) in enumerate(heads):
            first = n == 0 and not any(_has_content(b) for b in blocks[:i])
            node = Node(level, parsed, i, starts_file=first, forced=parsed.forced)
            self._attach(stack, node, push=not parsed.forced)
        return min((lv for _, lv in heads), default=prev_top)

    @staticmethod
    def _attach(stack: list[Node], node: Node, push: bool) -> None:
        while len(stack) > 1 and stack[-1].level >= node.level:
            stack.pop()
        stack[-1].children.append(node)
        if push:
            stack.append(node)


def _has_content(el: etree._Element) -> bool:
    return bool("".join(el.itertext()).strip()) or el.tag in ("img", "figure", "hr")


@dataclass
class Loader:
    """Tree -> model: a Chapter per chapter node, a Part per part node."""

    lang: str
    root: Path
    diagnostics: Diagnostics
    taken: set[str]  # ids given so far (file ids, part ids)
    files: dict[str, ParsedFile]
    book_ids: BookIds  # heading ids across the book, chapters built in reading order
    split_points: dict[str, list[int]] = field(default_factory=dict)  # file -> sorted
    first_chapter_seen: bool = False
    unused: dict[str, list[set[str]]] = field(default_factory=dict)

    def items(self, node: Node, depth: int, part_id: str | None) -> list[Item]:
        out: list[Item] = []
        for child in node.children:
            if child.is_part:
                out.append(self.part(child, depth + 1))
            elif (chapter := self.chapter(child, depth, part_id)) is not None:
                out.append(chapter)
        return out

    def splits(self, node: Node) -> dict[tuple[str, int], None]:
        """(file, block index) where each part and chapter under ``node`` begins."""
        out: dict[tuple[str, int], None] = {}
        for child in node.children:
            if child.parsed is not None:
                out[(child.parsed.rel, child.start)] = None
            if child.is_part:
                out.update(self.splits(child))
        return out

    def end_of(self, node: Node) -> int:
        """Index of the block where the piece ``node`` begins stops: the next split in
        its file (the file's end when none)."""
        starts = self.split_points.get(node.parsed.rel, [])
        at = bisect.bisect_right(starts, node.start)
        return starts[at] if at < len(starts) else len(node.parsed.blocks)

    def section(self, node: Node) -> etree._Element:
        return unit_section(node.parsed, node.start, self.end_of(node))

    def file_id(self, node: Node) -> str:
        return file_id_for(node.parsed.rel, self.taken)

    def unit(self, node: Node, **inferred) -> Chapter:
        unused: set[str] = set()
        self.unused.setdefault(node.parsed.rel, []).append(unused)
        return build_chapter(node.parsed, self.section(node), self.file_id(node), self.lang,
                             self.diagnostics, self.root, unused_notes=unused,
                             book_ids=self.book_ids, **inferred)

    def chapter(self, node: Node, depth: int, part_id: str | None) -> Chapter | None:
        parsed = node.parsed
        inferred: dict = {}
        if not node.headed and not parsed.meta.title and node.entry_title:
            title = node.entry_title.plain  # typeset, its markup beside it
            kind = kinds.kind_of_title(title, parsed.meta.lang or self.lang)
            inferred = {"title": title, "title_markup": node.entry_title.markup,
                        "kind": kind or "chapter",
                        "numbered": False if kinds.carries_number(title) else None}
        elif not node.headed and not parsed.meta.title:
            inferred = self.unnamed(node)
        elif node.headed:
            title = _heading_text(parsed.blocks[node.start])
            kind = kinds.kind_of_title(title, parsed.meta.lang or self.lang)
            if kind in BACK_WHEN_LATE and self.first_chapter_seen:
                kind = "afterword"  # a translator's note after the text is back matter
            if (kind is None and not self.first_chapter_seen
                    and kinds.is_address(title, parsed.meta.lang or self.lang)
                    and self.text_length(node) <= ADDRESS_PIECE):
                kind = "dedication"  # "To the Working-Classes...", before the text
            inferred = {"kind": kind or "chapter",
                        "numbered": False if kinds.carries_number(title) else None}
        chapter = self.unit(node, **inferred)
        if chapter.matter == "body":
            self.first_chapter_seen = True
        return chapter.evolve(part_id=part_id, depth=depth)

    def text_length(self, node: Node) -> int:
        blocks = node.parsed.blocks[node.start:self.end_of(node)]
        return sum(len("".join(b.itertext())) for b in blocks)

    def unnamed(self, node: Node) -> dict:
        """Kind and title of a piece without a heading (see the module docstring)."""
        blocks = node.parsed.blocks[node.start:self.end_of(node)]
        text = sum(len("".join(b.itertext())) for b in blocks)
        meta = node.parsed.meta
        if "kind" in meta.model_fields_set:  # the YAML block says what it is
            name = kinds.untitled_name(meta.kind, self.lang)
            return {"title": name, "untitled": True} if name else {}
        quotes = [b for b in blocks if _has_content(b)]
        if self.first_chapter_seen or text > SHORT_PIECE or not quotes:
            return {}  # C010 from build_chapter: it needs a title (an empty file too)
        kind = ("epigraph" if quotes and all(b.tag == "blockquote" for b in quotes)
                else "dedication")
        return {"kind": kind, "title": kinds.untitled_name(kind, self.lang) or kind.title(),
                "untitled": True}

    def part(self, node: Node, depth: int) -> Part:
        if node.entry is not None:
            entry = node.entry
            # the id from the title as written, as before titles were typeset
            part_id = entry.id or f"part-{slugify(entry.part.source)}"
            while part_id in self.taken:
                part_id += "-x"
            self.taken.add(part_id)
            items = self.items(node, depth, part_id)
            return Part(id=part_id, title=entry.part.plain, items=tuple(items), depth=depth,
                        title_markup=entry.part.markup)
        opening = self.unit(node, kind="part", numbered=False)
        part_id = opening.headings[0].id
        if part_id == opening.file_id:  # no id on the heading: one from its title
            part_id = f"part-{slugify(opening.title)}"
            while part_id in self.taken:
                part_id += "-x"
        self.taken.add(part_id)
        # the opening text keeps the file's id; the part's title page takes the heading's
        heading = Heading(1, opening.file_id, opening.title)
        opening = opening.evolve(headings=(heading, *opening.headings[1:]),
                                 ids=(opening.ids - {part_id}) | {opening.file_id},
                                 part_id=part_id, depth=depth)
        has_text = any(_has_content(b) for b in
                       node.parsed.blocks[node.start + 1:self.end_of(node)])
        items = self.items(node, depth, part_id)
        return Part(id=part_id, title=opening.title, items=tuple(items), depth=depth,
                    # a citation in the title may become a note of the part's page
                    opening=(opening if has_text or opening.notes
                             or _cites(opening.title_markup) else None),
                    title_markup=opening.title_markup)

    def report_unused_notes(self) -> None:
        """A note definition no chapter of its file calls (C041)."""
        for rel, sets in self.unused.items():
            never = set.intersection(*sets)
            parsed = self.files[rel]
            for label in sorted(never):
                self.diagnostics.warning("C041", f"note [^{label}] is defined but never called",
                                         parsed.path, parsed.line_of(f"[^{label}]:"))


def _cites(title: Body | None) -> bool:
    """Whether a title holds a citation (which the citations transform makes a note)."""
    return title is not None and title.has_class("citation")


def _heading_text(el: etree._Element) -> str:
    return re.sub(r"\s+", " ", "".join(el.itertext())).strip()


def build_items(files: dict[str, ParsedFile], contents, lang: str, root: Path,
                diagnostics: Diagnostics, taken: set[str],
                book_ids: BookIds | None = None) -> list[Item]:
    """The book's items from ``contents`` (paths and PartEntry, nested) and its parsed
    files (by path; files that failed to load are missing)."""
    top = Node(0)
    TreeBuilder(files).container(top, contents)
    loader = Loader(lang, root, diagnostics, taken, files, book_ids or BookIds())
    for rel, start in loader.splits(top):
        loader.split_points.setdefault(rel, []).append(start)
    for starts in loader.split_points.values():
        starts.sort()
    items = loader.items(top, 0, None)
    loader.report_unused_notes()
    return items


def unlisted_files(root: Path, listed: list[str], all_files: list[str],
                   diagnostics: Diagnostics) -> None:
    """C072: a Markdown file in the book folder that ``contents:`` leaves out is most
    likely forgotten (README.md, CHANGES.md and the layout folder aside)."""
    known = {posixpath.normpath(p) for p in listed}
    for rel in all_files:
        if posixpath.normpath(rel) not in known:
            diagnostics.warning("C072", f"{rel} is in the book folder but not in "
                                "`contents:`; it is left out of the book", root / "book.yaml",
                                hint="list it under `contents:`, or move it out of the "
                                "book folder")
