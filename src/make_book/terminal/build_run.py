"""One ``make-book build`` run over the books named on the command line: find them, say once
what the machine lacks, build each (a book whose slug another has is refused), print its
diagnostics, artifacts and print QA summary, then the summary table. Split from
:mod:`make_book.cli`, which keeps only the commands' arguments.
"""

from __future__ import annotations

import time
import traceback
from pathlib import Path

import typer

from make_book.build import BookResult, Format, build_book
from make_book.errors import (
    Diagnostic,
    printable,
    shortened,
)
from make_book.machine import Need, machine_problems
from make_book.manuscript.book import discover_books
from make_book.terminal.consoles import err, out
from make_book.terminal.progress import BuildProgress
from make_book.terminal.summary import Summary
from make_book.terminal.summary import human_size as _human


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
