"""Figures and tables that do not fit at the foot of a page, floated as a typesetter would.

WeasyPrint has no page floats: a figure (or a table kept whole) that does not fit in what
is left of a page goes to the next page and takes the text after it along, leaving the
page before it short by up to the figure's height. A typesetter lets the text run on to
the foot of the page and sets the figure at the top of the next one. The renderer does
the nearest thing the flow allows: it moves the figure's block after the block that
holds the last line fitting on the short page (the paragraph that ends the page), lays
the chapter out again from that page, and looks again. The figure then opens the next
page, or follows the few lines that end that paragraph.

Read from laid-out pages (:func:`page_fill`): every line and image of a chapter's flow on
a page, the top-level block it belongs to, and the room left at the foot of the text
block (above the footnotes). Applied to the HTML by :func:`place_floats` (the block
order the print document is built with; block marks keep their numbers, so the footnote
repairs and the EPUB's page-list still name blocks as the manuscript has them).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from weasyprint.formatting_structure import boxes as wp_boxes

from make_book.render.print.geometry import LEADING_PT

BLOCK_ATTR = "data-mb-block"  # as print.html.BLOCK_ATTR (not imported: print.body imports us)
FLOAT_TAGS = frozenset({"figure", "table"})
FLOAT_CLASSES = frozenset({"mb-image"})  # an image alone in a paragraph (render/figures)
HEADINGS = frozenset({"h2", "h3", "h4", "h5", "h6"})
SHORT_LINES = 2  # a page may end this many lines short before its figure (TYPOGRAPHY.md)
MAX_MOVES = 3  # times one figure is moved on (each time after text that then fills a page)
SLACK = 0.5  # pt of rounding in WeasyPrint's positions


@dataclass(frozen=True)
class Unit:
    """A line, image or empty block of a chapter's flow on a page, and its block."""

    mark: str
    top: float
    bottom: float


@dataclass
class PageFill:
    """What a page's text block holds, in order, and the room left at its foot."""

    units: list[Unit] = field(default_factory=list)
    space: float = 0.0  # pt free between the last unit and the foot (or the footnotes)
    blocks: dict[str, tuple[str, frozenset[str]]] = field(default_factory=dict)
    # ^ mark -> (tag, classes) of the top-level blocks on the page

    def is_float(self, mark: str) -> bool:
        tag, classes = self.blocks.get(mark, ("", frozenset()))
        return tag in FLOAT_TAGS or bool(classes & FLOAT_CLASSES)


def page_fill(page) -> PageFill:
    """The units of chapter flow on ``page`` (a WeasyPrint page) and the room below them."""
    page_box = page._page_box
    fill = PageFill()
    foot = page_box.content_box_y() + page_box.height
    stack = [(child, None) for child in reversed(page_box.children)]
    while stack:
        box, mark = stack.pop()
        if isinstance(box, wp_boxes.MarginBox):
            continue
        if isinstance(box, wp_boxes.FootnoteAreaBox):
            if box.children:
                foot = min(foot, box.position_y)
            continue
        element = getattr(box, "element", None)
        if element is not None and element.get(BLOCK_ATTR) is not None:
            mark = element.get(BLOCK_ATTR)
            if mark not in fill.blocks:
                fill.blocks[mark] = (element.tag,
                                     frozenset((element.get("class") or "").split()))
        children = getattr(box, "children", None) or ()
        leaf = (isinstance(box, (wp_boxes.LineBox, wp_boxes.ReplacedBox))
                or (isinstance(box, wp_boxes.BlockBox) and not children and box.height))
        if leaf:
            if mark is not None:
                top = box.position_y
                fill.units.append(Unit(mark, top, top + box.margin_height()))
            continue
        stack.extend((child, mark) for child in reversed(children))
    if fill.units:
        fill.space = foot - max(u.bottom for u in fill.units)
    return fill


def is_short(fill: PageFill) -> bool:
    return fill.space > SHORT_LINES * LEADING_PT + SLACK


@dataclass(frozen=True)
class FloatMove:
    """Block ``mark`` (a figure) set after block ``after``; ``page`` is the short page
    (an index among the chapter's pages)."""

    mark: str
    after: str
    page: int


def short_before_float(fills: list[PageFill],
                       file_id: str | None = None) -> list[tuple[int, str]]:
    """(page, mark) for each page (of chapter ``file_id``, or of any) left more than
    SHORT_LINES short because the figure or table that opens the next page did not fit
    on it."""
    out = []
    prefix = f"{file_id}:" if file_id is not None else ""
    for p in range(len(fills) - 1):
        here, there = fills[p], fills[p + 1]
        if not here.units or not there.units or not is_short(here):
            continue
        first = there.units[0].mark
        chapter = first.rpartition(":")[0]
        if (first.startswith(prefix) and there.is_float(first)
                and here.units[-1].mark.rpartition(":")[0] == chapter  # not a new chapter
                and first not in {u.mark for u in here.units}):
            out.append((p, first))
    return out


def next_move(pages, file_id: str, moves: dict[str, str],
              counts: dict[str, int]) -> FloatMove | None:
    """The first figure of chapter ``file_id`` that leaves the page before it short, and
    the block to set it after: the one holding the last line that fits in the room left
    on that page, counted from the top of the text that follows the figure. None when no
    figure does, or when the text after the figure cannot fill the page (a heading, the
    chapter's end) or the figure was moved MAX_MOVES times."""
    fills = [page_fill(page) for page in pages]
    for p, mark in short_before_float(fills, file_id):
        if counts.get(mark, 0) >= MAX_MOVES:
            continue
        after = _block_ending_page(fills[p], fills[p + 1], mark)
        if after is not None and after != moves.get(mark):
            return FloatMove(mark, after, p)
    return None


def _block_ending_page(short: PageFill, following: PageFill, mark: str) -> str | None:
    """The block that will end the short page once figure ``mark`` leaves it: the last
    block with a unit that fits in ``short.space`` when the units after the figure on
    the next page move up. Never a heading (it would end the page alone)."""
    rest = [u for u in following.units if u.mark != mark]
    if not rest:
        return None
    top = rest[0].top
    fitting = [u for u in rest if u.bottom - top <= short.space + SLACK]
    if not fitting:
        return None
    order = list(dict.fromkeys(u.mark for u in rest))
    i = order.index(fitting[-1].mark)
    while i >= 0 and following.blocks.get(order[i], ("",))[0] in HEADINGS:
        i -= 1
    return order[i] if i >= 0 else None


def place_floats(body, moves: dict[str, str]) -> None:
    """Set each moved block (mark -> mark of the block it follows) after its new
    predecessor among ``body``'s top-level blocks; moves whose blocks are absent (a
    chapter laid out from a later block) are left out."""
    for mark, after in moves.items():
        blocks = {b.get(BLOCK_ATTR): b for b in body}
        moved, anchor = blocks.get(mark), blocks.get(after)
        if moved is None or anchor is None or moved is anchor:
            continue
        body.remove(moved)  # with its tail (the whitespace after it), as lxml keeps it
        anchor.addnext(moved)  # after the anchor's tail
