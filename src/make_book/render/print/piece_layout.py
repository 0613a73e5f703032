"""Laying out one piece of the book from its inputs alone (issue 14): what every piece
shares, prepared once (:class:`LayoutSource`: the book, its layout and geometry, the
print plan, fonts and stylesheets), the piece, the book's repairs so far, where it starts
and the page map it prints numbers from. :func:`lay_out_piece` returns a
:class:`PieceLayout` value, so the same function runs in the build's process or in a
worker (:mod:`.piece_worker`), and a test steers the renderer by passing another.

A chapter is laid out, then repaired one fix at a time (:mod:`.repairs` says which), each
time laid out again only from the last page before the fix that opens with a fresh block,
or inside a paragraph after a page that carried nothing over (:func:`pages.restart_point`),
and only until the new layout ends a page as the old one did with the same text after it
(:mod:`.rejoin`): the old pages follow from there."""

from __future__ import annotations

import gc
import re
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path

from weasyprint import CSS, HTML
from weasyprint.urls import URLFetchingError

from make_book.config.hyphenation import HyphenationWords, book_words
from make_book.errors import Diagnostics, MakeBookError, error
from make_book.layouts.chain import Layout
from make_book.model import Book, Chapter
from make_book.render import active_content
from make_book.render.print import documents as pdf_documents
from make_book.render.print import html as pdf_html
from make_book.render.print import hyphenator
from make_book.render.print import sections as pdf_sections
from make_book.render.print import short_layouts
from make_book.render.print.fetcher import BookFetcher
from make_book.render.print.geometry import Geometry
from make_book.render.print.pages import inspect_pages, restart_point
from make_book.render.print.qa import text_space
from make_book.render.print.repairs import (
    Repairs,
    cut_head,
    footnote_calls,
    next_repair,
    splits_in,
)
from make_book.render.print.rejoin import Rejoin, unchanged_blocks
from make_book.render.print.results import Fixes, Piece, PieceLayout
from make_book.render.weasy import converge as weasy_converge
from make_book.render.weasy import folios as weasy_folios
from make_book.render.weasy import fonts as weasy_fonts
from make_book.render.weasy import hyphens as weasy_hyphens
from make_book.render.weasy import lines as weasy_lines
from make_book.render.weasy import notes as weasy_notes
from make_book.render.weasy.converge import end_of
from make_book.render.weasy.log import captured_weasyprint_log
from make_book.transforms.folios import PageMap

MAX_PIECE_ROUNDS = 12  # layouts of one chapter on its own, one fix each
ROUNDS_PER_SPLIT = 4  # more for each note continued over pages (note_plan's steps)


@dataclass(frozen=True)
class LayoutSource:
    """What every piece's layout reads, prepared once per geometry (and per worker)."""

    book: Book
    layout: Layout
    geometry: Geometry
    plan: pdf_html.PrintDocument  # the whole book's print HTML: ids, note calls, pages
    plan_fixes: Fixes  # the repairs the plan was written with
    font_config: object
    stylesheets: list
    style_records: list  # WeasyPrint's log while the stylesheets were parsed
    fetcher: BookFetcher
    diagnostics: Diagnostics
    checked: set = field(default_factory=set, compare=False)  # HTML free of active content
    # a repair may restart inside a paragraph (no ::first-line or ::first-letter rule
    # would style the cut paragraph's first line otherwise than a continuation's)
    within: bool = True

    @property
    def yaml_path(self) -> Path:
        return Path(self.book.root) / "book.yaml"


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


def hyphenation_words(book: Book) -> HyphenationWords:
    """The book's words with their break points (their problems were reported when
    book.yaml was read)."""
    setting = book.meta.hyphenation
    return book_words(book.root, setting.words, setting.file)[0]


def loose_limit(layout: Layout) -> tuple[float, float]:
    """The text font's word space (em) and the widest word space the layout allows, as a
    share of it: where the print QA calls a line loose, and the hyphenation tries harder."""
    return text_space(layout), layout.max_word_spacing / 100


@contextmanager
def patched(book: Book, layout: Layout):
    """WeasyPrint as the book is laid out with (see :mod:`.renderer`'s docstring)."""
    with (fewer_collections(), weasy_notes.notes_stay_with_calls(),
          weasy_lines.trailing_space_hangs(),
          weasy_hyphens.hyphenation_rules(layout.hyphenate_limit_lines,
                                          layout.avoid_recto_foot_hyphen,
                                          hyphenation_words(book),
                                          common=hyphenator.book_common_words(book),
                                          loose=loose_limit(layout))):
        yield


