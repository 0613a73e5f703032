"""The only writer of build outputs: whole files or nothing.

A failed, interrupted or killed build must leave the previous artifact untouched: bytes go
to a temporary file beside the target, are flushed to disk, then ``os.replace`` swaps them
in (atomic on POSIX within one file system).

A build killed outright (SIGKILL, out of memory, a cancelled CI job) cannot remove its own
temporary file, so the name carries the writer's process id, ``.<name>.<pid>.<random>.tmp``,
and the next successful write of the same artifact removes those whose process is gone. A
temporary file never has the artifact's own name, so nothing can mistake it for a result.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from make_book.errors import MakeBookError, error

TEMP_SUFFIX = ".tmp"


def ensure_inside(path: Path, out_dir: Path) -> Path:
    resolved = path.resolve()
    try:
        resolved.relative_to(out_dir.resolve())
    except ValueError:
        raise MakeBookError(error("B002", f"refusing to write {path}: outside {out_dir}")) from None
    return resolved


def temp_prefix(target: Path) -> str:
    return f".{target.name}."


def write_atomic(path: Path, data: bytes, out_dir: Path) -> Path:
    target = ensure_inside(path, out_dir)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f"{temp_prefix(target)}{os.getpid()}.",
                               suffix=TEMP_SUFFIX, dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    _sync_folder(target.parent)
    remove_stale_temps(target)
    return target


def remove_stale_temps(target: Path) -> list[Path]:
    """Delete the temporary files of ``target`` left by writers that no longer run (a
    killed build); a concurrent writer's file is left alone. Returns what was removed."""
    prefix = temp_prefix(target)
    removed = []
    try:
        entries = list(target.parent.iterdir())
    except OSError:
        return removed
    for entry in entries:
        name = entry.name
        if not (name.startswith(prefix) and name.endswith(TEMP_SUFFIX)):
            continue
        pid = name[len(prefix):].split(".", 1)[0]
        if pid.isdigit() and int(pid) != os.getpid() and _running(int(pid)):
            continue
        try:
            if entry.is_dir() and not entry.is_symlink():  # a web edition's folder
                shutil.rmtree(entry)
            else:
                entry.unlink()
            removed.append(entry)
        except FileNotFoundError:
            pass
        except OSError:
            continue  # not ours to remove (permissions): harmless, it is not the artifact
    return removed


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    except OverflowError:
        return False
    return True


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX); not every platform can open a folder."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def write_tree_atomic(folder: Path, files: dict[str, bytes], out_dir: Path) -> Path:
    """A folder of files (a web edition) as one artifact: written in full to a temporary
    folder beside ``folder``, then swapped in with renames, so a reader of ``folder`` sees
    the old edition or the new one, never a mixture, and a failed write leaves the old one.

    POSIX has no atomic replace of a non-empty folder: the old one is renamed aside first,
    the new one renamed in, then the old one removed (a crash between the two renames leaves
    the old edition under its ``.old`` name, which the next write clears). ``files`` maps
    POSIX paths inside ``folder`` to their bytes."""
    target = ensure_inside(folder, out_dir)
    target.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_temps(target)
    tmp = Path(tempfile.mkdtemp(prefix=f"{temp_prefix(target)}{os.getpid()}.",
                                suffix=TEMP_SUFFIX, dir=target.parent))
    old = target.parent / f"{temp_prefix(target)}{os.getpid()}.old{TEMP_SUFFIX}"
    try:
        for rel, data in sorted(files.items()):
            path = tmp / rel
            if not path.resolve().is_relative_to(tmp.resolve()):
                raise MakeBookError(error("B002", f"refusing to write {rel}: outside {target}"))
            path.parent.mkdir(parents=True, exist_ok=True)
            with open(path, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(path, 0o644)
        for sub in [tmp, *(p for p in tmp.rglob("*") if p.is_dir())]:
            os.chmod(sub, 0o755)
        had_old = target.exists()
        if had_old:
            os.replace(target, old)
        os.replace(tmp, target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        if old.exists() and not target.exists():  # put the old edition back
            os.replace(old, target)
        raise
    shutil.rmtree(old, ignore_errors=True)
    _sync_folder(target.parent)
    return target
