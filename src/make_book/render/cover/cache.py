"""The generated EPUB cover, kept in the build cache by the hash of what draws it.

Drawing the cover takes WeasyPrint and pdfium: importing them costs more than the rest of
a short book's EPUB build. Drawing it any other way would lose the design, which is the
layout's HTML template and CSS (a book may override both), so the JPEG is cached instead.

The key holds everything the drawing reads up front: the rendered template (title,
authors, credits, series, strings...), the geometry CSS, the @font-face rules and every
font file of the layout, the cover stylesheets' bytes, the pixel size, make-book's code and
the versions of WeasyPrint, pdfium and Pillow. What the template and stylesheets pull in
by URL (an image, a font of their own) is only known once drawn: the entry records those
files with their hashes, and a changed one makes the entry a miss.
"""

from __future__ import annotations

from pathlib import Path

from make_book.cache import (
    Cache,
    cached_record,
    code_version,
    content_key,
    dump_diagnostics,
    file_digest,
    load_diagnostics,
    versions,
)
from make_book.errors import Diagnostic
from make_book.layouts.chain import Layout

NAMESPACE = "epub-cover"
ENGINES = ("weasyprint", "pypdfium2", "pillow")


def cover_key(html: str, css: str, layout: Layout, stylesheets: list[Path],
              size: tuple[int, int]) -> str:
    fonts_css = layout.font_face_css(lambda f: f.path.as_uri())
    return content_key(
        "epub-cover", code_version(), versions(*ENGINES), html, css, fonts_css, list(size),
        [[str(p), file_digest(p)] for p in stylesheets],
        [[str(f.path), file_digest(f.path)] for f in layout.fonts],
        [str(d.path) for d in layout.dirs])


def load(cache: Cache | None, key: str, where: Path) -> tuple[bytes, list[Diagnostic]] | None:
    """The JPEG and the drawing's diagnostics, when every file it read is unchanged."""
    found = cached_record(cache, NAMESPACE, key)
    if found is None:
        return None
    record, jpeg = found
    try:
        for path, digest in record["reads"]:
            if file_digest(Path(path)) != digest:
                return None
        return jpeg, load_diagnostics(record["diagnostics"], where)
    except (KeyError, TypeError, ValueError):
        return None


def store(cache: Cache | None, key: str, where: Path, jpeg: bytes,
          diagnostics: list[Diagnostic], reads: list[Path]) -> None:
    if cache is None or any(d.is_error for d in diagnostics):
        return  # a failed drawing is drawn (and reported) again
    rows = dump_diagnostics(diagnostics, where)
    if rows is None:
        return
    cache.put_record(NAMESPACE, key, {
        "diagnostics": rows,
        "reads": [[str(p), file_digest(p)] for p in dict.fromkeys(reads)]}, jpeg)
