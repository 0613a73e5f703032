"""Finishing the print edition: the settled pieces joined into one book (their pages, or
the workers' PDFs with the facts of their pages), the print QA, and each edition written
as a PDF and post-processed with pikepdf (:mod:`.post`: metadata, page labels, boxes)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pikepdf
import weasyprint

from make_book.cache import Cache
from make_book.errors import Diagnostics
from make_book.layouts.chain import Layout
from make_book.model import Book
from make_book.render import glyphs
from make_book.render.print import checks
from make_book.render.print import font_share
from make_book.render.print import geometry as pdf_geometry
from make_book.render.print import html as pdf_html
from make_book.render.print import join as pdf_join
from make_book.render.print import piece_facts
from make_book.render.print import post as pdf_post
from make_book.render.print import qa as print_qa
from make_book.render.print import screen
from make_book.render.print.edition import PRINT, Edition
from make_book.render.print.geometry import Geometry
from make_book.render.print.pages import inspect_pages
from make_book.render.print.piece_layout import LayoutSource
from make_book.render.print.piece_worker import log_records
from make_book.render.print.qa_pages import PageText
from make_book.render.print.repairs import Repairs, footnote_calls
from make_book.render.print.results import LaidOut, WorkerPages
from make_book.render.print.settle import Settled
from make_book.render.weasy.log import captured_weasyprint_log


def _book_source(source: LayoutSource, repairs: Repairs) -> pdf_html.PrintDocument:
    """The whole book's HTML with the note calls of the notes still at the foot."""
    plan = source.plan
    return replace(plan, note_calls=footnote_calls(repairs.fixes, plan.note_calls))


def joined_pages(settled: Settled, source: LayoutSource, blank, blank_document) -> LaidOut:
    """The pieces laid out here joined into one WeasyPrint document (a blank verso before
    a piece that would open on one), and the facts read from its pages."""
    pages = []
    for laid in settled.layouts:
        if len(pages) % 2:
            pages.append(blank)
        pages += laid.pages
    documents = [d for laid in settled.layouts for d in laid.documents] + [blank_document]
    book = _book_source(source, settled.repairs)
    document = documents[0].copy(pages)
    records = source.style_records + [r for laid in settled.layouts for r in laid.records]
    text = PageText()
    return LaidOut(document, book, source.geometry, records,
                   inspect_pages(document.pages, book, text), documents, text)


def joined_pieces(settled: Settled, source: LayoutSource, blank, blank_document) -> LaidOut:
    """The workers' pieces, their PDFs to be joined (:mod:`.join`) and the facts of their
    pages merged (:mod:`.piece_facts`)."""
    book = _book_source(source, settled.repairs)
    blank_text = PageText()
    blank_facts = piece_facts.portable(inspect_pages([blank], book, blank_text),
                                       blank_text, [blank])
    blank_pdf = pdf_join.piece_pdf(blank_document, [blank])
    parts, pdfs, start = [], [], 0
    for outcome in settled.layouts:
        if start % 2:
            parts.append((start, blank_facts))
            pdfs.append(blank_pdf)
            start += 1
        parts.append((start, outcome.facts))
        pdfs.append(outcome.pdf)
        start += outcome.length
    facts, text, page_anchors = piece_facts.merge(parts, book)
    records = source.style_records + [r for o in settled.layouts
                                      for r in log_records(o.records)]
    written = [r for o in settled.layouts for r in log_records(o.written)]
    return LaidOut(WorkerPages(page_anchors), book, source.geometry, records, facts, [], text,
                   pieces=pdfs, written=written)


def qa_findings(book: Book, layout: Layout, laid_out: LaidOut, found: glyphs.Coverage,
             images: list[print_qa.ImageCheck], heads: dict[str, str],
             diagnostics: Diagnostics) -> list[print_qa.Finding]:
    """The print QA's findings (see :mod:`print_qa`); the blocking ones as warnings."""
    ctx = print_qa.Context(
        root=Path(book.root), sources={c.file_id: c.source for c in book.chapters},
        body_start=laid_out.body_start, hyphen_limit=layout.hyphenate_limit_lines,
        max_word_spacing=layout.max_word_spacing,
        natural_space=print_qa.text_space(layout),
        leading=pdf_geometry.LEADING_PT * print_qa.PX_PER_PT,
        shortened_heads={c.file_id: (c.running_title, heads[c.file_id])
                         for c in book.chapters if c.file_id in heads},
        pages=len(laid_out.document.pages), paper=checks.paper(book.meta.print.paper))
    findings = print_qa.check(laid_out.text, laid_out.facts, ctx, missing=found.missing,
                              images=images)
    print_qa.report_diagnostics(findings, diagnostics, f"{book.slug}-print-qa.json")
    return findings


def _for_screen(book: Book, layout: Layout, raw: bytes, geometry: Geometry, labels: list,
                edition: Edition, diagnostics: Diagnostics, yaml_path: Path):
    word = layout.strings(book.meta.lang).get("cover", "Cover")
    done = screen.for_screen(
        raw, geometry, labels, images=book.images,
        cover=(screen.cover_art(book, layout, geometry, diagnostics)
               if edition.cover else None),
        cover_alt=screen.cover_alt(book, word), cover_label=word)
    for note in done.notes:
        diagnostics.warning("P060", note, yaml_path,
                            hint="supply an RGB image for the screen edition")
    return done.data, done.geometry, done.labels


def write(book: Book, layout: Layout, laid_out: LaidOut, *, source_date: datetime,
          diagnostics: Diagnostics, edition: Edition = PRINT,
          cache: Cache | None = None) -> bytes:
    """One edition of the laid-out book as finished PDF bytes (the fonts the pieces share
    merged through ``cache``, when there is one)."""
    yaml_path = Path(book.root) / "book.yaml"
    if laid_out.pieces is not None:  # written by the workers: joined (print only)
        raw = pdf_join.join(laid_out.pieces, font_share.kept_merge(cache))
        checks.report_records(laid_out.written, diagnostics, yaml_path)
    else:
        with captured_weasyprint_log() as records:
            raw = laid_out.document.write_pdf(**edition.write_options(book.meta.print.tagged))
        checks.report_records(records, diagnostics, yaml_path)
    meta = book.meta
    info = pdf_post.PdfInfo(
        title=meta.title + (f": {meta.subtitle}" if getattr(meta, "subtitle", None) else ""),
        authors=tuple(pdf_html.author_names(book)),
        subject=getattr(meta, "description", None),
        keywords=tuple(getattr(meta, "keywords", None) or ())
        + tuple(getattr(meta, "subject", None) or ()),
        lang=getattr(meta, "lang", None),
        creator="make-book",
        producer=f"WeasyPrint {weasyprint.__version__}, pikepdf {pikepdf.__version__}",
        identifier=edition.identifier(book))
    labels = pdf_post.folio_ranges(len(laid_out.document.pages), laid_out.body_start)
    geometry = laid_out.geometry
    if edition.trim_only:  # the screen PDF (screen.py)
        raw, geometry, labels = _for_screen(book, layout, raw, geometry, labels, edition,
                                            diagnostics, yaml_path)
    result = pdf_post.finish(raw, geometry=geometry, labels=labels, info=info,
                             source_date=source_date)
    for note in result.notes:
        diagnostics.warning("P005", note, yaml_path)
    checks.check_fonts(layout, result.data, diagnostics, yaml_path)
    return result.data
