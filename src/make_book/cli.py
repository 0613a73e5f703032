"""Command line: `make-book build`, `make-book list`, `make-book preview`.

Exit status: 0 success, 1 a book has errors (or warnings under --strict), 2 usage errors.
Diagnostics print as `path:line: CODE message`, relative to the current folder, never as a
traceback, and verbatim: no console markup, emoji codes or highlighting is applied to them,
and control characters from the manuscript are shown as escapes (errors.printable).
"""

from __future__ import annotations

import time
import traceback
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from make_book import __version__
from make_book.build import RETAIL, BookResult, Format, build_book, needs_print
from make_book.cache import DEFAULT_FOLDER as DEFAULT_CACHE_FOLDER
from make_book.catalogue import root_slug, slug_clashes
from make_book.entry import INTERRUPTED
from make_book.errors import (
    Diagnostic,
    log_printably,
    printable,
    printable_json,
    shortened,
)
from make_book.machine import Need, machine_problems
from make_book.manuscript.book import discover_books
from make_book.release.command import release_command
from make_book.terminal.completion import (
    InstallCompletion,
    ShowCompletion,
    complete_books,
)
from make_book.terminal.progress import BuildProgress
from make_book.terminal.summary import Summary
from make_book.terminal.summary import human_size as _human

app = typer.Typer(
    help="Build EPUB 3 e-books and print-ready PDFs from Markdown manuscripts.",
    no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)
# soft_wrap: a diagnostic stays on one line whatever the terminal's width, so editors and CI
# log viewers can jump to `path:line`. markup, emoji and highlight off: a message quoting the
# manuscript (`[bold]`, `:100:`, a number) prints as written, never restyled or replaced.
err = Console(stderr=True, highlight=False, soft_wrap=True, markup=False, emoji=False)
out = Console(highlight=False, soft_wrap=True, markup=False, emoji=False)


class FormatChoice(str, Enum):
    epub = "epub"
    pdf = "pdf"
    screen = "screen"
    web = "web"
    kepub = "kepub"  # the Kobo edition, <slug>.kepub.epub (docs/retail.md)
    kindle = "kindle"  # the Kindle edition, <slug>-kindle.epub
    all = "all"


def chosen_formats(choices: list[FormatChoice] | None) -> list[Format]:
    """``--format`` may be repeated (``-f web -f pdf``: the web pages get the print
    edition's page anchors); ``all`` (the default) is epub and pdf."""
    formats: list[Format] = []
    for choice in choices or [FormatChoice.all]:
        for fmt in (["epub", "pdf"] if choice is FormatChoice.all else [choice.value]):
            if fmt not in formats:
                formats.append(fmt)
    return formats


def _version(value: bool) -> None:
    if value:
        out.print(f"make-book {__version__}")
        raise typer.Exit(0)


@app.callback()
def main(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Show the version and exit.")] = False,
    show_completion: ShowCompletion = None,
    install_completion: InstallCompletion = None,
) -> None:
    """make-book turns manuscript/<slug>/ folders into EPUB and print PDF files."""


def _books(paths: list[Path]) -> list[Path]:
    targets = paths or [Path.cwd()]
    books: list[Path] = []
    for path in targets:
        if not path.exists():
            err.print(f"make-book: error: {printable(str(path))}: no such folder")
            raise typer.Exit(2)
        found = discover_books(path)
        if not found:
            err.print(f"make-book: error: {printable(str(path))}: no book.yaml here or in "
                      "its manuscript/ folder")
            raise typer.Exit(2)
        books.extend(found)
    return books


def machine_ready(needs: list[Need], strict: bool) -> bool:
    """Report once what the machine lacks (no book is to blame); False when no book can be
    built on it (an error, or a warning under --strict)."""
    problems = machine_problems(needs)
    for d in problems:
        err.print(d.format(), style="red" if d.is_error or strict else "yellow", markup=False)
    if any(d.is_error or strict for d in problems):
        err.print("make-book: nothing built: this machine lacks what the build needs",
                  style="red", markup=False)
        return False
    return True


