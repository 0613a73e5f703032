"""stack_room: calls deep in a build never start a stack chunk (python/cpython#142183)."""

from __future__ import annotations

import os
import resource
import sys

import pytest

from make_book import stack_room
from make_book.render.print import renderer

CALLS = 2000


def _leaf():
    return None


# a frame larger than _at's: where the last _at frame fits a chunk and _leaf's does not,
# every _leaf call starts a chunk of its own
_leaf.__code__ = _leaf.__code__.replace(co_stacksize=_leaf.__code__.co_stacksize + 64)


def _at(depth: int) -> int:
    """Minor page faults of CALLS calls made ``depth`` frames below the caller."""
    if depth:
        return _at(depth - 1)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    for _ in range(CALLS):
        _leaf()
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before


def thrashing_depths(limit: int = 400) -> list[int]:
    """The depths below the caller at which each call maps a fresh chunk (a page fault per
    call: its first frame written to a chunk just mapped)."""
    return [d for d in range(limit) if _at(d) >= CALLS * 0.9]


def test_calls_made_with_room_never_start_a_chunk():
    without = thrashing_depths()
    if not without:
        pytest.skip(f"Python {sys.version.split()[0]} caches a stack chunk: "
                    "gh-142183 is fixed here and stack_room is not needed")
    assert stack_room.with_room(thrashing_depths) == []


def test_with_room_returns_raises_and_nests():
    assert stack_room.with_room(lambda a, b=0: a + b, 2, b=3) == 5
    with pytest.raises(ValueError):
        stack_room.with_room(int, "x")
    inner = []
    stack_room.with_room(lambda: inner.append(getattr(stack_room._inside, "yes", False)))
    assert inner == [True]
    assert stack_room._inside.yes is False  # reset after the call


def test_a_process_forked_inside_the_room_stays_in_it():
    def child_sees() -> bool:
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: is it still inside? (no new chunk needed)
            os.write(write, b"1" if stack_room._inside.yes else b"0")
            os._exit(0)
        os.close(write)
        seen = os.read(read, 1)
        os.waitpid(pid, 0)
        os.close(read)
        return seen == b"1"
    assert stack_room.with_room(child_sees)


def test_the_print_renderer_runs_in_the_room():
    assert renderer.render_print.__wrapped__ is not None
    assert renderer.render_print.__code__ is stack_room.in_room(_leaf).__code__
