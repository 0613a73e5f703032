"""The live line under a build (terminal/progress.py): its words for the renderer's events,
and that it is drawn only on a terminal."""

from __future__ import annotations

import io

from rich.console import Console

from make_book.render.print.progress import Finishing, PassStarted, PieceDone, PieceStarted
from make_book.terminal import on_terminal
from make_book.terminal.progress import BuildProgress, PrintStatus, Status, stage_status


def test_print_events_in_words():
    status = PrintStatus("the-book")
    assert status.status(PassStarted(1, 12)) == Status("the-book: print: laying out", 0, 12)
    assert status.status(PieceStarted(1, 12, "opening", "title pages", 0)) == Status(
        "the-book: print: 1/12 title pages \u00b7 0 pages so far", 0, 12)
    assert status.status(PieceStarted(5, 12, "chapter", "The Mill", 18)) == Status(
        "the-book: print: 5/12 chapter \u201cThe Mill\u201d \u00b7 18 pages so far", 4, 12)
    assert status.status(PieceStarted(5, 12, "chapter", "The Mill", 18, round=3)).text == (
        "the-book: print: 5/12 chapter \u201cThe Mill\u201d, repair 2 \u00b7 18 pages so far")
    assert status.status(PieceDone(5, 12, "chapter", "The Mill", 22)) == Status(
        "the-book: print: 5/12 laid out \u00b7 22 pages so far", 5, 12)
    assert status.status(PassStarted(2, 12)).text == (
        "the-book: print, pass 2: settling page numbers")
    assert status.status(PieceStarted(2, 12, "contents", "contents", 8)).text == (
        "the-book: print, pass 2: 2/12 contents \u00b7 8 pages so far")
    assert status.status(Finishing(43)) == Status("the-book: print: checking and writing "
                                                  "43 pages")


def test_a_long_or_hostile_title_is_cut_and_escaped():
    text = PrintStatus("b").status(PieceStarted(1, 2, "part", "A\x1b[2J very " + "long " * 20,
                                                0)).text
    assert "\x1b" not in text and "\\x1b[2J" in text
    assert "\u2026\u201d" in text and len(text) < 90


def test_stages_in_words():
    assert stage_status("b", "loading").text == "b: loading"
    assert stage_status("b", "rendering pdf").text == "b: print"
    assert stage_status("b", "rendering epub").text == "b: epub"


def test_off_a_terminal_nothing_is_drawn_and_the_renderer_tells_no_one():
    stream = io.StringIO()
    console = Console(file=stream)
    assert not on_terminal(console)
    with BuildProgress(console) as progress:
        line, done = progress.book("the-book")
        assert line.on_print is None
        line.on_stage("loading")
        done()
    assert stream.getvalue() == ""


def test_on_a_terminal_the_line_is_drawn_then_cleared():
    stream = io.StringIO()
    console = Console(file=stream, force_terminal=True, width=100)
    with BuildProgress(console, live=True) as progress:
        line, _ = progress.book("the-book")
        line.on_stage("rendering pdf")
        line.on_print(PassStarted(1, 3))
        line.on_print(PieceStarted(2, 3, "chapter", "The Mill", 4))
    drawn = stream.getvalue()
    assert "the-book: print: 2/3 chapter \u201cThe Mill\u201d \u00b7 4 pages so far" in drawn
    assert "\x1b[" in drawn  # drawn in place, and cleared (transient)


def test_tty_interactive_overrides_the_guess(monkeypatch):
    console = Console(file=io.StringIO())
    monkeypatch.setenv("TTY_INTERACTIVE", "1")
    assert on_terminal(console)
    monkeypatch.setenv("TTY_INTERACTIVE", "0")
    assert not on_terminal(Console(file=io.StringIO(), force_terminal=True))
    monkeypatch.delenv("TTY_INTERACTIVE")
    monkeypatch.setenv("FORCE_COLOR", "1")  # colours for a CI log, not a live line
    assert not on_terminal(Console(file=io.StringIO()))
