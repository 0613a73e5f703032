"""Which changes rebuild what, and that a saved file is noticed."""

from __future__ import annotations

import threading

from make_book.preview.watch import follow, needs_full_rebuild, watched_folders
from tests.preview_support import CHAPTER_TWO, save, wait_for, write_book


def test_changes_sorted(tmp_path):
    root = write_book(tmp_path / "book")
    chapter = root / "chapters" / "02-bell.md"
    assert needs_full_rebuild(root, [chapter]) is False
    assert needs_full_rebuild(root, [chapter, root / "book.yaml"]) is True
    assert needs_full_rebuild(root, [root / "images" / "map.png"]) is True
    assert needs_full_rebuild(root, [root / "layout" / "css" / "epub.css"]) is True
    assert needs_full_rebuild(root, [tmp_path / "layouts" / "house" / "layout.yaml"]) is True
    # the book's build folder and hidden files (editors' temporary files) are not the book
    assert needs_full_rebuild(root, [root / "build" / "book" / "book.epub"]) is None
    assert needs_full_rebuild(root, [root / "chapters" / ".02-bell.md.tmp"]) is None
    assert needs_full_rebuild(root, []) is None


def test_the_book_and_the_layouts_are_watched(tmp_path, monkeypatch):
    root = write_book(tmp_path / "book")
    (tmp_path / "layouts").mkdir()
    monkeypatch.chdir(tmp_path)
    folders = watched_folders(root)
    assert folders[0] == root.resolve()
    assert (tmp_path / "layouts").resolve() in folders
    assert any((f / "default" / "layout.yaml").is_file() for f in folders)  # make-book's


def test_a_save_is_noticed(tmp_path):
    root = write_book(tmp_path / "book")
    seen: list[bool] = []
    stop = threading.Event()
    watcher = threading.Thread(target=follow, args=(root, seen.append, stop), daemon=True)
    watcher.start()
    try:
        def saved() -> bool:  # the watcher may start after a first save
            save(root / "chapters" / "02-bell.md", CHAPTER_TWO + "\nMore.\n")
            return bool(seen)
        wait_for(saved, 30, "the change", interval=1)
        assert seen[0] is False  # a chapter: no full rebuild
    finally:
        stop.set()
        watcher.join(10)
    assert not watcher.is_alive()
