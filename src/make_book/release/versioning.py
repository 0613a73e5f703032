"""Which version and date a release carries: ``--version``, else the git tag or commit of the
book's folder (run without the repository's configured programs), and the commit's time as
the artifacts' date. Split from :mod:`make_book.release.command`.
"""

from __future__ import annotations

import re
from pathlib import Path

from make_book import external

VERSION_RE = re.compile(r"[0-9A-Za-z][0-9A-Za-z._+-]{0,99}")


class UsageError(Exception):
    pass


def _git(args: list[str], cwd: Path) -> str | None:
    """git in the book's folder, which may be a manuscript's own repository: never with its
    configuration's programs or the caller's environment (make_book.external.git)."""
    return external.git(args, cwd)


def release_version(explicit: str | None, cwd: Path) -> str:
    version = explicit or _git(["describe", "--tags", "--exact-match"], cwd) \
        or _git(["rev-parse", "--short", "HEAD"], cwd)
    if not version:
        raise UsageError("no version: pass --version, or run inside a git repository")
    if not VERSION_RE.fullmatch(version):
        raise UsageError(f"version '{version}' is not a folder name (letters, digits, . _ + -)")
    return version


def commit_epoch(cwd: Path) -> int | None:
    value = _git(["log", "-1", "--format=%ct"], cwd)
    return int(value) if value and value.isdigit() else None
