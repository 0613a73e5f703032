"""Hyphenation rules WeasyPrint cannot follow: no more than two hyphenated lines in a row
(a "ladder"), and no hyphen at the foot of a right-hand page (the word would continue
overleaf).

CSS names the limit ``hyphenate-limit-lines``; WeasyPrint 70 does not implement it, and
justified text set greedily hyphenates three, four, five lines running (on the generated
bench book, 92 such ladders in 571 pages). The layout sets the limit (``print:
hyphenate-limit-lines`` in layout.yaml; two in the default house style), and
:func:`hyphenation_rules` wraps two of WeasyPrint's own layout functions for the
length of the render:

- ``get_next_linebox`` (one call per line of a paragraph) counts the hyphenated lines
  that end just before the line it lays out; the count is keyed by the position the line
  starts from, so lines WeasyPrint lays out and then discards (widows, a page break)
  never count;
- ``split_first_line``, while that count has reached the limit, lays the line out with
  ``hyphens: manual`` (soft hyphens only): the word that would have been split goes to
  the next line, as a typesetter would set it; a compound that would end the line at its
  own hyphen (``lodging-``) goes whole to the next line too (the hyphen is tied for that
  line only). A word too long for the line on its own is
  still hyphenated (an overfull line is worse than a ladder).

A justified line that would be loose (word spaces wider than the layout's ``print:
max-word-spacing``, the print QA's loose-line limit) and ends at a space is laid out once
more with hyphenation tried whatever room it leaves (``hyphenate-limit-zone`` 0), and the
hyphenated line is kept when it is loose no more: the zone (12% of the measure in the
default house style) keeps hyphens off lines that justify well without them, and this
keeps it from leaving a line loose that a hyphen would cure (*The Brothers Karamazov*:
2,105 loose lines in 966 pages with the zone alone). A hyphen that would leave the line
loose all the same is not set, and a line is not laid out again when the word after its
break could not be hyphenated (too short, or a name). It is the line's own test, under
the same conditions as the one below: a line that placed floats or positioned boxes, or
that starts with a first letter, is not laid out again; nor is one at the ladder's limit.

A hyphenated line that is the last to fit on a right-hand page (the layout's ``print:
recto-foot-hyphen``, ``avoid`` in the default house style; another line of its height
would not fit) is laid out once more the same way, unless laying it out placed floats
or positioned boxes (laying it out again would place them twice). The test is the line's
own: should WeasyPrint then move the line over (widows, a footnote), the page ends on an
earlier, possibly hyphenated line.

Which words may break, and where, is :mod:`render.print.hyphenator`'s: the rules install its
:class:`~make_book.render.print.hyphenator.Dictionaries` as the layout's dictionaries. A word
with a capital (a name) is broken only where the line cannot be set otherwise: when a
line that starts with it would overflow without breaking it, ``split_first_line`` lays
that line out again with names allowed. (Allowing it also before a very loose line was
tried and dropped: it broke Lon-don and Kar-lovna's for two fewer loose lines in 297
pages; a typesetter prefers the loose line.)

Everything else stays WeasyPrint's. Both names are looked up in ``weasyprint.layout.inline``
at call time, so the wrappers hold only inside the ``with`` block.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from weasyprint.css.properties import ZERO_PIXELS
from weasyprint.formatting_structure import boxes
from weasyprint.layout import LayoutContext, inline
from weasyprint.text import line_break

from make_book.config.hyphenation import HyphenationWords
from make_book.render.print.hyphenator import Dictionaries
from make_book.render.weasy.lines import SPLIT_FIRST_LINE
from make_book.render.weasy.reliance import Reliance, has, reads, takes

LINE_END_HYPHENS = ("-", "\u2010", "\u00ad")
# the parameters of get_next_linebox, passed on by position
GET_NEXT_LINEBOX = ("context", "linebox", "position_y", "bottom_space", "skip_stack",
                    "containing_block", "absolute_boxes", "fixed_boxes",
                    "first_letter_style", "first_line_style")


@dataclass
class _Runs:
    """Per layout: hyphenated lines running up to each line start, and whether the line
    being laid out may hyphenate."""

    runs: dict[tuple, int] = field(default_factory=dict)
    suppress: bool = False
    eager: bool = False  # a loose line laid out again: hyphenate whatever room is left
    last_split: tuple | None = None  # (text, resume index, style) of the line's last text
    manual_styles: dict[int, tuple] = field(default_factory=dict)
    eager_styles: dict[int, tuple] = field(default_factory=dict)


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


def _varied(kept: dict[int, tuple], style, name: str, value):
    """``style`` with one property changed, copied once per style (``kept`` holds the
    original beside its copy, so its id is not reused)."""
    pair = kept.get(id(style))
    if pair is None:
        copy = style.copy()
        copy[name] = value
        pair = kept[id(style)] = (style, copy)
    return pair[1]


def _manual(state: _Runs, style):
    """The style as it is, but hyphenating only at soft hyphens."""
    return _varied(state.manual_styles, style, "hyphens", "manual")


def _eager(state: _Runs, style):
    """The style as it is, but trying hyphenation whatever room the line leaves (no
    ``hyphenate-limit-zone``)."""
    return _varied(state.eager_styles, style, "hyphenate_limit_zone", ZERO_PIXELS)


def next_word_breakable(text: str, resume_index: int | None, style,
                        common: frozenset[str]) -> bool:
    """Whether the word a line broke before (``resume_index``: UTF-8 bytes into ``text``)
    could be hyphenated onto it: it has soft hyphens, or is long enough for the style's
    ``hyphenate-limit-chars`` and no name (a capitalised word only where the book prints
    it in lower case too). A loose line before any other word is not laid out again: no
    hyphen would come of it."""
    if resume_index is None:
        return False
    tail = text.encode()[resume_index:resume_index + 80].decode(errors="ignore").split()
    if not tail:
        return False
    word = tail[0]
    if "\u00ad" in word:
        return True
    letters = "".join(ch for ch in word if ch.isalpha())
    return (len(letters) >= style["hyphenate_limit_chars"][0]
            and (not letters[0].isupper() or letters.lower() in common))


def widest_stretch(line) -> float:
    """The most justification added to a word space of a laid-out line (px; 0 where the
    line is not justified)."""
    spacing = 0.0
    for box in line.descendants():
        if isinstance(box, boxes.TextBox) and box.justification_spacing:
            spacing = max(spacing, box.justification_spacing)
    return spacing


def space_share(stretch: float, font_size: float, natural_space: float) -> float:
    """A word space stretched by ``stretch`` px, as a share of the font's own
    (``natural_space`` em at ``font_size`` px): what the print QA calls loose above
    ``max-word-spacing``."""
    natural = natural_space * font_size
    return (natural + stretch) / natural if stretch and natural else 1.0


def word_space_share(line, natural_space: float) -> float:
    """A laid-out line's widest word space, as a share of the font's."""
    return space_share(widest_stretch(line), line.style["font_size"], natural_space)


def _placed(context, absolute_boxes, fixed_boxes) -> tuple[int, ...]:
    """What laying out a line can add besides the line (positioned boxes, floats): a line
    is laid out again only when it added none of them."""
    return (len(absolute_boxes), len(fixed_boxes), len(context.excluded_shapes),
            len(context.broken_out_of_flow))


def _ends_a_recto(context, line, bottom_space) -> bool:
    """Whether the line is the last that fits on a right-hand page (another line of its
    height would not)."""
    page = getattr(context.current_footnote_area, "page", None)
    side = getattr(getattr(page, "page_type", None), "side", None)
    return side == "right" and context.overflows_page(
        bottom_space, line.position_y + 2 * line.height)


@contextmanager
def hyphenation_rules(limit: int | None, avoid_recto_foot: bool = True,
                      words: HyphenationWords | None = None,
                      tie_own_hyphens: bool = True,
                      common: frozenset[str] = frozenset(),
                      loose: tuple[float, float] | None = None) -> Iterator[None]:
    """Within the block, WeasyPrint sets at most ``limit`` hyphenated lines in a row (no
    limit: ``None``), with ``avoid_recto_foot`` ends no right-hand page with a hyphen
    where the line can be set without it, breaks the book's ``words`` where they say and
    names only where a line cannot be set otherwise (a capitalised word of the book's
    ``common`` lower-case words is no name: :func:`hyphenator.common_words`); with
    ``loose`` (the font's word space in em, the widest word space allowed as a share of
    it), hyphenates a line that would otherwise be looser, whatever the zone says."""
    words = words if words is not None else HyphenationWords()
    original_next = inline.get_next_linebox
    original_split = inline.split_first_line

    def state_of(context) -> _Runs:
        state = getattr(context, "_mb_hyphen_runs", None)
        if state is None:
            state = context._mb_hyphen_runs = _Runs()
            context.dictionaries = Dictionaries(words, common)
        return state

    def get_next_linebox(context, linebox, position_y, bottom_space, skip_stack,
                         containing_block, absolute_boxes, fixed_boxes, first_letter_style,
                         first_line_style):
        # No helper function in here: one more frame on this hot path made CPython 3.11
        # map and unmap a frame-stack chunk for each call at some depths (gh-142183),
        # which cost 2 s on the 571-page bench book. The print renderer now runs in
        # stack_room, where no call starts a chunk; this path stays lean all the same.
        state = state_of(context)
        run = 0 if skip_stack is None else state.runs.get((id(linebox), _freeze(skip_stack)), 0)
        outer, outer_eager = state.suppress, state.eager
        state.suppress = limit is not None and run >= limit
        state.eager, state.last_split = False, None
        placed = (_placed(context, absolute_boxes, fixed_boxes)
                  if (avoid_recto_foot or loose is not None) and not state.suppress
                  else None)
        try:
            line, resume_at = original_next(
                context, linebox, position_y, bottom_space, skip_stack, containing_block,
                absolute_boxes, fixed_boxes, first_letter_style, first_line_style)
            if (loose is not None and placed is not None and line is not None
                    and resume_at is not None and first_letter_style is None
                    and state.last_split is not None
                    and word_space_share(line, loose[0]) > loose[1]
                    and not ends_hyphenated(line)
                    and next_word_breakable(*state.last_split, common)
                    and _placed(context, absolute_boxes, fixed_boxes) == placed):
                state.eager = True
                eager = original_next(
                    context, linebox, position_y, bottom_space, skip_stack,
                    containing_block, absolute_boxes, fixed_boxes, first_letter_style,
                    first_line_style)
                state.eager = False
                # a hyphen is kept only where it cures the line: one that leaves it loose
                # all the same is a hyphen for nothing
                if (eager[0] is not None and ends_hyphenated(eager[0])
                        and word_space_share(eager[0], loose[0]) <= loose[1]):
                    line, resume_at = eager
            if (avoid_recto_foot and placed is not None and line is not None
                    and resume_at is not None and first_letter_style is None
                    and ends_hyphenated(line) and _ends_a_recto(context, line, bottom_space)
                    and _placed(context, absolute_boxes, fixed_boxes) == placed):
                state.suppress = True
                line, resume_at = original_next(
                    context, linebox, position_y, bottom_space, skip_stack,
                    containing_block, absolute_boxes, fixed_boxes, first_letter_style,
                    first_line_style)
        finally:
            state.suppress, state.eager = outer, outer_eager
        if line is not None and resume_at is not None:
            state.runs[(id(linebox), _freeze(resume_at))] = (
                run + 1 if ends_hyphenated(line) else 0)
        return line, resume_at

    def split_first_line(text, style, context, max_width, justification_spacing,
                         is_line_start=True, minimum=False):
        state = state_of(context)
        if state.suppress and style["hyphens"] == "auto":
            result = original_split(text, _manual(state, style), context, max_width,
                                    justification_spacing, is_line_start, minimum)
            if max_width is None or result[3] <= max_width:  # result[3]: the line's width
                return _not_at_own_hyphen(result, text, _manual(state, style), context,
                                          max_width, justification_spacing, is_line_start,
                                          minimum)
        if state.eager and style["hyphens"] == "auto":
            style = _eager(state, style)
        result = original_split(text, style, context, max_width, justification_spacing,
                                is_line_start, minimum)
        if loose is not None and not state.eager:  # the last text split ends the line
            state.last_split = ((text, result[2], style)
                                if style["hyphens"] == "auto" and max_width is not None
                                else None)
        if (is_line_start and max_width is not None and result[3] > max_width
                and style["hyphens"] == "auto" and not text.islower()):
            # nothing before it on the line: a name breaks rather than overflow
            dictionaries = context.dictionaries
            dictionaries.names = True
            try:
                result = original_split(text, style, context, max_width,
                                        justification_spacing, is_line_start, minimum)
            finally:
                dictionaries.names = False
        return result

    def _not_at_own_hyphen(result, text, style, context, max_width, justification_spacing,
                           is_line_start, minimum):
        """At the ladder's limit a line may not end at a word's own hyphen either
        (``lodging-`` / ``houses``): the hyphen is made non-breaking for this line, so the
        compound goes whole to the next line. Kept only when the break then falls before
        the hyphen (the line's text and its byte offsets are then the original's); a
        compound too long for the line keeps its break."""
        if not tie_own_hyphens:
            return result
        first = result[0].text if result[0] is not None else ""
        end = len(first.rstrip(" "))
        if (max_width is None or not end or first[end - 1] not in "-\u2010"
                or end >= len(text) or not text[end].isalpha()):
            return result
        tied = text[:end - 1] + "\u2011" + text[end:]
        again = original_split(tied, style, context, max_width, justification_spacing,
                               is_line_start, minimum)
        line = again[0].text if again[0] is not None else ""
        if again[3] <= max_width and 0 < len(line.rstrip(" ")) < end - 1 and "\u2011" not in line:
            return again
        return result

    inline.get_next_linebox = get_next_linebox
    inline.split_first_line = split_first_line
    try:
        yield
    finally:
        inline.get_next_linebox = original_next
        inline.split_first_line = original_split


RELIES_ON = (
    Reliance("weasyprint.layout.inline.get_next_linebox takes (" + ", ".join(GET_NEXT_LINEBOX)
             + ")", lambda: takes(inline.get_next_linebox, *GET_NEXT_LINEBOX)),
    Reliance("weasyprint.layout.inline.split_first_line takes (" + ", ".join(SPLIT_FIRST_LINE)
             + ")", lambda: takes(inline.split_first_line, *SPLIT_FIRST_LINE)),
    Reliance("split_first_line reads the zone as style['hyphenate_limit_zone'], and "
             "justifying a line sets its text boxes' `justification_spacing`",
             lambda: reads(line_break.split_first_line, "style['hyphenate_limit_zone']")
             and reads(inline.add_word_spacing, "box.justification_spacing =")),
    Reliance("LayoutContext keeps the hyphenation dictionaries in `dictionaries`, and the "
             "footnote area, floats and broken boxes a line may place",
             lambda: reads(LayoutContext.__init__, "self.dictionaries = {}",
                           "self.broken_out_of_flow = {}", "self.current_footnote_area = None")
             and has(LayoutContext, "excluded_shapes", "overflows_page")),
)
