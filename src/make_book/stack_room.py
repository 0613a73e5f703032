"""Room on CPython's frame stack for a print render, against python/cpython#142183.

CPython 3.11 and 3.12 keep Python frames in 16 KiB chunks and free a chunk as soon as its
first frame returns. A loop that calls a function whose frame starts a chunk maps and
unmaps 16 KiB on every call (fixed in 2026 by caching one chunk per thread, in 3.13 and
later). WeasyPrint's line layout is such a loop at some depths: a 467-page book laid out
in one process made 480,000 mmap/munmap pairs, 4.4 s of system time and 400,000 page
faults on a 34 s build (bare WeasyPrint on the same HTML: 0.6 s of system time).

:func:`with_room` calls a function from a frame that reserves about 1 MiB of stack slots
it never touches: CPython gives that frame a chunk of its own of 2 MiB, and every frame the
call makes (WeasyPrint's deepest recursions take well under 1 MiB) is pushed after it in the
same chunk, so no call in the build starts a chunk. The unused slots are never written, so
they cost address space, not memory. A worker process forked inside the call runs inside
the chunk too; a call already inside one does not make another.

The test (``tests/unit/test_stack_room.py``) finds a depth where calls thrash without the
room and checks that they do not with it; it skips where this Python caches chunks.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")

# slots in the frame: with CPython's 1,000 words of slack (push_chunk), just over 1 MiB,
# so the chunk is 2 MiB and about 1 MiB of it is left after the frame
_SLOTS = (1 << 20) // 8 - 1000 + 1

_inside = threading.local()  # per thread; a forked process keeps its forking thread's


def _roomy(fn, args, kwargs):
    return fn(*args, **kwargs)


_roomy.__code__ = _roomy.__code__.replace(co_stacksize=_roomy.__code__.co_stacksize + _SLOTS)


def in_room(fn: Callable[..., T]) -> Callable[..., T]:
    """``fn``, called with :func:`with_room`."""
    @functools.wraps(fn)
    def call(*args, **kwargs):
        return with_room(fn, *args, **kwargs)
    return call


def with_room(fn: Callable[..., T], *args, **kwargs) -> T:
    """``fn(*args, **kwargs)``, with every frame it pushes in one large stack chunk."""
    if getattr(_inside, "yes", False):
        return fn(*args, **kwargs)
    _inside.yes = True
    try:
        return _roomy(fn, args, kwargs)
    finally:
        _inside.yes = False
