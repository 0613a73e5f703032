"""Command line: `make-book build`, `make-book list`, `make-book preview`.

Exit status: 0 success, 1 a book has errors (or warnings under --strict), 2 usage errors.
Diagnostics print as `path:line: CODE message`, relative to the current folder, never as a
traceback, and verbatim: no console markup, emoji codes or highlighting is applied to them,
and control characters from the manuscript are shown as escapes (errors.printable).
"""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from make_book.cache import DEFAULT_FOLDER as DEFAULT_CACHE_FOLDER
from make_book.catalogue import root_slug, slug_clashes
from make_book.errors import (
    log_printably,
    printable,
    printable_json,
    shortened,
)
from make_book.interrupted import INTERRUPTED
from make_book.release.command import release_command
from make_book.terminal.completion import (
    InstallCompletion,
    ShowCompletion,
    complete_books,
)
from make_book.terminal.consoles import err, out

if TYPE_CHECKING:
    from make_book.build import Format

# A command imports what it runs when it runs (build, check, list...), so that every other
# command, `--version` and shell completion do not pay for loading the whole pipeline.
app = typer.Typer(
    help="Build EPUB 3 e-books and print-ready PDFs from Markdown manuscripts.",
    no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)
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
        from make_book import __version__
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
        "--jobs", "-j", min=0, help="Convert the chapters and lay the print pieces out "
        "in N processes (1: all in this process). The output is the same whatever N is. "
        "Default: one per core available.")] = None,
) -> None:
    """Build books into OUT/<slug>/<slug>.epub and OUT/<slug>/<slug>-print.pdf (and the
    screen PDF, OUT/<slug>/<slug>.pdf, with --format screen)."""
    from make_book.build import needs_print
    from make_book.terminal.build_run import _book_formats, _books, _build_all, machine_ready
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
    from make_book.build import RETAIL
    from make_book.check.command import check_books
    from make_book.terminal.build_run import _books
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
    from make_book.terminal.build_run import _books, machine_ready
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
    from make_book.terminal.build_run import _books, machine_ready

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
