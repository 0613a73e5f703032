"""Print renderer: the book as a print-ready PDF interior, typeset by WeasyPrint.

Pipeline (each step in its own module)::

    glyph check (pdf_glyphs) -> geometry (pdf_geometry) -> HTML (pdf_html + templates)
      -> WeasyPrint layout -> checks on the laid-out pages -> PDF -> pikepdf (pdf_post)

Layout may run more than once, at most ``MAX_LAYOUTS`` times:

- a footnote WeasyPrint cannot set well at the foot of its call's page is moved to the end
  of its chapter, under "Notes", with a warning (``P004``), and the book is laid out
  again: a note that overflows its page (WeasyPrint splits no note over pages, and draws a
  note taller than the page over the text, or loses it), one set on a later page than its
  call, and one taller than half the text block (it would leave a page of footnote);
- the gutter depends on the page count (see :mod:`pdf_geometry`): when the count lands in
  another KDP band than the estimate, the book is laid out again with the wider gutter
  (the measure does not change, so the count stays in that band).

WeasyPrint fetches nothing but ``file:`` URLs inside the book folder and the layout
folders (and ``data:``); its log records become diagnostics (``P005``), never lost.

Codes: P001 character missing from the layout's fonts (error); P002 figure under 300 dpi
(warning); P003 figure under 150 dpi (warning; ``--strict`` fails); P004 footnote moved to
the chapter's end (warning); P005 WeasyPrint message (warning); P006 resource refused
(error); P007 font from outside the layout in the PDF (error); P008 WeasyPrint failure
(error); P009 note text missing from the pages (error); P010 the pages before the index
moved when the index got its page numbers (error); P011 an index mark on no page (error).

The index (:mod:`pdf_index`) needs the final page of every mark: the loop above lays the
book out with a placeholder index (as many numbers as locators, so the page count and the
gutter are about right); then the book is laid out once more with the real numbers. The
index is last, so nothing before it can move; :meth:`PrintRenderer.render` checks that
every page before the index holds the same anchors in both layouts (``P010`` if not).
"""

from __future__ import annotations

import io
import logging
import math
import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pikepdf
import weasyprint
from weasyprint import HTML
from weasyprint.formatting_structure import boxes as wp_boxes

from make_book.errors import Diagnostics
from make_book.fetch import SafeURLFetcher
from make_book.layouts.chain import Layout
from make_book.model import Book
from make_book.render import pdf_geometry, pdf_glyphs, pdf_html, pdf_index, pdf_post
from make_book.render.pdf_geometry import Geometry
from make_book.render.weasy_log import captured_weasyprint_log

MAX_NOTE_ROUNDS = 3  # layouts spent moving footnotes (each move can displace another note)
MAX_GUTTER_ROUNDS = 2  # layouts spent widening the gutter
PX_PER_IN = 96.0
NOTE_TALL_SHARE = 0.5  # a footnote taller than this share of the text block is moved
# WeasyPrint messages we know and accept (none so far: every record becomes a diagnostic).
EXPECTED_WEASYPRINT = ()


# ----------------------------------------------------------------------------- fetching

class BookFetcher(SafeURLFetcher):
    """The build's safe fetcher (``file:`` inside the book and layout folders, small
    ``data:``, nothing else; refusals are ``P006``), plus the print document's fixed book
    URL mapped onto the book folder, so the checkout path never reaches the PDF."""

    def __init__(self, roots: list[Path], diagnostics: Diagnostics, where: Path | None,
                 book_root: Path | None = None):
        super().__init__(roots, diagnostics, where, code="P006")
        self.book_root = book_root.resolve() if book_root is not None else None
        self.book_prefix = urlsplit(pdf_html.BOOK_URL).path

    def fetch(self, url, headers=None):
        parts = urlsplit(url.strip())
        raw = unquote(parts.path)
        if (self.book_root is not None and parts.scheme.lower() == "file"
                and raw.startswith(self.book_prefix)):
            return super().fetch((self.book_root / raw[len(self.book_prefix):]).as_uri())
        return super().fetch(url, headers)


# ----------------------------------------------------------------------------- logging

def _record_message(record: logging.LogRecord) -> str:
    try:
        text = record.getMessage()
    except Exception:  # a malformed record must not hide the others
        text = str(record.msg)
    return re.sub(r"\s+", " ", text).strip()


# ----------------------------------------------------------------------------- results

