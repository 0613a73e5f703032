"""A long note's probe and measure layouts stop a few pages after it (short_layouts): the
chapter comes out the same pages, with fewer laid out, and a step that cannot be read
off the short layout is read off the whole one."""

from __future__ import annotations

import pytest

from make_book.render.print import short_layouts
from make_book.render.print.note_splits import NoteSplit
from make_book.render.print.pages import BlockSpan, NoteBox, PageFacts
from make_book.render.print.results import Fixes
from make_book.render.weasy.converge import PageEnd
from tests.unit.render.test_pdf_fixtures import (
    LONG_NOTE,
    call,
    default_layout,
    lay_out_one_chapter,
    one_chapter_book,
    sentences,
)

PROBE = NoteSplit("n1", (70,), (None,), measured=False)
MEASURED = NoteSplit("n1", (140,), (None,))
HUNG = NoteSplit("n1", (140,), (("c:7", "the line", 0),))


def test_only_a_step_that_holds_part_of_a_split_note_back_is_short():
    assert short_layouts.short_after((Fixes(splits=(PROBE,)), 4)) == (
        short_layouts.Short(PROBE, 4 + short_layouts.MARGIN))
    assert short_layouts.short_after((Fixes(splits=(MEASURED,)), 4))
    # hung: the layout is the chapter's as it will be printed
    assert short_layouts.short_after((Fixes(splits=(HUNG,)), 5)) is None
    # the note fits under its call after all: nothing held back
    fits = NoteSplit("n1", (), (), measured=True)
    assert short_layouts.short_after((Fixes(splits=(fits,)), 4)) is None
    # other fixes with it
    assert short_layouts.short_after(
        (Fixes(splits=(PROBE,), endnotes=frozenset({"n3"})), 4)) is None


def _facts(count):
    return PageFacts(call_pages={"r1": 2}, note_pages={"n1": 2},
                     blocks=[BlockSpan("c:1", "p", 0, count - 1)])


def test_a_step_holds_when_it_reads_only_pages_laid_out_before_the_last():
    short = short_layouts.Short(PROBE, 5)
    calls = {"n1": ("r1", "c")}
    need = (Fixes(splits=(MEASURED,)), 2)
    assert short_layouts.step_holds(short, need, _facts(6), calls, "c", 6)
    # the page it changes is the last laid out, which may carry a note over
    assert not short_layouts.step_holds(short, (need[0], 5), _facts(6), calls, "c", 6)
    # the note's call on no page laid out
    assert not short_layouts.step_holds(short, need, PageFacts(blocks=_facts(6).blocks),
                                        calls, "c", 6)
    # no chapter text on the last page: the chapter may end before it
    assert not short_layouts.step_holds(
        short, need, PageFacts(call_pages={"r1": 2}, note_pages={"n1": 2},
                               blocks=[BlockSpan("c:1", "p", 0, 4)]), calls, "c", 6)
    # not a step of that note (given up on, or done)
    assert not short_layouts.step_holds(short, (Fixes(endnotes=frozenset({"n1"})), 2),
                                        _facts(6), calls, "c", 6)
    assert not short_layouts.step_holds(short, None, _facts(6), calls, "c", 6)


def test_notes_not_laid_out_keep_the_boxes_measured_before():
    facts = PageFacts(note_boxes={"n1": NoteBox(30.0, 2, 90, 14.0)})
    known = {"n1": NoteBox(300.0, 20, 900, 14.0), "n2": NoteBox(60.0, 4, 200, 14.0),
             "gone": NoteBox(1.0, 1, 1, 1.0)}
    short_layouts.with_known_notes(facts, known, {"n1": ("r1", "c"), "n2": ("r2", "c")})
    assert facts.note_boxes == {"n1": NoteBox(30.0, 2, 90, 14.0),
                                "n2": NoteBox(60.0, 4, 200, 14.0)}


