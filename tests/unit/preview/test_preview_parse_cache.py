"""The preview's parses, through the build's cache: an edit re-parses its file only, and
a file read from the cache gives the same book and the same diagnostics as one parsed
anew; the session's folder goes when it stops."""

from __future__ import annotations

from make_book.errors import Diagnostics
from make_book.manuscript.book import load_book
from make_book.preview.parse_cache import ParseCache
from tests.preview_support import CHAPTER_TWO, save, write_book


def _load(root, cache):
    diagnostics = Diagnostics()
    return load_book(root, diagnostics, parser=cache), diagnostics


def test_only_the_edited_file_is_parsed_again(tmp_path):
    root = write_book(tmp_path / "book")
    cache = ParseCache(tmp_path / "cache")
    first, _ = _load(root, cache)
    assert sorted(cache.take_parsed()) == ["chapters/01-harbour.md", "chapters/02-bell.md"]
    again, _ = _load(root, cache)
    assert cache.take_parsed() == []
    assert [c.body.xml for c in again.chapters] == [c.body.xml for c in first.chapters]
    save(root / "chapters" / "02-bell.md", CHAPTER_TWO.replace("twice", "three times"))
    edited, _ = _load(root, cache)
    assert cache.take_parsed() == ["chapters/02-bell.md"]
    assert "three times" in edited.chapters[1].body.xml
    assert edited.chapters[0].body.xml == first.chapters[0].body.xml


def test_a_file_from_the_cache_gives_its_diagnostics_again(tmp_path):
    root = write_book(tmp_path / "book")
    save(root / "chapters" / "02-bell.md", CHAPTER_TWO + "\nA ~~~strange~ mark.\n"
         "\n<marquee>old</marquee>\n")
    cache = ParseCache(tmp_path / "cache")
    _, parsed = _load(root, cache)
    _, cached = _load(root, cache)
    assert cache.take_parsed() == ["chapters/01-harbour.md", "chapters/02-bell.md"]
    assert list(parsed) and list(cached) == list(parsed)


def test_the_cached_tree_is_not_shared(tmp_path):
    """Each load gets its own copy: a stage editing a tree in place cannot change the
    next build's."""
    root = write_book(tmp_path / "book")
    cache = ParseCache(tmp_path / "cache")
    diagnostics = Diagnostics()
    one = cache(root / "chapters" / "02-bell.md", "chapters/02-bell.md", diagnostics)
    one.section.clear()
    two = cache(root / "chapters" / "02-bell.md", "chapters/02-bell.md", diagnostics)
    assert len(two.section) > 0


def test_its_own_folder_is_removed_when_closed(tmp_path):
    root = write_book(tmp_path / "book")
    cache = ParseCache()
    _load(root, cache)
    assert any(cache.folder.iterdir())
    cache.close()
    assert not cache.folder.exists()
    given = ParseCache(tmp_path / "kept")
    _load(root, given)
    given.close()
    assert any((tmp_path / "kept").iterdir())


def test_a_heading_added_elsewhere_reparses_no_other_file(tmp_path):
    """The build cache's key holds only the heading names a file may refer to."""
    root = write_book(tmp_path / "book")
    cache = ParseCache()
    _load(root, cache)
    cache.take_parsed()
    save(root / "chapters" / "02-bell.md", CHAPTER_TWO + "\n## A New Section\n\nText.\n")
    _load(root, cache)
    assert cache.take_parsed() == ["chapters/02-bell.md"]
    cache.close()
