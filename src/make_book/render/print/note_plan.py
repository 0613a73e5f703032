"""Where a long footnote is cut and where its continuations go, read from the pages.

The print renderer lays a chapter out, reads the pages (:mod:`pdf_pages`), applies one
fix and lays out again from the last page it can keep. A note too tall for the foot of
its call's page is settled in such steps (:func:`next_split`):

1. **probe**: the note is cut after about a line, the rest held back, so that the call
   lands where the text puts it and not where a tall note pushed it;
2. **measure**: the first part is cut to fill the room below the call's line on its page
   (never more than ``PART_SHARE`` of the text block), the rest held back;
3. **hang**: the held-back rest goes at the foot of the page after the last part set,
   on that page's first line;
4. a part that still does not fit (too tall, drawn outside its page, set on another page
   than its line) is cut again where it stands, and the rest held back again.

A note that cannot be continued (its chapter ends on the page, no line to hang on) is
given up on, and the renderer moves it to the chapter's end as before (``P004``).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from lxml import etree

from make_book.render.print.note_splits import (
    NoteSplit,
    cut_for_lines,
    is_run_over,
    run_over_mark,
    text_slots,
)
from make_book.render.print.pages import HEADINGS, NOTE_TALL_SHARE, PageFacts

PX_PER_PT = 4 / 3
PART_SHARE = NOTE_TALL_SHARE - 0.06  # a part fills at most this share of the text block
RUN_OVER_SHARE = 0.95  # ... or of a page of its own after the chapter's text
AREA_PT = 14.0  # the footnote area's rule and space above the notes (print.css @footnote)
NOTE_LINE_PT = 10.5  # print.css .mb-footnote line-height, when no note was measured
NOTE_CHAR_EM = 0.47  # average advance of a note's characters, when none was measured


@dataclass(frozen=True)
class Step:
    """The split as it should be next, and the first page (of the chapter's pages)
    that changes; ``split`` None: give up on splitting the note."""

    split: NoteSplit | None
    page: int
    why: str = ""  # when giving up: why the note cannot be continued


def probe(note_id: str, span: etree._Element, per_line: float) -> NoteSplit | None:
    """Step 1: a first part of about one line (None when the note has no space after
    its first line's worth of text)."""
    text, _ = text_slots(span)
    space = text.find(" ", max(1, int(per_line)))
    if space < 0 or space + 1 >= len(text):
        return None
    return NoteSplit(note_id, (space + 1,), (None,), measured=False)


def per_line(facts: PageFacts, note_id: str, text_width_pt: float) -> float:
    """Characters a note's line holds: measured on the note itself when it was laid
    out, else on the chapter's other notes, else estimated from the measure."""
    own = facts.note_boxes.get(note_id)
    if own and own.lines >= 3:
        return own.chars / own.lines
    boxes = [b for b in facts.note_boxes.values() if b.lines >= 3]
    if boxes:
        return sum(b.chars for b in boxes) / sum(b.lines for b in boxes)
    return text_width_pt / (NOTE_CHAR_EM * 8.5)


def _line_px(facts: PageFacts) -> float:
    heights = [b.line_height for b in facts.note_boxes.values() if b.line_height]
    return max(heights) if heights else NOTE_LINE_PT * PX_PER_PT


def _notes_height(facts: PageFacts, page: int, leave_out=frozenset()) -> float:
    """How tall the footnotes set on ``page`` are (but those in ``leave_out``)."""
    return sum(facts.note_boxes[n].height for n, p in facts.note_pages.items()
               if p == page and n not in leave_out and n in facts.note_boxes)


def room_lines(facts: PageFacts, split: NoteSplit, call_ref: str,
               text_height_pt: float, run_over: bool = False) -> int:
    """Lines of note that fit under the call's line, with the page's other notes (on a
    page of its own after the chapter's text, the whole page)."""
    page = facts.call_pages[call_ref]
    own = {split.part_id(k) for k in range(len(split.cuts) + 1)}
    others = _notes_height(facts, page, own)
    line = _line_px(facts)
    room = facts.text_feet[page] - facts.call_feet[call_ref] - others - AREA_PT * PX_PER_PT
    most = (RUN_OVER_SHARE if run_over else PART_SHARE) * text_height_pt * PX_PER_PT
    return int(min(room, most) // line) - 1  # one line to spare: lines differ in height


def call_ref(split: NoteSplit, k: int, note_ref: str) -> str:
    """The anchor a part is called from: the note's call, or a continuation's line."""
    return note_ref if k == 0 else split.anchor_id(k)


def next_split(split: NoteSplit, span: etree._Element, facts: PageFacts, note_ref: str,
               file_id: str, text_width_pt: float, text_height_pt: float) -> Step | None:
    """The next step for ``split`` (see the module docstring), or None when every part
    is set at the foot of its line's page."""
    chars = per_line(facts, split.note_id, text_width_pt)
    starts = (0, *split.cuts)
    if not split.measured:
        if note_ref not in facts.call_pages:
            return Step(None, 0, "its call is on no page")
        lines = max(room_lines(facts, split, note_ref, text_height_pt), 2)
        cut = cut_for_lines(span, 0, lines, chars)
        page = facts.call_pages[note_ref]
        if cut is None:  # the note fits under its call after all
            return Step(replace(split, cuts=(), anchors=(), measured=True), page)
        return Step(replace(split, cuts=(cut,), anchors=(None,), measured=True), page)
    for k, start in enumerate(starts):
        pid, ref = split.part_id(k), call_ref(split, k, note_ref)
        if k and split.anchors[k - 1] is None:
            break  # held back: hung in the step below, once the part before is set
        if pid not in facts.note_pages or ref not in facts.call_pages:
            return Step(None, facts.call_pages.get(note_ref, 0), "its part is on no page")
        page = facts.call_pages[ref]
        if k and page != facts.note_pages[split.part_id(k - 1)] + 1:
            # the text moved under it (another fix): hang it on the page after the part
            # before again
            before = facts.note_pages[split.part_id(k - 1)]
            first = _line_to_hang_on(facts, file_id, before + 1)
            if first is None or first == split.anchors[k - 1]:
                return Step(None, page, "the next page has no paragraph to hang it on")
            anchors = split.anchors[:k - 1] + (first,) + split.anchors[k:]
            return Step(replace(split, anchors=anchors), min(page, before + 1))
        wrong = (pid in facts.to_move or pid in facts.overflowing
                 or facts.note_pages[pid] != page)
        run_over = bool(k) and is_run_over(split.anchors[k - 1][0])
        if run_over and pid in facts.to_move and pid not in facts.overflowing:
            wrong = facts.note_pages[pid] != page  # a page of its own may be all note
        if wrong:
            lines = room_lines(facts, split, ref, text_height_pt, run_over)
            box = facts.note_boxes.get(pid)
            if box:
                lines = min(lines, box.lines - 2)
            cut = cut_for_lines(span, start, max(lines, 2), chars)
            if cut is None or (k < len(split.cuts) and cut >= split.cuts[k]):
                return Step(None, page, "a part does not fit under its line")
            return Step(replace(split, cuts=split.cuts[:k] + (cut,),
                                anchors=split.anchors[:k] + (None,)), page)
        if k < len(split.cuts) and split.anchors[k] is None:
            nxt = facts.note_pages[pid] + 1
            first = _line_to_hang_on(facts, file_id, nxt)
            if first is None:
                return Step(None, page, "the next page has no paragraph to hang it on")
            anchors = split.anchors[:k] + (first,) + split.anchors[k + 1:]
            return Step(replace(split, anchors=anchors), nxt)
    return None


def _line_to_hang_on(facts: PageFacts, file_id: str,
                     page: int) -> tuple[str, str, int] | None:
    """(block mark, line text, about where the line begins in the block's text) where a continuation set at the foot of ``page`` hangs:
    the page's first line; the start of the first block that starts on the page when the
    page opens with a heading (inside one the note would join the running head and the
    bookmark) or with no line of text (a figure); after the chapter's last page, a page
    of its own at the chapter's end (``note_splits.RUN_OVER``), as books run a note on
    past the text."""
    mine = [b for b in facts.blocks if b.file_id == file_id]
    if not any(b.last >= page for b in mine):
        return run_over_mark(file_id), "", 0
    first = facts.first_lines.get(page)
    spans = {b.mark: b for b in mine}
    span = spans.get(first[0]) if first else None
    if span is not None and span.tag not in HEADINGS and first[1].strip():
        return first[0], first[1], facts.first_offsets.get(page, 0)
    later = next((b for b in mine if b.first == page and b.tag not in HEADINGS
                  and (span is None or b.number > span.number)), None)
    return None if later is None else (later.mark, "", 0)


def pushed_notes(facts: PageFacts, calls: dict[str, str], line_pt: float) -> list[str]:
    """Notes whose call's line WeasyPrint moved to the next page because the note did
    not fit under it (``footnote-policy: line``), leaving the page before more than two
    lines short: ``calls`` maps each footnote to its call. Such a note is split (its
    first part fits under the call, on the page the text puts it on)."""
    line = line_pt * PX_PER_PT
    out = []
    for nid, ref in calls.items():
        page = facts.call_pages.get(ref)
        box = facts.note_boxes.get(nid)
        if not page or box is None or box.lines < 4 or facts.note_pages.get(nid) != page:
            continue
        before = page - 1
        if before not in facts.text_ends or facts.first_lines.get(page) is None:
            continue
        if facts.call_feet[ref] - facts.text_tops[page] > 2.5 * line:
            continue  # the call is not on the page's first lines
        notes = _notes_height(facts, before)
        used = facts.text_ends[before] + (notes + AREA_PT * PX_PER_PT if notes else 0)
        if facts.text_feet[before] - used > 2.5 * line:
            out.append(nid)
    return out
