"""The live line under a build: which book, which stage, and during the long print stage
which piece of the book is laid out and how many pages it has so far.

Shown only on a terminal (:func:`make_book.terminal.on_terminal`); in a pipe or a CI log
nothing of it is written, so the output is the plain lines and verbatim diagnostics it
always was. The print renderer reports plain events (:mod:`make_book.render.print.progress`);
:class:`PrintStatus` turns them into words, :class:`BuildProgress` draws them with rich.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rich.console import Console
from rich.table import Column
from rich.progress import (BarColumn, Progress, SpinnerColumn, TaskID, TextColumn,
                           TimeElapsedColumn)

from make_book.errors import printable
from make_book.render.print.progress import (Finishing, PassStarted, PieceDone, PieceStarted,
                                             PrintEvent)
from make_book.terminal import on_terminal

TITLE_WIDTH = 40  # characters of a chapter's title in the line (a terminal is ~80 wide)


@dataclass(frozen=True)
class Status:
    """What the line says, and how far the bar is (``total`` None: no bar)."""
    text: str
    completed: int = 0
    total: int | None = None


def short_title(title: str) -> str:
    text = printable(" ".join(title.split()))
    return text if len(text) <= TITLE_WIDTH else text[:TITLE_WIDTH - 1].rstrip() + "\u2026"


class PrintStatus:
    """The print stage of one book in words: ``flatland: print: 5/23 chapter “Of the
    Nature of Our Priests” · 87 pages so far``; a later pass and a repair round say so."""

    def __init__(self, name: str):
        self.name = name
        self.passes = 1

    def _where(self) -> str:
        return f"{self.name}: print" + (f", pass {self.passes}" if self.passes > 1 else "")

    def status(self, event: PrintEvent) -> Status:
        if isinstance(event, PassStarted):
            self.passes = event.number
            what = "laying out" if event.number == 1 else "settling page numbers"
            return Status(f"{self._where()}: {what}", 0, event.pieces)
        if isinstance(event, PieceStarted):
            what = (f"{event.kind} \u201c{short_title(event.title)}\u201d"
                    if event.kind in ("chapter", "part") else short_title(event.title))
            repair = f", repair {event.round - 1}" if event.round > 1 else ""
            return Status(f"{self._where()}: {event.index}/{event.pieces} {what}{repair} "
                          f"\u00b7 {event.pages_before} pages so far",
                          event.index - 1, event.pieces)
        if isinstance(event, PieceDone):
            return Status(f"{self._where()}: {event.index}/{event.pieces} laid out \u00b7 "
                          f"{event.pages} pages so far", event.index, event.pieces)
        assert isinstance(event, Finishing)
        return Status(f"{self.name}: print: checking and writing {event.pages} pages")


def stage_status(name: str, stage: str) -> Status:
    """A stage of build_book (``loading``, ``rendering pdf``, ``rendering epub``)."""
    words = {"rendering pdf": "print", "rendering epub": "epub"}.get(stage, stage)
    return Status(f"{name}: {words}")


class BookProgress:
    """One book's line: ``on_stage`` and ``on_print`` go to build_book; ``on_print`` is
    None when nothing is shown (the renderer then reports to no one)."""

    def __init__(self, show: Callable[[Status], None] | None, name: str):
        self._show = show
        self._print = PrintStatus(name)
        self.name = name

    def on_stage(self, stage: str) -> None:
        if self._show is not None:
            self._show(stage_status(self.name, stage))

    @property
    def on_print(self) -> Callable[[PrintEvent], None] | None:
        if self._show is None:
            return None
        return lambda event: self._show(self._print.status(event))


class BuildProgress:
    """The progress of a whole ``make-book build`` run: a line per book being built,
    drawn on ``console`` when it is a terminal (or when ``live`` says so)."""

    def __init__(self, console: Console, live: bool | None = None):
        self.live = on_terminal(console) if live is None else live
        # the words give way (cut with an ellipsis) before the bar and the clock do
        words = Column(ratio=1, no_wrap=True, overflow="ellipsis")
        self._progress = Progress(
            SpinnerColumn(), TextColumn("{task.description}", markup=False,
                                        table_column=words),
            BarColumn(bar_width=12), TimeElapsedColumn(), console=console, transient=True,
            expand=True) if self.live else None

    def __enter__(self) -> BuildProgress:
        if self._progress is not None:
            self._progress.start()
        return self

    def __exit__(self, *exc) -> None:
        if self._progress is not None:
            self._progress.stop()

    def book(self, name: str) -> tuple[BookProgress, Callable[[], None]]:
        """A line for book ``name`` and the function that removes it when it is done."""
        progress = self._progress
        if progress is None:
            return BookProgress(None, name), lambda: None
        task: TaskID = progress.add_task(f"{name}: starting", total=None)

        def show(status: Status) -> None:
            progress.update(task, description=status.text, completed=status.completed,
                            total=status.total)
        return BookProgress(show, name), lambda: progress.remove_task(task)
