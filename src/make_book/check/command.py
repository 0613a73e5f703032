"""`make-book check [BOOK...] [--full] [--strict] [--keep DIR]`: every finding about each
book, all at once, each at its manuscript file and line.

Exit status: 0 when no book has an error (nor, under ``--strict``, a warning: a checker
that was asked for and cannot run is one); 1 otherwise; 2 for usage errors (as build).
"""

from __future__ import annotations

from pathlib import Path

from rich.console import Console

from make_book.build import Format
from make_book.catalogue import slug_clashes
from make_book.check.full import CheckResult, check_full, check_static
from make_book.errors import Diagnostic, printable, shortened
from make_book.machine import machine_problems

err = Console(stderr=True, highlight=False, soft_wrap=True, markup=False, emoji=False)
out = Console(highlight=False, soft_wrap=True, markup=False, emoji=False)


def _print(d: Diagnostic, strict: bool, note: bool = False) -> None:
    text = d.format(relative_to=Path.cwd())
    if note:  # advice: shown as such, never counted
        text = text.replace(f"{d.code} warning: ", f"{d.code} note: ", 1)
    err.print(text, style=None if note else "red" if d.is_error or strict else "yellow",
              markup=False)


def check_books(books: list[Path], formats: list[Format], *, full: bool, strict: bool,
                keep: Path | None) -> int:
    """Check every book and print what was found; the exit status."""
    # WeasyPrint only to build (both formats need it: the EPUB for its generated cover)
    machine = machine_problems(["print", "collation"] if full else ["collation"])
    missing: list[Diagnostic] = []
    can_run = {"epubcheck": False, "ace": False}
    if full and "epub" in formats:
        from make_book.check import ace, epubcheck
        for name, probe in (("epubcheck", epubcheck.unavailable), ("ace", ace.unavailable)):
            problem = probe()
            can_run[name] = problem is None
            if problem is not None:
                missing.append(problem)
    for d in [*machine, *missing]:  # the machine's, said once for all books
        _print(d, strict)
    if any(d.is_error for d in machine):
        err.print("make-book: nothing checked: this machine lacks what the check needs",
                  style="red", markup=False)
        return 1
    failed = strict and bool(missing)
    clashes = slug_clashes(books)
    for root in books:
        name = printable(shortened(root.resolve().name))
        if (clash := clashes.get(root.resolve())) is not None:
            _print(clash, strict)
            failed = True
            continue
        try:
            if full:
                result = check_full(root, formats, epubcheck=can_run["epubcheck"],
                                    ace=can_run["ace"], keep=keep)
            else:
                result = check_static(root, formats)
        except Exception as exc:  # noqa: BLE001 -- a bug in make-book: said, not a traceback
            err.print(f"{name}: K039 internal error: {type(exc).__name__}: "
                      f"{printable(shortened(str(exc)))} (hint: report it)", style="red",
                      markup=False)
            failed = True
            continue
        failed |= _report(name, result, strict)
    return 1 if failed else 0


def _report(name: str, result: CheckResult, strict: bool) -> bool:
    for d in result.diagnostics:
        _print(d, strict)
    for d in result.notes:
        _print(d, strict, note=True)
    errors, warnings = len(result.diagnostics.errors), len(result.diagnostics.warnings)
    ran = ", ".join(result.ran)
    if result.failed(strict):
        reason = f"{errors} error(s)" + (f", {warnings} warning(s) under --strict"
                                         if strict and warnings else "")
        err.print(f"{name}: check failed: {reason} ({ran})", style="red", markup=False)
        return True
    extra = f", {warnings} warning(s)" if warnings else ""
    out.print(f"{name}: checked ({ran}): no errors{extra}", markup=False)
    return False