def _report(result: BookResult, strict: bool, said: set[Diagnostic] | None = None) -> None:
    """A book's diagnostics; one about the machine (E02x, found when an EPUB's cover must
    be drawn) only the first time: it is no book's fault."""
    cwd = Path.cwd()
    for d in result.diagnostics:
        if said is not None and d.path is None and d.code.startswith("E02"):
            if d in said:
                continue
            said.add(d)
        style = "red" if d.is_error or strict else "yellow"
        err.print(d.format(relative_to=cwd), style=style, markup=False)


@app.command()
def build(
    paths: Annotated[list[Path] | None, typer.Argument(
        help="Book folders (with book.yaml), or a folder holding manuscript/. "
             "Default: every book under ./manuscript/.", autocompletion=complete_books)] = None,
    format: Annotated[list[FormatChoice] | None, typer.Option(
        "--format", "-f", help="What to build: epub, pdf (print), screen (the screen PDF), "
                               "web, kepub (Kobo), kindle, or all (epub and pdf); repeat it "
                               "for several. Default: the book's formats: in book.yaml.",
        metavar="<epub|pdf|screen|web|kepub|kindle|all>")] = None,
    out_dir: Annotated[Path, typer.Option("--out", "-o", help="Output folder.")] = Path("build"),
    strict: Annotated[bool, typer.Option(
        "--strict", help="Treat warnings as errors (the release bar).")] = False,
    debug: Annotated[bool, typer.Option(
        "--debug", help="Show a traceback for internal errors.")] = False,
    cache_dir: Annotated[Path | None, typer.Option(
        "--cache", help="The build cache's folder (default: OUT/.cache); safe to delete.")
    ] = None,
    no_cache: Annotated[bool, typer.Option(
        "--no-cache", help="Build everything afresh; read and write no cache.")] = False,
    jobs: Annotated[int | None, typer.Option(
        "--jobs", "-j", min=0, help="Lay the print pieces out in N processes and join them "
        "(1: the same, in this process). The PDF is the same whatever N is. Default: "
        "one per core available.")] = None,
) -> None:
    """Build books into OUT/<slug>/<slug>.epub and OUT/<slug>/<slug>-print.pdf (and the
    screen PDF, OUT/<slug>/<slug>.pdf, with --format screen)."""
    log_printably()
    try:
        books = _books(paths or [])
        if not format:  # each book's own formats: (make_book.formats)
            per_book = {root: _book_formats(root) for root in books}
            formats = list(dict.fromkeys(f for fs in per_book.values() for f in fs))
        else:
            formats = chosen_formats(format)
            per_book = {root: formats for root in books}
        # an EPUB needs WeasyPrint only for a generated cover not in the cache (checked then)
        if not machine_ready(["print", "collation"] if needs_print(formats) else ["collation"],
                             strict):
            raise typer.Exit(1)
        cache = None if no_cache else (cache_dir or out_dir / DEFAULT_CACHE_FOLDER)
        failed = _build_all(books, per_book, out_dir, strict, debug, slug_clashes(books),
                            cache, jobs)
        if "web" in formats:
            from make_book.render.web.catalogue import write_catalogue
            if (catalogue := write_catalogue(out_dir)) is not None:
                out.print(f"built {printable(str(catalogue))}", markup=False)
    except KeyboardInterrupt:  # Ctrl-C: write_atomic never leaves a half file behind
        err.print(INTERRUPTED, markup=False)
        raise typer.Exit(130) from None
    if failed:
        raise typer.Exit(1)


def _refused(clash: Diagnostic, name: str) -> None:
    """A book whose slug another book has (B040): building it would replace the other's
    outputs, so it is not built."""
    err.print(clash.format(relative_to=Path.cwd()), style="red", markup=False)
    err.print(f"{name}: not built: 1 error(s); earlier artifacts are untouched", style="red",
              markup=False)


