"""Orchestration: load -> transforms -> render per target -> publish (DESIGN.md section 3).

Everything a book needs is loaded and checked before any renderer runs, and nothing is
published unless its render succeeded (and, with ``--strict``, raised no warning).

Codes: B041 an artifact cannot be written (a full disk, a file where its folder goes).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from make_book.cache import Cache
from make_book.gate import check_manuscript
from make_book.errors import Diagnostics, MakeBookError
from make_book.layouts import Layout, load_layout
from make_book.machine import Need, default_jobs, machine_problems
from make_book.model import Book
from make_book.output import write_atomic, write_tree_atomic

if TYPE_CHECKING:  # the print renderer (and WeasyPrint) load only when print is built
    from make_book.render.print.progress import PrintProgress
    from make_book.render.print.qa_model import Report
    from make_book.render.web import Site

Format = Literal["epub", "pdf", "screen", "web", "kepub", "kindle"]
# laid out by the print renderer: the print interior and the screen PDF share one layout
PRINT_FORMATS: tuple[Format, ...] = ("pdf", "screen")
RETAIL: tuple[Format, ...] = ("kepub", "kindle")  # derived from the EPUB (render/retail)
FALLBACK_DATE = datetime(1980, 1, 1, tzinfo=UTC)  # the zip epoch: deterministic, visibly unset


@dataclass
class Artifact:
    format: Format
    path: Path
    size: int


@dataclass(frozen=True)
class StageMark:
    """A stage began (``loading``, ``rendering pdf``, ``rendering epub``; ``done`` ends the
    build) at ``at`` (time.monotonic) with ``warnings`` warnings found before it: what the
    summary table times and counts per format."""
    name: str
    at: float
    warnings: int


@dataclass
class BookResult:
    root: Path
    slug: str
    title: str = ""
    artifacts: list[Artifact] = field(default_factory=list)
    diagnostics: Diagnostics = field(default_factory=Diagnostics)
    ok: bool = False
    qa: Report | None = None  # the print QA report, when print was built
    qa_path: Path | None = None  # where it was written
    stages: list[StageMark] = field(default_factory=list)
    book: Book | None = None  # as rendered (transformed): what `check --full` maps back to


def env_epoch() -> int | None:
    """SOURCE_DATE_EPOCH (reproducible-builds.org) as the user's environment gives it."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    return int(epoch) if epoch.isdigit() else None


def source_date(book: Book, epoch: int | None = None) -> datetime:
    """The date every artifact carries: ``epoch`` when the caller has one (``release``
    takes the last commit's), else SOURCE_DATE_EPOCH, else the book's date, else 1980."""
    if epoch is None:
        epoch = env_epoch()
    if epoch is not None:
        return datetime.fromtimestamp(epoch, tz=UTC)
    value = book.meta.date_value
    if value is not None:
        return datetime(value.year, value.month, value.day, tzinfo=UTC)
    return FALLBACK_DATE


def artifact_path(out: Path, slug: str, fmt: Format) -> Path:
    if fmt == "web":  # a folder: render/web
        return out / slug / "web"
    names = {"epub": f"{slug}.epub", "pdf": f"{slug}-print.pdf", "screen": f"{slug}.pdf",
             "kepub": f"{slug}.kepub.epub", "kindle": f"{slug}-kindle.epub"}
    return out / slug / names[fmt]


def needs_print(formats: list[Format]) -> bool:
    """Whether WeasyPrint lays the book out (the print interior or the screen PDF)."""
    return any(f in PRINT_FORMATS for f in formats)


def qa_path(out: Path, slug: str) -> Path:
    return out / slug / f"{slug}-print-qa.json"


