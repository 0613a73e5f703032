"""The facts of pages laid out piece by piece, in other processes, joined into the facts of
the whole book: what :func:`pdf_pages.inspect_pages` finds walking all the book's pages
at once, found instead in each piece's own walk (issue 15).

Each piece reads its pages with the whole book's print plan, counting pages from its first;
:func:`portable` makes those facts fit to cross a process (a line's WeasyPrint box becomes
the text the QA quotes); :func:`merge` moves every page number by the piece's first page
and recomputes what depends on the whole book (which notes are on no page, which are set
after their call's page), in the same order one walk gives.
"""

from __future__ import annotations

from dataclasses import dataclass

from make_book.render.print import html as pdf_html
from make_book.render.print.pages import BlockSpan, PageFacts, line_text
from make_book.render.print.qa_pages import PageText
from make_book.render.print.running_heads import Head


@dataclass
class PieceFacts:
    """One piece's pages as read in its own walk: facts, the QA's measures, and each
    page's anchors (in WeasyPrint's order, for what asks whose page it is)."""

    facts: PageFacts
    text: PageText
    anchors: list[list[str]]


def portable(facts: PageFacts, text: PageText, pages) -> PieceFacts:
    """Facts without references to WeasyPrint's boxes: a line keeps its text."""
    for line in text.lines:
        if not isinstance(line.box, str):
            line.box = line_text(line.box)
    return PieceFacts(facts, text, [list(p.anchors) for p in pages])


def _ids(value: int, piece: int) -> int:
    """An ``id()`` taken in a piece's process, made unique across pieces (ids repeat
    between documents once the first is freed)."""
    return piece << 64 | value


def merge(pieces: list[tuple[int, PieceFacts]], source: pdf_html.PrintDocument
          ) -> tuple[PageFacts, PageText, list[list[str]]]:
    """The facts of the book from those of its pieces, each given with its first page."""
    facts, text, anchors = PageFacts(), PageText(), []
    to_move, overflowing = [], []
    for number, (start, piece) in enumerate(pieces):
        f, t = piece.facts, piece.text
        while len(anchors) < start:
            anchors.append([])
        anchors[start:start + len(piece.anchors)] = piece.anchors
        for anchor, page in f.anchors.items():
            facts.anchors.setdefault(anchor, start + page)
        if facts.body_start is None and f.body_start is not None:
            facts.body_start = start + f.body_start
        for nid, page in f.note_pages.items():
            facts.note_pages.setdefault(nid, start + page)
        for nid, box in f.note_boxes.items():
            facts.note_boxes.setdefault(nid, box)
        for ref, page in f.call_pages.items():
            facts.call_pages.setdefault(ref, start + page)
            facts.call_feet.setdefault(ref, f.call_feet[ref])
        to_move += f.to_move
        overflowing += f.overflowing
        facts.blocks += [BlockSpan(b.mark, b.tag, start + b.first, start + b.last)
                         for b in f.blocks]
        facts.images += [(start + page, src, width) for page, src, width in f.images]
        for name in ("first_lines", "first_offsets", "text_feet", "text_tops", "text_ends"):
            getattr(facts, name).update(
                {start + page: value for page, value in getattr(f, name).items()})
        text.lines += [line.moved(start + line.page,
                                  (_ids(line.para[0], number), line.para[1]),
                                  _ids(line.holder, number)) for line in t.lines]
        for name in ("area_bottom", "text_bottom", "trailing", "sides"):
            getattr(text, name).update(
                {start + page: value for page, value in getattr(t, name).items()})
        text.has_notes |= {start + page for page in t.has_notes}
        for mark, kind in t.block_kinds.items():
            text.block_kinds.setdefault(mark, kind)
        for key, (mark, captions, content) in t.captioned.items():
            text.captioned[_ids(key, number)] = (mark, {start + p for p in captions},
                                                 {start + p for p in content})
        text.heads += [Head(start + h.page, h.box, h.side, h.lines) for h in t.heads]
    facts.to_move = list(dict.fromkeys(to_move))
    facts.overflowing = list(dict.fromkeys(overflowing))
    call_ids = {ref: nid for nid, (ref, _) in source.note_calls.items()}
    facts.call_pages = {ref: facts.call_pages[ref] for ref in call_ids
                        if ref in facts.call_pages}
    facts.call_feet = {ref: facts.call_feet[ref] for ref in facts.call_pages}
    facts.displaced = [nid for ref, nid in call_ids.items()
                       if nid in facts.note_pages and ref in facts.call_pages
                       and facts.note_pages[nid] != facts.call_pages[ref]]
    facts.lost = [nid for nid in source.note_calls if nid not in facts.note_pages]
    return facts, text, anchors


__all__ = ["PieceFacts", "merge", "portable"]