def test_the_stop_cuts_a_short_layout_at_its_last_page_and_lets_a_rejoin_go_first():
    end = PageEnd("c:3", None, True, (), (), (), ())
    stop = short_layouts.Stop(None, short_layouts.Short(PROBE, 6), first=3, skip=1)
    assert stop.active and not stop(3, end) and stop.whole
    assert stop(4, None) and not stop.whole  # chapter page 3 + 4 - 1 = 6

    class Rejoined:
        hit = (2, 5)

        def stop(self, index, end):
            return True

    rejoined = short_layouts.Stop(Rejoined(), short_layouts.Short(PROBE, 6), 3, 1,
                                  old_whole=True)
    assert rejoined(2, end) and rejoined.whole  # the old pages after it run to the end
    assert not short_layouts.Stop(Rejoined(), None, 3, 1, old_whole=False)(2, None)
    assert not short_layouts.Stop(None, None, 0, 0).active


def _early_note_book(root):
    """A chapter whose long note is called on its first pages, with many pages after."""
    body = (f"<p>{sentences(600, 14)}</p><p>{sentences(601, 6)}{call(1)} "
            f"{sentences(602, 10)}</p>"
            + "".join(f"<p>{sentences(610 + i, 18)}</p>" for i in range(14)))
    return one_chapter_book(root, "early", "An Early Note", body)


def _lay_out(book, layout, shorten: bool):
    """The chapter laid out as a worker lays it out (heads not cut)."""
    return lay_out_one_chapter(book, layout, cut_heads=False, shorten=shorten)


@pytest.fixture(scope="module")
def early_book(tmp_path_factory):
    root = tmp_path_factory.mktemp("short") / "b"
    book, layout = _early_note_book(root), default_layout(root)
    return book, layout, [_lay_out(book, layout, shorten) for shorten in (True, False)]


def test_short_layouts_give_the_same_pages_with_fewer_laid_out(early_book):
    (short, a, laid_short), (whole, b, laid_whole) = early_book[2]
    assert any(s.cuts and s.anchors and None not in s.anchors
               for s in short.repairs.fixes.splits), short.repairs  # the note was hung
    assert short.repairs == whole.repairs
    assert len(short.pages) == len(whole.pages) >= 8
    assert a == b  # the same PDF bytes
    assert laid_short < laid_whole, (laid_short, laid_whole)


def test_a_step_not_read_off_the_short_layout_is_read_off_the_whole_one(
        monkeypatch, early_book):
    monkeypatch.setattr(short_layouts, "step_holds", lambda *a: False)
    book, layout, (_, (whole, expected, laid_whole)) = early_book
    laid, pdf, count = _lay_out(book, layout, shorten=True)
    assert laid.repairs == whole.repairs and pdf == expected
    assert laid.layouts == whole.layouts  # the short layouts are not counted
    assert count > laid_whole  # but were laid out


def test_a_chapter_with_two_long_notes_comes_out_the_same(tmp_path):
    """The second note's steps are taken off short layouts too, the first note's split
    read off them as off the whole layout."""
    root = tmp_path / "b"
    body = (f"<p>{sentences(600, 14)}</p><p>{sentences(601, 6)}{call(1)} "
            f"{sentences(602, 10)}</p>"
            + "".join(f"<p>{sentences(610 + i, 18)}</p>" for i in range(5))
            + f"<p>{sentences(630, 6)}{call(2)} {sentences(631, 10)}</p>"
            + "".join(f"<p>{sentences(640 + i, 18)}</p>" for i in range(10)))
    book = one_chapter_book(root, "two", "Two Long Notes", body,
                            notes=(LONG_NOTE, LONG_NOTE))
    layout = default_layout(root)
    (short, a, laid_short), (whole, b, laid_whole) = [
        _lay_out(book, layout, shorten) for shorten in (True, False)]
    assert len(short.repairs.fixes.splits) == 2
    assert short.repairs == whole.repairs and a == b
    assert laid_short < laid_whole, (laid_short, laid_whole)
