"""The EPUB zip from ebooklib's package, in one pass: ``mimetype`` first and stored, fixed
times (the source date) and attributes, so the same sources give the same bytes. ebooklib's
own zip would carry the wall clock; its writer fills ours instead."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from datetime import datetime

from ebooklib import epub


def _stamp(when: datetime) -> tuple[int, int, int, int, int, int]:
    return (max(when.year, 1980), when.month, when.day, when.hour, when.minute, when.second)


def _add(dst: zipfile.ZipFile, name: str, content: bytes, stamp) -> None:
    """One entry as every make-book EPUB has it: fixed time and attributes, ``mimetype``
    stored (OCF requires it readable at a fixed offset), the rest deflated."""
    info = zipfile.ZipInfo(name, date_time=stamp)
    info.compress_type = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    info.create_system = 3
    dst.writestr(info, content, compresslevel=6 if name != "mimetype" else None)


class _Entries:
    """Stands in for the ``zipfile.ZipFile`` ebooklib's writer fills (its ``out``): each
    entry it writes goes to our zip at once, with our times and attributes and ``fixes``
    applied, so the archive is compressed once and never rewritten."""

    def __init__(self, dst: zipfile.ZipFile, stamp, fixes: dict[str, Callable[[bytes], bytes]]):
        self.dst, self.stamp, self.fixes = dst, stamp, fixes

    def writestr(self, name, content, compress_type=None, compresslevel=None) -> None:
        name = name.filename if isinstance(name, zipfile.ZipInfo) else name
        data = content.encode("utf-8") if isinstance(content, str) else content
        if name in self.fixes:
            data = self.fixes[name](data)
        _add(self.dst, name, data, self.stamp)

    def close(self) -> None:  # the caller closes the real zip
        pass


class _OneWriter(epub.EpubWriter):
    """ebooklib's writer (package document, container, items in its order) with the zip
    handed in rather than opened on a file name."""

    def __init__(self, book: epub.EpubBook, out: _Entries, options: dict):
        super().__init__("", book, options)
        self._entries = out

    def write(self) -> None:
        self.out = self._entries
        self.out.writestr("mimetype", "application/epub+zip")
        self._write_container()
        self._write_opf()
        self._write_items()


def write_container(pkg: epub.EpubBook, when: datetime,
                    fixes: dict[str, Callable[[bytes], bytes]] | None = None) -> bytes:
    """The EPUB zip in one pass, from ebooklib's package: ``mimetype`` first and stored,
    fixed times (the source date) and attributes, so the same sources give the same bytes;
    ``fixes`` rewrite named entries on the way."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        writer = _OneWriter(pkg, _Entries(dst, _stamp(when), fixes or {}),
                            {"epub3_pages": False, "epub2_guide": False, "mtime": when,
                             "raise_exceptions": True,
                             "play_order": {"enabled": False, "start_from": 1}})
        writer.process()
        writer.write()
    return out.getvalue()
