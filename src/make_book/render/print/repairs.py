"""What a chapter's layout needs repaired next, as values: the footnotes WeasyPrint could
not set at the foot of their call's page, the figures that left a page short, the running
head that ran over (see :mod:`.renderer`'s docstring for the repairs themselves).

Each function reads the pages' facts and the book's :class:`Repairs` so far and returns the
next fixes with the new :class:`Repairs`; nothing here lays anything out, so the chapter's
layout (:mod:`.piece_layout`) can run in any process and give back what it changed."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from make_book.model import Book, Chapter
from make_book.render.print import checks
from make_book.render.print import floats as pdf_floats
from make_book.render.print import geometry as pdf_geometry
from make_book.render.print import html as pdf_html
from make_book.render.print import note_plan
from make_book.render.print import running_heads
from make_book.render.print.geometry import Geometry
from make_book.render.print.note_splits import NoteSplit, base_note_id
from make_book.render.print.pages import PageFacts, block_to_break
from make_book.render.print.results import Fixes
from make_book.transforms.print_notes import footnote_text

Need = tuple[Fixes, int]  # fixes, and the first page (of the chapter) they change


@dataclass(frozen=True)
class Repairs:
    """The book's repairs so far: its :class:`Fixes`, the running heads cut to fit (and how
    often), how often each figure moved on, and why notes were moved (for P004)."""

    fixes: Fixes = Fixes()
    heads: dict[str, str] = field(default_factory=dict)  # file_id -> head cut to fit
    head_cuts: dict[str, int] = field(default_factory=dict)  # file_id -> times cut
    float_moves: dict[str, int] = field(default_factory=dict)  # figure mark -> times moved
    unsplittable: dict[str, str] = field(default_factory=dict)  # long notes not continued
    displaced_moves: frozenset[str] = frozenset()  # notes moved for landing after their call

    def fixed(self, more: Fixes) -> Repairs:
        return replace(self, fixes=self.fixes | more)

    def given_up(self, why: dict[str, str]) -> Repairs:
        return replace(self, unsplittable={**self.unsplittable, **why})


def footnote_calls(fixes: Fixes, calls: dict[str, tuple[str, str]]) -> dict[str, tuple[str, str]]:
    """The note calls whose notes are still footnotes (not moved to the chapter's end),
    and the lines the continuations of split notes hang on."""
    out = {nid: call for nid, call in calls.items()
           if nid == base_note_id(nid) and nid not in fixes.endnotes}
    for split in fixes.splits:
        if split.note_id in out:
            file_id = out[split.note_id][1]
            for k in split.hung():
                out[split.part_id(k)] = (split.anchor_id(k), file_id)
    return out


def split_notes(book: Book, geometry: Geometry, note_ids, facts: PageFacts) -> Fixes:
    """Notes too tall for the foot of a page: each continued on the next page
    (:mod:`note_plan`, starting with a probe), or moved to its chapter's end when it
    cannot be cut."""
    splits, endnotes = [], set()
    for nid in note_ids:
        _, note = checks.chapter_of_note(book, nid)
        if note is None:
            continue
        split = note_plan.probe(nid, footnote_text(note), note_plan.per_line(
            facts, nid, geometry.text_width))
        if split is None:
            endnotes.add(nid)
        else:
            splits.append(split)
    return Fixes(endnotes=frozenset(endnotes), splits=tuple(splits))


def splits_in(book: Book, fixes: Fixes, chapter: Chapter) -> list[NoteSplit]:
    """The chapter's notes being continued over pages (not given up on)."""
    return [s for s in fixes.splits if s.note_id not in fixes.endnotes
            and checks.chapter_of_note(book, s.note_id)[0] is chapter]


def unfinished_splits(book: Book, repairs: Repairs,
                      chapter: Chapter) -> tuple[Repairs, Need | None]:
    """Out of rounds with a split note whose rest is still held back: the note goes
    to the chapter's end (one more layout of the chapter), rather than lose its end."""
    ids = {s.note_id for s in splits_in(book, repairs.fixes, chapter) if None in s.anchors}
    if not ids:
        return repairs, None
    why = dict.fromkeys(ids, "the chapter's repairs ran out of rounds")
    return repairs.given_up(why), (Fixes(endnotes=frozenset(ids)), 0)


def _split_steps(book: Book, geometry: Geometry, repairs: Repairs, facts: PageFacts,
                 file_id: str) -> tuple[Repairs, Need | None]:
    """The next step of the chapter's first split note that needs one."""
    fixes = repairs.fixes
    for split in fixes.splits:
        if split.note_id in fixes.endnotes:
            continue
        chapter, note = checks.chapter_of_note(book, split.note_id)
        if chapter is None or chapter.file_id != file_id:
            continue
        step = note_plan.next_split(
            split, footnote_text(note), facts, note.ref_id, file_id,
            geometry.text_width, geometry.text_height)
        if step is None:
            continue
        if step.split is None:
            return (repairs.given_up({split.note_id: step.why}),
                    (Fixes(endnotes=frozenset({split.note_id})), step.page))
        return repairs, (Fixes(splits=(step.split,)), step.page)
    return repairs, None


def note_needs(book: Book, geometry: Geometry, repairs: Repairs, facts: PageFacts,
               source: pdf_html.PrintDocument) -> tuple[Repairs, dict[str, Need]]:
    """Per chapter (file_id, in book order), the next fixes its footnotes need and the
    first page they change: the notes too tall for the foot of a page first (moving
    them often puts the others right), else the first note set after its call's
    page."""
    fixes = repairs.fixes
    needs: dict[str, Need] = {}
    for file_id in dict.fromkeys(f for _, f in source.note_calls.values()):
        repairs, step = _split_steps(book, geometry, repairs, facts, file_id)
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
            needs[file_id] = (split_notes(book, geometry, ids[:1], facts), page)
    for file_id, ids in moves.items():
        if file_id in needs:
            continue
        pages = [facts.call_pages.get(source.note_calls[n][0], 0) for n in ids]
        needs[file_id] = (split_notes(book, geometry, ids, facts), min(pages))
    displaced = set(repairs.displaced_moves)
    for file_id, (page, nid) in first_displaced.items():
        mark = block_to_break(facts, file_id, page)
        if mark is None or mark in fixes.breaks:
            displaced.add(nid)
            needs[file_id] = (Fixes(endnotes=frozenset({nid})), page)
        else:
            needs[file_id] = (Fixes(breaks=frozenset({mark})), page)
    order = {c.file_id: i for i, c in enumerate(book.chapters)}
    repairs = replace(repairs, displaced_moves=frozenset(displaced))
    return repairs, dict(sorted(needs.items(), key=lambda kv: order.get(kv[0], 0)))


def float_need(repairs: Repairs, pages, file_id: str) -> tuple[Repairs, Need | None]:
    """A figure that left its page short, set after the paragraph that ends the page."""
    move = pdf_floats.next_move(pages, file_id, dict(repairs.fixes.floats),
                                dict(repairs.float_moves))
    if move is None:
        return repairs, None
    moves = {**repairs.float_moves, move.mark: repairs.float_moves.get(move.mark, 0) + 1}
    return (replace(repairs, float_moves=moves),
            (Fixes(floats=((move.mark, move.after),)), move.page))


def cut_head(repairs: Repairs, chapter: Chapter, pages) -> Repairs | None:
    """The repairs with the chapter's running head cut to fit, when it ran over a line
    (then the chapter is laid out again); at most :data:`running_heads.MAX_CUTS` times."""
    head = running_heads.recto_head(pages)
    cuts = repairs.head_cuts.get(chapter.file_id, 0)
    if head is None or cuts >= running_heads.MAX_CUTS:
        return None
    short = running_heads.shortened(head.lines[0])
    if short is None:
        return None
    return replace(repairs, heads={**repairs.heads, chapter.file_id: short},
                   head_cuts={**repairs.head_cuts, chapter.file_id: cuts + 1})


def next_repair(book: Book, geometry: Geometry, repairs: Repairs, chapter: Chapter,
                pages, facts: PageFacts, source: pdf_html.PrintDocument, *,
                round_: int, budget: int) -> tuple[Repairs, Need | None]:
    """One step of a chapter's repair loop: the chapter's next fix (its notes first, then
    its figures), or None when it is settled or out of rounds (what is left, the checks
    report: P004, P009)."""
    if round_ > budget:
        return repairs, None
    if round_ == budget:
        return unfinished_splits(book, repairs, chapter)
    repairs, needs = note_needs(book, geometry, repairs, facts, source)
    need = needs.get(chapter.file_id)
    if need is None:  # notes settled: then figures that left a page short
        return float_need(repairs, pages, chapter.file_id)
    return repairs, need
