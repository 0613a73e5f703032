"""A long footnote's probe and measure layouts stopped a few pages after the note (issue 15).

A note too tall for the foot of its page is settled in steps (:mod:`.note_plan`): a probe,
a measure, then its rest hung on the next page. The probe's and the measure's layouts
hold the note's rest back, so the text after the note never falls on the pages as it will
in the end: laid out to the chapter's end, those pages were thrown away by the next step.
Such a layout (:func:`short_after`) now stops :data:`MARGIN` pages after the page its
step changes (:class:`Stop`).

The next step is read off the short layout as off the whole one:

- the pages laid out are the whole layout's first pages: WeasyPrint lays a page out from
  the pages before it alone;
- a note's box (its lines, characters and height, which ``note_plan`` averages over the
  chapter's notes) is the same on whatever page the note is set, so the notes on the
  pages not laid out keep the boxes an earlier layout measured (:func:`with_known_notes`);
- the step is taken only when it is again a step of the same note that reads no page
  past the last but one laid out, with text on the last (:func:`step_holds`); otherwise
  the chapter is laid out to its end from the same place, as it was before.

So the pages come out the same bytes either way (a test lays chapters out both ways).
Only where running heads are not cut during the layout (``cut_heads`` False: the pieces
laid out with provisional folios, the default): a head cut during the layout is checked
on every page, and a short layout would not show the pages it left out.
"""

from __future__ import annotations

from dataclasses import dataclass

from make_book.render.print.note_splits import NoteSplit
from make_book.render.print.pages import NoteBox, PageFacts
from make_book.render.print.rejoin import Rejoin
from make_book.render.print.repairs import Need
from make_book.render.print.results import Fixes

MARGIN = 3  # pages laid out past the page a step changes: the call may move on by one


@dataclass(frozen=True)
class Short:
    """The layout to come lays out ``split`` (its rest held back) and may stop after
    chapter page ``last``."""

    split: NoteSplit
    last: int


def _one_split(fixes: Fixes) -> NoteSplit | None:
    """The split note ``fixes`` are a step of, when they are that and nothing else."""
    if fixes.endnotes or fixes.breaks or fixes.floats or len(fixes.splits) != 1:
        return None
    return fixes.splits[0]


def short_after(need: Need) -> Short | None:
    """Whether the layout that applies ``need`` may stop early: ``need`` is a step of a
    split note that still holds part of the note back, so the next step is that note's
    again. (Another split note of the chapter is read off the short layout as off the
    whole one, or it asks for a step of its own, which :func:`step_holds` refuses.)"""
    split = _one_split(need[0])
    if split is None or not split.cuts or None not in split.anchors:
        return None
    return Short(split, need[1] + MARGIN)


class Stop:
    """What ends a repair's layout early (``weasy_converge.stopping``): the page where it
    rejoins the layout before it (:class:`.rejoin.Rejoin`), else, for a short layout,
    the page ``short.last``. ``whole`` after the layout: whether its pages run to the
    chapter's end (``old_whole``: whether the old pages a rejoin takes did)."""

    def __init__(self, rejoin: Rejoin | None, short: Short | None, first: int, skip: int,
                 old_whole: bool = True):
        self.rejoin, self.short, self.first, self.skip = rejoin, short, first, skip
        self.old_whole = old_whole
        self.cut = False

    @property
    def active(self) -> bool:
        return self.rejoin is not None or self.short is not None

    def __call__(self, index: int, end) -> bool:
        # a page that carried something over is no place to rejoin (end None)
        if self.rejoin is not None and end is not None and self.rejoin.stop(index, end):
            return True
        if self.short is not None and self.first + index - self.skip >= self.short.last:
            self.cut = True
            return True
        return False

    @property
    def whole(self) -> bool:
        if self.cut:
            return False
        return self.old_whole if self.rejoin is not None and self.rejoin.hit else True


def with_known_notes(facts: PageFacts, known: dict[str, NoteBox],
                     footnotes) -> None:
    """``facts`` of a short layout given the boxes of the ``footnotes`` (the document's)
    set on pages not laid out, as an earlier layout measured them."""
    for nid in footnotes:
        if nid not in facts.note_boxes and nid in known:
            facts.note_boxes[nid] = known[nid]


def step_holds(short: Short, need: Need | None, facts: PageFacts, note_calls: dict,
               file_id: str, count: int) -> bool:
    """Whether ``need``, read off a short layout of ``count`` pages, is what the whole
    layout gives: a step of the same note, read from pages before the last laid out
    (which may carry a footnote over to a page not laid out), with chapter text on the
    last (so a page read is never taken for the chapter's end)."""
    stepped = None if need is None else _one_split(need[0])
    if stepped is None or stepped.note_id != short.split.note_id:
        return False
    page, split = need[1], short.split
    call = note_calls.get(split.note_id)
    if call is None:
        return False
    read = [page, facts.call_pages.get(call[0]), facts.note_pages.get(split.part_id(0))]
    for k in split.hung():
        read += [facts.call_pages.get(split.anchor_id(k)),
                 facts.note_pages.get(split.part_id(k))]
    if any(p is None or p > count - 2 for p in read):
        return False
    return any(b.file_id == file_id and b.last >= count - 1 for b in facts.blocks)


__all__ = ["MARGIN", "Short", "Stop", "short_after", "step_holds", "with_known_notes"]