def book_fetcher(book: Book, layout: Layout, diagnostics: Diagnostics) -> BookFetcher:
    """WeasyPrint's fetcher: ``file:`` URLs inside the book and the layout folders only."""
    roots = [Path(book.root)] + [d.path for d in layout.dirs]
    return BookFetcher(roots, diagnostics, Path(book.root) / "book.yaml", Path(book.root),
                       book.images + ((book.cover,) if book.cover else ()))


def _stylesheets(layout: Layout, fetcher: BookFetcher, font_config,
                 diagnostics: Diagnostics) -> tuple[list[CSS], list]:
    """The layout's fonts and stylesheets, parsed once for all the pieces. Given to
    WeasyPrint as user stylesheets: they rank above its defaults and below the
    document's own rules (the geometry and structure CSS, inline styles), which is
    where they stood as linked author sheets, since the two never set the same
    properties (geometry comes from the model, never from the layout's CSS)."""
    with captured_weasyprint_log() as records:
        sheets = [CSS(string=pdf_documents.font_css(layout), base_url=pdf_html.BOOK_URL,
                      url_fetcher=fetcher, font_config=font_config)]
        try:
            sheets += [CSS(url=url, url_fetcher=fetcher, font_config=font_config)
                       for url in pdf_documents.stylesheet_urls(layout)]
        except URLFetchingError as exc:  # the fetcher refused a stylesheet and said why
            raise MakeBookError(diagnostics.errors or [error(
                "L043", f"a print stylesheet cannot be read: {exc}", None)]) from None
    return sheets, list(records)


def prepare(book: Book, layout: Layout, geometry: Geometry, fixes: Fixes, *,
            diagnostics: Diagnostics, fetcher: BookFetcher | None = None) -> LayoutSource:
    """What every piece's layout shares: fonts, stylesheets, the book's print plan."""
    fetcher = fetcher or book_fetcher(book, layout, diagnostics)
    font_config = weasy_fonts.font_configuration(layout)
    sheets, records = _stylesheets(layout, fetcher, font_config, diagnostics)
    plan = pdf_documents.build_document(
        book, layout, geometry, diagnostics=Diagnostics(), endnote_ids=fixes.endnotes,
        break_marks=fixes.breaks, splits=fixes.splits)
    return LayoutSource(book, layout, geometry, plan, fixes, font_config, sheets, records,
                        fetcher, diagnostics, within=not styles_first_lines(layout))


_FIRST_LINE = re.compile(r":first-(?:line|letter)\b", re.IGNORECASE)


def styles_first_lines(layout: Layout) -> bool:
    """Whether the layout's print stylesheets style a first line or letter: a paragraph
    cut at a page's first line would take that style (then repairs restart from blocks)."""
    return any(_FIRST_LINE.search(path.read_text(encoding="utf-8", errors="replace"))
               for path in layout.stylesheets("print"))


def render_html(source: LayoutSource, document: pdf_html.PrintDocument):
    """One WeasyPrint layout of a print document, and its log records."""
    key = hash(document.html)
    if key not in source.checked:  # whatever the templates wrote (render/active_content)
        found = Diagnostics()
        if not active_content.check_print_html(document.html, found, source.yaml_path):
            raise MakeBookError(list(found))
        source.checked.add(key)
    with captured_weasyprint_log() as records:
        html = HTML(string=document.html, base_url=document.base_url,
                    url_fetcher=source.fetcher)
        laid = html.render(font_config=source.font_config, stylesheets=source.stylesheets)
    return laid, list(records)


def blank_page(source: LayoutSource):
    """The blank verso put before a piece that would open on one, and its document."""
    document, _ = render_html(source, pdf_documents.blank_document(
        source.book, source.layout, source.geometry, diagnostics=source.diagnostics))
    return document.pages[1], document


