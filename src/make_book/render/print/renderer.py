"""Print renderer: the book as a print-ready PDF interior, typeset by WeasyPrint.

Pipeline (each step in its own module)::

    glyph check (glyphs) -> geometry (pdf_geometry) -> HTML per piece (print.documents +
      templates) -> WeasyPrint layout of each piece -> facts read from the pages
      (pdf_pages) -> repairs -> pages spliced into one document -> checks (print.checks)
      -> PDF -> pikepdf (pdf_post)

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
``MAX_PASSES`` passes; usually two: the contents wait for the pages they list).

Footnotes WeasyPrint cannot set well at the foot of their call's page are repaired in
their chapter, one at a time (the first fix moves what follows it), each time laying out
again only from the last page before the fix that opens with a fresh block
(:func:`pdf_pages.restart_point`):

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

import gc
import logging
from contextlib import contextmanager
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pikepdf
import weasyprint
from weasyprint import CSS, HTML
from weasyprint.urls import URLFetchingError

from make_book.cache import Cache
from make_book.config.hyphenation import HyphenationWords, book_words
from make_book.errors import Diagnostics, MakeBookError, error
from make_book.layouts.chain import Layout
from make_book.model import Book, Chapter, Part
from make_book.render import active_content, figures, glyphs
from make_book.render.print import checks
from make_book.render.print import hyphenator
from make_book.render.print import note_plan
from make_book.render.print import floats as pdf_floats
from make_book.render.print import geometry as pdf_geometry
from make_book.render.print import documents as pdf_documents
from make_book.render.print import html as pdf_html
from make_book.render import page_index as pdf_index
from make_book.render.print import join as pdf_join
from make_book.render.print import parallel as pdf_parallel
from make_book.render.print import post as pdf_post
from make_book.render.print import piece_facts
from make_book.render.print import qa as print_qa
from make_book.render.print import running_heads
from make_book.render.print import screen
from make_book.render.print.note_splits import NoteSplit, base_note_id
from make_book.transforms.print_notes import footnote_text
from make_book.render.print.edition import PRINT, Edition
from make_book.render.print.estimates import estimate_pages, surely_too_tall_notes
from make_book.render.print.fetcher import BookFetcher
from make_book.render.print.geometry import Geometry
from make_book.render.print.pages import (
    PageBreak,
    PageFacts,
    block_to_break,
    inspect_pages,
    page_breaks,
    restart_point,
)
from make_book.render.print.progress import (
    Finishing,
    PassStarted,
    PieceDone,
    PieceStarted,
    PrintEvent,
    PrintProgress,
)
from make_book.render.print.qa_pages import PageText
from make_book.render.print.results import Fixes, LaidOut, Piece, PrintResult, WorkerPages
from make_book.render.weasy import fonts as weasy_fonts
from make_book.render.weasy import hyphens as weasy_hyphens
from make_book.render.weasy import lines as weasy_lines
from make_book.render.weasy import notes as weasy_notes
from make_book.render.weasy.log import captured_weasyprint_log

MAX_PASSES = 4  # passes over the pieces until folios and printed page numbers settle
MAX_PIECE_ROUNDS = 12  # layouts of one chapter on its own, one fix each
ROUNDS_PER_SPLIT = 4  # more for each note continued over pages (note_plan's steps)
MAX_GUTTER_ROUNDS = 2  # layouts spent widening the gutter

__all__ = ["PageBreak", "PrintRenderer", "PrintResult", "render_pdf", "render_print"]


# ----------------------------------------------------------------------------- renderer

@contextmanager
def fewer_collections(first: int = 50_000):
    """Layout makes millions of small objects, and a laid-out book keeps them alive, so
    Python's default collector (a pass every 700 allocations, full passes over the whole
    growing heap) costs a tenth of the render; rarer passes cost no memory we measured
    (benchmarks/bench_pdf.py)."""
    old = gc.get_threshold()
    gc.set_threshold(first, 20, 100)
    try:
        yield
    finally:
        gc.set_threshold(*old)


class PrintRenderer:
    def __init__(self, book: Book, layout: Layout, *, source_date: datetime,
                 diagnostics: Diagnostics, progress: PrintProgress | None = None,
                 editions: tuple[Edition, ...] = (PRINT,),
                 jobs: int | None = None, cache: Cache | None = None):
        self.book = book
        self.editions = editions  # written from the one layout (pdf_edition)
        self.cache = cache  # keeps the pieces laid out in workers (piece_cache)
        # pieces laid out in worker processes and joined (pdf_parallel), or None: laid out
        # here and written as one document; a tagged PDF (print.tagged, or the screen PDF's
        # PDF/UA) is always the latter (pdf_join)
        self.jobs = None if book.meta.print.tagged or editions != (PRINT,) else jobs
        self.layout = layout
        self.source_date = source_date
        self.diagnostics = diagnostics
        self.yaml_path = Path(book.root) / "book.yaml"
        roots = [Path(book.root)] + [d.path for d in layout.dirs]
        self.displaced_moves: set[str] = set()  # notes moved for landing after their call
        self.unsplittable: dict[str, str] = {}  # long notes not continued, and why
        self.fetcher = BookFetcher(roots, diagnostics, self.yaml_path, Path(book.root),
                                   book.images + ((book.cover,) if book.cover else ()))
        self.fixes = Fixes()
        self.piece_layouts = 0  # WeasyPrint layouts of pieces of the book
        self.reported_marks: set[tuple[str, str]] = set()
        self.float_moves: dict[str, int] = {}  # figure mark -> times moved on
        self.checked_html: set[int] = set()  # print documents found free of active content
        self.heads: dict[str, str] = {}  # file_id -> running head cut to fit (running_heads)
        # whether a chapter's layout cuts a head that runs over: not while its folios are
        # provisional (pdf_parallel cuts it once they are real: the folio takes room)
        self.cut_heads = True
        self.head_cuts: dict[str, int] = {}  # file_id -> times its head was cut
        self.progress = progress  # told which piece is laid out (print_progress)
        self.passes = 0  # passes over the pieces, over every geometry tried
        self.current: PieceStarted | None = None  # the piece being laid out, for its rounds

    def render(self) -> PrintResult:
        with self._patched():
            return self._render()

    @contextmanager
    def _patched(self):
        """WeasyPrint as the book is laid out with (see the module docstring)."""
        with (fewer_collections(), weasy_notes.notes_stay_with_calls(),
              weasy_lines.trailing_space_hangs(),
              weasy_hyphens.hyphenation_rules(self.layout.hyphenate_limit_lines,
                                              self.layout.avoid_recto_foot_hyphen,
                                              self._hyphenation_words(),
                                              common=hyphenator.common_words(
                                                  c.body.text(" ") for c in self.book.chapters))):
            yield

    def chapter_alone(self, chapter: Chapter) -> bytes:
        """One chapter laid out on its own, from a recto, with the book's geometry, layout
        and footnote repairs, as a bare PDF: what ``make-book preview`` shows while the
        chapter is edited (seconds, not the whole book's minutes). Its folios start at 1
        (i in the front matter), and the page numbers it prints for other places are
        placeholders: they are the whole book's only in a full build."""
        with self._patched():
            base = pdf_geometry.geometry_for(self.book.meta.print, bleeds=self._bleeds())
            geometry = base.for_pages(estimate_pages(self.book, base))
            self.fixes = self._split(surely_too_tall_notes(self.book, geometry), PageFacts())
            self._prepare(geometry)
            front = chapter.matter == "front" and not chapter.depth
            pages, documents, records = self._lay_out_chapter(
                chapter, 0, 1, pdf_index.PageMap({}, None if front else 0))
            self._report_records(self.style_records + records)
            with captured_weasyprint_log() as written:
                data = documents[0].copy(pages).write_pdf()
            # links to other chapters lead nowhere in a chapter alone, and that is no fault
            self._report_records([r for r in written if not checks.record_message(r).startswith(
                "No anchor #")])
            return data

    def _hyphenation_words(self) -> HyphenationWords:
        """The book's words with their break points (their problems were reported when
        book.yaml was read)."""
        setting = self.book.meta.hyphenation
        return book_words(self.book.root, setting.words, setting.file)[0]

    # -- layout ------------------------------------------------------------------------
    def _render_html(self, source: pdf_html.PrintDocument):
        key = hash(source.html)
        if key not in self.checked_html:  # whatever the templates wrote (render/active_content)
            found = Diagnostics()
            if not active_content.check_print_html(source.html, found, self.yaml_path):
                raise MakeBookError(list(found))
            self.checked_html.add(key)
        with captured_weasyprint_log() as records:
            html = HTML(string=source.html, base_url=source.base_url,
                        url_fetcher=self.fetcher)
            document = html.render(font_config=self.font_config,
                                   stylesheets=self.stylesheets)
        return document, list(records)

    def _stylesheets(self) -> list[CSS]:
        """The layout's fonts and stylesheets, parsed once for all the pieces. Given to
        WeasyPrint as user stylesheets: they rank above its defaults and below the
        document's own rules (the geometry and structure CSS, inline styles), which is
        where they stood as linked author sheets, since the two never set the same
        properties (geometry comes from the model, never from the layout's CSS)."""
        with captured_weasyprint_log() as records:
            sheets = [CSS(string=pdf_documents.font_css(self.layout),
                          base_url=pdf_html.BOOK_URL,
                          url_fetcher=self.fetcher, font_config=self.font_config)]
            try:
                sheets += [CSS(url=url, url_fetcher=self.fetcher,
                               font_config=self.font_config)
                           for url in pdf_documents.stylesheet_urls(self.layout)]
            except URLFetchingError as exc:  # the fetcher refused a stylesheet and said why
                raise MakeBookError(self.diagnostics.errors or [error(
                    "L043", f"a print stylesheet cannot be read: {exc}", None)]) from None
        self.style_records = list(records)
        return sheets

    def _render(self) -> PrintResult:
        found = glyphs.check_glyphs(self.book, self.layout, self.diagnostics, target="print")
        if found.missing or not self.layout.fonts:  # stop before any layout
            raise MakeBookError(self.diagnostics.errors)
        base = pdf_geometry.geometry_for(self.book.meta.print, bleeds=self._bleeds())
        if problem := pdf_geometry.kdp_trim_problem(base.trim_w, base.trim_h):
            self.diagnostics.warning("P051", problem, self.yaml_path,
                                     hint="fine for an offset printer; for print on demand "
                                          "choose a trim such as us-trade (6in 9in)")
        geometry = base.for_pages(estimate_pages(self.book, base))
        self.geometry = geometry
        self.fixes = self._split(surely_too_tall_notes(self.book, geometry), PageFacts())
        passes = 0
        tried_gutters = {geometry.inside}
        while True:
            laid_out = self.lay_out(geometry)
            passes += 1
            wanted = geometry.for_pages(len(laid_out.document.pages))
            if wanted.inside not in tried_gutters and passes <= MAX_GUTTER_ROUNDS:
                tried_gutters.add(wanted.inside)
                geometry = wanted
                continue
            break
        self._tell(Finishing(len(laid_out.document.pages)))
        fixes = self.fixes
        checks.report_moved_notes(self.book, fixes.endnotes, self.displaced_moves,
                                  self.unsplittable, self.diagnostics)
        self._report_records(laid_out.records)
        checks.check_notes(self.book, laid_out, self.fixes, self.diagnostics)
        images = checks.check_images(self.book, laid_out, self.diagnostics, self.yaml_path)
        qa = self._print_qa(laid_out, found, images)
        pdfs = {e.format: self._write(laid_out, e) for e in self.editions}
        return PrintResult(pdfs[self.editions[0].format], laid_out, passes, fixes.endnotes,
                           page_breaks(laid_out.facts), self.piece_layouts, fixes.breaks, qa,
                           pdfs)

    def _print_qa(self, laid_out: LaidOut, found: glyphs.Coverage,
                  images: list[print_qa.ImageCheck]) -> list[print_qa.Finding]:
        """The print QA's findings (see :mod:`print_qa`); the blocking ones as warnings."""
        layout, book = self.layout, self.book
        text_face = next((f for f in layout.fonts if f.style == "normal"), None)
        ctx = print_qa.Context(
            root=Path(book.root), sources={c.file_id: c.source for c in book.chapters},
            body_start=laid_out.body_start, hyphen_limit=layout.hyphenate_limit_lines,
            max_word_spacing=layout.max_word_spacing,
            natural_space=(print_qa.natural_space(text_face.path) if text_face
                           else print_qa.NATURAL_SPACE),
            leading=pdf_geometry.LEADING_PT * print_qa.PX_PER_PT,
            shortened_heads={c.file_id: (c.running_title, self.heads[c.file_id])
                             for c in book.chapters if c.file_id in self.heads},
            pages=len(laid_out.document.pages), paper=checks.paper(book.meta.print.paper))
        findings = print_qa.check(laid_out.text, laid_out.facts, ctx, missing=found.missing,
                                  images=images)
        print_qa.report_diagnostics(findings, self.diagnostics,
                                    f"{book.slug}-print-qa.json")
        return findings

    def _bleeds(self) -> bool:
        """Whether a figure bleeds (``bleed: auto`` then gives the book its bleed); one marked
        to bleed in a book with ``bleed: 0`` stays inside the margins, and says so (P050)."""
        bleeds = figures.book_bleeds(self.book)
        if bleeds and not self.book.meta.print.bleed_pt:
            for chapter in self.book.chapters:
                for block in figures.bleeding(chapter.body.root):
                    self.diagnostics.warning(
                        "P050", f"a figure marked .bleed ({block.get('id') or 'no id'}) "
                        "is set inside the margins: book.yaml has print.bleed 0",
                        chapter.source, hint="give print.bleed auto or a length")
        return bleeds

    def lay_out(self, geometry: Geometry) -> LaidOut:
        """The book in pieces (see the module docstring), laid out until every piece has
        its folios and prints the pages of what it refers to."""
        if self.jobs is not None:
            return self._lay_out_in_workers(geometry)
        self._prepare(geometry)
        self.blank = self._blank_page()
        pieces = self._pieces()
        known: dict[str, int] = {}
        known_start = None
        for _ in range(MAX_PASSES):
            changed = False
            start, body_start, here = 0, None, {}
            self.passes += 1
            self._tell(PassStarted(self.passes, len(pieces)))
            for index, piece in enumerate(pieces, 1):
                start += start % 2  # every piece opens on a recto
                if not piece.roman and body_start is None:
                    body_start = start
                folio = start + 1 if piece.roman else start - body_start + 1
                page_map = pdf_index.PageMap(
                    {**known, **here}, known_start if body_start is None else body_start)
                if piece.folio != folio or piece.stale(page_map):
                    self.current = PieceStarted(index, len(pieces), piece.kind,
                                                self._piece_title(piece), start)
                    self._tell(self.current)
                    self._lay_out_piece(piece, start, folio, page_map)
                    self._tell(PieceDone(index, len(pieces), piece.kind, self.current.title,
                                         start + len(piece.pages)))
                    changed = True
                for i, page in enumerate(piece.pages):
                    for anchor in page.anchors:
                        here.setdefault(anchor, start + i)
                start += len(piece.pages)
            known, known_start = here, body_start
            if not changed:
                break
        else:
            self.diagnostics.warning(
                "P012", f"page numbers did not settle in {MAX_PASSES} passes: the contents, "
                "page references or index may be off", self.yaml_path,
                hint="report this with the book: pieces kept changing length")
        pages = []
        for piece in pieces:
            if len(pages) % 2:
                pages.append(self.blank)
            pages += piece.pages
        documents = [d for piece in pieces for d in piece.documents] + [self.blank_document]
        source = replace(self.plan, note_calls=self._footnote_calls(self.plan.note_calls))
        document = documents[0].copy(pages)
        records = self.style_records + [r for piece in pieces for r in piece.records]
        text = PageText()
        return LaidOut(document, source, geometry, records,
                       inspect_pages(document.pages, source, text), documents, text)

    def _lay_out_in_workers(self, geometry: Geometry) -> LaidOut:
        """:meth:`lay_out` with the pieces laid out by :mod:`pdf_parallel`'s workers, each
        written as a PDF of its own, until every piece has its folio and prints the pages
        of what it refers to; the pages' facts are joined (:mod:`piece_facts`)."""
        self._prepare(geometry)
        self.blank = self._blank_page()
        pieces = self._pieces()
        roman = [p.roman for p in pieces]
        outcomes: dict[int, pdf_parallel.PieceOutcome] = {}
        book, layout, when = self.book, self.layout, self.source_date

        def make_renderer():
            return PrintRenderer(book, layout, source_date=when, diagnostics=Diagnostics())

        with pdf_parallel.pool(make_renderer, geometry, self.fixes, roman,
                               self.jobs, self.cache) as runner:
            for round_ in range(MAX_PASSES + 1):
                lengths = {i: o.length for i, o in outcomes.items()}
                folios = pdf_parallel.Folios(roman, lengths)
                anchors, body_start = self._anchors(pieces, outcomes)
                page_map = pdf_index.PageMap(anchors, body_start)
                todo = [i for i in range(len(pieces)) if i not in outcomes
                        or folios.folio(i) != outcomes[i].folio
                        or any(page_map.folio_of(a) != f
                               for a, f in outcomes[i].printed.items())]
                if not todo:
                    break
                if round_ == MAX_PASSES:
                    self.diagnostics.warning(
                        "P012", f"page numbers did not settle in {MAX_PASSES} passes: the "
                        "contents, page references or index may be off", self.yaml_path,
                        hint="report this with the book: pieces kept changing length")
                    break
                self.passes += 1
                self._tell(PassStarted(self.passes, len(pieces)))
                tasks = [pdf_parallel.PieceTask(i, anchors, body_start, self.fixes,
                                                self.heads, self.head_cuts, self.float_moves)
                         for i in todo]
                laid = dict(lengths)

                def done(outcome: pdf_parallel.PieceOutcome) -> None:
                    laid[outcome.index] = outcome.length
                    piece = pieces[outcome.index]
                    self._tell(PieceDone(outcome.index + 1, len(pieces), piece.kind,
                                         self._piece_title(piece), sum(laid.values())))

                for outcome in runner.run(tasks, lengths, done):  # taken in book order
                    self._take(outcome)
                    outcomes[outcome.index] = outcome
        if any(p.kind == "index" for p in pieces):  # a worker's map may lack later pieces
            self._check_index_marks(pdf_index.PageMap(*self._anchors(pieces, outcomes)))
        source = replace(self.plan, note_calls=self._footnote_calls(self.plan.note_calls))
        blank_text = PageText()
        blank = piece_facts.portable(inspect_pages([self.blank], source, blank_text),
                                     blank_text, [self.blank])
        blank_pdf = pdf_join.piece_pdf(self.blank_document, [self.blank])
        parts, pdfs, start = [], [], 0
        for index in range(len(pieces)):
            if start % 2:
                parts.append((start, blank))
                pdfs.append(blank_pdf)
                start += 1
            outcome = outcomes[index]
            parts.append((start, outcome.facts))
            pdfs.append(outcome.pdf)
            start += outcome.length
        facts, text, page_anchors = piece_facts.merge(parts, source)
        records = self.style_records + [
            r for i in range(len(pieces))
            for r in pdf_parallel.log_records(outcomes[i].records)]
        written = [r for i in range(len(pieces))
                   for r in pdf_parallel.log_records(outcomes[i].written)]
        return LaidOut(WorkerPages(page_anchors), source, geometry, records, facts, [], text,
                       pieces=pdfs, written=written)

    def _anchors(self, pieces: list[Piece], outcomes: dict) -> tuple[dict, int | None]:
        """Where the anchors of the pieces laid out so far land, with every piece after
        the first not yet laid out unplaced (as on a first pass)."""
        anchors, start, body_start = {}, 0, None
        for index, piece in enumerate(pieces):
            if index not in outcomes:
                break
            start += start % 2
            if not piece.roman and body_start is None:
                body_start = start
            for page, names in enumerate(outcomes[index].facts.anchors):
                for name in names:
                    anchors.setdefault(name, start + page)
            start += outcomes[index].length
        return anchors, body_start

    def _take(self, outcome: pdf_parallel.PieceOutcome) -> None:
        """What a worker's layout of a piece changed, into the book's state."""
        self.fixes = self.fixes | outcome.fixes
        self.heads.update(outcome.heads)
        self.head_cuts.update(outcome.head_cuts)
        self.float_moves.update(outcome.float_moves)
        self.unsplittable.update(outcome.unsplittable)
        self.displaced_moves |= outcome.displaced_moves
        self.piece_layouts += outcome.layouts
        self.diagnostics.extend(outcome.diagnostics)

    def _prepare(self, geometry: Geometry) -> None:
        """What every piece's layout shares: fonts, stylesheets, the book's print plan."""
        self.geometry = geometry
        self.font_config = weasy_fonts.font_configuration(self.layout)
        self.stylesheets = self._stylesheets()
        self.plan = pdf_documents.build_document(
            self.book, self.layout, geometry, diagnostics=Diagnostics(),
            endnote_ids=self.fixes.endnotes, break_marks=self.fixes.breaks,
            splits=self.fixes.splits)

    def _pieces(self) -> list[Piece]:
        book = self.book
        pieces = []
        if self.plan.has_opening:
            pieces.append(Piece("opening", "opening", True))
        if self.plan.has_contents:
            pieces.append(Piece("contents", "contents", True,
                                targets=frozenset(self.plan.contents_targets)))
        for chapter in pdf_documents.front_chapters(book)[1]:
            pieces.append(self._chapter_piece(chapter, True))
        for item in pdf_html.walk_items(book.items):
            if isinstance(item, Part):
                pieces.append(Piece("part", item.id, False))
            elif item.matter != "front" or item.depth:
                pieces.append(self._chapter_piece(item, False))
        if pdf_html.printed_indexes(book):
            marks = {a for _, loc in pdf_index.all_locators(book)
                     for a in (loc.anchor, loc.end_anchor) if a}
            pieces.append(Piece("index", "index", False, targets=frozenset(marks)))
        return pieces

    def _tell(self, event: PrintEvent) -> None:
        if self.progress is not None:
            self.progress(event)

    def _piece_title(self, piece: Piece) -> str:
        """What a progress line calls the piece: its title, else what it is."""
        if piece.chapter is not None:
            return piece.chapter.title
        if piece.kind == "part":
            return next((p.title for p in self.book.parts if p.id == piece.key), "part")
        return {"opening": "title pages"}.get(piece.kind, piece.kind)

    def _chapter_piece(self, chapter: Chapter, roman: bool) -> Piece:
        return Piece("chapter", chapter.file_id, roman, chapter=chapter,
                     targets=frozenset(self.plan.pageref_targets.get(chapter.file_id, ())))

    def _blank_page(self):
        source = pdf_documents.blank_document(self.book, self.layout, self.geometry,
                                         diagnostics=self.diagnostics)
        document, _ = self._render_html(source)
        self.blank_document = document
        return document.pages[1]

    def _lay_out_piece(self, piece: Piece, start: int, folio: int,
                       page_map: pdf_index.PageMap) -> None:
        book, layout, geometry = self.book, self.layout, self.geometry
        kind = piece.kind
        if kind == "chapter":
            pages, documents, records = self._lay_out_chapter(piece.chapter, start, folio,
                                                              page_map)
        else:
            if kind == "index" and self.jobs is None:  # else once the pages are known
                self._check_index_marks(page_map)
            document, records = self._render_html(self._piece_source(piece, folio, page_map))
            self.piece_layouts += 1
            pages, documents = list(document.pages), [document]
        piece.pages, piece.documents, piece.records = pages, documents, records
        piece.folio = folio
        piece.printed = {a: page_map.folio_of(a) for a in piece.targets}

    def _piece_source(self, piece: Piece, folio: int,
                      page_map: pdf_index.PageMap) -> pdf_html.PrintDocument:
        """The HTML of a piece (a chapter's as its first layout gets it)."""
        book, layout, geometry = self.book, self.layout, self.geometry
        kind = piece.kind
        if kind == "chapter":
            return self._chapter_source(piece.chapter, None, 0, folio, page_map)[0]
        if kind == "opening":
            return pdf_documents.opening_document(book, layout, geometry,
                                             diagnostics=self.diagnostics)
        if kind == "contents":
            return pdf_documents.contents_document(book, layout, geometry,
                                              diagnostics=self.diagnostics,
                                              page_map=page_map, start_page=folio)
        if kind == "part":
            part = next(p for p in book.parts if p.id == piece.key)
            return pdf_documents.part_document(book, layout, geometry, part,
                                          diagnostics=self.diagnostics,
                                          page_name=self.plan.page_names[part.id],
                                          start_page=folio)
        return pdf_documents.index_document(book, layout, geometry,
                                            diagnostics=self.diagnostics,
                                            index_pages=page_map, start_page=folio)

    def _check_index_marks(self, page_map: pdf_index.PageMap) -> None:
        seen = self.reported_marks
        for term, loc in pdf_index.missing_anchors(self.book, page_map.pages):
            if (term, loc.anchor) in seen:
                continue
            seen.add((term, loc.anchor))
            chapter = next((c for c in self.book.chapters if c.file_id == loc.file_id), None)
            self.diagnostics.error("P011", f"the index mark for \u201c{term}\u201d "
                                   f"(#{loc.anchor}) is on no page: it is left out of the "
                                   "printed index", chapter.source if chapter else None)

    # -- chapters and their repairs ----------------------------------------------------
    def _chapter_source(self, chapter: Chapter, restart, start: int, folio: int,
                        page_map: pdf_index.PageMap):
        """The HTML of a chapter (from block ``k`` when ``restart`` is (page q, block k))
        and how many leading pages of its layout to drop."""
        first = start + (restart[0] if restart else 0)
        skip = 0 if restart is None else 1 if first % 2 else 2  # the pages before block k
        source = pdf_documents.chapter_document(
            self.book, self.layout, self.geometry, chapter, diagnostics=self.diagnostics,
            page_name=self.plan.page_names.get(chapter.file_id, "body"),
            endnote_ids=self.fixes.endnotes, break_marks=self.fixes.breaks,
            splits=self.fixes.splits, start_page=folio + (restart[0] if restart else 0) - skip,
            restart=(restart[1], "left" if first % 2 else "right") if restart else None,
            page_map=page_map, floats=dict(self.fixes.floats),
            running_head=self.heads.get(chapter.file_id))
        return source, skip

    def _lay_out_chapter(self, chapter: Chapter, start: int, folio: int,
                         page_map: pdf_index.PageMap):
        """A chapter laid out at page ``start`` (folio ``folio``), then its footnotes
        fixed one at a time: each fix lays out again only from the last page before it
        that opens with a fresh block (the whole chapter when there is none)."""
        documents, records, pages = [], [], []
        source = replace(self.plan, first_body_id=None, note_calls=self._footnote_calls({
            nid: call for nid, call in self.plan.note_calls.items()
            if call[1] == chapter.file_id}))
        restart = None
        round_ = -1
        while True:
            round_ += 1
            if round_ and self.current is not None:  # a repair: the chapter again
                self._tell(replace(self.current, round=round_ + 1))
            html, skip = self._chapter_source(chapter, restart, start, folio, page_map)
            document, piece_records = self._render_html(html)
            self.piece_layouts += 1
            documents.append(document)
            records = piece_records if restart is None else records + piece_records
            pages = pages[:restart[0] if restart else 0] + list(document.pages[skip:])
            if self.cut_heads and self._cut_head(chapter, pages):
                restart = None  # the head is in every page's margin: all of them again
                continue
            splits = self._splits_in(chapter)
            facts = inspect_pages(pages, source, line_offsets=bool(splits))
            # each note split in the chapter takes a few rounds of its own (probe,
            # measure, hang): the budget grows with them
            budget = MAX_PIECE_ROUNDS + ROUNDS_PER_SPLIT * len(splits)
            if round_ > budget:
                break
            if round_ == budget:
                need = self._unfinished_splits(chapter)
                if need is None:
                    break  # what is left, the checks report (P004, P009)
            else:
                need = self._needs(facts, source, self.fixes).get(chapter.file_id)
                if need is None:  # notes settled: then figures that left a page short
                    need = self._float_need(pages, chapter.file_id)
                if need is None:
                    break
            self.fixes = self.fixes | need[0]
            source = replace(source, note_calls=self._footnote_calls(source.note_calls))
            placed = [(facts.call_pages.get(ref), facts.note_pages.get(nid))
                      for nid, (ref, _) in source.note_calls.items()]
            restart = restart_point(facts, chapter.file_id, need[1], placed)
        return pages, documents, records

    def _cut_head(self, chapter: Chapter, pages) -> bool:
        """Whether the chapter's running head ran over a line and was cut to fit (then the
        chapter is laid out again); at most :data:`running_heads.MAX_CUTS` times."""
        head = running_heads.recto_head(pages)
        cuts = self.head_cuts.get(chapter.file_id, 0)
        if head is None or cuts >= running_heads.MAX_CUTS:
            return False
        short = running_heads.shortened(head.lines[0])
        if short is None:
            return False
        self.heads[chapter.file_id] = short
        self.head_cuts[chapter.file_id] = cuts + 1
        return True

    def _float_need(self, pages, file_id: str) -> tuple[Fixes, int] | None:
        move = pdf_floats.next_move(pages, file_id, dict(self.fixes.floats),
                                    self.float_moves)
        if move is None:
            return None
        self.float_moves[move.mark] = self.float_moves.get(move.mark, 0) + 1
        return Fixes(floats=((move.mark, move.after),)), move.page

    def _footnote_calls(self, calls: dict[str, tuple[str, str]]) -> dict[str, tuple[str, str]]:
        """The note calls whose notes are still footnotes (not moved to the chapter's end),
        and the lines the continuations of split notes hang on."""
        out = {nid: call for nid, call in calls.items()
               if nid == base_note_id(nid) and nid not in self.fixes.endnotes}
        for split in self.fixes.splits:
            if split.note_id in out:
                file_id = out[split.note_id][1]
                for k in split.hung():
                    out[split.part_id(k)] = (split.anchor_id(k), file_id)
        return out

    def _split(self, note_ids, facts: PageFacts) -> Fixes:
        """Notes too tall for the foot of a page: each continued on the next page
        (:mod:`note_plan`, starting with a probe), or moved to its chapter's end when it
        cannot be cut."""
        splits, endnotes = [], set()
        for nid in note_ids:
            chapter, note = self._chapter_of_note(nid)
            if note is None:
                continue
            span = footnote_text(note)
            split = note_plan.probe(nid, span, note_plan.per_line(
                facts, nid, self.geometry.text_width))
            if split is None:
                endnotes.add(nid)
            else:
                splits.append(split)
        return Fixes(endnotes=frozenset(endnotes), splits=tuple(splits))

    def _splits_in(self, chapter: Chapter) -> list[NoteSplit]:
        """The chapter's notes being continued over pages (not given up on)."""
        return [s for s in self.fixes.splits if s.note_id not in self.fixes.endnotes
                and self._chapter_of_note(s.note_id)[0] is chapter]

    def _unfinished_splits(self, chapter: Chapter) -> tuple[Fixes, int] | None:
        """Out of rounds with a split note whose rest is still held back: the note goes
        to the chapter's end (one more layout of the chapter), rather than lose its end."""
        ids = {s.note_id for s in self._splits_in(chapter) if None in s.anchors}
        if not ids:
            return None
        self.unsplittable.update(dict.fromkeys(ids, "the chapter's repairs ran out of rounds"))
        return Fixes(endnotes=frozenset(ids)), 0

    def _split_steps(self, facts: PageFacts, file_id: str) -> tuple[Fixes, int] | None:
        """The next step of the chapter's first split note that needs one."""
        for split in self.fixes.splits:
            if split.note_id in self.fixes.endnotes:
                continue
            chapter, note = self._chapter_of_note(split.note_id)
            if chapter is None or chapter.file_id != file_id:
                continue
            step = note_plan.next_split(
                split, footnote_text(note), facts, note.ref_id, file_id,
                self.geometry.text_width, self.geometry.text_height)
            if step is None:
                continue
            if step.split is None:
                self.unsplittable[split.note_id] = step.why
                return Fixes(endnotes=frozenset({split.note_id})), step.page
            return Fixes(splits=(step.split,)), step.page
        return None

    def _needs(self, facts: PageFacts, source: pdf_html.PrintDocument,
               fixes: Fixes) -> dict[str, tuple[Fixes, int]]:
        """Per chapter (file_id, in book order), the next fixes its footnotes need and the
        first page they change: the notes too tall for the foot of a page first (moving
        them often puts the others right), else the first note set after its call's
        page."""
        needs: dict[str, tuple[Fixes, int]] = {}
        for file_id in dict.fromkeys(f for _, f in source.note_calls.values()):
            step = self._split_steps(facts, file_id)
            if step is not None:
                needs[file_id] = step
        moves: dict[str, list[str]] = {}
        for nid in (*facts.to_move, *facts.lost):
            if (nid not in fixes.endnotes and nid in source.note_calls
                    and fixes.split(base_note_id(nid)) is None):
                moves.setdefault(source.note_calls[nid][1], []).append(nid)
        first_displaced: dict[str, tuple[int, str]] = {}
        for nid in facts.displaced:
            ref, file_id = source.note_calls[nid]
            if (nid in fixes.endnotes or file_id in moves or file_id in needs
                    or fixes.split(base_note_id(nid)) is not None):
                continue
            page = facts.call_pages[ref]
            if file_id not in first_displaced or page < first_displaced[file_id][0]:
                first_displaced[file_id] = (page, nid)
        pushed: dict[str, list[str]] = {}
        calls = {nid: ref for nid, (ref, _) in source.note_calls.items()
                 if nid == base_note_id(nid) and nid not in fixes.endnotes
                 and fixes.split(nid) is None}
        for nid in note_plan.pushed_notes(facts, calls, pdf_geometry.LEADING_PT):
            pushed.setdefault(source.note_calls[nid][1], []).append(nid)
        for file_id, ids in pushed.items():
            if file_id not in needs and file_id not in moves and file_id not in first_displaced:
                page = min(facts.call_pages[source.note_calls[n][0]] for n in ids) - 1
                needs[file_id] = (self._split(ids[:1], facts), page)
        for file_id, ids in moves.items():
            if file_id in needs:
                continue
            pages = [facts.call_pages.get(source.note_calls[n][0], 0) for n in ids]
            needs[file_id] = (self._split(ids, facts), min(pages))
        for file_id, (page, nid) in first_displaced.items():
            mark = block_to_break(facts, file_id, page)
            if mark is None or mark in fixes.breaks:
                self.displaced_moves.add(nid)
                needs[file_id] = (Fixes(endnotes=frozenset({nid})), page)
            else:
                needs[file_id] = (Fixes(breaks=frozenset({mark})), page)
        order = {c.file_id: i for i, c in enumerate(self.book.chapters)}
        return dict(sorted(needs.items(), key=lambda kv: order.get(kv[0], 0)))

    def _report_records(self, records: list[logging.LogRecord]) -> None:
        checks.report_records(records, self.diagnostics, self.yaml_path)

    def _chapter_of_note(self, note_id: str):
        return checks.chapter_of_note(self.book, note_id)

    # -- output ------------------------------------------------------------------------
    def _write(self, laid_out: LaidOut, edition: Edition = PRINT) -> bytes:
        if laid_out.pieces is not None:  # written by the workers: joined (print only)
            raw = pdf_join.join(laid_out.pieces)
            self._report_records(laid_out.written)
        else:
            with captured_weasyprint_log() as records:
                raw = laid_out.document.write_pdf(
                    **edition.write_options(self.book.meta.print.tagged))
            self._report_records(records)
        meta = self.book.meta
        info = pdf_post.PdfInfo(
            title=meta.title + (f": {meta.subtitle}" if getattr(meta, "subtitle", None)
                                else ""),
            authors=tuple(pdf_html.author_names(self.book)),
            subject=getattr(meta, "description", None),
            keywords=tuple(getattr(meta, "keywords", None) or ())
            + tuple(getattr(meta, "subject", None) or ()),
            lang=getattr(meta, "lang", None),
            creator="make-book",
            producer=f"WeasyPrint {weasyprint.__version__}, pikepdf {pikepdf.__version__}",
            identifier=edition.identifier(self.book))
        labels = pdf_post.folio_ranges(len(laid_out.document.pages), laid_out.body_start)
        geometry = laid_out.geometry
        if edition.trim_only:  # the screen PDF (screen.py)
            raw, geometry, labels = self._for_screen(raw, geometry, labels, edition)
        result = pdf_post.finish(raw, geometry=geometry, labels=labels, info=info,
                                 source_date=self.source_date)
        for note in result.notes:
            self.diagnostics.warning("P005", note, self.yaml_path)
        checks.check_fonts(self.layout, result.data, self.diagnostics, self.yaml_path)
        return result.data

    def _for_screen(self, raw: bytes, geometry: Geometry, labels: list, edition: Edition):
        word = self.layout.strings(self.book.meta.lang).get("cover", "Cover")
        done = screen.for_screen(
            raw, geometry, labels, images=self.book.images,
            cover=(screen.cover_art(self.book, self.layout, geometry, self.diagnostics)
                   if edition.cover else None),
            cover_alt=screen.cover_alt(self.book, word), cover_label=word)
        for note in done.notes:
            self.diagnostics.warning("P060", note, self.yaml_path,
                                     hint="supply an RGB image for the screen edition")
        return done.data, done.geometry, done.labels

def render_print(book: Book, layout: Layout, *, source_date: datetime,
                 diagnostics: Diagnostics, progress: PrintProgress | None = None,
                 editions: tuple[Edition, ...] = (PRINT,),
                 jobs: int | None = None, cache: Cache | None = None) -> PrintResult:
    """Render and keep the laid-out document (for tests and the benchmark); ``progress``
    hears which piece is laid out (:mod:`print_progress`); each of ``editions`` is written
    from the one layout (``PrintResult.editions``); ``jobs``: lay the pieces out in that
    many worker processes (:mod:`pdf_parallel`; 1: the same code in this one), keeping
    them in ``cache`` (:mod:`piece_cache`)."""
    return PrintRenderer(book, layout, source_date=source_date, diagnostics=diagnostics,
                         progress=progress, editions=editions, jobs=jobs,
                         cache=cache).render()


def render_pdf(book: Book, layout: Layout, *, source_date: datetime,
               diagnostics: Diagnostics) -> bytes:
    """The print interior as PDF bytes; problems go to ``diagnostics``."""
    return render_print(book, layout, source_date=source_date,
                        diagnostics=diagnostics).pdf
