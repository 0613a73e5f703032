"""``make-book changes BOOK --from TAG [--to TAG]``: write the book's CHANGES.md from git.

Written to ``--out`` (default ``build/<slug>/CHANGES.md``, beside the build's files), never
into the book's folder: a CHANGES.md there is the editor's own, which a release copies
instead of generating one (make_book.release.changes_file).

Exit status: 0 written; 1 a problem with the book or its history (D010-D012, book.yaml).
"""

from __future__ import annotations

from pathlib import Path

from make_book.catalogue import root_slug
from make_book.changes.document import changes_markdown
from make_book.changes.history import HistoryError, history
from make_book.errors import Diagnostic, MakeBookError
from make_book.output import write_atomic


def printing_words(meta) -> tuple[str | None, str | None]:
    """('second printing, 2025-01', its corrections) for the current printing of
    ``printings``; (None, None) when book.yaml lists none."""
    from make_book.render.credits import english_ordinal
    current = meta.printings[-1] if meta.printings else None
    if current is None:
        return None, None
    words = f"{english_ordinal(current.number).lower()} printing"
    return (words + (f", {current.date}" if current.date else ""), current.corrections)


def make_changes(root: Path, start: str | None, end: str, end_name: str | None = None
                 ) -> bytes:
    """The CHANGES.md text of ``root`` between two refs; raises MakeBookError."""
    from make_book.config.load import load_book_metadata
    meta = load_book_metadata(root)
    try:
        found = history(root, start, end, end_name)
    except HistoryError as exc:
        raise MakeBookError([exc.diagnostic]) from None
    printing, corrections = printing_words(meta)
    return changes_markdown(found, str(meta.title), printing, corrections).encode("utf-8")


def changes(root: Path, start: str, end: str, out: Path | None) -> tuple[Path | None,
                                                                          list[Diagnostic]]:
    """Write the file; (where, []) or (None, the problems)."""
    root = root.resolve()
    target = out if out is not None else Path("build") / root_slug(root) / "CHANGES.md"
    try:
        text = make_changes(root, start, end)
    except MakeBookError as exc:
        return None, list(exc.diagnostics)
    return write_atomic(target, text, target.parent), []