@dataclass
class LaidOut:
    """One WeasyPrint layout of the book and what the checks found in it."""

    document: weasyprint.Document
    source: pdf_html.PrintDocument
    geometry: Geometry
    records: list[logging.LogRecord]
    body_start: int | None
    note_pages: dict[str, int] = field(default_factory=dict)  # footnote id -> page index
    call_pages: dict[str, int] = field(default_factory=dict)  # call anchor id -> page index
    to_move: list[str] = field(default_factory=list)  # too tall or overflowing footnotes
    displaced: list[str] = field(default_factory=list)  # set on a later page than the call
    overflowing: list[str] = field(default_factory=list)  # footnotes outside their page
    lost: list[str] = field(default_factory=list)  # footnotes on no page


@dataclass
class PrintResult:
    pdf: bytes
    laid_out: LaidOut
    layouts: int  # how many times the book was laid out
    endnote_ids: frozenset[str] = frozenset()
    page_breaks: tuple[PageBreak, ...] = ()  # for the EPUB's page-list

    @property
    def document(self) -> weasyprint.Document:
        return self.laid_out.document

    @property
    def geometry(self) -> Geometry:
        return self.laid_out.geometry


# ----------------------------------------------------------------------------- checks

def _walk(box):
    yield box
    for child in getattr(box, "children", None) or ():
        yield from _walk(child)


@dataclass
class PageFacts:
    note_pages: dict[str, int]
    call_pages: dict[str, int]
    to_move: list[str]  # overflowing or too tall footnotes
    displaced: list[str]  # footnotes on a later page than their call
    overflowing: list[str]  # footnotes drawn outside their page
    body_start: int | None


@dataclass(frozen=True)
class PageBreak:
    """Print page ``folio`` starts with block ``block`` (its index among the top-level
    blocks) of chapter ``file_id``: where the EPUB puts that page's pagebreak marker."""

    folio: str
    file_id: str
    block: int


def page_breaks(document: weasyprint.Document, body_start: int | None) -> tuple[PageBreak, ...]:
    """The first chapter block that starts on each page; pages that only continue a block
    (or carry none: blanks, generated pages) get no marker."""
    seen: set[str] = set()
    out: list[PageBreak] = []
    for index, page in enumerate(document.pages):
        first = None
        for box in _walk(page._page_box):
            element = getattr(box, "element", None)
            mark = element.get(pdf_html.BLOCK_ATTR) if element is not None else None
            if mark is None:
                continue
            if mark not in seen and first is None:
                first = mark
            seen.add(mark)
        if first is not None:
            file_id, block = first.rsplit(":", 1)
            out.append(PageBreak(pdf_index.folio(index, body_start), file_id, int(block)))
    return tuple(out)


def inspect_pages(document: weasyprint.Document, source: pdf_html.PrintDocument) -> PageFacts:
    """Where each footnote and each call landed, which footnotes cannot stay at the foot
    of their call's page, and the index of the first body page."""
    note_pages: dict[str, int] = {}
    call_pages: dict[str, int] = {}
    to_move: list[str] = []
    overflowing: list[str] = []
    body_start = None
    for index, page in enumerate(document.pages):
        if body_start is None and source.first_body_id in page.anchors:
            body_start = index
        page_box = page._page_box
        top = page_box.content_box_y()
        bottom = top + page_box.height
        text_h = page_box.height
        areas = [c for c in page_box.children if isinstance(c, wp_boxes.FootnoteAreaBox)]
        for area in areas:
            notes = [c for c in area.children if c.element is not None
                     and (c.element.get("class") or "").split().count("mb-footnote")]
            page_overflows = False
            for box in notes:
                nid = box.element.get("id")
                note_pages.setdefault(nid, index)
                y0 = box.position_y
                y1 = y0 + box.margin_height()
                if y0 < top - 0.5 or y1 > bottom + 0.5:
                    page_overflows = True
                    overflowing.append(nid)
                if box.margin_height() > NOTE_TALL_SHARE * text_h:
                    to_move.append(nid)  # it may fit, but leaves a page of footnote
            if page_overflows and not any(b.element.get("id") in to_move for b in notes):
                to_move.append(max(notes, key=lambda b: b.margin_height()).element.get("id"))
    call_ids = {ref: nid for nid, (ref, _) in source.note_calls.items()}
    for index, page in enumerate(document.pages):
        for anchor in page.anchors:
            if anchor in call_ids:
                call_pages.setdefault(anchor, index)
    # a note WeasyPrint deferred to a later page than its call's
    displaced = [nid for ref, nid in call_ids.items()
                 if nid in note_pages and ref in call_pages and note_pages[nid] != call_pages[ref]]
    return PageFacts(note_pages, call_pages, list(dict.fromkeys(to_move)), displaced,
                     list(dict.fromkeys(overflowing)), body_start)


