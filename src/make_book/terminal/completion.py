"""Shell completion for bash, zsh and fish: typer's scripts and protocol, with our values.

``make-book --show-completion SHELL`` prints typer's script for the shell and
``--install-completion SHELL`` installs it (typer's own callbacks). The script calls
``make-book`` back with ``_MAKE_BOOK_COMPLETE=complete_<shell>`` and the words typed, and
these functions answer: BOOK arguments get the book folders of ``./manuscript/`` or of the
folder being typed, ``release --book`` gets the slugs of the catalogue; ``--format`` gets
its choices from typer. The shell is named, not guessed from the parent process: a
guess fails under CI, sudo or a terminal multiplexer, and a named shell prints the same
script everywhere.

Completion runs on every TAB, so it reads only folder listings and book.yaml files, and
never fails: a folder it cannot read offers nothing.
"""

from __future__ import annotations

import os
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer
from typer import completion as typer_completion

from make_book.errors import printable

MAX_FOLDERS = 500  # folders looked into per TAB: a huge folder must not hang the shell

# typer registers its bash, zsh and fish answerers only for its own completion options
# (add_completion=True, which guesses the shell); ours name it, so register them here
typer_completion.completion_init()


class Shell(str, Enum):
    """The shells whose completion is tested (typer also writes PowerShell's script)."""
    bash = "bash"
    zsh = "zsh"
    fish = "fish"


def _show(ctx: typer.Context, value: Shell | None) -> None:
    if value is not None and not ctx.resilient_parsing:
        typer_completion.show_callback(ctx, None, value.value)  # prints, then exits


def _install(ctx: typer.Context, value: Shell | None) -> None:
    if value is not None and not ctx.resilient_parsing:
        typer_completion.install_callback(ctx, None, value.value)  # installs, then exits


ShowCompletion = Annotated[Shell | None, typer.Option(
    "--show-completion", metavar="SHELL", callback=_show, expose_value=False, is_eager=True,
    help="Print the completion script for SHELL (bash, zsh, fish), to copy or customize.")]
InstallCompletion = Annotated[Shell | None, typer.Option(
    "--install-completion", metavar="SHELL", callback=_install, expose_value=False,
    is_eager=True, help="Install completion for SHELL (bash, zsh, fish).")]


def _title(book: Path) -> str:
    """The book's title for the shell's menu (zsh and fish show it); '' when unreadable."""
    from make_book.config.load import read_book_metadata
    try:
        meta = read_book_metadata(book).meta
    except Exception:  # a half-written book.yaml while typing: no title, no traceback
        return ""
    return printable(meta.title)[:80] if meta is not None and meta.title else ""


def _folders(base: Path, prefix: str) -> list[Path]:
    try:
        entries = sorted(base.iterdir())[:MAX_FOLDERS]
    except OSError:
        return []
    hidden = prefix.startswith(".")
    return [e for e in entries if e.name.startswith(prefix)
            and (hidden or not e.name.startswith(".")) and _is_dir(e)]


def _is_dir(path: Path) -> bool:
    try:
        return path.is_dir()
    except OSError:
        return False


def _books_in(folder: Path) -> list[Path]:
    from make_book.manuscript.book import discover_books  # only when completing
    try:
        return discover_books(folder)
    except OSError:
        return []


def complete_books(incomplete: str) -> list[tuple[str, str]]:
    """Completions of a BOOK argument (typer's autocompletion hook): the folders starting
    with what is typed that ``make-book build`` takes (a book, or a folder of books or
    holding manuscript/), each with the book's title or its number of books; while what
    is typed may still become ``manuscript/``, the books in it too, one TAB ahead.
    (typer keeps only values that start with what is typed, so a slug alone cannot
    complete to its folder.)"""
    head, sep, prefix = incomplete.rpartition("/")
    base = Path(os.path.expanduser(head + sep)) if sep else Path(".")
    found: dict[str, str] = {}
    for folder in _folders(base, prefix):
        books = _books_in(folder)
        if books == [folder]:
            found[head + sep + folder.name] = _title(folder)
        elif books:
            found[head + sep + folder.name] = f"{len(books)} book(s)"
    if not sep and "manuscript/".startswith(incomplete):  # its books, one TAB ahead
        for book in _books_in(Path("manuscript")):
            if book.parent == Path("manuscript"):
                found.setdefault(f"manuscript/{book.name}", _title(book))
    return list(found.items())


def complete_slugs(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """Completions of a book's slug (typer's autocompletion hook; ``release --book``): the
    slugs of the books given on the line, else of ./manuscript/."""
    from make_book.catalogue import root_slug
    # while completing, click leaves the positional arguments unassigned, in ctx.args
    given = [Path(p) for p in (ctx.params.get("books") or ctx.args or [])]
    books = [b for folder in (given or [Path(".")]) for b in _books_in(folder)]
    slugs: dict[str, str] = {}
    for book in books:
        try:
            slug = root_slug(book)
        except Exception:  # ICU missing: the machine check says so when building
            continue
        if slug.startswith(incomplete):
            slugs.setdefault(slug, _title(book))
    return sorted(slugs.items())
