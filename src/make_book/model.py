"""The book as plain, frozen data: what every transform takes and returns and every renderer reads.

Chapter bodies are kept as serialised XHTML fragments (a ``<section>`` element's children)
rather than live lxml trees so that a ``Book`` is hashable-ish, cheap to copy per target and
safe to hand to worker processes. Note calls inside a body are placeholders
``<a class="mb-noteref" data-note="N"/>``; each renderer turns them into its own markup
(EPUB pop-up noterefs, print ``float: footnote`` spans or endnote calls).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from make_book.config.metadata import BookMetadata

Matter = Literal["front", "body", "back"]


@dataclass(frozen=True)
class KindInfo:
    """What a chapter `kind` means: where it sits and how it is announced to reading systems."""

    matter: Matter
    epub_type: str
    role: str | None  # DPUB-ARIA role; None where the vocabulary has none for the section
    landmark: str | None = None  # epub:type used in the landmarks nav, when it deserves one


# Kinds as DESIGN.md lists them. Roles follow DPUB-ARIA 1.1; epub:type follows the EPUB 3
# Structural Semantics Vocabulary. Chapters and appendixes carry numbers by default.
KINDS: dict[str, KindInfo] = {
    "dedication": KindInfo("front", "dedication", "doc-dedication"),
    "epigraph": KindInfo("front", "epigraph", "doc-epigraph"),
    "foreword": KindInfo("front", "foreword", "doc-foreword"),
    "preface": KindInfo("front", "preface", "doc-preface"),
    "acknowledgments": KindInfo("front", "acknowledgments", "doc-acknowledgments"),
    "introduction": KindInfo("front", "introduction", "doc-introduction"),
    "prologue": KindInfo("body", "prologue", "doc-prologue"),
    "chapter": KindInfo("body", "chapter", "doc-chapter", "bodymatter"),
    "epilogue": KindInfo("body", "epilogue", "doc-epilogue"),
    "afterword": KindInfo("back", "afterword", "doc-afterword"),
    "conclusion": KindInfo("body", "conclusion", "doc-conclusion"),
    "appendix": KindInfo("back", "appendix", "doc-appendix"),
    "chronology": KindInfo("back", "appendix", "doc-appendix"),
    "glossary": KindInfo("back", "glossary", "doc-glossary", "glossary"),
    "bibliography": KindInfo("back", "bibliography", "doc-bibliography", "bibliography"),
    "colophon": KindInfo("back", "colophon", "doc-colophon"),
}

NUMBERED_BY_DEFAULT = frozenset({"chapter", "appendix"})


@dataclass(frozen=True)
class Contributor:
    name: str
    role: str  # MARC relator code: aut, trl, edt, aui, ill, ...
    file_as: str | None = None


@dataclass(frozen=True)
class Heading:
    level: int  # 1 = the chapter's own title, 2.. = sections
    id: str
    text: str  # plain text, for the toc, outline and running heads
    # Markdown source, normalised, for implicit references ``[Heading text]``; None for
    # a heading without one (raw HTML, a title from the front matter)
    key: str | None = None


@dataclass(frozen=True)
class Note:
    number: int  # per chapter, from 1, in order of first call
    id: str  # book-unique id of the note body, e.g. "ch03-note-2"
    ref_id: str  # book-unique id of the (first) call
    html: str  # serialised XHTML fragment of the note's content (block elements)


@dataclass(frozen=True)
class Image:
    """An image file a chapter or the cover uses, as found on disk."""

    source: Path  # absolute path on disk (inside the book folder)
    href: str  # path inside the book, POSIX style, e.g. "images/photo.jpg"
    media_type: str
    width: int
    height: int


@dataclass(frozen=True)
class Chapter:
    source: Path  # absolute path of the .md file
    rel: str  # path relative to the book folder, POSIX style, for messages and ordering
    file_id: str  # stable, book-unique, XML-name-safe id: used for file names and anchors
    title: str
    kind: str
    lang: str | None  # only when it differs from the book's
    numbered: bool
    body: str  # XHTML fragment, see module docstring
    number: int | None = None  # set by the numbering transform
    label: str | None = None  # how the number is printed: "3", "A"; set with it
    short_title: str | None = None
    title_html: str | None = None  # title with inline markup, when it has any
    headings: tuple[Heading, ...] = ()
    notes: tuple[Note, ...] = ()
    ids: frozenset[str] = frozenset()  # every id defined in this chapter
    images: tuple[Image, ...] = ()
    part_id: str | None = None  # id of the part it belongs to

    @property
    def info(self) -> KindInfo:
        return KINDS.get(self.kind, KINDS["chapter"])

    @property
    def matter(self) -> Matter:
        return self.info.matter

    @property
    def running_title(self) -> str:
        return self.short_title or self.title

    def evolve(self, **changes) -> Chapter:
        return replace(self, **changes)


@dataclass(frozen=True)
class Part:
    id: str
    title: str
    chapters: tuple[Chapter, ...]
    number: int | None = None
    label: str | None = None

    def evolve(self, **changes) -> Part:
        return replace(self, **changes)


Item = Chapter | Part


@dataclass(frozen=True)
class Locator:
    """One place an index term is marked: the mark's id, and the id ending a passage."""

    file_id: str
    anchor: str
    end_anchor: str | None = None