def surely_too_tall_notes(book: Book, geometry: Geometry) -> frozenset[str]:
    """Footnotes so long that they would be moved anyway: moved before the first layout,
    so that a book with a few very long notes is not laid out twice. A generous estimate
    (8.5/10.5 pt notes, full lines): borderline notes are left to the check after layout."""
    if (getattr(book.meta, "notes", "footnotes") or "footnotes") != "footnotes":
        return frozenset()
    per_line = geometry.text_width / (0.5 * 8.5)
    limit = NOTE_TALL_SHARE * geometry.text_height * 1.5
    out = set()
    for chapter in book.chapters:
        for note in chapter.notes:
            if f'data-note="{note.number}"' not in chapter.body:
                continue  # never called: not printed
            paragraphs = max(1, note.html.count("<p"))
            chars = len(re.sub(r"<[^>]+>", "", note.html))
            lines = chars / per_line + paragraphs * 0.5
            if lines * 10.5 > limit:
                out.add(note.id)
    return frozenset(out)


def estimate_pages(book: Book, geometry: Geometry) -> int:
    """A rough page count before layout, to pick the first gutter (chars per page of the
    house measure, plus an opening and a blank verso per chapter or part)."""
    chars = 0
    for chapter in book.chapters:
        chars += len(re.sub(r"<[^>]+>", "", chapter.body))
        chars += sum(len(re.sub(r"<[^>]+>", "", n.html)) for n in chapter.notes)
    per_line = geometry.text_width / (0.46 * 10.75)
    lines = geometry.text_height / pdf_geometry.LEADING_PT
    pages = chars / max(per_line * lines, 1)
    openings = len(book.chapters) + len(book.parts)
    return int(math.ceil(pages + 1.5 * openings + 8))


# ----------------------------------------------------------------------------- renderer