def render(book: Book, formats: list[Format], diagnostics: Diagnostics,
           stage: Callable[[str], None], layout: Layout | None = None,
           qa: list[Report] | None = None, on_print: PrintProgress | None = None,
           epoch: int | None = None, cache: Cache | None = None,
           jobs: int | None = None) -> dict[Format, bytes | Site]:
    """Print first when both are wanted: its page map gives the EPUB its page-list; the
    retailer EPUBs (``kepub``, ``kindle``) are the EPUB with their changes. The
    print QA report goes to ``qa`` when given; ``on_print`` hears the print layout's
    progress; ``epoch`` dates the artifacts (:func:`source_date`); ``cache`` keeps the
    generated cover; ``jobs``: print pieces laid out in that many processes
    (:mod:`render.print.parallel`; 1: one after another in this one; None or 0: as many as
    the cores available). The PDF is the same bytes whatever it is."""
    layout = layout or load_layout(book.root, book.meta.layout)
    when = source_date(book, epoch)
    rendered: dict[Format, bytes | Site] = {}
    page_breaks, print_pages = (), None
    if needs_print(formats):
        # one layout, written as each PDF edition asked for (render/print/edition.py)
        from make_book.render.weasy import check_workarounds
        check_workarounds(diagnostics)  # said before a layout they would change
        from make_book.render.print.renderer import render_print
        from make_book.render.print.edition import EDITIONS
        jobs = jobs or default_jobs()
        stage("rendering pdf" if "pdf" in formats else "rendering screen")
        printed = render_print(book, layout, source_date=when, diagnostics=diagnostics,
                               progress=on_print,
                               editions=tuple(EDITIONS[f] for f in PRINT_FORMATS
                                              if f in formats), jobs=jobs, cache=cache)
        rendered.update(printed.editions)
        page_breaks, print_pages = printed.page_breaks, printed.page_map
        if qa is not None and "pdf" in formats:
            from make_book.render.print.qa_model import Report
            qa.append(Report(book.slug, artifact_path(Path(), book.slug, "pdf").name,
                             len(printed.document.pages), printed.qa))
    ebooks = sorted((f for f in formats if f == "epub" or f in RETAIL), key=lambda f: f != "epub")
    if ebooks:  # the EPUB is rendered once; the retailer editions are derived from it
        from make_book.render.epub.renderer import render_epub
        stage(f"rendering {ebooks[0]}")
        epub = render_epub(book, layout, source_date=when, diagnostics=diagnostics,
                           page_breaks=page_breaks, print_pages=print_pages, cache=cache)
        rendered["epub"] = epub
        for fmt in ebooks:
            if fmt in RETAIL:  # imported only then: an EPUB alone loads no retail code
                from make_book.render.retail.editions import render_retail
                if fmt != ebooks[0]:
                    stage(f"rendering {fmt}")
                rendered[fmt] = render_retail(fmt, epub, diagnostics,
                                              artifact_path(Path(), book.slug, fmt).name)
    if "web" in formats:
        from make_book.render.web import render_web
        stage("rendering web")
        rendered["web"] = render_web(book, layout, source_date=when, diagnostics=diagnostics,
                                     page_breaks=page_breaks, print_pages=print_pages,
                                     cache=cache)
    return {fmt: rendered[fmt] for fmt in formats}


def build_book(root: Path, formats: list[Format], out: Path, strict: bool = False,
               on_stage: Callable[[str], None] | None = None,
               on_print: PrintProgress | None = None,
               epoch: int | None = None, cache: Path | None = None,
               jobs: int | None = None) -> BookResult:
    """``cache``: the build cache's folder (parsed chapters, the generated cover; see
    :mod:`make_book.cache`), or None to build everything afresh; ``jobs``: chapters
    converted (:mod:`make_book.manuscript.convert_pool`) and print pieces laid out
    (:func:`render`) in that many processes, None or 0: one per core available."""
    from make_book.catalogue import root_slug
    result = BookResult(root=root, slug=root_slug(root))
    diagnostics = result.diagnostics

    def stage(name: str) -> None:
        result.stages.append(StageMark(name, time.monotonic(), len(diagnostics.warnings)))
        if on_stage is not None and name != "done":
            on_stage(name)
    try:
        # Print needs WeasyPrint, both targets ICU; an EPUB needs WeasyPrint only to draw a
        # cover the cache does not have (checked there). The CLI checks the machine once
        # per run; a caller of build_book gets E02x, not an OSError.
        needs: list[Need] = ["print", "collation"] if needs_print(formats) else ["collation"]
        if missing := [d for d in machine_problems(needs) if d.is_error]:
            raise MakeBookError(missing)
        store = Cache(cache, diagnostics) if cache is not None else None
        stage("loading")
        # the same gate as `make-book check`; the renderers check the glyphs themselves
        # a retailer EPUB is checked as the EPUB it is derived from
        checked = check_manuscript(root, list(dict.fromkeys(
            "epub" if f in RETAIL else f for f in formats)), diagnostics, glyphs=False,
            cache=store, jobs=jobs or default_jobs())
        book, layout = checked.book, checked.layout
        result.title = book.meta.title
        if layout is None or diagnostics.failed(strict):
            return result
        result.book = book
        reports: list[Report] = []
        rendered = render(book, formats, diagnostics, stage, layout, reports, on_print, epoch,
                          store, jobs)
        if reports:
            result.qa = reports[0]
        if diagnostics.failed(strict):
            return result
        for fmt, data in rendered.items():
            target = artifact_path(out, book.slug, fmt)
            try:
                if isinstance(data, bytes):
                    path = write_atomic(target, data, out)
                else:  # the web edition: a folder swapped in whole
                    path = write_tree_atomic(target, data.files, out)
            except OSError as exc:  # a full disk, a read-only or occupied --out
                written = ", ".join(a.path.name for a in result.artifacts)
                before = f"{written} written before it is new; " if written else ""
                diagnostics.error("B041", f"the artifact cannot be written: "
                                  f"{exc.strerror or exc}", target,
                                  hint=before + "nothing else was replaced")
                return result
            result.artifacts.append(Artifact(fmt, path, len(data) if isinstance(data, bytes)
                                             else data.size))
            if fmt == "pdf" and result.qa is not None:  # beside the PDF it is about
                result.qa_path = write_atomic(qa_path(out, book.slug), result.qa.to_json(),
                                              out)
        result.ok = True
    except MakeBookError as exc:
        diagnostics.extend(exc.diagnostics)
    finally:
        stage("done")
    return result
