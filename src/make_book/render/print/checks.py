"""Checks on the laid-out print edition, and reports of what the renderer did: notes
missing, early or moved (P004, P009), figures under 300 dpi (P002, P003), fonts from
outside the layout (P007), WeasyPrint's log records (P005, P008). Plain functions taking
what they check, so they run after layout without the renderer's state."""

from __future__ import annotations

import io
import logging
import math
import re
from pathlib import Path

import pikepdf

from make_book.errors import Diagnostics
from make_book.layouts.chain import Layout
from make_book.model import Book
from make_book.render import figures
from make_book.render.print import qa as print_qa
from make_book.render.cover.spine import Paper, PaperError, paper_for
from make_book.render.print.note_splits import base_note_id
from make_book.render.print.geometry import PT_PER_IN
from make_book.render.print.results import Fixes, LaidOut

PX_PER_IN = 96.0
# WeasyPrint messages we know and accept (none so far: every record becomes a diagnostic).
EXPECTED_WEASYPRINT = ()


def record_message(record: logging.LogRecord) -> str:
    try:
        text = record.getMessage()
    except Exception:  # a malformed record must not hide the others
        text = str(record.msg)
    return re.sub(r"\s+", " ", text).strip()


def named(note) -> str:
    """A note as a message names it: its number in the chapter, and how the manuscript
    writes it when that differs ("56 ([^103])")."""
    return f"{note.number} ({note.source})" if note.source else str(note.number)


def chapter_of_note(book: Book, note_id: str):
    note_id = base_note_id(note_id)  # a part of a split note is its note's
    for chapter in book.chapters:
        for note in chapter.notes:
            if note.id == note_id:
                return chapter, note
    return None, None


def report_moved_notes(book: Book, endnote_ids: frozenset[str], displaced: set[str],
                       unsplittable: dict[str, str], diagnostics: Diagnostics) -> None:
    for chapter in book.chapters:
        for note in chapter.notes:
            if note.id not in endnote_ids:
                continue
            why = ("WeasyPrint could not set it on the page of its call"
                   if note.id in displaced
                   else "it is too long for the foot of a page and could not be continued "
                   f"on the next ({unsplittable[note.id]})"
                   if note.id in unsplittable
                   else "it is too long for the foot of a page")
            diagnostics.warning(
                "P004", f"note {named(note)}: {why}; printed at the end of the chapter "
                "under \u201cNotes\u201d", chapter.source, note.line,
                hint="shorten or split the note, move its call, or set `notes: endnotes` "
                "in book.yaml")


def report_records(records: list[logging.LogRecord], diagnostics: Diagnostics,
                   where: Path | None) -> None:
    for record in records:
        message = record_message(record)
        if any(re.search(p, message) for p in EXPECTED_WEASYPRINT):
            continue
        if message.startswith("URI uses disallowed protocol") or "refused:" in message:
            continue  # reported by the fetcher as P006 already
        if record.levelno >= logging.ERROR:
            diagnostics.error("P008", f"WeasyPrint: {message}", where)
        else:
            diagnostics.warning("P005", f"WeasyPrint: {message}", where)


def check_notes(book: Book, laid_out: LaidOut, fixes: Fixes, diagnostics: Diagnostics) -> None:
    """Every footnote is on some page, not before its call, and inside the page."""
    for nid, (ref, file_id) in laid_out.source.note_calls.items():
        chapter, note = chapter_of_note(book, nid)
        where = chapter.source if chapter else None
        number = note.number if note else "?"
        page = laid_out.note_pages.get(nid)
        call = laid_out.call_pages.get(ref)
        if page is None:
            diagnostics.error("P009", f"note {number} is missing from the pages",
                                   where)
        elif call is not None and page < call:
            diagnostics.error("P009", f"note {number} is printed on page index "
                                   f"{page}, before its call (page index {call})", where)
        elif call is not None and page > call:
            diagnostics.warning("P004", f"note {number} is printed on a later page "
                                     "than its call", where)
    for split in fixes.splits:
        if split.note_id in fixes.endnotes:
            continue
        chapter, note = chapter_of_note(book, split.note_id)
        where = chapter.source if chapter else None
        pages = [laid_out.note_pages.get(split.part_id(k))
                 for k in range(len(split.cuts) + 1)]
        if None in split.anchors:
            diagnostics.error(
                "P009", f"note {named(note)}: its continuation could not be placed "
                "on the next page: part of it is missing", where, note.line)
        elif None not in pages and any(b != a + 1 for a, b in zip(pages, pages[1:])):
            diagnostics.error(
                "P009", f"note {named(note)}: its parts are not printed on pages that "
                "follow one another (page indexes "
                f"{', '.join(map(str, pages))})", where, note.line)
    for nid in laid_out.overflowing:
        chapter, note = chapter_of_note(book, nid)
        diagnostics.error(
            "P009", f"note {note.number if note else nid} does not fit its page: part "
            "of it is drawn outside the page", chapter.source if chapter else None)


