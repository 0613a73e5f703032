"""What a workaround relies on in WeasyPrint, stated so that it can be checked.

A workaround wraps or recompiles a WeasyPrint internal as it reads in the versions we
know (70). A later WeasyPrint may rename the function, change its parameters or fix the
behaviour itself; the wrapper would then raise deep in a layout, or silently do nothing.
Each workaround module lists its :class:`Reliance` s in ``RELIES_ON`` and
:func:`make_book.render.weasy.broken_workarounds` checks them all before a print build.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Reliance:
    """One fact about WeasyPrint a workaround needs: ``what`` says it (the diagnostic
    quotes it when it no longer holds), ``holds`` tells whether it still does."""

    what: str
    holds: Callable[[], bool]

    def still_holds(self) -> bool:
        """Whether it holds; a check that raises (a name gone, no source) does not."""
        try:
            return bool(self.holds())
        except Exception:  # noqa: BLE001 (any failure means the internal moved)
            return False


def takes(function: Callable, *names: str) -> bool:
    """Whether ``function`` takes exactly these parameters, in this order (a wrapper
    passes them on by position)."""
    return tuple(inspect.signature(function).parameters) == names


def reads(function: Callable, *lines: str) -> bool:
    """Whether ``function``'s source holds each of ``lines`` once (the code a
    workaround counts on still reads as it did)."""
    source = inspect.getsource(function)
    return all(source.count(line) == 1 for line in lines)


def has(owner: object, *names: str) -> bool:
    """Whether ``owner`` (a module or class) still has these attributes."""
    return all(hasattr(owner, name) for name in names)


__all__ = ["Reliance", "has", "reads", "takes"]
