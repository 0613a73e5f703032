"""The table at the end of ``make-book build``: per artifact its book, format, pages, size,
time and warnings, then the run's total; books that were not built get a row saying so.

- pages: a PDF's page count (read back from the file with pikepdf); an EPUB has no pages,
  so its documents in the spine are counted (``12 docs``), what a reader turns through.
- time: the book's loading and checking plus the rendering and writing of that format,
  which is what building that format alone costs; the total is the run's wall time.
- warnings: those found while loading plus those of that format's rendering; the total
  counts each warning once.

On a terminal it is a rich table; elsewhere plain text in aligned columns, without
control characters, for logs and scripts.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path

from lxml import etree
from rich.cells import cell_len
from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from make_book.build import BookResult, StageMark
from make_book.terminal import on_terminal

OPF = "{http://www.idpf.org/2007/opf}"
CONTAINER = "{urn:oasis:names:tc:opendocument:xmlns:container}"
HEADERS = ("book", "format", "pages", "size", "time", "warnings")
RIGHT = {"pages", "size", "time", "warnings"}


def human_size(size: float) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{size} B"


def duration(seconds: float) -> str:
    """``0.4 s``, ``59.0 s``, ``2:05``, ``1:02:05``."""
    if seconds < 60:
        return f"{seconds:.1f} s"
    minutes, secs = divmod(round(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def pdf_pages(path: Path) -> int | None:
    import pikepdf
    try:
        with pikepdf.open(path) as pdf:
            return len(pdf.pages)
    except (OSError, pikepdf.PdfError):
        return None


def epub_spine_documents(path: Path) -> int | None:
    """The number of itemrefs in the EPUB's spine (its reading order)."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    try:
        with zipfile.ZipFile(path) as epub:
            container = etree.fromstring(epub.read("META-INF/container.xml"), parser)
            rootfile = container.find(f".//{CONTAINER}rootfile")
            if rootfile is None:
                return None
            opf = etree.fromstring(epub.read(rootfile.get("full-path", "")), parser)
    except (OSError, KeyError, zipfile.BadZipFile, etree.XMLSyntaxError):
        return None
    return len(opf.findall(f"{OPF}spine/{OPF}itemref"))


@dataclass(frozen=True)
class Row:
    book: str
    format: str  # epub, pdf; for a book not built, what was asked ("epub, pdf")
    pages: str  # "212", "14 docs", "-"
    size: int | None  # None: not built
    seconds: float
    warnings: int

    def cells(self) -> tuple[str, ...]:
        size = "not built" if self.size is None else human_size(self.size)
        return (self.book, self.format, self.pages, size, duration(self.seconds),
                str(self.warnings))


def _format_share(stages: list[StageMark], fmt: str) -> tuple[float, int] | None:
    """Seconds and warnings of loading plus of rendering ``fmt`` (see the module)."""
    names = [s.name for s in stages]
    renders = [i for i, n in enumerate(names) if n.startswith("rendering ")]
    mine = f"rendering {fmt}"
    if not renders or mine not in names or names[-1] != "done":
        return None
    start, first, own = stages[0], stages[renders[0]], names.index(mine)
    end = stages[own + 1]
    seconds = (first.at - start.at) + (end.at - stages[own].at)
    warnings = first.warnings + (end.warnings - stages[own].warnings)
    return seconds, warnings


def _total_seconds(stages: list[StageMark]) -> float:
    return stages[-1].at - stages[0].at if len(stages) > 1 else 0.0


class Summary:
    """Rows collected while the books are built, printed once at the end."""

    def __init__(self) -> None:
        self.rows: list[Row] = []
        self.books: set[str] = set()
        self.warnings = 0
        self.size = 0

    def add(self, name: str, result: BookResult, formats: list[str]) -> None:
        """A book build_book returned, built or not."""
        warnings = len(result.diagnostics.warnings)
        self.books.add(name)
        self.warnings += warnings
        if not result.ok:
            self.rows.append(Row(name, ", ".join(formats), "-", None,
                                 _total_seconds(result.stages), warnings))
            return
        for artifact in result.artifacts:
            is_pdf = artifact.format in ("pdf", "screen")
            if artifact.format == "web":  # a folder of pages
                count = len(list(artifact.path.glob("*.html")))
            else:
                count = (pdf_pages(artifact.path) if is_pdf
                         else epub_spine_documents(artifact.path))
            pages = "-" if count is None else str(count) if is_pdf \
                else f"{count} pages" if artifact.format == "web" else f"{count} docs"
            seconds, found = (_format_share(result.stages, artifact.format)
                              or (_total_seconds(result.stages), warnings))
            self.rows.append(Row(name, artifact.format, pages, artifact.size, seconds, found))
            self.size += artifact.size

    def add_not_built(self, name: str, formats: list[str], seconds: float) -> None:
        """A book refused before building (a slug clash) or stopped by an internal error."""
        self.books.add(name)
        self.rows.append(Row(name, ", ".join(formats), "-", None, seconds, 0))

    def total(self, seconds: float) -> tuple[str, ...]:
        books = len(self.books)
        return (f"total ({books} book{'s' if books != 1 else ''})", "", "",
                human_size(self.size), duration(seconds), str(self.warnings))

    def print(self, console: Console, seconds: float, rich: bool | None = None) -> None:
        """The table on ``console``: a rich table on a terminal, else plain text."""
        if not self.rows:
            return
        if on_terminal(console) if rich is None else rich:
            console.print(self.table(seconds))
        else:
            console.print()
            for line in self.plain_lines(seconds):
                console.print(line, markup=False, highlight=False)

    def table(self, seconds: float) -> Table:
        table = Table(show_footer=True, box=box.SIMPLE_HEAD, header_style="bold",
                      footer_style="bold", pad_edge=False)
        total = self.total(seconds)
        for header, foot in zip(HEADERS, total):  # Text: a book's name is never markup
            table.add_column(header, footer=Text(foot),
                             justify="right" if header in RIGHT else "left")
        for row in self.rows:
            table.add_row(*map(Text, row.cells()), style="red" if row.size is None else None)
        return table

    def plain_lines(self, seconds: float) -> list[str]:
        """Header, rows and total in columns two spaces apart (widths in terminal cells,
        so a wide script's name keeps the columns straight); numbers right-aligned."""
        lines = [HEADERS, *(row.cells() for row in self.rows), self.total(seconds)]
        widths = [max(cell_len(line[i]) for line in lines) for i in range(len(HEADERS))]

        def cell(i: int, text: str) -> str:
            pad = " " * (widths[i] - cell_len(text))
            return pad + text if HEADERS[i] in RIGHT else text + pad
        return ["  ".join(cell(i, text) for i, text in enumerate(line)).rstrip()
                for line in lines]