def _book_formats(root: Path) -> list[Format]:
    """The formats the book's book.yaml asks for that this make-book renders; a note for
    each it cannot render."""
    from make_book.formats import book_formats
    asked = book_formats(root)
    for d in asked.missing:
        err.print(d.format(relative_to=Path.cwd()), style="yellow", markup=False)
    return asked.build  # type: ignore[return-value]


def _build_all(books: list[Path], per_book: dict[Path, list[Format]] | list[Format],
               out_dir: Path, strict: bool, debug: bool, clashes: dict[Path, Diagnostic],
               cache: Path | None = None, jobs: int | None = None) -> int:
    """Build each book in its formats (``per_book``, or one list for all), report it, and
    return how many failed; then the summary table."""
    failed = 0
    said: set[Diagnostic] = set()
    summary, began = Summary(), time.monotonic()
    with BuildProgress(err) as progress:  # live only on a terminal (terminal/progress.py)
        for root in books:
            formats = per_book[root] if isinstance(per_book, dict) else per_book
            # `make-book build .` names the folder, not "."
            name = printable(shortened(root.resolve().name))
            if (clash := clashes.get(root.resolve())) is not None:
                _refused(clash, name)
                summary.add_not_built(name, formats, 0.0)
                failed += 1
                continue
            line, done = progress.book(name)
            started = time.monotonic()
            try:
                result = build_book(root, formats, out_dir, strict, line.on_stage,
                                    line.on_print, cache=cache, jobs=jobs)
            except Exception as exc:  # a bug in make-book, not in the book
                if debug:
                    traceback.print_exc()
                err.print(f"{name}: B900 internal error: {type(exc).__name__}: "
                          f"{printable(shortened(str(exc)))} "
                          "(hint: rerun with --debug and report it)", markup=False)
                summary.add_not_built(name, formats, time.monotonic() - started)
                failed += 1
                done()
                continue
            done()
            summary.add(name, result, formats)
            _report(result, strict, said)
            if result.ok:
                for artifact in result.artifacts:
                    here = Path.cwd().resolve()
                    shown = (artifact.path.relative_to(here)
                             if artifact.path.is_relative_to(here) else artifact.path)
                    out.print(f"built {printable(str(shown))} ({_human(artifact.size)})",
                              markup=False)
                _qa_summary(result)
            else:
                failed += 1
                errors = len(result.diagnostics.errors)
                warnings = len(result.diagnostics.warnings)
                reason = f"{errors} error(s)" + (f", {warnings} warning(s) under --strict"
                                                 if strict and warnings else "")
                err.print(f"{name}: not built: {reason}; earlier artifacts are untouched",
                          style="red", markup=False)
    summary.print(out, time.monotonic() - began)
    return failed


@app.command()
def new(
    slug: Annotated[str, typer.Argument(
        help="The book's slug: lower-case letters, digits, hyphens (the-iron-heel).")],
    title: Annotated[str | None, typer.Option(
        "--title", help="The title (default: from the slug).")] = None,
    author: Annotated[list[str] | None, typer.Option(
        "--author", help="An author (repeat for several).")] = None,
    lang: Annotated[str, typer.Option("--lang", help="The language (BCP 47).")] = "en",
    into: Annotated[Path, typer.Option(
        "--into", help="The folder the book's folder is made in.")] = Path("manuscript"),
    layout: Annotated[str, typer.Option(
        "--layout", help="The house style whose starter files are used.")] = "default",
) -> None:
    """Start a book: INTO/SLUG/ with a commented book.yaml, a first chapter and a layout
    folder explained; it builds at once."""
    from make_book import scaffold

    spec = scaffold.NewBook(slug, title, tuple(author or ()), lang, layout)
    made, problems = scaffold.create(spec, into)
    cwd = Path.cwd()
    for d in problems:
        err.print(d.format(relative_to=cwd), style="red", markup=False)
    if made is None:
        raise typer.Exit(1)
    out.print(f"created {printable(str(made))}/ (book.yaml, chapters/01.md, images/, "
              "layout/README.md)")
    out.print(f"next: make-book build {printable(str(made))}")



