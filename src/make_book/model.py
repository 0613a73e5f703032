"""The book as plain, frozen data: what every transform takes and returns and every renderer reads.

A chapter body is a parsed tree (:class:`make_book.xhtml.Body`), parsed once by the loader
and read by every later stage; a stage that changes it returns a new Chapter with a new
Body, so a ``Book`` stays frozen data, cheap to copy per target, hashable by the bodies'
serialised text and picklable for worker processes. Note bodies and titles with inline
markup are Bodies too, parsed once with the chapter. Note calls inside a body are placeholders
``<a class="mb-noteref" data-note="N"/>``; each renderer turns them into its own markup
(EPUB pop-up noterefs, print ``float: footnote`` spans or endnote calls).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from make_book.kinds import KINDS, KindInfo, Matter
from make_book.xhtml import Body

if TYPE_CHECKING:
    from make_book.config.metadata import BookMetadata

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
    body: Body  # the note's content (block elements), parsed with its chapter
    source: str = ""  # how the manuscript writes it, for messages: "[^103]", "^[...]"
    line: int | None = None  # line of its definition (inline notes: of the call)

    def __post_init__(self):
        if isinstance(self.body, str):  # written as text: a generated note, a test's
            object.__setattr__(self, "body", Body.parse(self.body))


@dataclass(frozen=True)
class Image:
    """An image file a chapter or the cover uses, as found on disk, and the bytes both
    outputs publish: the file itself, or what the loader made of it (an SVG written back
    cleaned, a TIFF converted to PNG), so each conversion happens once per build."""

    source: Path  # absolute path on disk (inside the book folder)
    href: str  # path inside the book, POSIX style, e.g. "images/photo.jpg"
    media_type: str
    width: int  # pixels; CSS pixels (1/96 in) for a vector image
    height: int
    data: bytes | None = None  # the published bytes when they are not the source file's
    vector: bool = False  # SVG: no resolution to check, scales to any size
    title: str | None = None  # an SVG's <title>: alt text for a figure that has none
    print_original: bool = False  # print embeds the source file (a CMYK JPEG's own inks)

    def content(self) -> bytes:
        """The bytes the EPUB publishes under ``href``."""
        return self.data if self.data is not None else self.source.read_bytes()

    def print_content(self) -> bytes | None:
        """The bytes the print edition embeds when they are not the file at ``href``."""
        return None if self.print_original else self.data


@dataclass(frozen=True)
class Chapter:
    source: Path  # absolute path of the .md file
    rel: str  # path relative to the book folder, POSIX style, for messages and ordering
    file_id: str  # stable, book-unique, XML-name-safe id: used for file names and anchors
    title: str
    kind: str
    lang: str | None  # only when it differs from the book's
    numbered: bool
    body: Body  # the parsed content, see module docstring (text is parsed on creation)
    number: int | None = None  # set by the numbering transform
    label: str | None = None  # how the number is printed: "3", "A"; set with it
    short_title: str | None = None
    title_markup: Body | None = None  # title with inline markup, when it has any
    headings: tuple[Heading, ...] = ()
    notes: tuple[Note, ...] = ()
    ids: frozenset[str] = frozenset()  # every id defined in this chapter
    images: tuple[Image, ...] = ()
    part_id: str | None = None  # id of the innermost part it belongs to
    depth: int = 0  # how many parts hold it: its outline level is depth + 1
    # no heading in the source (a dedication, an epigraph): the title names it in the
    # navigation only and is never printed as a heading
    untitled: bool = False
    # (href, source line) of each image in the body, then in the notes, in document order:
    # how a checker's finding about an <img> (Ace: no alt text) is traced back to the
    # Markdown line; kept beside the body so no renderer ever ships it
    image_lines: tuple[tuple[str, int | None], ...] = ()

    def __post_init__(self):
        if isinstance(self.body, str):  # written as text: a generated chapter, a test's
            object.__setattr__(self, "body", Body.parse(self.body))
        _parse_title(self)

    @property
    def info(self) -> KindInfo:
        return KINDS.get(self.kind, KINDS["chapter"])

    @property
    def matter(self) -> Matter:
        return self.info.matter

    @property
    def running_title(self) -> str:
        return self.short_title or self.title

    def image_line(self, href: str, nth: int) -> int | None:
        """The line of the ``nth`` use (from 0) of image ``href`` (the last recorded use
        when there are fewer)."""
        lines = [line for h, line in self.image_lines if h == href]
        return lines[min(nth, len(lines) - 1)] if lines else None

    def evolve(self, **changes) -> Chapter:
        return replace(self, **changes)


@dataclass(frozen=True)
class Part:
    """A part (book, division) of the book: its title page, then what it holds.

    ``items`` are chapters and parts nested in it, in reading order. ``opening`` is the
    text printed on the part's title page under the title (an epigraph), kept as a
    Chapter of kind ``part`` so that every chapter-level step (typography, ids, links,
    notes, images, glyph checks) treats it as it treats any text; it is None for a
    ``part:`` entry of book.yaml."""

    id: str
    title: str
    items: tuple[Item, ...] = ()
    number: int | None = None
    label: str | None = None  # how the number is printed ("II"); None: not numbered
    depth: int = 1  # 1 for a part of the book, 2 for a part inside a part...
    opening: Chapter | None = None
    title_markup: Body | None = None  # title with inline markup, when it has any

    def __post_init__(self):
        _parse_title(self)

    @property
    def chapters(self) -> tuple[Chapter, ...]:
        """Every chapter inside, nested parts flattened, in reading order (no openings)."""
        out: list[Chapter] = []
        for item in self.items:
            out.extend(item.chapters if isinstance(item, Part) else (item,))
        return tuple(out)

    @property
    def parts(self) -> tuple[Part, ...]:
        """Every part inside (not itself), in reading order."""
        return parts_in(self.items)

    def map_chapters(self, fn) -> Part:
        items = tuple(i.map_chapters(fn) if isinstance(i, Part) else fn(i) for i in self.items)
        opening = fn(self.opening) if self.opening is not None else None
        return replace(self, items=items, opening=opening)

    def evolve(self, **changes) -> Part:
        return replace(self, **changes)


Item = Chapter | Part


def _parse_title(item: Chapter | Part) -> None:
    """A title's markup written as text (a test's, a generated part's) parsed once."""
    if isinstance(item.title_markup, str):
        object.__setattr__(item, "title_markup", Body.parse(item.title_markup))


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
        """Every chapter in reading order, parts flattened; a part's opening text (kind
        ``part``) comes where its part begins, so every text of the book is here."""
        out: list[Chapter] = []

        def walk(items) -> None:
            for item in items:
                if isinstance(item, Part):
                    if item.opening is not None:
                        out.append(item.opening)
                    walk(item.items)
                else:
                    out.append(item)
        walk(self.items)
        return tuple(out)

    @property
    def parts(self) -> tuple[Part, ...]:
        """Every part, nested ones included, in reading order."""
        return parts_in(self.items)

    @property
    def images(self) -> tuple[Image, ...]:
        seen: dict[str, Image] = {}
        for chapter in self.chapters:
            for img in chapter.images:
                seen.setdefault(img.href, img)
        return tuple(seen.values())

    def map_chapters(self, fn) -> Book:
        """A new Book with ``fn`` applied to each chapter, parts preserved."""
        items = tuple(i.map_chapters(fn) if isinstance(i, Part) else fn(i) for i in self.items)
        return replace(self, items=items)

    def evolve(self, **changes) -> Book:
        return replace(self, **changes)


def parts_in(items) -> tuple[Part, ...]:
    """Every part among ``items`` and inside them, in reading order."""
    out: list[Part] = []
    for item in items:
        if isinstance(item, Part):
            out += [item, *parts_in(item.items)]
    return tuple(out)
