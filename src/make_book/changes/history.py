"""The commits that touched a book's folder between two refs (release tags), read with git.

Git runs through :func:`make_book.external.git` (a manuscript's repository is not ours: none
of its configured programs run). Each commit comes with the files it touched inside the book,
so the changes file can say which part of the book a change is in.

Codes: D010 not a git repository, D011 a ref (tag) that git does not know, D012 the
``--from`` ref is not an ancestor of ``--to``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from make_book import external
from make_book.errors import Diagnostic, error

FIELD, RECORD = "\x1f", "\x1e"  # separators git never finds in a subject


@dataclass(frozen=True)
class Commit:
    sha: str
    date: str  # YYYY-MM-DD, the author date
    subject: str
    files: tuple[str, ...]  # relative to the book's folder, POSIX


@dataclass(frozen=True)
class History:
    """Commits oldest first, between ``start`` (excluded; None: from the first commit) and
    ``end`` (included)."""
    start: str | None
    end: str
    commits: tuple[Commit, ...]


class HistoryError(Exception):
    def __init__(self, diagnostic: Diagnostic):
        self.diagnostic = diagnostic
        super().__init__(diagnostic.message)


def _git(args: list[str], cwd: Path) -> str | None:
    return external.git(args, cwd)


def is_repository(folder: Path) -> bool:
    return _git(["rev-parse", "--git-dir"], folder) is not None


def resolve(ref: str, folder: Path) -> str:
    """The commit a ref names; ``--end-of-options`` keeps a ref from being read as an
    option (a tag named ``--output=x``)."""
    sha = _git(["rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}"],
               folder)
    if sha is None:
        raise HistoryError(error("D011", f"git knows no tag or commit '{ref}'", folder,
                                 hint="see git tag --list"))
    return sha


def previous_tag(folder: Path, ref: str = "HEAD") -> str | None:
    """The nearest tag before ``ref`` (on its first-parent line, ``ref`` itself excluded):
    the release the next one is compared with."""
    if _git(["rev-parse", "--verify", "--quiet", f"{ref}^"], folder) is None:
        return None  # the first commit has no tag before it
    return _git(["describe", "--tags", "--abbrev=0", f"{ref}^"], folder)


def history(folder: Path, start: str | None, end: str = "HEAD",
            end_name: str | None = None) -> History:
    """The commits touching ``folder`` in ``start..end``; raises :class:`HistoryError`.
    ``end_name``: what to call ``end`` (the release's version when ``end`` is HEAD)."""
    if not is_repository(folder):
        raise HistoryError(error("D010", "the book is not in a git repository", folder,
                                 hint="the changes file is made from the git history"))
    end_sha = resolve(end, folder)
    if start is not None:
        start_sha = resolve(start, folder)
        if not _is_ancestor(start_sha, end_sha, folder):
            raise HistoryError(error("D012", f"'{start}' is not an earlier release of "
                                     f"'{end}'", folder, hint="--from names the older tag"))
    span = f"{start_sha}..{end_sha}" if start is not None else end_sha
    top = _git(["rev-parse", "--show-toplevel"], folder)
    inside = folder.resolve().relative_to(Path(top).resolve()).as_posix() if top else "."
    log = _git(["log", "--reverse", "--no-merges", "--date=short", "--name-only",
                f"--format={RECORD}%H{FIELD}%ad{FIELD}%s", span, "--", "."], folder) or ""
    commits = []
    for record in log.split(RECORD):  # the output comes stripped: no empty first record
        if not record.strip():
            continue
        head, _, names = record.strip("\n").partition("\n")
        sha, date, subject = head.split(FIELD, 2)
        files = tuple(_inside(name, inside) for name in names.splitlines() if name.strip())
        commits.append(Commit(sha, date, subject.strip(), files))
    return History(start, end_name or end, tuple(commits))


def _is_ancestor(older: str, newer: str, folder: Path) -> bool:
    base = _git(["merge-base", older, newer], folder)
    return base == older


def _inside(name: str, prefix: str) -> str:
    """A repository path relative to the book's folder (git log names them from the top)."""
    if prefix in (".", ""):
        return name
    return name[len(prefix) + 1:] if name.startswith(prefix + "/") else name
