"""Paths named in the manuscript must stay inside the book folder.

A book is built from its folder alone: an absolute path, a ``..`` or a symlink leading out
would make a build depend on (or leak) files elsewhere on the machine or the CI runner. The
letter case must match too: macOS finds ``Cover.jpg`` as ``cover.jpg``, but the EPUB zip and
Linux CI do not.
"""

from __future__ import annotations

import difflib
import os
import posixpath
import stat
from collections.abc import Iterable
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Literal, NamedTuple

from make_book import plain_files

Reason = Literal["empty", "absolute", "escape", "missing", "not-a-file", "case"]


class PathError(NamedTuple):
    """Why a path is refused; ``message`` starts with the path as written."""

    reason: Reason
    message: str
    hint: str | None = None

    @property
    def escapes(self) -> bool:
        """Refused for where it points, not because the file is missing."""
        return self.reason in ("absolute", "escape")


def check_relative(rel: str) -> str | PathError:
    """``rel`` normalised (POSIX, no ``.``), if it can name something inside the book folder."""
    if not rel or not rel.strip():
        return PathError("empty", "'' is an empty path")
    if PurePosixPath(rel).is_absolute() or PureWindowsPath(rel).drive or rel.startswith("\\"):
        return PathError("absolute", f"{rel} is an absolute path",
                         "give the path relative to the book folder")
    norm = posixpath.normpath(rel.replace("\\", "/"))
    if norm == ".." or norm.startswith("../"):
        return PathError("escape", f"{rel} points outside the book folder",
                         "keep every file the book uses inside its folder")
    return norm


def _close_names(folder: Path, norm: str) -> str | None:
    try:
        names = os.listdir(folder)
    except OSError:
        return None
    close = difflib.get_close_matches(posixpath.basename(norm), names, n=1, cutoff=0.6)
    return f"did you mean {posixpath.join(posixpath.dirname(norm), close[0])}?" if close else None


def resolve_inside(book_dir: Path, rel: str, *, must_exist: bool = True) -> Path | PathError:
    """The absolute path of ``rel`` inside ``book_dir``, or why it is refused.

    With ``must_exist`` the path must be an existing regular file (or a symlink to one that
    stays inside), spelled with the same letter case as on disk.
    """
    norm = check_relative(rel)
    if isinstance(norm, PathError):
        return norm
    root = book_dir.resolve()
    target = root / norm
    try:
        if (target.exists() or target.is_symlink()) and \
                not target.resolve().is_relative_to(root):
            return PathError("escape", f"{rel} is a link to a place outside the book folder",
                             "copy the file into the book folder instead of linking to it")
        target.stat()  # a loop of links or a name too long raise here, not later
    except RuntimeError:  # Python 3.11's resolve() on a loop of symbolic links
        return PathError("not-a-file", f"{rel} is a loop of symbolic links")
    except FileNotFoundError:
        pass
    except OSError as exc:
        return PathError("not-a-file", f"{rel} cannot be read: {exc.strerror}")
    if not must_exist:
        return target
    if not target.exists():
        hint = _close_names(target.parent, norm) if target.parent.is_dir() else None
        return PathError("missing", f"{rel} does not exist", hint)
    if not target.is_file():
        return PathError("not-a-file", f"{rel} is a folder, not a file")
    folder = root
    for part in PurePosixPath(norm).parts:
        if part not in os.listdir(folder):
            actual = next((n for n in os.listdir(folder) if n.lower() == part.lower()), part)
            return PathError("case", f"{rel} is spelled {actual} on disk",
                             "letter case matters in an EPUB and on Linux")
        folder = folder / part
    return target


MAX_FILE_BYTES = 256 * 1024 * 1024  # no image, font, stylesheet or template comes near


def confine(path: Path, roots: Iterable[Path], *, limit: int = MAX_FILE_BYTES
            ) -> Path | PathError:
    """``path`` with every symlink resolved, if that is a regular file of at most ``limit``
    bytes inside one of ``roots`` (resolved folders); else why not.

    The one rule for every file a renderer reads, whoever names it (a layout manifest, a
    template's ``include``, a ``file:`` URL): a ``..``, an absolute path or a symlink that
    leads out is refused, and so are FIFOs and devices, which would hang or flood a read.
    """
    try:
        resolved = Path(path).resolve()
    except (OSError, RuntimeError):  # a symlink loop, a name too long
        return PathError("not-a-file", f"{path} cannot be resolved (a symlink loop?)")
    if not any(resolved.is_relative_to(root) for root in roots):
        return PathError("escape", f"{path} is outside the book and layout folders",
                         "keep every file the book uses inside its folder")
    try:
        info = resolved.stat()
    except OSError:
        return PathError("missing", f"{path} does not exist")
    if not stat.S_ISREG(info.st_mode):
        return PathError("not-a-file", f"{path} is not a regular file")
    if info.st_size > limit:
        return PathError("not-a-file", f"{path} is larger than {plain_files.human_size(limit)}")
    return resolved


def confine_relative(folder: Path, rel: str, roots: Iterable[Path], *,
                     limit: int = MAX_FILE_BYTES) -> Path | PathError:
    """``rel`` (as a manifest writes it: relative, inside ``folder``) through :func:`confine`."""
    norm = check_relative(rel)
    if isinstance(norm, PathError):
        return norm
    found = confine(folder / norm, roots, limit=limit)
    if isinstance(found, PathError):  # named as the manifest wrote it
        return found._replace(message=found.message.replace(str(folder / norm), rel, 1))
    return found


class ConfinedFile(NamedTuple):
    """A file read through :func:`read_confined`: where it is, symlinks resolved, and its
    bytes."""

    path: Path
    data: bytes


def read_confined(path: Path, roots: Iterable[Path], *, limit: int = MAX_FILE_BYTES
                  ) -> ConfinedFile | PathError:
    """``path`` checked by :func:`confine`, then read the way every book file is read
    (plain_files: ``O_NONBLOCK``, checked again on the open descriptor, at most ``limit``
    bytes), or why not.

    What a renderer reads goes through here, not through ``Path.read_bytes``: a path
    confined when the layout was loaded may have been swapped for a symlink, a FIFO or a
    larger file by the time it is read, and only the read itself can tell.
    """
    found = confine(path, roots, limit=limit)
    if isinstance(found, PathError):
        return found
    try:
        return ConfinedFile(found, plain_files.read_bytes(found, limit, follow=False))
    except OSError as exc:
        return PathError("not-a-file", f"{path} cannot be read: {exc.strerror}")
