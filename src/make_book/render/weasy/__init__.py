"""Every change make-book makes to WeasyPrint's own behaviour, in one place, with one check
that each still applies.

Each module here wraps or recompiles a WeasyPrint internal for the length of a render,
because WeasyPrint (70) lays out something a book cannot print as it is, and lists in
``RELIES_ON`` what it counts on in WeasyPrint (:mod:`.reliance`): a function's
parameters, a line of its source, an attribute. A WeasyPrint upgrade that moves one of
them would otherwise show as a traceback deep in a layout or as a silent change of the
pages; :func:`check_workarounds` says it before the print build instead, as a B060
warning naming the workaround and the fact (``--strict`` makes it fail the build).
"""

from __future__ import annotations

import importlib
from importlib.metadata import version

from make_book.errors import Diagnostic, Diagnostics, warning

# the workaround modules of this package (imported when checked: the log capture is used
# before WeasyPrint itself loads, and must not load it)
WORKAROUNDS = ("notes", "lines", "hyphens", "folios", "converge", "fonts", "links", "log",
               "libraries")


def broken_workarounds() -> list[Diagnostic]:
    """A B060 warning for each fact a workaround relies on that this WeasyPrint breaks."""
    found = []
    for name in WORKAROUNDS:
        module = f"{__name__}.{name}"
        try:
            reliances = importlib.import_module(module).RELIES_ON
        except ImportError as exc:  # a name it imports from WeasyPrint is gone
            found.append(_broken(name, f"it cannot be imported ({exc})"))
            continue
        found += [_broken(name, reliance.what) for reliance in reliances
                  if not reliance.still_holds()]
    return found


def check_workarounds(diagnostics: Diagnostics) -> None:
    """Report each workaround this WeasyPrint no longer lets apply (see the module)."""
    diagnostics.extend(broken_workarounds())


def _broken(name: str, what: str) -> Diagnostic:
    return warning(
        "B060", f"WeasyPrint {version('weasyprint')}: the workaround render/weasy/{name}.py "
                f"no longer applies: it relies on this, which no longer holds: {what}",
        hint=f"pages may differ from those the workaround makes; update render/weasy/{name}.py "
             "for this WeasyPrint or install the version it was written for (70)")


__all__ = ["WORKAROUNDS", "broken_workarounds", "check_workarounds"]
