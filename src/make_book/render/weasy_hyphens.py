"""No more than two hyphenated lines in a row (a "ladder"), which WeasyPrint cannot do.

CSS names the limit ``hyphenate-limit-lines``; WeasyPrint 70 does not implement it, and
justified text set greedily hyphenates three, four, five lines running (on the generated
bench book, 92 such ladders in 571 pages). The layout sets the limit (``print:
hyphenate-limit-lines`` in layout.yaml; two in the default house style), and
:func:`limit_hyphenated_lines` wraps two of WeasyPrint's own layout functions for the
length of the render:

- ``get_next_linebox`` (one call per line of a paragraph) counts the hyphenated lines
  that end just before the line it lays out; the count is keyed by the position the line
  starts from, so lines WeasyPrint lays out and then discards (widows, a page break)
  never count;
- ``split_first_line``, while that count has reached the limit, lays the line out with
  ``hyphens: manual`` (soft hyphens only): the word that would have been split goes to
  the next line, as a typesetter would set it. A word too long for the line on its own is
  still hyphenated (an overfull line is worse than a ladder).

Everything else stays WeasyPrint's. Both names are looked up in ``weasyprint.layout.inline``
at call time, so the wrappers hold only inside the ``with`` block.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from weasyprint.formatting_structure import boxes
from weasyprint.layout import inline

LINE_END_HYPHENS = ("-", "\u2010", "\u00ad")


@dataclass
class _Runs:
    """Per layout: hyphenated lines running up to each line start, and whether the line
    being laid out may hyphenate."""

    runs: dict[tuple, int] = field(default_factory=dict)
    suppress: bool = False
    manual_styles: dict[int, tuple] = field(default_factory=dict)


def _freeze(skip_stack) -> tuple | None:
    if skip_stack is None:
        return None
    return tuple(sorted((k, _freeze(v)) for k, v in skip_stack.items()))


def ends_hyphenated(line) -> bool:
    """Whether a laid-out line ends with a hyphen (one added by hyphenation or a word's
    own)."""
    last = None
    for box in line.descendants():
        if isinstance(box, boxes.TextBox) and box.text:
            last = box
    if last is None:
        return False
    text = last.text.rstrip(" ")
    return text.endswith((last.style["hyphenate_character"], *LINE_END_HYPHENS))


def _manual(state: _Runs, style):
    """The style as it is, but hyphenating only at soft hyphens (one copy per style)."""
    kept = state.manual_styles.get(id(style))
    if kept is None:
        copy = style.copy()
        copy["hyphens"] = "manual"
        kept = state.manual_styles[id(style)] = (style, copy)  # the original keeps its id
    return kept[1]


@contextmanager
def limit_hyphenated_lines(limit: int | None) -> Iterator[None]:
    """Within the block, WeasyPrint sets at most ``limit`` hyphenated lines in a row (no
    limit: ``None``)."""
    if limit is None:
        yield
        return
    original_next = inline.get_next_linebox
    original_split = inline.split_first_line

    def state_of(context) -> _Runs:
        state = getattr(context, "_mb_hyphen_runs", None)
        if state is None:
            state = context._mb_hyphen_runs = _Runs()
        return state

    def get_next_linebox(context, linebox, position_y, bottom_space, skip_stack,
                         *args, **kwargs):
        state = state_of(context)
        run = 0 if skip_stack is None else state.runs.get((id(linebox), _freeze(skip_stack)), 0)
        outer, state.suppress = state.suppress, run >= limit
        try:
            line, resume_at = original_next(context, linebox, position_y, bottom_space,
                                            skip_stack, *args, **kwargs)
        finally:
            state.suppress = outer
        if line is not None and resume_at is not None:
            state.runs[(id(linebox), _freeze(resume_at))] = (
                run + 1 if ends_hyphenated(line) else 0)
        return line, resume_at

    def split_first_line(text, style, context, max_width, *args, **kwargs):
        state = state_of(context)
        if state.suppress and style["hyphens"] == "auto":
            result = original_split(text, _manual(state, style), context, max_width,
                                    *args, **kwargs)
            resume_index, width = result[2], result[3]
            if resume_index is None or max_width is None or width <= max_width:
                return result
        return original_split(text, style, context, max_width, *args, **kwargs)

    inline.get_next_linebox = get_next_linebox
    inline.split_first_line = split_first_line
    try:
        yield
    finally:
        inline.get_next_linebox = original_next
        inline.split_first_line = original_split