def check_images(book: Book, laid_out: LaidOut, diagnostics: Diagnostics,
                 where: Path | None) -> list[print_qa.ImageCheck]:
    """Effective resolution of every figure as laid out (P002 under 300 dpi, P003 under
    150), reported against the chapter of the page it is on; returned for the QA."""
    pixels, heights = {}, {}
    for chapter in book.chapters:
        for image in chapter.images:
            if not image.vector:  # an SVG has no resolution to fall short of
                pixels.setdefault(image.href, image.width)
                heights.setdefault(image.href, image.height)
    g = laid_out.geometry
    # an image that bleeds covers the page and its bleed (object-fit: cover): its
    # resolution is the lesser of the two directions
    bleeding = {img.get("src") for c in book.chapters
                for block in figures.bleeding(c.body.root)
                for img in block.iter("img")} if g.bleed else set()
    chapters = {c.file_id: c for c in book.chapters}
    pages = laid_out.document.pages
    seen: set[tuple] = set()
    low: list[print_qa.ImageCheck] = []
    for index, src, width in laid_out.facts.images:
        width_px = pixels.get(src)
        if not width_px:
            continue
        owners = [laid_out.source.chapter_ids[a] for a in pages[index].anchors
                  if a in laid_out.source.chapter_ids]
        chapter = chapters.get(owners[0]) if owners else None
        inches = width / PX_PER_IN
        dpi = width_px / inches
        if src in bleeding and heights.get(src):
            dpi, width_px, inches = min(
                (px / (pt / PT_PER_IN), px, pt / PT_PER_IN)
                for px, pt in ((width_px, g.rendered_w), (heights[src], g.rendered_h)))
        key = (src, owners[0] if owners else None, round(dpi))
        if dpi >= 299.5 or key in seen:
            continue
        seen.add(key)
        where = chapter.source if chapter else where
        low.append(print_qa.ImageCheck(index, src, dpi, where))
        code, floor = ("P003", 150) if dpi < 150 else ("P002", 300)
        diagnostics.warning(
            code, f"figure {src} prints at {dpi:.0f} dpi, under {floor} "
            f"({width_px} px over {inches:.2f} in)", where,
            hint=(f"supply at least {math.ceil(g.rendered_w / PT_PER_IN * 300)} x "
                  f"{math.ceil(g.rendered_h / PT_PER_IN * 300)} px for the page and its "
                  "bleed" if src in bleeding else
                  f"supply at least {math.ceil(inches * 300)} px wide, or print it "
                  "smaller"))
    return low


def check_fonts(layout: Layout, data: bytes, diagnostics: Diagnostics,
                where: Path | None) -> None:
    families = {re.sub(r"[\s_-]+", "", f.family).lower() for f in layout.fonts}
    used: set[str] = set()
    with pikepdf.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            fonts = page.obj.get("/Resources", {}).get("/Font", {})
            for font in fonts.values():
                name = str(font.get("/BaseFont", ""))
                used.add(name.lstrip("/"))
    for name in sorted(used):
        bare = re.sub(r"[\s_-]+", "", name.split("+", 1)[-1]).lower()
        if not any(bare.startswith(f) for f in families):
            diagnostics.error(
                "P007", f"the PDF uses the font {name}, which is not one of the "
                "layout's fonts", where,
                hint="a character or style the layout's fonts lack was set in a "
                     "system font")


def paper(value: str | None) -> Paper | None:
    """``print.paper``'s stock; None when it names none (the release reports that, R014)."""
    try:
        return paper_for(value)
    except PaperError:
        return None