@app.command("import")
def import_(
    source: Annotated[Path, typer.Argument(help="A Word .docx file or an EPUB.")],
    into: Annotated[Path | None, typer.Option(
        "--into", help="The book's folder to make (default: manuscript/<file name>); "
        "it must not exist or be empty.")] = None,
    split_level: Annotated[int, typer.Option(
        "--split-level", help="Headings of this level and above start a chapter file.")] = 1,
    lang: Annotated[str, typer.Option(
        "--lang", help="The language when the file names none (BCP 47).")] = "en",
) -> None:
    """Make a manuscript (book.yaml, chapters/, images/) from a Word file or an EPUB."""
    from make_book.importer.command import default_into, import_book

    made, problems = import_book(source, into or default_into(source), split_level, lang)
    cwd = Path.cwd()
    for d in problems:
        err.print(d.format(relative_to=cwd), style="red" if d.is_error else "yellow",
                  markup=False)
    if made is None:
        raise typer.Exit(1)
    out.print(f"created {printable(str(made))}/")
    out.print(f"next: make-book build {printable(str(made))} --strict")


@app.command()
def check(
    paths: Annotated[list[Path] | None, typer.Argument(
        help="Book folders (with book.yaml), or a folder holding manuscript/. "
             "Default: every book under ./manuscript/.")] = None,
    format: Annotated[FormatChoice, typer.Option(
        "--format", "-f", help="What to check for: epub, pdf, or all.")] = FormatChoice.all,
    full: Annotated[bool, typer.Option(
        "--full", help="Also build both formats in a temporary folder and run EPUBCheck, "
                       "Ace and the print QA on them.")] = False,
    strict: Annotated[bool, typer.Option(
        "--strict", help="Fail on warnings too, and when a checker cannot run.")] = False,
    keep: Annotated[Path | None, typer.Option(
        "--keep", help="With --full: keep the EPUB, PDF and QA report in this folder.")] = None,
) -> None:
    """Check books without building them: every finding at once, at its file:line."""
    from make_book.check.command import check_books
    log_printably()
    if keep is not None and not full:
        err.print("make-book: error: --keep keeps what --full builds; add --full")
        raise typer.Exit(2)
    try:
        # the screen PDF is the print typesetting: checking for it is checking for print
        formats: list[Format] = (["epub", "pdf"] if format is FormatChoice.all
                                 else ["pdf" if format is FormatChoice.screen
                                       else format.value])
        # a retailer EPUB is checked as the EPUB it is derived from
        formats = ["epub" if f in RETAIL else f for f in formats]
        code = check_books(_books(paths or []), formats, full=full, strict=strict, keep=keep)
    except KeyboardInterrupt:
        err.print(INTERRUPTED, markup=False)
        raise typer.Exit(130) from None
    if code:
        raise typer.Exit(code)


def _qa_summary(result: BookResult) -> None:
    """The print QA report in a few lines: counts per kind, the first advisory findings
    (blocking ones were printed as Q0xx diagnostics), and where the full report is."""
    if result.qa is None:
        return
    lines = result.qa.summary()
    if result.qa_path is not None:
        here = Path.cwd().resolve()
        path = result.qa_path
        shown = path.relative_to(here) if path.is_relative_to(here) else path
        lines[0] += f": {shown}"
    for line in lines:
        out.print(printable(line), markup=False)


