"""``make-book import FILE``: a manuscript tree from a Word file or an EPUB.

The source is read whole and written into a temporary folder beside the target, which is
then renamed into place: a failed import leaves nothing, and never writes into a folder
that holds anything. Bad input is a diagnostic naming the file, never a traceback.

Codes: I001 the file cannot be read; I002 neither a .docx nor an EPUB; I003 encrypted
(or an old binary .doc); I004 a broken file; I005 ``--into`` is not empty; I006 the tree
cannot be written; I007 nothing to import; I008 a bad ``--split-level``; I020-I029
warnings about what was left out (images of unusable types, mammoth's messages, EPUB
items that cannot be read) or not found (I024: no headings).
"""

from __future__ import annotations

import io
import os
import re
import shutil
import tempfile
import zipfile
from pathlib import Path

from make_book.errors import Diagnostic, Diagnostics
from make_book.importer.book_yaml import book_yaml
from make_book.importer.chapters import chapter_files
from make_book.importer.source import Source

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an encrypted .docx, or a Word 97 .doc


def default_into(source: Path) -> Path:
    """``manuscript/<slug of the file's name>``."""
    slug = re.sub(r"[^a-z0-9]+", "-", source.stem.lower()).strip("-") or "imported"
    return Path("manuscript") / slug


def _kind(data: bytes) -> str | None:
    if not zipfile.is_zipfile(io.BytesIO(data)):
        return None
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        names = set(z.namelist())
        if "word/document.xml" in names:
            return "docx"
        if "META-INF/container.xml" in names or (
                "mimetype" in names and z.read("mimetype").strip() == b"application/epub+zip"):
            return "epub"
    return None


def read_source(path: Path, diagnostics: Diagnostics) -> Source | None:
    """The file read into a Source, or None with the reason among ``diagnostics``."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        diagnostics.error("I001", f"cannot read the file: {exc.strerror or exc}", path)
        return None

    def warn(code: str, message: str) -> None:
        diagnostics.warning(code, message, path)
    if data.startswith(OLE_MAGIC):
        diagnostics.error("I003", "an encrypted Word file or an old binary .doc: save it "
                          "unprotected as a .docx (Word 2007 or later) first", path)
        return None
    try:
        kind = _kind(data)
    except (zipfile.BadZipFile, OSError) as exc:
        diagnostics.error("I004", f"a broken zip archive: {exc}", path)
        return None
    if kind is None:
        diagnostics.error("I002", "neither a Word .docx file nor an EPUB (not a zip archive "
                          "with word/document.xml or META-INF/container.xml)", path)
        return None
    if kind == "docx":
        from make_book.importer.docx_reader import DocxError, read_docx
        try:
            return read_docx(data, warn)
        except DocxError as exc:
            diagnostics.error("I004", str(exc), path)
            return None
    from make_book.importer.epub_reader import EpubError, read_epub
    try:
        return read_epub(path, warn)
    except EpubError as exc:
        diagnostics.error(exc.code, str(exc), path)
        return None


def _not_empty(folder: Path) -> bool:
    if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
        return True
    return folder.is_dir() and any(folder.iterdir())


def import_book(path: Path, into: Path, split_level: int = 1,
                lang: str = "en") -> tuple[Path | None, list[Diagnostic]]:
    """Write the manuscript of ``path`` into ``into``; the folder, or None and why."""
    diagnostics = Diagnostics()
    if not 1 <= split_level <= 6:
        diagnostics.error("I008", f"--split-level {split_level}: a heading level is 1 to 6",
                          None)
        return None, diagnostics.items
    if _not_empty(into):
        diagnostics.error("I005", f"{into} exists and is not empty: an import never writes "
                          "over a book", into, hint="choose another --into, or remove it")
        return None, diagnostics.items
    source = read_source(path, diagnostics)
    if source is None:
        return None, diagnostics.items
    files = chapter_files(source.documents, source.notes, source.targets, split_level,
                          source.metadata.lang or lang, source.kinds or None,
                          source.metadata.title)
    if not files:
        diagnostics.error("I007", "no text to import", path)
        return None, diagnostics.items
    if not any(f.title for f in files):
        diagnostics.warning("I024", f"no heading of level {split_level} or above: the whole "
                            "text is one chapter", path,
                            hint="give chapter titles Word's Heading 1 style, or choose "
                            "--split-level")
    text = book_yaml(source.metadata, [f.name for f in files], path.name, lang)
    try:
        into.parent.mkdir(parents=True, exist_ok=True)
        scratch = Path(tempfile.mkdtemp(prefix=f".{into.name}.", dir=into.parent))
        try:
            (scratch / "chapters").mkdir()
            (scratch / "images").mkdir()
            (scratch / "book.yaml").write_text(text, encoding="utf-8")
            for f in files:
                (scratch / f.name).write_text(f.text, encoding="utf-8")
            for name, data in source.images.items():
                (scratch / "images" / name).write_bytes(data)
            if into.is_dir():
                into.rmdir()  # empty (checked above); rename cannot replace a folder
            os.rename(scratch, into)
        except BaseException:
            shutil.rmtree(scratch, ignore_errors=True)
            raise
    except OSError as exc:
        diagnostics.error("I006", f"cannot write {into}: {exc.strerror or exc}", into)
        return None, diagnostics.items
    return into, diagnostics.items