@dataclass(frozen=True)
class IndexEntry:
    term: str  # as printed: "Trotsky, Leon"
    locators: tuple[Locator, ...] = ()
    see: tuple[str, ...] = ()
    see_also: tuple[str, ...] = ()
    subentries: tuple[IndexEntry, ...] = ()
    id: str = ""  # anchor of the entry in the generated index (for see/see-also links)


@dataclass(frozen=True)
class IndexGroup:
    label: str  # the letter heading, by the book language's alphabet ("A", "Ä"?, "Я")
    entries: tuple[IndexEntry, ...]


@dataclass(frozen=True)
class BookIndex:
    name: str  # file and anchor name: "index", "index-of-names"
    title: str | None  # None: the layout's word for "Index"
    groups: tuple[IndexGroup, ...]


@dataclass(frozen=True)
class Book:
    root: Path  # the book folder
    slug: str
    meta: BookMetadata
    items: tuple[Item, ...]  # reading order; parts hold their chapters
    cover: Image | None = None
    layout_dirs: tuple[Path, ...] = ()  # most specific first: book override, house style, base
    identifier: str = ""  # the package's unique identifier (urn:isbn:..., urn:uuid:...)
    # id -> file_id of the chapter defining it; filled by the ids transform
    anchors: dict[str, str] = field(default_factory=dict, compare=False, hash=False)
    # id -> what a reader calls the target (heading text, part title, figure caption); the
    # text of an empty link such as ``[](#id){.pageref}`` in formats without page numbers
    labels: dict[str, str] = field(default_factory=dict, compare=False, hash=False)
    # id inside a note (or a note's own id) -> the note's id: a link to it goes to the
    # note (EPUB aside or endnote, print footnote); filled by the ids transform
    in_notes: dict[str, str] = field(default_factory=dict, compare=False, hash=False)
    indexes: tuple[BookIndex, ...] = ()  # filled by the index transform
    # id -> (kind, number) of numbered targets: ("figure", "2.1"), ("chapter", "3")...,
    # what a {.ref} link prints; filled by the numbering transforms
    numbers: dict[str, tuple[str, str]] = field(default_factory=dict, compare=False,
                                                hash=False)

    @property
    def chapters(self) -> tuple[Chapter, ...]:
        """Every chapter in reading order, parts flattened."""
        out: list[Chapter] = []
        for item in self.items:
            if isinstance(item, Part):
                out.extend(item.chapters)
            else:
                out.append(item)
        return tuple(out)

    @property
    def parts(self) -> tuple[Part, ...]:
        return tuple(i for i in self.items if isinstance(i, Part))

    @property
    def images(self) -> tuple[Image, ...]:
        seen: dict[str, Image] = {}
        for chapter in self.chapters:
            for img in chapter.images:
                seen.setdefault(img.href, img)
        return tuple(seen.values())

    def map_chapters(self, fn) -> Book:
        """A new Book with ``fn`` applied to each chapter, parts preserved."""
        items: list[Item] = []
        for item in self.items:
            if isinstance(item, Part):
                items.append(item.evolve(chapters=tuple(fn(c) for c in item.chapters)))
            else:
                items.append(fn(item))
        return replace(self, items=tuple(items))

    def evolve(self, **changes) -> Book:
        return replace(self, **changes)
