"""Footnotes kept on their call's page when orphans forbid a page break.

When a paragraph's first line ends a page and its second does not fit, breaking there
would leave an orphan. WeasyPrint (since Kozea/WeasyPrint#2432) then makes room for the
second line by moving the page's last footnotes to the next page, away from their calls,
and only when the page holds no footnote does it start the paragraph on the next page. A
scholarly book keeps every note on its call's page and starts the paragraph on the next
page, as WeasyPrint does without notes; :func:`notes_stay_with_calls` makes it do so always.

It compiles WeasyPrint's own ``_linebox_layout`` with that one condition turned off, so
everything else (line breaking, widows and orphans, ``footnote-policy``) stays WeasyPrint's.
Where the condition does not read as in the versions we know (a later WeasyPrint changed
it), WeasyPrint is left alone and the print renderer's repairs
(:func:`make_book.render.print.pages.block_to_break`) move such paragraphs themselves, at
the cost of laying part of the chapter out again. The patch holds only inside the
``with`` block, so other users of WeasyPrint in the process see it unchanged.
"""

from __future__ import annotations

import inspect
import types
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache

from weasyprint.layout import block

from make_book.render.weasy.reliance import Reliance

# The line in weasyprint/layout/block.py (as in WeasyPrint 70) that decides to move
# footnotes to the next page to make room for a line orphans would otherwise forbid.
REPORT_LINE = "report = not context.in_column and can_break_now and not could_break_before"
NO_REPORT = "report = False"


@cache
def _patched_linebox_layout() -> types.FunctionType | None:
    original = block._linebox_layout
    try:
        source = inspect.getsource(original)
        first_line = inspect.getsourcelines(original)[1]
    except (OSError, TypeError):  # no source shipped: nothing to patch
        return None
    if source.count(REPORT_LINE) != 1:
        return None
    # Padded so the compiled function keeps the file's line numbers in tracebacks.
    code = compile("\n" * (first_line - 1) + source.replace(REPORT_LINE, NO_REPORT),
                   block.__file__, "exec")
    scratch: dict = {}
    exec(code, dict(vars(block)), scratch)  # noqa: S102 (WeasyPrint's own source, one line changed)
    compiled = scratch[original.__name__]
    return types.FunctionType(compiled.__code__, vars(block), original.__name__,
                              original.__defaults__, original.__closure__)


def available() -> bool:
    """Whether this WeasyPrint can be made to keep notes with their calls."""
    return _patched_linebox_layout() is not None


@contextmanager
def notes_stay_with_calls() -> Iterator[bool]:
    """Within the block, WeasyPrint starts a paragraph on the next page rather than move
    footnotes off their call's page; yields whether it could be arranged."""
    patched = _patched_linebox_layout()
    if patched is None:
        yield False
        return
    previous = block._linebox_layout
    block._linebox_layout = patched
    try:
        yield True
    finally:
        block._linebox_layout = previous


RELIES_ON = (
    Reliance("weasyprint.layout.block._linebox_layout decides to move footnotes for an "
             f"orphaned line with `{REPORT_LINE}` (its source shipped)", available),
)
