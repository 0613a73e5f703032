"""Following the book's files and the layout folders (watchfiles: the operating system's
change notices, batched, instead of polling every file of a long book)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from pathlib import Path

import watchfiles

from make_book.layouts.chain import search_roots

DEBOUNCE_MS = 150  # an editor's save is several writes; one rebuild for them


def watched_folders(root: Path) -> list[Path]:
    """The book folder (its layout/ override among it) and every folder a named layout is
    looked for in: book.yaml may switch to any of them."""
    folders = [root.resolve()]
    for found in search_roots(root):
        if found.is_dir() and not any(found.is_relative_to(f) for f in folders):
            folders.append(found)
    return folders


def needs_full_rebuild(root: Path, changed: Iterable[Path]) -> bool | None:
    """None when no change matters (the book's build/ folder, hidden files); False when
    only Markdown files of the book changed; True when book.yaml, an image or a layout
    did (stylesheet, fonts and every page may change)."""
    root = root.resolve()
    full, relevant = False, False
    for path in changed:
        inside = path.is_relative_to(root)
        rel = path.relative_to(root).parts if inside else ()
        if inside and (not rel or rel[0] == "build" or any(p.startswith(".") for p in rel)):
            continue
        relevant = True
        if not inside or rel[0] == "layout" or path.suffix.lower() != ".md":
            full = True
    return full if relevant else None


def follow(root: Path, on_change: Callable[[bool], None], stop: threading.Event) -> None:
    """Call ``on_change(full)`` after each batch of changes, until ``stop`` is set."""
    for changes in watchfiles.watch(*watched_folders(root), stop_event=stop,
                                    debounce=DEBOUNCE_MS, step=50, yield_on_timeout=False,
                                    raise_interrupt=False):
        full = needs_full_rebuild(root, (Path(p) for _, p in changes))
        if full is not None:
            on_change(full)