def chapter_source(source: LayoutSource, repairs: Repairs, chapter: Chapter, restart,
                   start: int, folio: int, page_map: PageMap):
    """The HTML of a chapter (from block ``k`` when ``restart`` is (page q, block k))
    and how many leading pages of its layout to drop."""
    first = start + (restart[0] if restart else 0)
    skip = 0 if restart is None else 1 if first % 2 else 2  # the pages before block k
    fixes = repairs.fixes
    html = pdf_documents.chapter_document(
        source.book, source.layout, source.geometry, chapter,
        diagnostics=source.diagnostics,
        page_name=source.plan.page_names.get(chapter.file_id, "body"),
        endnote_ids=fixes.endnotes, break_marks=fixes.breaks, splits=fixes.splits,
        start_page=folio + (restart[0] if restart else 0) - skip,
        restart=((restart[1], "left" if first % 2 else "right", *restart[2:])
                 if restart else None),
        page_map=page_map, floats=dict(fixes.floats),
        running_head=repairs.heads.get(chapter.file_id))
    return html, skip


def piece_source(source: LayoutSource, repairs: Repairs, piece: Piece, folio: int,
                 page_map: PageMap) -> pdf_html.PrintDocument:
    """The HTML of a piece (a chapter's as its first layout gets it)."""
    book, layout, geometry, found = (source.book, source.layout, source.geometry,
                                     source.diagnostics)
    kind = piece.kind
    if kind == "chapter":
        return chapter_source(source, repairs, piece.chapter, None, 0, folio, page_map)[0]
    if kind == "opening":
        return pdf_documents.opening_document(book, layout, geometry, diagnostics=found)
    if kind == "contents":
        return pdf_documents.contents_document(book, layout, geometry, diagnostics=found,
                                               page_map=page_map, start_page=folio)
    if kind == "part":
        part = next(p for p in book.parts if p.id == piece.key)
        return pdf_documents.part_document(book, layout, geometry, part, diagnostics=found,
                                           page_name=source.plan.page_names[part.id],
                                           start_page=folio)
    return pdf_documents.index_document(book, layout, geometry, diagnostics=found,
                                        index_pages=page_map, start_page=folio)


def _restart_html(source: LayoutSource, repairs: Repairs, chapter: Chapter, restart,
                  start: int, folio: int, page_map: PageMap, fallback):
    """:func:`chapter_source`, or, when its restart inside a paragraph cannot cut the
    paragraph at its line, with ``fallback()``'s restart: (restart, html, skip)."""
    try:
        return (restart, *chapter_source(source, repairs, chapter, restart, start, folio,
                                         page_map))
    except pdf_sections.NoCut:
        restart = fallback()
        html, skip = chapter_source(source, repairs, chapter, restart, start, folio, page_map)
        return restart, html, skip


