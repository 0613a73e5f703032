"""The build cache's folder: entries read back as written, torn or foreign ones ignored,
a failed write a warning (the build goes on), keys that change with every input."""

from __future__ import annotations

import os
import pickle

import pytest

from make_book.cache import Cache, content_key, dump_diagnostics, load_diagnostics
from make_book.errors import Diagnostics, error, warning


def test_a_record_reads_back_as_written(tmp_path):
    cache = Cache(tmp_path / "c")
    key = content_key("x", b"\x00bytes", 3, ["a", 1])
    assert cache.get_record("ns", key) is None
    cache.put_record("ns", key, {"rows": [1, "two\nlines"]}, b"\x00\xffbinary\ntail")
    assert cache.get_record("ns", key) == ({"rows": [1, "two\nlines"]}, b"\x00\xffbinary\ntail")
    assert (cache.hits, cache.misses) == (1, 1)


def test_no_temporary_file_is_left(tmp_path):
    cache = Cache(tmp_path)
    cache.put("ns", "ab" * 32, b"payload")
    assert [p.name for p in (tmp_path / "ns" / "ab").iterdir()] == ["ab" * 32]


@pytest.mark.claim("S57")
def test_a_torn_entry_is_a_miss_never_served(tmp_path):
    cache = Cache(tmp_path)
    key = content_key("torn")
    cache.put("ns", key, b"a long payload " * 100)
    entry = tmp_path / "ns" / key[:2] / key
    whole = entry.read_bytes()
    for cut in (len(whole) - 1, len(whole) // 2, 10, 0):  # a write killed part way
        entry.write_bytes(whole[:cut])
        assert cache.get("ns", key) is None
    entry.write_bytes(whole[:-3] + b"XYZ")  # same length, damaged
    assert cache.get("ns", key) is None
    cache.put("ns", key, b"a long payload " * 100)  # rewritten on the next build
    assert cache.get("ns", key) == b"a long payload " * 100


class _Planted:
    """Unpickling this would create a file: the cache must never unpickle."""

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (open, (str(self.marker), "w"))


@pytest.mark.claim("S58")
def test_a_planted_pickle_with_a_valid_checksum_is_never_loaded(tmp_path):
    cache = Cache(tmp_path / "cache")
    marker = tmp_path / "ran"
    cache.put("ns", "ab" * 32, pickle.dumps(_Planted(marker)))  # a valid entry's checksum
    assert cache.get_record("ns", "ab" * 32) is None
    assert not marker.exists()


@pytest.mark.claim("S58")
def test_a_record_that_is_not_json_is_a_miss(tmp_path):
    cache = Cache(tmp_path)
    cache.put("ns", "cd" * 32, b"not json\nblob")
    assert cache.get_record("ns", "cd" * 32) is None


def test_keys_separate_their_parts():
    assert content_key("ab", "c") != content_key("a", "bc")
    assert content_key(["a"]) != content_key("a")
    assert content_key("a", 1) == content_key("a", 1)


def test_an_unwritable_folder_is_one_warning(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("a file where the cache folder would go")
    diagnostics = Diagnostics()
    cache = Cache(blocker / "cache", diagnostics)
    cache.put("ns", "ef" * 32, b"1")
    cache.put("ns", "01" * 32, b"2")
    assert [d.code for d in diagnostics] == ["E060"]
    assert not diagnostics.errors
    assert cache.get("ns", "ef" * 32) is None
    assert not [p for p in tmp_path.rglob("*.tmp")]


def test_diagnostics_round_trip_to_another_folder(tmp_path):
    here, there = tmp_path / "a.md", tmp_path / "moved" / "a.md"
    found = [warning("C031", "unknown element", here, 4, hint="use Markdown"),
             error("C030", "removed <script>", here, None)]
    rows = dump_diagnostics(found, here)
    assert load_diagnostics(rows, there) == [
        warning("C031", "unknown element", there, 4, hint="use Markdown"),
        error("C030", "removed <script>", there, None)]
    assert dump_diagnostics([warning("X", "y", tmp_path / "other.md")], here) is None


def test_the_folder_can_be_removed_any_time(tmp_path):
    cache = Cache(tmp_path / "c")
    cache.put("ns", "aa" * 32, b"1")
    for path in sorted((tmp_path / "c").rglob("*"), reverse=True):
        path.unlink() if path.is_file() else os.rmdir(path)
    os.rmdir(tmp_path / "c")
    assert cache.get("ns", "aa" * 32) is None
    cache.put("ns", "aa" * 32, b"2")
    assert cache.get("ns", "aa" * 32) == b"2"
