"""The release's CHANGES.md: the editor's own when the book folder has one, else made from
the git history of the book's folder since the previous release tag.

A book outside git gets no changes file (there is no history to tell); one whose history
cannot be read as asked is reported (D0xx from make_book.changes.history) and not released.
"""

from __future__ import annotations

from pathlib import Path

from make_book.changes import history as hist
from make_book.changes.command import make_changes
from make_book.errors import Diagnostics, MakeBookError

EDITORS_FILE = "CHANGES.md"


def changes_for_release(root: Path, version: str | None, diagnostics: Diagnostics
                        ) -> bytes | None:
    """The bytes of the release's CHANGES.md (``version``: the release's name for HEAD), or
    None when the book has neither its own file nor a git history."""
    own = root / EDITORS_FILE
    if own.is_file():
        return own.read_bytes()
    if not hist.is_repository(root):
        return None
    try:
        return make_changes(root, hist.previous_tag(root), "HEAD", version)
    except MakeBookError as exc:
        diagnostics.extend(exc.diagnostics)
        return None
