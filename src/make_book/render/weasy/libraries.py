"""What :mod:`make_book.library_lookup` (WeasyPrint's system libraries found with one
reading of the linker's cache, while :func:`make_book.machine` loads WeasyPrint) counts
on in WeasyPrint and cffi, checked with the other workarounds. The lookup itself lives
below the renderers, where WeasyPrint is first loaded; when a fact here no longer holds,
the pages are the same and only the loading is slow again."""

from __future__ import annotations

import cffi.api
from weasyprint.text import ffi as wp_ffi

from make_book.render.weasy.reliance import Reliance, reads

# the soname WeasyPrint tries last for each library it needs: dlopen finds it without
# find_library, wherever the system would
SONAMES = ("libgobject-2.0.so.0", "libpango-1.0.so.0", "libharfbuzz.so.0",
           "libfontconfig.so.1", "libpangoft2-1.0.so.0")

RELIES_ON = (
    Reliance("cffi's dlopen of a name that is not a path asks "
             "`ctypes.util.find_library(name)`, looked up when it runs",
             lambda: reads(cffi.api._load_backend_lib,
                           "path = ctypes.util.find_library(name)")),
    Reliance("WeasyPrint tries each spelling of a library's name with "
             "`ffi.dlopen(name, flags)`, the library's soname among them",
             lambda: reads(wp_ffi._dlopen, "return ffi.dlopen(name, flags)")
             and reads(wp_ffi, *(f"'{name}'" for name in SONAMES))),
)

__all__ = ["RELIES_ON", "SONAMES"]
