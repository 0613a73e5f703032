"""What a format's tree steps need from its renderer, per chapter: file names and where the
notes go for the EPUB; the page geometry, the note plan and the renderer's repairs for
print. A context also carries what the steps count while they run (note calls seen, the
print pages whose markers were placed), since the renderer reads it back. An index's
locator steps read an :class:`IndexContext`, the contents' and the list of illustrations'
a :class:`ContentsContext`."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from lxml import etree

from make_book.errors import Diagnostics
from make_book.layouts.chain import Layout
from make_book.model import Book, Chapter, Image, Note
from make_book.transforms.folios import PageMap


@dataclass
class EpubContext:
    book: Book
    chapter: Chapter
    files: dict[str, str]  # file_id -> file name inside text/
    strings: dict[str, str]
    # where the notes are: None = the end of this chapter, else a back-matter notes file
    notes_file: str | None = None
    note_files: dict[str, str] = field(default_factory=dict)  # file_id -> its notes file
    local: bool = True  # False while writing notes into the back-matter notes file
    # top-level block index -> the print pages that begin in it (folio, first line's text
    # or None when the page begins with the block)
    breaks: dict[int, list[tuple[str, str | None]]] | None = None
    calls: dict[int, int] = field(default_factory=dict)  # note number -> calls so far
    placed: set[str] = field(default_factory=set)  # folios whose marker was placed
    note: Note | None = None  # the note whose text is converted ("note" fragments)


class PrintRepairs(Protocol):
    """The print renderer's repairs from a laid-out book, applied at their place in the
    step list: block marks (and figures floated on), split footnotes, their continuations."""

    def mark_blocks(self, root: etree._Element) -> None: ...

    def cut_footnote(self, note_id: str, span: etree._Element) -> etree._Element: ...

    def hang_continuations(self, root: etree._Element) -> None: ...


@dataclass
class PrintContext:
    book: Book
    chapter: Chapter
    diagnostics: Diagnostics
    geometry: Any  # render.print.geometry.Geometry: text_width, text_height, bleed
    superiors: frozenset[str]  # what the text font sets as true superiors
    notes_mode: str = "footnotes"
    endnote_ids: frozenset[str] = frozenset()  # notes moved to the chapter's end
    page_map: PageMap | None = None
    repairs: PrintRepairs | None = None
    # shared with the document: footnote id -> (call anchor id, file_id); file_id -> ids
    note_calls: dict[str, tuple[str, str]] = field(default_factory=dict)
    pageref_targets: dict[str, set[str]] = field(default_factory=dict)
    calls: dict[int, int] = field(default_factory=dict)  # note number -> calls so far
    endnotes: list[int] = field(default_factory=list)  # notes set at the chapter's end
    note: Note | None = None  # the note whose text is converted ("endnote" fragments)
    images: dict[str, Image] = field(init=False)  # the chapter's images by their src

    def __post_init__(self) -> None:
        self.images = {i.href: i for i in self.chapter.images}

    def is_endnote(self, number: int) -> bool:
        if self.notes_mode == "endnotes":
            return True
        return self.chapter.notes[number - 1].id in self.endnote_ids


@dataclass(frozen=True)
class IndexContext:
    """What an index's locator steps read: the print edition's pages (None before print is
    laid out, or for an EPUB built without print) and, for the EPUB's links, the file of
    each chapter's text and of its notes when they are in the back matter."""

    book: Book
    page_map: PageMap | None = None
    files: dict[str, str] = field(default_factory=dict)  # file_id -> file name in text/
    note_files: dict[str, str] = field(default_factory=dict)  # file_id -> its notes file


@dataclass(frozen=True)
class ContentsContext:
    """What the contents' and the list of illustrations' steps read: the layout's words;
    for the EPUB (and the web edition) the file of each chapter and part, the back-matter
    notes files and each index's document; for print the page map (None while the pages
    are not known: the layout's CSS counts them), the layout (its contents depth) and the
    top-level chapters print sets after the contents and as display pages."""

    book: Book
    strings: dict[str, str]
    files: dict[str, str] = field(default_factory=dict)  # file_id or part id -> file name
    note_files: dict[str, str] = field(default_factory=dict)  # file_id -> its notes file
    index_files: dict[str, str] = field(default_factory=dict)  # index name -> its document
    page_map: PageMap | None = None
    layout: Layout | None = None  # print: its contents-depth, unless the book sets one
    after_contents: frozenset[str] = frozenset()  # front-matter chapters after the contents
    display: frozenset[str] = frozenset()  # chapters set as display pages