def _lay_out_chapter(piece: Piece, source: LayoutSource, repairs: Repairs, start: int,
                     folio: int, page_map: PageMap, *, rounds: int,
                     split_rounds: int, cut_heads: bool, on_round,
                     converge: bool, within: bool, shorten: bool) -> PieceLayout:
    """A chapter laid out at page ``start`` (folio ``folio``), then its footnotes
    fixed one at a time: each fix lays out again only from the last page before it
    that opens with a fresh block, or (``within``) inside a paragraph where that is as
    good (the whole chapter when there is none); with ``shorten``, a long note's probe
    and measure only a few pages past the note (:mod:`.short_layouts`)."""
    chapter, book = piece.chapter, source.book
    documents, records, pages, restarts = [], [], [], []
    document = replace(source.plan, first_body_id=None, note_calls=footnote_calls(
        repairs.fixes, {nid: call for nid, call in source.plan.note_calls.items()
                        if call[1] == chapter.file_id}))
    restart, fallback = None, None
    round_ = -1
    html = None
    short, whole, known = None, True, {}  # the layout to come, the pages, notes' boxes
    again = False  # the same place laid out again, to the chapter's end
    while True:
        if not again:
            round_ += 1
            if round_ and on_round is not None:  # a repair: the chapter again
                on_round(round_ + 1)
            old_html = html
            tried = restart
            restart, html, skip = _restart_html(source, repairs, chapter, restart, start,
                                                folio, page_map, fallback)
            if restart is not tried:  # restarted from a block after all
                restarts[-1] = restart
            first = restart[0] if restart else 0
        again = False
        before = pages, records, whole
        rejoin = None
        if old_html is not None and converge and (whole or short is not None):
            # a repair: it may rejoin the old pages (a whole layout only whole ones)
            rejoin = Rejoin(pages, unchanged_blocks(old_html.html, html.html), first, skip)
        stop = short_layouts.Stop(rejoin, short, first, skip, whole)
        with weasy_converge.stopping(stop if stop.active else None):
            laid, piece_records = render_html(source, html)
        documents.append(laid)
        if restart is None:  # the old pages kept after a rejoin keep their messages
            old = records if rejoin is not None and rejoin.hit is not None else []
            said = {(r.levelno, r.getMessage()) for r in piece_records}
            records = piece_records + [r for r in old
                                       if (r.levelno, r.getMessage()) not in said]
        else:
            records = records + piece_records
        pages = pages[:first] + (rejoin.pages(laid.pages) if rejoin
                                 else list(laid.pages[skip:]))
        whole = stop.whole
        cut = cut_head(repairs, chapter, pages) if cut_heads else None
        if cut is not None:
            # the head is in every page's margin: all again, rejoining nothing
            repairs, restart, html = cut, None, None
            continue
        splits = splits_in(book, repairs.fixes, chapter)
        facts = inspect_pages(pages, document, line_offsets=bool(splits))
        if not whole:
            short_layouts.with_known_notes(facts, known, document.note_calls)
        known.update(facts.note_boxes)
        # each note split in the chapter takes a few rounds of its own (probe,
        # measure, hang): the budget grows with them
        repaired, need = next_repair(book, source.geometry, repairs, chapter, pages, facts,
                                     document, round_=round_,
                                     budget=rounds + split_rounds * len(splits))
        if not whole and not short_layouts.step_holds(short, need, facts,
                                                      document.note_calls,
                                                      chapter.file_id, len(pages)):
            documents.pop()  # read off the whole layout instead
            (pages, records, whole), short, again = before, None, True
            continue
        repairs = repaired
        if need is None:
            break
        repairs = repairs.fixed(need[0])
        short = short_layouts.short_after(need) if shorten and not cut_heads else None
        document = replace(document, note_calls=footnote_calls(repairs.fixes,
                                                               document.note_calls))
        placed = [(facts.call_pages.get(ref), facts.note_pages.get(nid))
                  for nid, (ref, _) in document.note_calls.items()]
        restart = restart_point(facts, chapter.file_id, need[1], placed,
                                [end_of(p) for p in pages]
                                if within and source.within else None)
        fallback = partial(restart_point, facts, chapter.file_id, need[1], placed)
        restarts.append(restart)
    return PieceLayout(pages, documents, records, folio,
                       {a: page_map.folio_of(a) for a in piece.targets}, repairs,
                       len(documents), tuple(restarts))


def lay_out_piece(piece: Piece, *, source: LayoutSource, repairs: Repairs, start: int,
                  folio: int, page_map: PageMap, rounds: int = MAX_PIECE_ROUNDS,
                  split_rounds: int = ROUNDS_PER_SPLIT, cut_heads: bool = True,
                  on_round=None, converge: bool = True, within: bool = True,
                  shorten: bool = True) -> PieceLayout:
    """The piece laid out at page ``start`` with first folio ``folio``, printing page
    numbers from ``page_map``; a chapter repaired in at most ``rounds`` (+
    ``split_rounds`` per note continued over pages) layouts. ``cut_heads``: cut a
    running head that runs over (not while the folios are provisional: the folio takes
    room); ``on_round`` hears each repair's round; ``converge``: a repair's layout stops
    where it rejoins the layout before it (:mod:`.rejoin`; the pages are the same either
    way); ``within``: a repair's layout may start inside a paragraph
    (:func:`.pages.restart_point`; the pages are the same either way); ``shorten``: a
    long note's probe and measure layouts stop a few pages after it when heads are not
    cut (:mod:`.short_layouts`; the pages are the same either way)."""
    if piece.kind == "chapter":
        with weasy_folios.keep_layout_context():  # rejoined pages may be renumbered
            return _lay_out_chapter(piece, source, repairs, start, folio, page_map,
                                    rounds=rounds, split_rounds=split_rounds,
                                    cut_heads=cut_heads, on_round=on_round,
                                    converge=converge, within=within, shorten=shorten)
    laid, records = render_html(source, piece_source(source, repairs, piece, folio, page_map))
    return PieceLayout(list(laid.pages), [laid], records, folio,
                       {a: page_map.folio_of(a) for a in piece.targets}, repairs)
