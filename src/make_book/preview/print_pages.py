"""A chapter's print pages as PNG images, laid out in a background thread.

The print renderer lays a book out in pieces, one per chapter (render/print/renderer.py); the preview
lays out only the piece of the chapter being edited (:func:`render.print.renderer.chapter_alone`),
which takes seconds where the whole book takes minutes. Its folios start at 1 and the page
numbers it prints for other places are placeholders: the page says so. WeasyPrint and
PDFium are used from this one thread only.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Callable
from dataclasses import dataclass

from make_book.errors import Diagnostic, Diagnostics, MakeBookError
from make_book.layouts import Layout
from make_book.model import Book

PNG_DPI = 96  # a page as wide on screen as in print at 100 % zoom


@dataclass(frozen=True)
class Job:
    """A chapter as it is in one build: ``key`` names that version of it."""

    book: Book
    layout: Layout
    file_id: str
    key: str


@dataclass(frozen=True)
class Outcome:
    job: Job
    images: tuple[bytes, ...] = ()
    problem: str | None = None  # V003: why there are no images
    findings: tuple[Diagnostic, ...] = ()  # what the layout found (moved notes, ...)


def chapter_images(book: Book, layout: Layout, file_id: str,
                   diagnostics: Diagnostics) -> tuple[bytes, ...]:
    """The chapter laid out alone, each page a PNG."""
    import pypdfium2
    from PIL import Image

    from make_book.render.print.renderer import chapter_alone

    chapter = next(c for c in book.chapters if c.file_id == file_id)
    data = chapter_alone(book, layout, chapter, diagnostics=diagnostics)
    pdf = pypdfium2.PdfDocument(data)
    images = []
    try:
        for page in pdf:
            bitmap = page.render(scale=PNG_DPI / 72)
            image: Image.Image = bitmap.to_pil()
            out = io.BytesIO()
            image.save(out, "PNG", optimize=False)
            images.append(out.getvalue())
            page.close()
    finally:
        pdf.close()
    return tuple(images)


def lay_out(job: Job) -> Outcome:
    """A job's images, or why there are none: a problem of the book (its diagnostics) or
    of make-book (the exception), never an end of the preview."""
    diagnostics = Diagnostics()
    try:
        images = chapter_images(job.book, job.layout, job.file_id, diagnostics)
    except MakeBookError as exc:
        first = exc.diagnostics[0].format() if exc.diagnostics else str(exc)
        return Outcome(job, problem=f"V003 the print pages cannot be laid out: {first}")
    except Exception as exc:  # a bug in make-book: said in the page, the preview goes on
        return Outcome(job, problem=f"V003 the print pages cannot be laid out: internal "
                       f"error {type(exc).__name__}: {exc}")
    return Outcome(job, images, findings=tuple(diagnostics))


class PrintWorker:
    """One thread laying out the chapters asked for, the latest request first; a request
    for a version already done or under way is dropped."""

    def __init__(self, done: Callable[[Outcome], None],
                 work: Callable[[Job], Outcome] = lay_out):
        self.done = done
        self.work = work
        self.wanted: list[Job] = []
        self.running: Job | None = None
        self.cond = threading.Condition()
        self.stopping = False
        self.thread = threading.Thread(target=self._run, name="make-book-print", daemon=True)

    def start(self) -> None:
        self.thread.start()

    def request(self, job: Job) -> None:
        with self.cond:
            if self.running is not None and self.running.key == job.key:
                return
            self.wanted = [j for j in self.wanted if j.file_id != job.file_id] + [job]
            self.cond.notify()

    def pending(self, key: str) -> bool:
        with self.cond:
            return (self.running is not None and self.running.key == key) or any(
                j.key == key for j in self.wanted)

    def stop(self) -> None:
        with self.cond:
            self.stopping = True
            self.cond.notify()

    def _run(self) -> None:
        while True:
            with self.cond:
                while not self.wanted and not self.stopping:
                    self.cond.wait()
                if self.stopping:
                    return
                job = self.running = self.wanted.pop()
            outcome = self.work(job)
            self.done(outcome)  # before it stops being pending: never asked for twice
            with self.cond:
                self.running = None
