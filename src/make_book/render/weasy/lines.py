"""A paragraph's line must not end after one word because a space was measured.

WeasyPrint 70 lays out a text box that is followed by an inline element (``... the
author of <em>War``) with the box's trailing space: ``split_first_line`` asks Pango for
the first line, Pango keeps the whole text on it (a trailing space may hang past the
edge), but WeasyPrint then measures the line *with* the space, finds it a few pixels
wider than the room left, concludes that "the line can't be split earlier" and sets only
the box's first word (or the first part of a hyphenated first word) on the line. The
paragraph then shows a short line in mid-text and continues flush left on the next
("Names with a settled English" / "form" / "keep it: ..."; "educa-" / "tion and ...").

:func:`trailing_space_hangs` wraps ``split_first_line`` for the length of the render:
when WeasyPrint split a text that ends with collapsible spaces, and the same text
without them fits on the line whole, the text is set whole (as WeasyPrint sets any box
that fits; its inline layout already lets a trailing space hang over the edge, see
``trailing_whitespace_size`` in ``split_inline_box``). Every other line is WeasyPrint's.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from weasyprint.layout import inline
from weasyprint.text import line_break

from make_book.render.weasy.reliance import Reliance, reads, takes

__all__ = ["RELIES_ON", "SPLIT_FIRST_LINE", "trailing_space_hangs"]

# the parameters of split_first_line, passed on as they come
SPLIT_FIRST_LINE = ("text", "style", "context", "max_width", "justification_spacing",
                    "is_line_start", "minimum")


@contextmanager
def trailing_space_hangs() -> Iterator[None]:
    """Within the block, a text box whose words fit the line is never split because of
    the space after its last word."""
    original = inline.split_first_line

    def split_first_line(text, style, context, max_width, justification_spacing,
                         is_line_start=True, minimum=False):
        result = original(text, style, context, max_width, justification_spacing,
                          is_line_start=is_line_start, minimum=minimum)
        if (result[2] is None or max_width is None or not text.endswith(" ")
                or style["white_space"] != "normal"):
            return result
        words = text.rstrip(" ")
        if not words:
            return result
        whole = original(words, style, context, max_width, justification_spacing,
                         is_line_start=is_line_start, minimum=minimum)
        if whole[2] is not None or whole[3] > max_width:  # result[3]: the line's width
            return result  # a true split: the words themselves do not fit
        # set the text whole, its space included (the next box on the line needs it)
        return original(text, style, context, None, justification_spacing,
                        is_line_start=is_line_start, minimum=minimum)

    inline.split_first_line = split_first_line
    try:
        yield
    finally:
        inline.split_first_line = original


RELIES_ON = (
    Reliance("weasyprint.layout.inline.split_first_line takes (" + ", ".join(SPLIT_FIRST_LINE)
             + ")", lambda: takes(inline.split_first_line, *SPLIT_FIRST_LINE)),
    Reliance("split_first_line returns (layout, length, resume_at, width, height, baseline)",
             lambda: reads(line_break.first_line_metrics,
                           "return layout, length, resume_at, width, height, baseline")),
    Reliance("split_first_line sets a text whole only when its width, trailing space "
             "included, fits (`first_line_width <= max_width`), else splits it earlier",
             lambda: reads(line_break.split_first_line,
                           "if resume_index is None and first_line_width <= max_width:",
                           "# The line can't be split earlier")),
)