@app.command("list")
def list_books(
    paths: Annotated[list[Path] | None, typer.Argument(
        help="Folders to search; default: ./manuscript/.",
        autocompletion=complete_books)] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON (for CI matrices).")] = False,
) -> None:
    """List the books of the catalogue."""
    from make_book.config.load import load_book_metadata
    from make_book.errors import MakeBookError
    books = _books(paths or [])
    if not machine_ready(["collation"], False):  # ICU transliterates non-Latin folder names
        raise typer.Exit(1)
    clashes = slug_clashes(books)
    rows = []
    for root in books:
        try:
            title = load_book_metadata(root.resolve()).title
        except MakeBookError:
            title = None
        rows.append({"slug": root_slug(root), "title": title, "path": str(root),
                     "formats": ["epub", "pdf"]})
    for clash in clashes.values():
        err.print(clash.format(relative_to=Path.cwd()), style="red", markup=False)
    if as_json:
        out.print(printable_json(rows), markup=False)
    else:
        for row in rows:
            title = (printable(shortened(str(row["title"]))) if row["title"]
                     else "(book.yaml has errors)")
            out.print(f"{row['slug']}\t{title}\t{printable(row['path'])}", markup=False)
    if clashes:
        raise typer.Exit(1)


@app.command()
def preview(
    path: Annotated[Path | None, typer.Argument(
        help="The book folder (with book.yaml); default: the current folder.")] = None,
    port: Annotated[int, typer.Option("--port", "-p", help="The port to serve on.")] = 8765,
    host: Annotated[str, typer.Option(
        "--host", help="The address to serve on (loopback unless --allow-remote).")
    ] = "127.0.0.1",
    allow_remote: Annotated[bool, typer.Option(
        "--allow-remote", help="Allow a --host other machines can reach.")] = False,
) -> None:
    """Serve the book on 127.0.0.1 as a web edition with the print pages of the chapter
    being edited, rebuilt and reloaded in the browser whenever a file changes."""
    from make_book.preview.command import run_preview

    log_printably()
    try:
        books = _books([path] if path is not None else [])
        if len(books) != 1:
            err.print("make-book: error: preview shows one book: name its folder "
                      f"({len(books)} found)", markup=False)
            raise typer.Exit(2)
        if not machine_ready(["print", "collation"], False):
            raise typer.Exit(1)
        status = run_preview(books[0], host, port, allow_remote)
    except KeyboardInterrupt:
        err.print("make-book: preview stopped", markup=False)
        raise typer.Exit(130) from None
    raise typer.Exit(status)


app.command("release", help="Build every book (or --book SLUG) in every format with covers, "
            "ONIX, manifest.json and SHA256SUMS into OUT/<version>/.")(release_command)


@app.command("changes")
def changes_cmd(
    book: Annotated[Path, typer.Argument(help="The book's folder (with book.yaml).",
                                         autocompletion=complete_books)],
    start: Annotated[str, typer.Option("--from", help="The earlier release's tag.")],
    end: Annotated[str, typer.Option("--to", help="The later release's tag.")] = "HEAD",
    out_file: Annotated[Path | None, typer.Option(
        "--out", "-o", help="Where to write it (default: build/<slug>/CHANGES.md).")] = None,
) -> None:
    """Write CHANGES.md from the git history of the book's folder between two tags."""
    from make_book.changes.command import changes
    log_printably()
    written, problems = changes(book, start, end, out_file)
    for d in problems:
        err.print(d.format(relative_to=Path.cwd()), style="red", markup=False)
    if written is None:
        raise typer.Exit(1)
    out.print(f"wrote {printable(str(written))}", markup=False)


@app.command("diff")
def diff_cmd(
    old: Annotated[Path, typer.Argument(help="The earlier release's print PDF.")],
    new: Annotated[Path, typer.Argument(help="The new release's print PDF.")],
    out_dir: Annotated[Path | None, typer.Option(
        "--out", "-o", help="Write report.md and images of the changed pages here.")] = None,
) -> None:
    """Which pages moved and which changed between two PDFs (exit 1 when any differ)."""
    from make_book.pagediff.command import page_diff
    log_printably()
    code, lines, problems = page_diff(old, new, out_dir)
    for d in problems:
        err.print(d.format(relative_to=Path.cwd()), style="red", markup=False)
    for line in lines:
        out.print(printable(line), markup=False)
    if code:
        raise typer.Exit(code)
