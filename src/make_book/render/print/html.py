"""The print edition as HTML for WeasyPrint, built from the layout's templates: what the
modules that build it share (the :class:`Context` of one document, the
:class:`PrintDocument` handed to the renderer, names, labels and markup helpers). The
chapter bodies are converted in :mod:`.body`, chapter, part and index sections set in
:mod:`.sections`, the contents in :mod:`.contents`, and whole documents assembled in
:mod:`.documents`.

Structure (the page names ``print.css`` styles; a page's name is the ``page`` of the
element that starts it):

- ``display``: half title, title page, copyright page, dedication, epigraph: no running
  head, no folio, counted in roman from the half title (i).
- ``front``: contents and the front-matter pieces (foreword, preface...): roman folios.
- ``part`` / ``body`` / ``back``: part title pages, chapters, back matter, arabic folios.
- ``part-first`` / ``body-first``: the first element of the body matter, a part or a
  chapter, whose first page resets the page counter to 1
  (:func:`.documents.structure_css`; a piece starts its counter at its own first folio
  instead).

Every element that opens on a recto is a top-level ``<section>`` child of ``<body>`` so
that each is its own page group (``@page body:nth(1 of body)`` is a chapter opening) and
blank versos inserted before it belong to no named page (``@page :blank`` clears them).

Chapter bodies, titles and notes go through print's format steps
(:func:`make_book.transforms.for_format`, from :mod:`.body`). Note calls
(``<a class="mb-noteref" data-note="N"/>``) become ``float: footnote`` spans
carrying the note as inline content (block elements become ``span.mb-p`` and friends), or
endnote calls linking to a "Notes" section at the end of the chapter: all notes with
``notes: endnotes``, and with footnotes the notes the renderer had to move because they
cannot be set at the foot of one page (``endnote_ids``). Blocks the renderer moves to a
new page to keep a note on its call's page get ``mb-break-before`` (``break_marks``).

Page numbers printed as text: with a ``page_map``, the contents, the list of
illustrations and page references carry ``data-page`` (the layout's CSS shows it), since
``target-counter`` cannot see into another piece.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from make_book.errors import Diagnostics
from make_book.layouts.chain import Layout
from make_book.model import Book, Chapter, Part
from make_book.render.print import note_splits
from make_book.render.print.geometry import Geometry
from make_book.transforms.folios import PageMap
from make_book.transforms.print_steps import css_string


TEMPLATES = "print"
# Where WeasyPrint sees the book folder: one fixed URL, so nothing in the PDF depends on
# where the sources are checked out (WeasyPrint names images by a hash of their URL).
# The renderer's URL fetcher maps it back to ``book.root``.
BOOK_URL = "file:///make-book/book/"
DISPLAY_KINDS = frozenset({"dedication", "epigraph"})
# A dedication or epigraph up to this many characters of text is a display page (centred,
# alone, before the contents); a longer one (Engels' dedication to the English workers
# runs to two pages of prose) is set as a front-matter chapter.
DISPLAY_TEXT = 1200
def is_display(chapter: Chapter) -> bool:
    """Whether ``chapter`` is set as a display page (see DISPLAY_TEXT)."""
    if chapter.kind not in DISPLAY_KINDS:
        return False
    return len(chapter.body.text()) <= DISPLAY_TEXT

BLOCK_ATTR = "data-mb-block"  # "file_id:k" on each top-level block of a chapter body
BREAK_CLASS = "mb-break-before"  # a block the renderer moved to the next page
HIDDEN_ATTR = "data-mb-hidden"  # the block before a restart, kept for sibling selectors


@dataclass
class PrintDocument:
    html: str
    base_url: str
    first_body_id: str | None  # id of the element whose first page is arabic 1
    chapter_ids: dict[str, str] = field(default_factory=dict)  # section id -> file_id
    note_calls: dict[str, tuple[str, str]] = field(default_factory=dict)
    # ^ footnote id -> (call anchor id, chapter file_id), for the placement check
    page_names: dict[str, str] = field(default_factory=dict)  # chapter file_id, part id -> page
    pageref_targets: dict[str, set[str]] = field(default_factory=dict)  # file_id -> ids
    contents_targets: frozenset[str] = frozenset()  # the contents' and the LOI's entries
    has_opening: bool = False  # anything before the contents (half title... epigraph)
    has_contents: bool = False  # contents or a list of illustrations


@dataclass
class Context:
    book: Book
    layout: Layout
    geometry: Geometry
    diagnostics: Diagnostics
    endnote_ids: frozenset[str] = frozenset()
    strings: dict[str, str] = field(default_factory=dict)
    break_marks: frozenset[str] = frozenset()  # blocks that start a new page
    splits: dict[str, note_splits.NoteSplit] = field(default_factory=dict)  # by note id
    floats: dict[str, str] = field(default_factory=dict)  # figure mark -> block it follows
    note_calls: dict[str, tuple[str, str]] = field(default_factory=dict)
    pageref_targets: dict[str, set[str]] = field(default_factory=dict)
    # where the anchors are, for page numbers printed as text (pieces of the book laid out
    # on their own cannot use target-counter); None: target-counter in the layout's CSS
    page_map: PageMap | None = None

    @property
    def notes_mode(self) -> str:
        return getattr(self.book.meta, "notes", "footnotes") or "footnotes"

    def render(self, template: str, **context) -> str:
        return self.layout.env.get_template(f"{TEMPLATES}/{template}").render(
            book=self.book, meta=self.book.meta, strings=self.strings, **context)


# ----------------------------------------------------------------------------- helpers

def author_names(book: Book) -> list[str]:
    authors = getattr(book.meta, "authors", None)
    if authors is not None:
        return [c.name for c in authors]
    return [str(a) for a in getattr(book.meta, "author", None) or ()]


def verso_head(book: Book) -> str:
    meta = book.meta
    which = getattr(getattr(meta, "print", None), "running_head_verso", "title") or "title"
    if which == "author" and author_names(book):
        return ", ".join(author_names(book))
    return getattr(meta, "short_title", None) or meta.title


def walk_items(items, chapters_only: bool = False):
    """Parts and chapters in reading order, nested parts entered (a part before what it
    holds)."""
    for item in items:
        if isinstance(item, Part):
            if not chapters_only:
                yield item
            yield from walk_items(item.items, chapters_only)
        else:
            yield item


def make_context(book: Book, layout: Layout, geometry: Geometry, diagnostics: Diagnostics,
                 endnote_ids: frozenset[str] = frozenset(),
                 break_marks: frozenset[str] = frozenset(),
                 page_map: PageMap | None = None,
                 splits: tuple[note_splits.NoteSplit, ...] = ()) -> tuple[Context, str]:
    lang = getattr(book.meta, "lang", None) or "en"
    return Context(book, layout, geometry, diagnostics, frozenset(endnote_ids),
                   layout.strings(lang), break_marks=frozenset(break_marks),
                   splits={s.note_id: s for s in splits}, page_map=page_map), lang
