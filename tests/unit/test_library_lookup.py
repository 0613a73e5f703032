"""WeasyPrint's system libraries found with one reading of the linker's cache
(make_book.library_lookup): the same libraries, without a process per spelling."""

from __future__ import annotations

import ctypes.util
import subprocess
import sys

import pytest

from make_book import library_lookup
from make_book.render.weasy import libraries as weasy_libraries

# every spelling WeasyPrint (70) tries, read from its source
SPELLINGS = [
    "libgobject-2.0-0", "gobject-2.0-0", "gobject-2.0", "libpango-1.0-0", "pango-1.0-0",
    "pango-1.0", "libharfbuzz-0", "harfbuzz", "harfbuzz-0.0", "libharfbuzz-subset-0",
    "harfbuzz-subset", "libharfbuzz-vector-0", "harfbuzz-vector", "libfontconfig-1",
    "fontconfig-1", "fontconfig", "libpangoft2-1.0-0", "pangoft2-1.0-0", "pangoft2-1.0",
]

listed = library_lookup.linker_cache()
needs_ldconfig = pytest.mark.skipif(listed is None, reason="no ldconfig -p here")


@needs_ldconfig
def test_every_spelling_finds_what_ctypes_finds():
    quick = library_lookup.quick_find_library(listed, ctypes.util.find_library)
    assert {n: quick(n) for n in SPELLINGS} == {
        n: ctypes.util.find_library(n) for n in SPELLINGS}
    assert quick("pango-1.0") == "libpango-1.0.so.0"  # found, by ctypes itself


def test_a_name_the_cache_lacks_runs_nothing():
    asked = []
    quick = library_lookup.quick_find_library(
        b"\tlibpango-1.0.so.0 (libc6,x86-64) => /usr/lib/libpango-1.0.so.0\n",
        lambda name: asked.append(name) or f"lib{name}.so.0")
    assert quick("libpango-1.0-0") is None and quick("pango-1.0-0") is None
    assert quick("pango-1.0") == "libpango-1.0.so.0"
    assert asked == ["pango-1.0"]


def test_only_while_weasyprint_loads():
    original = ctypes.util.find_library
    with library_lookup.looked_up_once():
        inside = ctypes.util.find_library
    assert ctypes.util.find_library is original
    assert (inside is original) == (listed is None)


def test_without_ldconfig_nothing_changes(monkeypatch):
    monkeypatch.setattr(library_lookup, "LDCONFIG", "/nonexistent/ldconfig")
    original = ctypes.util.find_library
    with library_lookup.looked_up_once():
        assert ctypes.util.find_library is original


@needs_ldconfig
def test_weasyprint_loads_the_same_libraries_and_runs_ldconfig_once():
    """In a fresh process: WeasyPrint loaded through the machine check, with the lookup,
    gets each library at the same path as without it, and only the spellings the
    cache lists reach ctypes."""
    probe = """
import ctypes.util, json, sys
asked = []
find = ctypes.util.find_library
def counting(name):
    asked.append(name)
    return find(name)
ctypes.util.find_library = counting
if sys.argv[1] == "quick":
    from make_book.machine import _print_engine
    assert _print_engine() == ()
from weasyprint.text import ffi
paths = sorted(l.split()[-1] for l in open("/proc/self/maps") if ".so" in l
               and any(k in l for k in ("gobject", "pango", "harfbuzz", "fontconfig")))
print(json.dumps({"paths": sorted(set(paths)), "asked": asked}))
"""
    import json
    runs = {mode: json.loads(subprocess.run([sys.executable, "-c", probe, mode],
                                            capture_output=True, text=True, check=True
                                            ).stdout)
            for mode in ("quick", "plain")}
    assert runs["quick"]["paths"] == runs["plain"]["paths"] and runs["quick"]["paths"]
    assert set(runs["quick"]["asked"]) < set(runs["plain"]["asked"])
    assert all(b"lib" + n.encode() + b"." in listed for n in runs["quick"]["asked"])


def test_the_facts_it_counts_on_hold():
    assert all(r.still_holds() for r in weasy_libraries.RELIES_ON)
