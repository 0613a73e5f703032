"""What the print QA needs from the laid-out pages: every line of chapter text, where each
page's text ends, and on which pages figures and tables and their captions landed.

Collected during :func:`pdf_pages.inspect_pages`'s one walk over the boxes (the walk
calls :meth:`PageText.page` once per page and :meth:`PageText.visit` once per box), so
the QA costs no second walk. Only measurements are kept here; judging them is
:mod:`print_qa`'s job.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from weasyprint.css import AnonymousStyle
from weasyprint.formatting_structure import boxes as wp_boxes

from make_book.render.print.html import BREAK_CLASS
from make_book.render.print.running_heads import Head, page_heads, page_side
from make_book.render.weasy.hyphens import ends_hyphenated, widest_stretch

FORCED_BREAK_TAGS = frozenset({"br", "br::before"})
CAPTION_TAGS = frozenset({"figcaption", "caption"})
# white-space values whose lines WeasyPrint justifies (the others keep the source's lines)
COLLAPSING = frozenset({"normal", "nowrap", "pre-line"})


@dataclass(slots=True)
class LineFact:
    """One laid-out line of chapter text."""

    page: int  # PDF page index
    mark: str  # the chapter block it is in ("file_id:k")
    para: tuple[int, bool]  # the element it is a line of, and whether its box is anonymous
    holder: int  # id() of the block container box holding the line on this page
    top: float
    bottom: float
    measure: float  # the width the line could fill (its block's content width), px
    width: float  # how far its content reaches from the block's start (indent included)
    justified: bool  # set justified (text-align justify, collapsing white space)
    forced: bool  # ends with a <br> (a forced break: the line is short on purpose)
    hyphen: bool  # ends with a hyphen
    spacing: float  # the widest space justification added between words, px
    font_size: float  # px
    box: object  # the WeasyPrint LineBox, for its text when a finding quotes it

    def moved(self, page: int, para: tuple[int, bool], holder: int) -> LineFact:
        """The line at another page and with other ids: a piece's line in the joined book.
        Built field by field: ``dataclasses.replace`` took 0.14 s for the 14,600 lines of
        a 467-page book, in the serial join."""
        return LineFact(page, self.mark, para, holder, self.top, self.bottom, self.measure,
                        self.width, self.justified, self.forced, self.hyphen, self.spacing,
                        self.font_size, self.box)


@dataclass
class PageText:
    """Per page: where the text area ends (above the footnotes), where the chapter text
    ends, and the lines; per figure or table: the pages of its caption and content."""

    lines: list[LineFact] = field(default_factory=list)
    area_bottom: dict[int, float] = field(default_factory=dict)  # text area's foot, px
    text_bottom: dict[int, float] = field(default_factory=dict)  # lowest chapter content
    trailing: dict[int, float] = field(default_factory=dict)  # space below the last block
    has_notes: set[int] = field(default_factory=set)  # pages with footnotes
    block_kinds: dict[str, str] = field(default_factory=dict)  # mark -> figure/table/...
    # id(figure or table element) -> (its mark, pages with its caption, pages with the rest)
    captioned: dict[int, tuple[str, set[int], set[int]]] = field(default_factory=dict)
    heads: list[Head] = field(default_factory=list)  # margin boxes set on several lines
    sides: dict[int, str] = field(default_factory=dict)  # page -> "left" | "right"

    def page(self, index: int, page_box) -> None:
        self.heads.extend(page_heads(index, page_box))
        self.sides[index] = page_side(page_box)
        bottom = page_box.content_box_y() + page_box.height
        for area in page_box.children:
            if isinstance(area, wp_boxes.FootnoteAreaBox) and area.children:
                self.has_notes.add(index)
                bottom = min(bottom, area.position_y)
        self.area_bottom[index] = bottom

    def visit(self, box, index: int, mark: str | None, own_mark: bool) -> None:
        """One box of page ``index``, inside chapter block ``mark`` (``own_mark``: the box
        is that block's own)."""
        if mark is None:
            return
        if own_mark:
            self.block_kinds.setdefault(mark, _block_kind(box))
            # the space the page's last chapter block asks below it is its own, not room
            # left (WeasyPrint truncates the margin at the break: the style keeps it)
            if isinstance(box, wp_boxes.BlockLevelBox):  # not its lines (same element)
                margin = box.style["margin_bottom"]
                self.trailing[index] = (margin.value if getattr(margin, "unit", None) == "px"
                                        else 0)
        tag = getattr(box, "element_tag", None)
        if tag == "figure" or box.is_table_wrapper:
            self._captions(box, index, mark)
        if isinstance(box, (wp_boxes.ReplacedBox, wp_boxes.TableRowBox)):
            self._reach(index, box.position_y + box.margin_height())
        if not isinstance(box, wp_boxes.BlockContainerBox) or not box.children:
            return
        if not isinstance(box.children[0], wp_boxes.LineBox):
            return
        style = box.style
        justified = (style["text_align_all"] == "justify"
                     and style["white_space"] in COLLAPSING)
        start = box.content_box_x()
        measure = box.width
        para = (id(box.element), isinstance(style, AnonymousStyle))
        for line in box.children:
            if not isinstance(line, wp_boxes.LineBox):
                continue
            last = _last_leaf(line)
            spacing = widest_stretch(line)
            bottom = line.position_y + line.height
            self.lines.append(LineFact(
                index, mark, para, id(box), line.position_y, bottom, measure,
                line.position_x + line.width - start, justified,
                getattr(last, "element_tag", None) in FORCED_BREAK_TAGS,
                ends_hyphenated(line), spacing, line.style["font_size"], line))
            self._reach(index, bottom)

    def _reach(self, index: int, bottom: float) -> None:
        if bottom > self.text_bottom.get(index, float("-inf")):
            self.text_bottom[index] = bottom

    def _captions(self, holder, index: int, mark: str) -> None:
        key = id(holder.element)
        entry = self.captioned.setdefault(key, (mark, set(), set()))
        stack = list(holder.children)
        while stack:
            box = stack.pop()
            if getattr(box, "element_tag", None) in CAPTION_TAGS or isinstance(
                    box, wp_boxes.TableCaptionBox):
                entry[1].add(index)
            elif isinstance(box, (wp_boxes.ReplacedBox, wp_boxes.TableRowBox)):
                entry[2].add(index)
            else:
                stack.extend(getattr(box, "children", None) or ())


def _block_kind(box) -> str:
    """What a chapter block is, as a reason a page runs short: figure, table, heading..."""
    tag = getattr(box, "element_tag", "") or ""
    classes = (box.element.get("class") or "").split() if box.element is not None else []
    if tag == "figure" or "mb-image" in classes:
        return "figure"
    if tag == "table" or box.is_table_wrapper:
        return "table"
    if tag in {"h1", "h2", "h3", "h4", "h5", "h6"}:
        return "heading"
    if BREAK_CLASS in classes:
        return "note-break"  # the renderer moved it to keep a footnote on its call's page
    return tag


def _last_leaf(line):
    """The last box of a line, depth first (a <br> ends a line as an empty inline box)."""
    box = line
    while getattr(box, "children", None):
        box = box.children[-1]
    return box