class PrintRenderer:
    def __init__(self, book: Book, layout: Layout, *, source_date: datetime,
                 diagnostics: Diagnostics):
        self.book = book
        self.layout = layout
        self.source_date = source_date
        self.diagnostics = diagnostics
        self.yaml_path = Path(book.root) / "book.yaml"
        roots = [Path(book.root)] + [d.path for d in layout.dirs]
        self.displaced_moves: set[str] = set()  # notes moved for landing after their call
        self.fetcher = BookFetcher(roots, diagnostics, self.yaml_path, Path(book.root))

    # -- layout ------------------------------------------------------------------------
    def lay_out(self, geometry: Geometry, endnote_ids: frozenset[str],
                index_pages: pdf_index.PageMap | None = None) -> LaidOut:
        source = pdf_html.build_document(self.book, self.layout, geometry,
                                         diagnostics=self.diagnostics,
                                         endnote_ids=endnote_ids, index_pages=index_pages)
        with captured_weasyprint_log() as records:
            html = HTML(string=source.html, base_url=source.base_url,
                        url_fetcher=self.fetcher)
            document = html.render()
        facts = inspect_pages(document, source)
        lost = [nid for nid in source.note_calls if nid not in facts.note_pages]
        return LaidOut(document, source, geometry, list(records), facts.body_start,
                       facts.note_pages, facts.call_pages, facts.to_move, facts.displaced,
                       facts.overflowing, lost)

    def render(self) -> PrintResult:
        pdf_glyphs.check_glyphs(self.book, self.layout, self.diagnostics)
        base = pdf_geometry.geometry_for(self.book.meta.print)
        geometry = base.for_pages(estimate_pages(self.book, base))
        endnote_ids = surely_too_tall_notes(self.book, geometry)
        layouts = note_rounds = gutter_rounds = 0
        tried_gutters = {geometry.inside}
        while True:
            laid_out = self.lay_out(geometry, endnote_ids)
            layouts += 1
            # the tall notes first: moving them usually puts the displaced ones right
            move = [n for n in (*laid_out.to_move, *laid_out.lost) if n not in endnote_ids]
            if not move:
                move = [n for n in laid_out.displaced if n not in endnote_ids]
                self.displaced_moves.update(move)
            if move and note_rounds < MAX_NOTE_ROUNDS:
                note_rounds += 1
                endnote_ids = endnote_ids | frozenset(move)
                continue
            wanted = geometry.for_pages(len(laid_out.document.pages))
            if (wanted.inside not in tried_gutters and gutter_rounds < MAX_GUTTER_ROUNDS):
                gutter_rounds += 1
                tried_gutters.add(wanted.inside)
                geometry = wanted
                continue
            break
        if laid_out.source.index_ids:
            laid_out, extra = self._lay_out_index(laid_out, endnote_ids, tried_gutters)
            layouts += extra
        self._report_moved_notes(endnote_ids)
        self._report_records(laid_out.records)
        self._check_notes(laid_out)
        self._check_images(laid_out)
        pdf = self._write(laid_out)
        return PrintResult(pdf, laid_out, layouts, endnote_ids,
                           page_breaks(laid_out.document, laid_out.body_start))

    # -- index -------------------------------------------------------------------------
    def _lay_out_index(self, first: LaidOut, endnote_ids: frozenset[str],
                       tried_gutters: set[float]) -> tuple[LaidOut, int]:
        """Lay the book out again with the index's real page numbers (read from ``first``),
        check that no page before the index moved; returns the layout and the count."""
        pages = pdf_index.anchor_pages(first.document)
        for term, loc in pdf_index.missing_anchors(self.book, pages):
            chapter = next((c for c in self.book.chapters if c.file_id == loc.file_id), None)
            self.diagnostics.error("P011", f"the index mark for \u201c{term}\u201d "
                                   f"(#{loc.anchor}) is on no page: it is left out of the "
                                   "printed index", chapter.source if chapter else None)
        page_map = pdf_index.PageMap(pages, first.body_start)
        geometry, count = first.geometry, 0
        while True:
            final = self.lay_out(geometry, endnote_ids, page_map)
            count += 1
            self._check_index_stable(first, final)
            # the gutter follows the page count; it does not change the measure, so the
            # pages before the index stay where they are
            wanted = geometry.for_pages(len(final.document.pages))
            if wanted.inside in tried_gutters or count >= 2:
                return final, count
            tried_gutters.add(wanted.inside)
            geometry = wanted

    def _check_index_stable(self, first: LaidOut, final: LaidOut) -> None:
        def before_index(laid_out: LaidOut) -> list[list[str]]:
            index_id = laid_out.source.index_ids[0]
            out = []
            for page in laid_out.document.pages:
                if index_id in page.anchors:
                    break
                out.append(sorted(page.anchors))
            return out
        old, new = before_index(first), before_index(final)
        if old == new:
            return
        moved = next((i for i, (a, b) in enumerate(zip(old, new)) if a != b),
                     min(len(old), len(new)))
        self.diagnostics.error(
            "P010", f"the pages before the index moved when it got its page numbers (first "
            f"at page index {moved}; {len(old)} pages before the index, now {len(new)}): "
            "the index's numbers may be wrong", self.yaml_path,
            hint="report this: the index must be the last thing in the book")

    # -- output ------------------------------------------------------------------------
    def _write(self, laid_out: LaidOut) -> bytes:
        with captured_weasyprint_log() as records:
            raw = laid_out.document.write_pdf(pdf_version="1.7")
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
            identifier=self.book.identifier or None)
        labels = pdf_post.folio_ranges(len(laid_out.document.pages), laid_out.body_start)
        result = pdf_post.finish(raw, geometry=laid_out.geometry, labels=labels, info=info,
                                 source_date=self.source_date)
        for note in result.notes:
            self.diagnostics.warning("P005", note, self.yaml_path)
        self._check_fonts(result.data)
        return result.data

    # -- diagnostics -------------------------------------------------------------------
    def _chapter_of_note(self, note_id: str):
        for chapter in self.book.chapters:
            for note in chapter.notes:
                if note.id == note_id:
                    return chapter, note
        return None, None

    def _report_moved_notes(self, endnote_ids: frozenset[str]) -> None:
        for chapter in self.book.chapters:
            for note in chapter.notes:
                if note.id not in endnote_ids:
                    continue
                why = ("WeasyPrint could not set it on the page of its call"
                       if note.id in self.displaced_moves
                       else "it is too long for the foot of a page")
                self.diagnostics.warning(
                    "P004", f"note {note.number}: {why}; printed at the end of the chapter "
                    "under \u201cNotes\u201d", chapter.source,
                    hint="shorten or split the note, move its call, or set `notes: endnotes` "
                    "in book.yaml")

    def _report_records(self, records: list[logging.LogRecord]) -> None:
        for record in records:
            message = _record_message(record)
            if any(re.search(p, message) for p in EXPECTED_WEASYPRINT):
                continue
            if message.startswith("URI uses disallowed protocol") or "refused:" in message:
                continue  # reported by the fetcher as P006 already
            if record.levelno >= logging.ERROR:
                self.diagnostics.error("P008", f"WeasyPrint: {message}", self.yaml_path)
            else:
                self.diagnostics.warning("P005", f"WeasyPrint: {message}", self.yaml_path)

    def _check_notes(self, laid_out: LaidOut) -> None:
        """Every footnote is on some page, not before its call, and inside the page."""
        for nid, (ref, file_id) in laid_out.source.note_calls.items():
            chapter, note = self._chapter_of_note(nid)
            where = chapter.source if chapter else None
            number = note.number if note else "?"
            page = laid_out.note_pages.get(nid)
            call = laid_out.call_pages.get(ref)
            if page is None:
                self.diagnostics.error("P009", f"note {number} is missing from the pages",
                                       where)
            elif call is not None and page < call:
                self.diagnostics.error("P009", f"note {number} is printed on page index "
                                       f"{page}, before its call (page index {call})", where)
            elif call is not None and page > call:
                self.diagnostics.warning("P004", f"note {number} is printed on a later page "
                                         "than its call", where)
        for nid in laid_out.overflowing:
            chapter, note = self._chapter_of_note(nid)
            self.diagnostics.error(
                "P009", f"note {note.number if note else nid} does not fit its page: part "
                "of it is drawn outside the page", chapter.source if chapter else None)

    def _check_images(self, laid_out: LaidOut) -> None:
        """Effective resolution of every figure as laid out (P002 under 300 dpi, P003 under
        150), reported against the chapter of the page it is on."""
        pixels = {}
        for chapter in self.book.chapters:
            for image in chapter.images:
                pixels.setdefault(image.href, image.width)
        chapters = {c.file_id: c for c in self.book.chapters}
        seen: set[tuple] = set()
        for page in laid_out.document.pages:
            owners = [laid_out.source.chapter_ids[a] for a in page.anchors
                      if a in laid_out.source.chapter_ids]
            chapter = chapters.get(owners[0]) if owners else None
            for box in _walk(page._page_box):
                if not isinstance(box, wp_boxes.ReplacedBox) or box.element is None:
                    continue
                src = box.element.get("src") or ""
                width_px = pixels.get(src)
                if not width_px or not box.width:
                    continue
                inches = box.width / PX_PER_IN
                dpi = width_px / inches
                key = (src, owners[0] if owners else None, round(dpi))
                if dpi >= 299.5 or key in seen:
                    continue
                seen.add(key)
                where = chapter.source if chapter else self.yaml_path
                code, floor = ("P003", 150) if dpi < 150 else ("P002", 300)
                self.diagnostics.warning(
                    code, f"figure {src} prints at {dpi:.0f} dpi, under {floor} "
                    f"({width_px} px over {inches:.2f} in)", where,
                    hint=f"supply at least {math.ceil(inches * 300)} px wide, or print it "
                         "smaller")

    def _check_fonts(self, data: bytes) -> None:
        families = {re.sub(r"[\s_-]+", "", f.family).lower() for f in self.layout.fonts}
        used: set[str] = set()
        with pikepdf.open(io.BytesIO(data)) as pdf:
            for page in pdf.pages:
                fonts = page.obj.get("/Resources", {}).get("/Font", {})
                for _, font in fonts.items():
                    name = str(font.get("/BaseFont", ""))
                    used.add(name.lstrip("/"))
        for name in sorted(used):
            bare = re.sub(r"[\s_-]+", "", name.split("+", 1)[-1]).lower()
            if not any(bare.startswith(f) for f in families):
                self.diagnostics.error(
                    "P007", f"the PDF uses the font {name}, which is not one of the "
                    "layout's fonts", self.yaml_path,
                    hint="a character or style the layout's fonts lack was set in a "
                         "system font")


def render_print(book: Book, layout: Layout, *, source_date: datetime,
                 diagnostics: Diagnostics) -> PrintResult:
    """Render and keep the laid-out document (for tests and the benchmark)."""
    return PrintRenderer(book, layout, source_date=source_date,
                         diagnostics=diagnostics).render()


def render_pdf(book: Book, layout: Layout, *, source_date: datetime,
               diagnostics: Diagnostics) -> bytes:
    """The print interior as PDF bytes; problems go to ``diagnostics``."""
    return render_print(book, layout, source_date=source_date,
                        diagnostics=diagnostics).pdf
