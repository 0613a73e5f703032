"""WeasyPrint's system libraries found with one reading of the linker's cache (issue 15).

WeasyPrint (``weasyprint/text/ffi.py``) loads each of its seven libraries by trying up to
six spellings of its name (Windows', macOS' and Linux') with cffi's ``dlopen``, which asks
``ctypes.util.find_library`` for every spelling that is not a file name. On Linux each of
those calls runs ``ldconfig -p``, and for a name the cache lacks, ``gcc`` and ``ld`` too:
22 calls, 16 of them for names no Linux has, 0.3 s of every print build (measured on a
machine with gcc: 0.30 s of the 0.86 s ``import weasyprint`` takes).

While WeasyPrint loads (:func:`looked_up_once`), a name the linker's cache does not list
at all (no ``lib<name>.`` in one reading of ``ldconfig -p``) is not found at once, and
any other name is looked up by ``ctypes`` as before. So the same libraries load:
a name ``find_library`` would have found through the cache is found by it again, and
WeasyPrint's last spelling of each library is its soname, which ``dlopen`` finds
wherever the system would (``LD_LIBRARY_PATH`` included) without asking
``find_library``. Where ``ldconfig -p`` cannot be read (not Linux), nothing changes.
:data:`RELIES_ON` states what this counts on in cffi and WeasyPrint; a change there only
makes the lookup slow again, and the workaround check says so (B060).
"""

from __future__ import annotations

import contextlib
import ctypes.util
import os
import subprocess
from collections.abc import Callable, Iterator

LDCONFIG = "/sbin/ldconfig"


def linker_cache() -> bytes | None:
    """``ldconfig -p`` as ctypes reads it (None when it cannot be run)."""
    try:
        done = subprocess.run([LDCONFIG, "-p"], capture_output=True, check=False,
                              env={"LC_ALL": "C", "LANG": "C"}, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout if done.returncode == 0 and done.stdout else None


def quick_find_library(listed: bytes, find: Callable[[str], str | None]
                       ) -> Callable[[str], str | None]:
    """``find`` (ctypes' ``find_library``) for names ``listed`` mentions; None for the
    others, without running anything."""
    def find_library(name: str) -> str | None:
        if b"lib" + os.fsencode(name) + b"." not in listed:
            return None
        return find(name)
    return find_library


@contextlib.contextmanager
def looked_up_once() -> Iterator[None]:
    """Within the block, ``ctypes.util.find_library`` answers at once for names the
    linker's cache lacks (see the module)."""
    listed = linker_cache()
    original = ctypes.util.find_library
    if listed is None:
        yield
        return
    ctypes.util.find_library = quick_find_library(listed, original)
    try:
        yield
    finally:
        ctypes.util.find_library = original


__all__ = ["linker_cache", "looked_up_once", "quick_find_library"]
