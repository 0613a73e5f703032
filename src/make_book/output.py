"""The only writer of build outputs: whole files or nothing.

A failed, interrupted or killed build must leave the previous artifact untouched: bytes go
to a temporary file beside the target, are flushed to disk, then ``os.replace`` swaps them
in (atomic on POSIX within one file system).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from make_book.errors import MakeBookError, error


def ensure_inside(path: Path, out_dir: Path) -> Path:
    resolved = path.resolve()
    try:
        resolved.relative_to(out_dir.resolve())
    except ValueError:
        raise MakeBookError(error("B002", f"refusing to write {path}: outside {out_dir}")) from None
    return resolved


def write_atomic(path: Path, data: bytes, out_dir: Path) -> Path:
    target = ensure_inside(path, out_dir)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
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
    return target
