"""One book checked: without ``--full`` the gate that needs no typesetting
(gate.py); with it, the book built in both formats into a temporary folder
(or ``--keep DIR``), then EPUBCheck and Ace on the EPUB and the print QA report's advice,
each finding traced back to the manuscript.

The build itself is never strict here: under ``--strict`` a warning must still let the
EPUB be made, so that the checkers see it and every finding is reported in one run; the
verdict (:meth:`CheckResult.failed`) applies ``--strict`` to the whole list at the end.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from make_book.build import Format
from make_book.gate import check_manuscript
from make_book.errors import Diagnostic, Diagnostics, MakeBookError, warning


@dataclass
class CheckResult:
    root: Path
    diagnostics: Diagnostics = field(default_factory=Diagnostics)
    notes: list[Diagnostic] = field(default_factory=list)  # advice: never fails a check
    ran: list[str] = field(default_factory=list)  # the checks that ran, for the summary

    def failed(self, strict: bool) -> bool:
        return self.diagnostics.failed(strict)


def check_static(root: Path, formats: Sequence[Format] = ("epub", "pdf")) -> CheckResult:
    result = CheckResult(root)
    try:
        check_manuscript(root, formats, result.diagnostics)
    except MakeBookError as exc:
        result.diagnostics.extend(exc.diagnostics)
    result.ran.append("manuscript")
    return result


def check_full(root: Path, formats: Sequence[Format] = ("epub", "pdf"), *, epubcheck: bool,
               ace: bool, keep: Path | None = None,
               on_stage: Callable[[str], None] | None = None) -> CheckResult:
    """``epubcheck``/``ace``: whether each can run on this machine (said once by the
    command, not per book)."""
    from make_book.build import artifact_path, build_book, qa_path
    from make_book.check import ace as ace_check
    from make_book.check import epubcheck as epubcheck_check
    from make_book.check import qa_report
    from make_book.check.sources import SourceMap

    result = CheckResult(root)
    with tempfile.TemporaryDirectory(prefix="make-book-check-") as tmp:
        out = keep if keep is not None else Path(tmp)
        built = build_book(root, list(formats), out, strict=False, on_stage=on_stage)
        result.diagnostics.extend(built.diagnostics)
        result.ran.append("manuscript")
        if not built.ok or built.book is None:
            result.notes.append(warning(
                "K030", "EPUBCheck, Ace and the print QA did not run: the book has errors "
                        "(or could not be built)", root))
            return result
        if "epub" in formats:
            epub = artifact_path(out, built.slug, "epub")
            sources = SourceMap(built.book, epub)
            if epubcheck:
                epubcheck_check.check_epub(epub, sources, result.diagnostics)
                result.ran.append("EPUBCheck")
            if ace:
                ace_check.check_epub(epub, sources, result.diagnostics, result.notes)
                result.ran.append("Ace")
        if "pdf" in formats:
            report = built.qa_path or qa_path(out, built.slug)
            result.notes.extend(qa_report.advice(report, root))
            result.ran.append("print QA")
    return result
