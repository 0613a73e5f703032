"""Figures that do not fit at the foot of a page: which page is short, after which block
the figure goes, and how the print HTML's blocks are reordered (render/pdf_floats)."""

from __future__ import annotations

from lxml import etree

from make_book.render.print.floats import (
    BLOCK_ATTR,
    PageFill,
    Unit,
    _block_ending_page,
    place_floats,
    short_before_float,
)
from make_book.render.print.geometry import LEADING_PT

L = LEADING_PT
P = ("p", frozenset())
FIG = ("figure", frozenset())


def lines(mark: str, first: int, count: int) -> list[Unit]:
    return [Unit(mark, (first + i) * L, (first + i + 1) * L) for i in range(count)]


def test_a_page_is_short_before_a_figure_only_beyond_two_lines():
    full = PageFill(lines("c:0", 0, 30), 0.0, {"c:0": P})
    short = PageFill(lines("c:1", 0, 24), 6 * L, {"c:1": P})
    nearly = PageFill(lines("c:3", 0, 28), 2 * L, {"c:3": P})
    figure = PageFill([Unit("c:2", 0, 200)] + lines("c:4", 16, 10), 0.0,
                      {"c:2": FIG, "c:4": P})
    assert short_before_float([full, short, figure]) == [(1, "c:2")]
    assert short_before_float([nearly, figure]) == []
    assert short_before_float([short, full]) == []  # no figure opens the next page
    assert short_before_float([short, figure], "other") == []  # another chapter's
    opening = PageFill([Unit("d:0", 0, 200)], 0.0, {"d:0": FIG})
    assert short_before_float([short, opening]) == []  # a chapter's end is no short page
    image = PageFill([Unit("c:2", 0, 200)], 0.0, {"c:2": ("p", frozenset({"mb-image"}))})
    assert short_before_float([short, image]) == [(0, "c:2")]


def test_the_figure_goes_after_the_block_holding_the_last_line_that_fits():
    short = PageFill(lines("c:1", 0, 24), 6 * L, {"c:1": P})
    # after the figure: a paragraph of 4 lines, then one of 5 (6 lines fit: 4 + 2)
    following = PageFill([Unit("c:2", 0, 200)] + lines("c:3", 16, 4) + lines("c:4", 20, 5),
                         0.0, {"c:2": FIG, "c:3": P, "c:4": P})
    assert _block_ending_page(short, following, "c:2") == "c:4"
    # exactly 4 lines of room: the figure opens the next page after block c:3
    short.space = 4 * L
    assert _block_ending_page(short, following, "c:2") == "c:3"


def test_a_figure_never_goes_after_a_heading_or_where_nothing_fits():
    short = PageFill(lines("c:1", 0, 24), 3 * L, {"c:1": P})
    following = PageFill([Unit("c:2", 0, 200)] + lines("c:3", 16, 1) + lines("c:4", 17, 9),
                         0.0, {"c:2": FIG, "c:3": ("h2", frozenset()), "c:4": P})
    assert _block_ending_page(short, following, "c:2") == "c:4"  # heading and two lines
    short.space = 1.5 * L  # the heading alone would fit: it stays with its paragraph
    assert _block_ending_page(short, following, "c:2") is None
    alone = PageFill([Unit("c:2", 0, 200)], 0.0, {"c:2": FIG})
    assert _block_ending_page(short, alone, "c:2") is None
    tall = PageFill([Unit("c:2", 0, 200), Unit("c:3", 200, 400)], 0.0,
                    {"c:2": FIG, "c:3": FIG})
    assert _block_ending_page(short, tall, "c:2") is None


def blocks(html: str, moves: dict[str, str]) -> list[str]:
    root = etree.fromstring(f"<div>{html}</div>")
    place_floats(root, moves)
    return [b.get(BLOCK_ATTR) for b in root]


def test_place_floats_reorders_top_level_blocks_by_mark():
    html = "".join(f'<p {BLOCK_ATTR}="c:{k}">t{k}</p>\n' for k in range(5))
    assert blocks(html, {"c:1": "c:3"}) == ["c:0", "c:2", "c:3", "c:1", "c:4"]
    assert blocks(html, {"c:1": "c:4"}) == ["c:0", "c:2", "c:3", "c:4", "c:1"]
    assert blocks(html, {"c:1": "c:9"}) == ["c:0", "c:1", "c:2", "c:3", "c:4"]  # absent
    root = etree.fromstring(f"<div>{html}</div>")
    place_floats(root, {"c:1": "c:3"})
    assert [b.text for b in root] == ["t0", "t2", "t3", "t1", "t4"]
    assert all(b.tail == "\n" for b in root)  # the whitespace between blocks is kept


def test_a_page_opening_with_a_moved_figure_is_marked_at_the_text_after_it():
    """The EPUB keeps the manuscript's order: its marker for a print page that opens with
    a figure set later in print goes before the text that follows the figure there."""
    from make_book.render.print.pages import BlockSpan, PageFacts, page_breaks

    facts = PageFacts(body_start=0)
    # figure c:2 moved after c:4: c:1 c:3 c:4 on page 0, then c:2 and c:5 on page 1
    facts.blocks = [BlockSpan("c:1", "p", 0, 0), BlockSpan("c:3", "p", 0, 0),
                    BlockSpan("c:4", "p", 0, 0), BlockSpan("c:2", "figure", 1, 1),
                    BlockSpan("c:5", "p", 1, 2)]
    facts.first_lines = {0: ("c:1", "One"), 1: ("c:2", "Plate 1."), 2: ("c:5", "runs on")}
    assert [(b.folio, b.block, b.text) for b in page_breaks(facts)] == [
        ("1", 1, None), ("2", 5, None), ("3", 5, "runs on")]
