"""Publishing a release folder: all of it or none of it, the earlier release kept until then.

Books are built into a staging folder; only when every one passed are their folders moved
into ``<out>/<version>/``. A book released earlier under the same slug is not deleted
first: its folder is moved aside (``<out>/.replaced.<pid>.<random>/``), the new one is moved
in, and the manifest and checksums are written; only then is the earlier folder removed. If
any of that fails (a full disk, a permission, a bug), every step is undone: the new folders
go, the earlier ones and the earlier manifest come back. A release killed in the middle
of it (SIGKILL) leaves the earlier folders in ``.replaced.*`` beside the release, to be
put back by hand, never deleted.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from make_book.output import _running


@dataclass
class _Moved:
    final: Path
    previous: Path | None  # where the earlier folder waits, if there was one
    placed: bool = False   # the new folder is at ``final``


def staging_folder(out: Path, version: str) -> Path:
    """A new folder of this run's own for building ``version`` (a concurrent release of the
    same version keeps its own), after removing those of runs that were killed."""
    prefix = f".staging-{version}."
    for entry in out.iterdir():
        pid = entry.name[len(prefix):].split(".", 1)[0]
        if (entry.name.startswith(prefix) and pid.isdigit() and entry.is_dir()
                and not entry.is_symlink() and not _running(int(pid))):
            shutil.rmtree(entry, ignore_errors=True)
    return Path(tempfile.mkdtemp(prefix=f"{prefix}{os.getpid()}.", dir=out))


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif path.exists() or path.is_symlink():
        path.unlink()


def publish(staged: dict[str, Path], release_dir: Path, kept_files: Iterable[str],
            finish: Callable[[], None]) -> None:
    """Move each ``staged[slug]`` folder to ``release_dir/slug``, then run ``finish`` (which
    writes ``kept_files`` of ``release_dir``, the manifest and its checksums). Raises what
    failed after undoing every step, so ``release_dir`` is as it was."""
    created = not release_dir.exists()
    release_dir.mkdir(parents=True, exist_ok=True)
    aside = Path(tempfile.mkdtemp(prefix=f".replaced.{os.getpid()}.", dir=release_dir.parent))
    moved: list[_Moved] = []
    files: dict[Path, Path | None] = {}  # a file `finish` rewrites -> its earlier copy
    try:
        for slug, source in staged.items():
            final = release_dir / slug
            step = _Moved(final, aside / slug if final.exists() or final.is_symlink() else None)
            moved.append(step)
            if step.previous is not None:
                os.replace(final, step.previous)
            os.replace(source, final)
            step.placed = True
        for name in kept_files:
            path = release_dir / name
            files[path] = aside / f"file-{name}" if path.is_file() else None
            if files[path] is not None:
                shutil.copy2(path, files[path])
        finish()
    except BaseException:
        _undo(moved, files, release_dir if created else None)
        if _empty(aside):
            aside.rmdir()
        raise
    shutil.rmtree(aside, ignore_errors=True)


def _empty(folder: Path) -> bool:
    """Whether everything earlier went back (only then may ``folder`` go)."""
    try:
        return not any(folder.iterdir())
    except OSError:
        return False


def _undo(moved: list[_Moved], files: dict[Path, Path | None], made: Path | None) -> None:
    """Put back what :func:`publish` changed, as far as the file system lets it; a step that
    cannot be undone leaves the earlier folder aside rather than deleting it."""
    for path, earlier in files.items():
        try:
            if earlier is not None:
                os.replace(earlier, path)
            else:
                _remove(path)
        except OSError:
            pass
    for step in reversed(moved):
        try:
            if step.placed:
                _remove(step.final)
            if step.previous is not None:
                os.replace(step.previous, step.final)
        except OSError:
            pass
    if made is not None:
        try:
            made.rmdir()  # only when empty: it did not exist before
        except OSError:
            pass
