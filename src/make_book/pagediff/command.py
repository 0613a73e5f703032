"""``make-book diff OLD.pdf NEW.pdf [--out DIR]``: what changed between two print PDFs.

Prints the findings (page count, pages changed, moved, added, removed); with ``--out``,
writes ``report.md`` and a side-by-side PNG of each changed page there.

Exit status as diff(1): 0 no page differs, 1 pages differ, 2 a file cannot be read.
"""

from __future__ import annotations

from pathlib import Path

from make_book.errors import Diagnostic, MakeBookError
from make_book.pagediff.report import summary_lines
from make_book.pagediff.run import diff_pdfs


def page_diff(old: Path, new: Path, out: Path | None) -> tuple[int, list[str],
                                                                list[Diagnostic]]:
    """(exit status, lines to print, problems)."""
    problems = [d for path in (old, new) if not path.is_file()
                for d in [Diagnostic("D020", "no such file", path)]]
    if problems:
        return 2, [], problems
    try:
        result = diff_pdfs(old, new, out)
    except MakeBookError as exc:
        return 2, [], list(exc.diagnostics)
    lines = summary_lines(result)
    if out is not None:
        lines.append(f"wrote {out / 'report.md'}")
    return (1 if result.differences else 0), lines, []
