"""Reading a file a book names: only a regular file, of bounded size, never blocking.

A manuscript arrives as a folder, a zip or a git repository, so any of its paths can be a
named pipe (a read waits forever for a writer), a device (``/dev/zero`` never ends,
``/dev/tty`` waits for a keypress), a socket, a symlink loop or a name longer than the
system allows. Every reader of book files goes through here: the file is checked with
``stat`` before it is opened, opened with ``O_NONBLOCK`` (opening a FIFO then returns at
once) and checked again on the open descriptor (it may have been swapped in between), and
never more than ``limit`` bytes are read.

Refusals are :class:`FileRefused`, an :class:`OSError` whose ``strerror`` is a phrase for
the reader ("it is a named pipe (FIFO), not a file"), so callers that already turn
``OSError`` into a diagnostic ("cannot be read: <strerror>") need no new branch.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

# What a reader may hold in memory for one file; each caller passes a tighter limit.
DEFAULT_LIMIT = 256 * 1024 * 1024

_KINDS = ((stat.S_ISFIFO, "a named pipe (FIFO)"), (stat.S_ISCHR, "a character device"),
          (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"),
          (stat.S_ISDIR, "a folder"))


class FileRefused(OSError):
    """A path that is not read; ``strerror`` says why in words."""

    def __init__(self, path: Path | str, reason: str, code: int = errno.EINVAL):
        super().__init__(code, reason, str(path))


def kind_of(mode: int) -> str | None:
    """What a non-regular file is, in words; None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    return next((what for test, what in _KINDS if test(mode)), "not a regular file")


def _refuse_special(path: Path | str, mode: int) -> None:
    what = kind_of(mode)
    if what is not None:
        raise FileRefused(path, f"it is {what}, not a file")


def _too_large(path: Path | str, size: int, limit: int) -> FileRefused:
    return FileRefused(path, f"it is larger than the limit of {human_size(limit)}"
                       + (f" ({human_size(size)})" if size > limit else ""), errno.EFBIG)


def human_size(size: int) -> str:
    for unit, scale in (("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)):
        if size >= scale:
            return f"{size / scale:.3g} {unit}"
    return f"{size} bytes"


def check_regular(path: Path | str, limit: int = DEFAULT_LIMIT) -> os.stat_result:
    """``path``'s stat when it is a regular file of at most ``limit`` bytes, else
    :class:`FileRefused` (or the :class:`OSError` of a missing file, a loop, a name too
    long). For readers that open the file themselves (Pillow, WeasyPrint)."""
    try:
        info = os.stat(path)
    except RuntimeError as exc:  # pathlib's own "Symlink loop" on Python < 3.13
        raise FileRefused(path, "it is a loop of symbolic links", errno.ELOOP) from exc
    _refuse_special(path, info.st_mode)
    if info.st_size > limit:
        raise _too_large(path, info.st_size, limit)
    return info


def read_bytes(path: Path | str, limit: int = DEFAULT_LIMIT, *,
               follow: bool = True) -> bytes:
    """The whole file, when it is a regular file of at most ``limit`` bytes. With
    ``follow=False`` a symlink put in the place of ``path`` (already resolved by the
    caller) after it was checked is refused rather than followed."""
    check_regular(path, limit)
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC
                 | (0 if follow else os.O_NOFOLLOW))
    try:
        info = os.fstat(fd)  # the file opened, not the one stat'ed: it may have changed
        _refuse_special(path, info.st_mode)
        chunks, left = [], limit + 1
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
    finally:
        os.close(fd)
    data = b"".join(chunks)
    if len(data) > limit:  # it grew after the stat
        raise _too_large(path, len(data), limit)
    return data


def read_text(path: Path | str, limit: int = DEFAULT_LIMIT, encoding: str = "utf-8") -> str:
    """:func:`read_bytes` decoded; a decoding error is the caller's to report."""
    return read_bytes(path, limit).decode(encoding)


def resolved(path: Path) -> Path:
    """``path.resolve()``, with a symlink loop as an :class:`OSError` (Python 3.11 raises
    RuntimeError for it), so one ``except OSError`` covers every bad path."""
    try:
        return path.resolve()
    except RuntimeError as exc:
        raise FileRefused(path, "it is a loop of symbolic links", errno.ELOOP) from exc


def open_regular(path: Path | str, limit: int = DEFAULT_LIMIT):
    """A binary file object on ``path``, checked as :func:`read_bytes` checks it, for
    readers that stream (Pillow reads an image's header, not the whole file)."""
    check_regular(path, limit)
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC)
    try:
        info = os.fstat(fd)
        _refuse_special(path, info.st_mode)
        if info.st_size > limit:
            raise _too_large(path, info.st_size, limit)
    except BaseException:
        os.close(fd)
        raise
    return os.fdopen(fd, "rb")


MAX_WALKED = 100_000  # entries looked at in one folder tree: far beyond any layout or book


def special_files(folder: Path) -> list[tuple[Path, str]]:
    """(path, what it is) for each FIFO, device or socket under ``folder``, symbolic links
    followed to their target but never into folders (a loop cannot trap the walk)."""
    found: list[tuple[Path, str]] = []
    for n, (top, dirs, files) in enumerate(os.walk(folder)):
        if n > MAX_WALKED:
            break
        for name in files + dirs:
            path = Path(top) / name
            try:
                mode = os.stat(path).st_mode
            except OSError:
                continue  # a dangling link or a loop: reported by whoever reads it
            what = kind_of(mode)
            if what is not None and what != "a folder":
                found.append((path, what))
    return found
