"""Print renderer: the book as a print-ready PDF interior, typeset by WeasyPrint.

Plain stages, each a function returning a value (issue 14)::

    glyph check (glyphs) -> plan from the model (plan: geometry, pieces) -> lay out each
      piece (piece_layout, in this process or in workers: piece_worker, parallel) ->
      facts read from its pages (pages) -> repairs (repairs) -> page numbers settled
      (settle) -> pieces joined, checks (checks), print QA, PDF, pikepdf (finish)

The book is laid out in pieces, each a WeasyPrint document of its own (DESIGN.md section
7): the pages before the contents, the contents (with the list of illustrations), each
front-matter chapter, part title and chapter, the index. Every piece opens on a recto
(a blank verso is put before it when needed) and is numbered from its real first page,
so a chapter's repairs move only what follows it. The pages of all pieces are joined into
one document (``Document.copy``) that WeasyPrint writes with one font subset per face,
links and bookmarks across pieces. Page numbers printed as text (contents, list of
illustrations, page references, the index) come from where the anchors landed: pieces
laid out before those pages are known print placeholders, and every piece whose folio or
printed numbers no longer match is laid out again, until none changes (at most
``max_passes`` passes; usually two: the contents wait for the pages they list).

Footnotes WeasyPrint cannot set well at the foot of their call's page are repaired in
their chapter, one at a time (the first fix moves what follows it), each time laying out
again only from the last page before the fix that opens with a fresh block
(:func:`pdf_pages.restart_point`) until the layout rejoins the one before it
(:mod:`.rejoin`):

- a footnote that overflows its page (WeasyPrint splits no note over pages, and draws a
  note taller than the page over the text, or loses it), or one taller than half the text
  block (it would leave a page of footnote) runs on at the foot of the next page(s), as
  books set long notes: it is cut after the last word that fits under its call, and the
  rest hangs on the next page's first line (:mod:`note_plan`, :mod:`note_splits`; after
  the chapter's last page, on a page of its own). Only a note that cannot be cut (a
  table taller than the room) is moved to the end of its chapter, under "Notes", with a
  warning (``P004``);
- a footnote set on a later page than its call (WeasyPrint 70 defers a page's notes rather
  than leave an orphan) keeps its place: the paragraph whose first line ended the call's
  page starts the next page instead, with any heading just before it
  (:func:`pdf_pages.block_to_break`); the call's page runs a line or two short, as a
  typesetter would set it. Only when that cannot help is the note moved (``P004``).
  WeasyPrint is normally kept from deferring such notes in the first place
  (:mod:`weasy_notes`), so this repair is the fallback for a WeasyPrint the patch does
  not fit.

Once a chapter's footnotes are settled, a figure or short table that did not fit at the
foot of a page and left it more than two lines short is set after the paragraph that ends
that page (:mod:`pdf_floats`), the same way: one move at a time, laid out again from the
last fresh page before it.

While the book is laid out, :mod:`weasy_hyphens` keeps the layout's hyphenation rules
that WeasyPrint lacks (hyphenated lines in a row, no hyphen at the foot of a recto), and
:mod:`weasy_fonts` has fontconfig draw each of the layout's faces as the face it is.

The gutter depends on the page count (see :mod:`pdf_geometry`): when the count lands in
another KDP band than the estimate, the book is laid out again with the wider gutter (the
measure does not change, so the count stays in that band).

WeasyPrint fetches nothing but ``file:`` URLs inside the book folder and the layout
folders (and ``data:``); its log records become diagnostics (``P005``), never lost.

Laying out a long book takes minutes, so an optional listener is told each pass, each
piece laid out or repaired and the pages so far (:mod:`print_progress`, plain events:
the command line draws them on a terminal).

Codes: P001 character in no font of the layout's chain for it (error; checked before
layout, which it stops); P002 figure under 300 dpi (warning); P003 figure under 150 dpi
(warning; ``--strict`` fails); P004 footnote moved to the chapter's end, or printed after
its call's page (warning); P005 WeasyPrint message (warning); P006 resource refused
(error); P007 font from outside the layout in the PDF (error; kept after the glyph check
as a cheap assertion: it sees what the check cannot, such as a character in CSS generated
content or a stack naming a family the layout lacks); P008 WeasyPrint failure (error);
P009 note text missing from the pages (error);
P011 an index mark on no page (error); P012 page numbers that did not settle (warning).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from make_book.cache import Cache
from make_book.errors import Diagnostics, MakeBookError
from make_book.layouts.chain import Layout
from make_book.model import Book, Chapter
from make_book.render import glyphs
from make_book.render.print import checks
from make_book.render.print import finish
from make_book.render.print import geometry as pdf_geometry
from make_book.render.print import piece_layout
from make_book.render.print import plan
from make_book.render.print import settle
from make_book.render.print.edition import PRINT, Edition
from make_book.render.print.estimates import surely_too_tall_notes
from make_book.render.print.geometry import Geometry
from make_book.render.print.pages import PageBreak, PageFacts, page_breaks
from make_book.render.print.progress import Finishing, PrintProgress
from make_book.render.print.repairs import Repairs, split_notes
from make_book.render.print.results import LaidOut, Piece, PrintResult
from make_book.render.weasy.log import captured_weasyprint_log
from make_book.stack_room import in_room
from make_book.transforms.folios import PageMap

MAX_PASSES = settle.MAX_PASSES  # passes over the pieces until the page numbers settle
MAX_GUTTER_ROUNDS = 2  # layouts spent widening the gutter

__all__ = ["PageBreak", "PrintResult", "chapter_alone", "render_pdf", "render_print"]


def _first_repairs(book: Book, geometry: Geometry) -> Repairs:
    """The notes surely too tall for the foot of a page, split (or moved) before any
    layout."""
    return Repairs(split_notes(book, geometry, surely_too_tall_notes(book, geometry),
                               PageFacts()))


def _lay_out(book: Book, layout: Layout, geometry: Geometry, repairs: Repairs, *,
             fetcher, diagnostics: Diagnostics, lay_out, jobs: int | None,
             cache: Cache | None, max_passes: int, passes: int, tell,
             seen: set) -> tuple[LaidOut, settle.Settled]:
    """The book laid out with one geometry: prepared, its pieces planned, laid out until
    the page numbers settle, and joined."""
    source = piece_layout.prepare(book, layout, geometry, repairs.fixes,
                                  diagnostics=diagnostics, fetcher=fetcher)
    blank, blank_document = piece_layout.blank_page(source)
    pieces = plan.pieces(book, source.plan)
    if jobs is None:  # here, one document: the tagged PDF and the screen PDF need it
        settled = settle.in_process(pieces, source=source, repairs=repairs, lay_out=lay_out,
                                    max_passes=max_passes, passes=passes, tell=tell,
                                    seen=seen)
        return finish.joined_pages(settled, source, blank, blank_document), settled
    settled = settle.in_workers(pieces, source=source, repairs=repairs, lay_out=lay_out,
                                jobs=jobs, cache=cache, max_passes=max_passes,
                                passes=passes, tell=tell, seen=seen)
    return finish.joined_pieces(settled, source, blank, blank_document), settled


@in_room  # WeasyPrint's line layout otherwise maps a stack chunk per call (stack_room)
def render_print(book: Book, layout: Layout, *, source_date: datetime,
                 diagnostics: Diagnostics, progress: PrintProgress | None = None,
                 editions: tuple[Edition, ...] = (PRINT,),
                 jobs: int | None = None, cache: Cache | None = None,
                 lay_out=None, max_passes: int = MAX_PASSES) -> PrintResult:
    """The book as print PDFs, with the laid-out document (for tests and the benchmark).

    ``progress`` hears which piece is laid out (:mod:`print_progress`); each of
    ``editions`` is written from the one layout (``PrintResult.editions``); ``jobs``: lay
    the pieces out in that many worker processes (:mod:`.parallel`; 1: the same code in
    this one; None: here, as one document, which a tagged PDF and the screen PDF always
    are), keeping them in ``cache`` (:mod:`.piece_cache`); ``lay_out``: the function that
    lays out a piece (:func:`.piece_layout.lay_out_piece`); ``max_passes``: passes over the
    pieces before the page numbers are said not to settle (P012)."""
    lay_out = lay_out or piece_layout.lay_out_piece
    jobs = None if book.meta.print.tagged or editions != (PRINT,) else jobs
    tell = progress or (lambda event: None)
    yaml_path = Path(book.root) / "book.yaml"
    with piece_layout.patched(book, layout):
        found = glyphs.check_glyphs(book, layout, diagnostics, target="print")
        if found.missing or not layout.fonts:  # stop before any layout
            raise MakeBookError(diagnostics.errors)
        base, geometry = plan.geometries(book, diagnostics)
        if problem := pdf_geometry.kdp_trim_problem(base.trim_w, base.trim_h):
            diagnostics.warning("P051", problem, yaml_path,
                                hint="fine for an offset printer; for print on demand "
                                     "choose a trim such as us-trade (6in 9in)")
        repairs = _first_repairs(book, geometry)
        fetcher = piece_layout.book_fetcher(book, layout, diagnostics)
        layouts, passes, pieces_laid, seen = 0, 0, 0, set()
        tried_gutters = {geometry.inside}
        while True:
            laid_out, settled = _lay_out(
                book, layout, geometry, repairs, fetcher=fetcher, diagnostics=diagnostics,
                lay_out=lay_out, jobs=jobs, cache=cache, max_passes=max_passes,
                passes=passes, tell=tell, seen=seen)
            repairs, passes = settled.repairs, settled.passes
            pieces_laid += settled.piece_layouts
            layouts += 1
            wanted = geometry.for_pages(len(laid_out.document.pages))
            if wanted.inside not in tried_gutters and layouts <= MAX_GUTTER_ROUNDS:
                tried_gutters.add(wanted.inside)
                geometry = wanted
                continue
            break
        tell(Finishing(len(laid_out.document.pages)))
        fixes = repairs.fixes
        checks.report_moved_notes(book, fixes.endnotes, set(repairs.displaced_moves),
                                  repairs.unsplittable, diagnostics)
        checks.report_records(laid_out.records, diagnostics, yaml_path)
        checks.check_notes(book, laid_out, fixes, diagnostics)
        images = checks.check_images(book, laid_out, diagnostics, yaml_path)
        qa = finish.qa_findings(book, layout, laid_out, found, images, repairs.heads,
                                diagnostics)
        pdfs = {e.format: finish.write(book, layout, laid_out, source_date=source_date,
                                       diagnostics=diagnostics, edition=e, cache=cache)
                for e in editions}
    return PrintResult(pdfs[editions[0].format], laid_out, layouts, fixes.endnotes,
                       page_breaks(laid_out.facts), pieces_laid, fixes.breaks, qa, pdfs)


def render_pdf(book: Book, layout: Layout, *, source_date: datetime,
               diagnostics: Diagnostics) -> bytes:
    """The print interior as PDF bytes; problems go to ``diagnostics``."""
    return render_print(book, layout, source_date=source_date,
                        diagnostics=diagnostics).pdf


def chapter_alone(book: Book, layout: Layout, chapter: Chapter, *,
                  diagnostics: Diagnostics, lay_out=None) -> bytes:
    """One chapter laid out on its own, from a recto, with the book's geometry, layout
    and footnote repairs, as a bare PDF: what ``make-book preview`` shows while the
    chapter is edited (seconds, not the whole book's minutes). Its folios start at 1
    (i in the front matter), and the page numbers it prints for other places are
    placeholders: they are the whole book's only in a full build."""
    lay_out = lay_out or piece_layout.lay_out_piece
    yaml_path = Path(book.root) / "book.yaml"
    with piece_layout.patched(book, layout):
        _, geometry = plan.geometries(book, diagnostics)
        repairs = _first_repairs(book, geometry)
        source = piece_layout.prepare(book, layout, geometry, repairs.fixes,
                                      diagnostics=diagnostics)
        front = chapter.matter == "front" and not chapter.depth
        laid = lay_out(Piece("chapter", chapter.file_id, front, chapter=chapter),
                       source=source, repairs=repairs, start=0, folio=1,
                       page_map=PageMap({}, None if front else 0))
        checks.report_records(source.style_records + laid.records, diagnostics, yaml_path)
        with captured_weasyprint_log() as written:
            data = laid.documents[0].copy(laid.pages).write_pdf()
        # links to other chapters lead nowhere in a chapter alone, and that is no fault
        checks.report_records([r for r in written if not checks.record_message(r).startswith(
            "No anchor #")], diagnostics, yaml_path)
        return data
