"""What landed where: facts read from laid-out WeasyPrint pages, for the renderer's checks.

One pass over the pages' boxes gives where every footnote, note call, anchor, top-level
chapter block and figure landed. The renderer decides from these facts which notes cannot
stay at the foot of their call's page, which block to move to the next page, where the
EPUB's print page-list markers go, and how large figures print.

Pages come as a list (not a document) because the renderer splices pages of several
WeasyPrint documents (a chapter laid out again on its own, the index) into one book.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from weasyprint.formatting_structure import boxes as wp_boxes

from make_book.render.print import html as pdf_html
from make_book.transforms.folios import folio
from make_book.render.print.qa_pages import PageText

NOTE_TALL_SHARE = 0.5  # a footnote taller than this share of the text block is moved
HEADINGS = frozenset({"h2", "h3", "h4", "h5", "h6"})


@dataclass
class BlockSpan:
    """A top-level block of a chapter body (``data-mb-block="file_id:k"``) and the first
    and last page it is on."""

    mark: str
    tag: str
    first: int
    last: int

    @property
    def file_id(self) -> str:
        return self.mark.rsplit(":", 1)[0]

    @property
    def number(self) -> int:
        return int(self.mark.rsplit(":", 1)[1])


@dataclass
class PageFacts:
    note_pages: dict[str, int] = field(default_factory=dict)  # footnote id -> page index
    call_pages: dict[str, int] = field(default_factory=dict)  # call anchor id -> page index
    to_move: list[str] = field(default_factory=list)  # overflowing or too tall footnotes
    displaced: list[str] = field(default_factory=list)  # on a later page than their call
    overflowing: list[str] = field(default_factory=list)  # drawn outside their page
    lost: list[str] = field(default_factory=list)  # footnotes on no page
    body_start: int | None = None
    anchors: dict[str, int] = field(default_factory=dict)  # anchor -> first page index
    blocks: list[BlockSpan] = field(default_factory=list)  # in document order
    images: list[tuple[int, str, float]] = field(default_factory=list)  # page, src, width px
    # page -> (block, text of its first line): the chapter block the page begins with
    first_lines: dict[int, tuple[str, str]] = field(default_factory=dict)
    # page -> about where in its block's text that first line begins (characters)
    first_offsets: dict[int, int] = field(default_factory=dict)
    # for splitting long notes (px, from the page's top): the foot of each note call's
    # line, the foot of each page's text block, and each footnote's height and lines
    call_feet: dict[str, float] = field(default_factory=dict)
    text_feet: dict[int, float] = field(default_factory=dict)
    text_tops: dict[int, float] = field(default_factory=dict)
    text_ends: dict[int, float] = field(default_factory=dict)  # foot of a page's last line
    note_boxes: dict[str, NoteBox] = field(default_factory=dict)


@dataclass(frozen=True)
class NoteBox:
    """A footnote as laid out: its height, its lines and the characters they show."""

    height: float
    lines: int
    chars: int
    line_height: float


@dataclass(frozen=True)
class PageBreak:
    """Print page ``folio`` begins in block ``block`` (its index among the top-level
    blocks) of chapter ``file_id``: with the block itself, or, when the block runs on from
    the page before, with the line that starts ``text``. Where the EPUB puts that page's
    pagebreak marker."""

    folio: str
    file_id: str
    block: int
    text: str | None = None


def line_text(line) -> str:
    """The text a laid-out line shows, without generated content (note calls, page
    numbers after a reference) or soft hyphens. A line read in another process comes as
    its text already (:mod:`piece_facts`)."""
    if isinstance(line, str):
        return line
    out = []
    stack = [line]
    while stack:
        box = stack.pop()
        if "::" in (getattr(box, "element_tag", "") or ""):
            continue
        if isinstance(box, wp_boxes.TextBox):
            out.append(box.text)
        stack.extend(reversed(getattr(box, "children", None) or ()))
    return "".join(out).replace("\xad", "")


def inspect_pages(pages, source: pdf_html.PrintDocument, text: PageText | None = None,
                  line_offsets: bool = False) -> PageFacts:
    """Where each footnote, call, anchor, block and figure landed; which footnotes cannot
    stay at the foot of their call's page; the index of the first body page. With
    ``text``, the same walk also collects what the print QA measures (its lines). With
    ``line_offsets``, also where each page's first line begins in its block's text (for
    hanging a note's continuation: it reads every line, so only when needed)."""
    facts = PageFacts()
    spans: dict[str, BlockSpan] = {}
    shown: dict[str, int] = {}  # block -> characters its lines showed so far
    for index, page in enumerate(pages):
        for anchor in page.anchors:
            facts.anchors.setdefault(anchor, index)
        if facts.body_start is None and source.first_body_id in page.anchors:
            facts.body_start = index
        page_box = page._page_box
        facts.text_tops[index] = page_box.content_box_y()
        facts.text_feet[index] = page_box.content_box_y() + page_box.height
        if text is not None:
            text.page(index, page_box)
        # (box, the chapter block it is in, whether it is in a repeated table header/footer)
        stack = [(page_box, None, False)]
        while stack:
            box, mark, repeated = stack.pop()
            box = getattr(box, "_box", box)  # out of the flow (a figure that bleeds): the box
            element = getattr(box, "element", None)
            own = None
            if element is not None:
                own = element.get(pdf_html.BLOCK_ATTR)
                if own is not None:
                    mark = own
                    span = spans.get(mark)
                    if span is None:
                        spans[mark] = BlockSpan(mark, element.tag, index, index)
                    else:
                        span.last = index
                if isinstance(box, wp_boxes.ReplacedBox) and box.width:
                    facts.images.append((index, element.get("src") or "", box.width))
            # a table's header is repeated on every page it runs over: a page's first own
            # line is in the body rows (its page-list marker must not go to the header at
            # the table's top)
            repeated = repeated or (isinstance(box, wp_boxes.TableRowGroupBox)
                                    and (box.is_header or box.is_footer))
            if text is not None and not repeated:
                text.visit(box, index, mark, own is not None)
            if mark is not None and not repeated and isinstance(box, wp_boxes.LineBox):
                first = index not in facts.first_lines
                shown_text = line_text(box) if first or line_offsets else ""
                if first:
                    facts.first_lines[index] = (mark, shown_text)
                    facts.first_offsets[index] = shown.get(mark, 0)
                shown[mark] = shown.get(mark, 0) + len(shown_text) + 1
                foot = box.position_y + box.height
                if foot > facts.text_ends.get(index, 0.0):
                    facts.text_ends[index] = foot
            stack.extend((child, mark, repeated)
                         for child in reversed(getattr(box, "children", None) or ()))
        _footnotes(page_box, index, facts)
    facts.blocks = list(spans.values())
    call_ids = {ref: nid for nid, (ref, _) in source.note_calls.items()}
    for ref in call_ids:
        if ref in facts.anchors:
            facts.call_pages[ref] = facts.anchors[ref]
            facts.call_feet[ref] = pages[facts.anchors[ref]].anchors[ref][3]
    facts.displaced = [nid for ref, nid in call_ids.items()
                       if nid in facts.note_pages and ref in facts.call_pages
                       and facts.note_pages[nid] != facts.call_pages[ref]]
    facts.lost = [nid for nid in source.note_calls if nid not in facts.note_pages]
    facts.to_move = list(dict.fromkeys(facts.to_move))
    facts.overflowing = list(dict.fromkeys(facts.overflowing))
    return facts


def _footnotes(page_box, index: int, facts: PageFacts) -> None:
    top = page_box.content_box_y()
    bottom = top + page_box.height
    for area in page_box.children:
        if not isinstance(area, wp_boxes.FootnoteAreaBox):
            continue
        notes = [c for c in area.children if c.element is not None
                 and "mb-footnote" in (c.element.get("class") or "").split()]
        page_overflows = False
        for box in notes:
            nid = box.element.get("id")
            facts.note_pages.setdefault(nid, index)
            facts.note_boxes.setdefault(nid, _note_box(box))
            y0 = box.position_y
            y1 = y0 + box.margin_height()
            if y0 < top - 0.5 or y1 > bottom + 0.5:
                page_overflows = True
                facts.overflowing.append(nid)
            if box.margin_height() > NOTE_TALL_SHARE * page_box.height:
                facts.to_move.append(nid)  # it may fit, but leaves a page of footnote
        if page_overflows and not any(b.element.get("id") in facts.to_move for b in notes):
            facts.to_move.append(max(notes, key=lambda b: b.margin_height()).element.get("id"))


def _note_box(box) -> NoteBox:
    lines, chars, height = 0, 0, 0.0
    stack = [box]
    while stack:
        child = stack.pop()
        if isinstance(child, wp_boxes.LineBox):
            lines += 1
            chars += len(line_text(child)) + 1
            height = max(height, child.height)
            continue
        stack.extend(getattr(child, "children", None) or ())
    return NoteBox(box.margin_height(), lines, chars, height)


def page_breaks(facts: PageFacts) -> tuple[PageBreak, ...]:
    """Where each print page begins in the chapters: before the block its first line
    starts, or inside the block it continues (the line's text). Pages that begin with no
    chapter text (blanks, part titles, generated pages) get no marker."""
    spans = {b.mark: b for b in facts.blocks}
    moved = _moved_on(facts.blocks)
    out = []
    for page in sorted(facts.first_lines):
        mark, text = facts.first_lines[page]
        span = spans.get(mark)
        if span is None:
            continue
        if span.mark in moved:  # a figure set later in print (pdf_floats):
            # the EPUB's reading order has the page begin with the text after it
            span = next((b for b in facts.blocks if b.first == page
                         and b.file_id == span.file_id and b.number > span.number), None)
            if span is None:
                continue
        folio_ = folio(page, facts.body_start)
        if span.first == page:
            out.append(PageBreak(folio_, span.file_id, span.number))
        elif text.strip():
            out.append(PageBreak(folio_, span.file_id, span.number, text))
    return tuple(out)


def block_to_break(facts: PageFacts, file_id: str, page: int) -> str | None:
    """The block to start on a new page so that the notes of ``page`` stay on it.

    WeasyPrint 70 defers a page's footnotes to the next page to fit the second line of a
    paragraph whose first line ends the page (breaking after one line would leave an
    orphan), and does not always take the deferral back when it then moves the paragraph
    after all. A typesetter would start that paragraph on the next page, with any heading
    just before it: that block is returned (the block that runs from ``page`` onto the
    next one, or else the first block of the next page). None when a block runs onto
    ``page`` from an earlier page and on past it, when no block follows, or when the block
    opens the chapter."""
    blocks = [b for b in facts.blocks if b.file_id == file_id]
    running = [i for i, b in enumerate(blocks) if b.first <= page < b.last]
    if running:
        i = running[-1]
        if blocks[i].first != page:
            return None
    else:
        i = next((i for i, b in enumerate(blocks) if b.first > page), None)
        if i is None:
            return None
    while i > 0 and blocks[i - 1].tag in HEADINGS and blocks[i - 1].first >= page:
        i -= 1
    if blocks[i].number == 0:
        return None
    return blocks[i].mark


def restart_point(facts: PageFacts, file_id: str, page: int,
                  notes: list[tuple[int | None, int | None]] = (),
                  ends: list | None = None) -> tuple | None:
    """(page, block number): the last page at or before ``page``, after the chapter's
    opening page, whose first line begins a block, and that block; a chapter can be laid
    out again from there, the pages before staying as they are. ``notes`` are the (call
    page, note page) of the chapter's footnotes: no note called before the page may be
    printed on or after it. None when there is no such page.

    With ``ends`` (each page's :class:`make_book.render.weasy.converge.PageEnd`, None when
    the page carried something over), a page may also begin inside a paragraph: then
    (page, block number, the text of its first line), and the layout starts from that
    line (:func:`make_book.render.print.sections.cut_block`). Only where the page before
    ends with nothing carried over (no footnote deferred, no hyphen, only that
    paragraph running on), so that the paragraph's later lines break as they did: long
    paragraphs leave few pages that open with a block.

    Page indexes count from the chapter's first page (``facts`` of its pages alone)."""
    blocks = [b for b in facts.blocks if b.file_id == file_id]
    for q in range(page, 0, -1):
        if any(c is not None and c < q and (n is None or n >= q) for c, n in notes):
            continue
        running = [b for b in blocks if b.first < q <= b.last]
        starting = [b for b in blocks if b.first == q]
        if starting and not running:
            return q, starting[0].number  # the first in the flow (a figure may have moved)
        within = _within(facts, running, q, ends)
        if within is not None:
            return within
    return None


def _within(facts: PageFacts, running: list[BlockSpan], q: int,
            ends: list | None) -> tuple[int, int, str] | None:
    """Page ``q`` as a place to start inside the one paragraph that runs onto it."""
    if ends is None or len(running) != 1 or q - 1 >= len(ends) or running[0].tag != "p":
        return None
    block, end, first = running[0], ends[q - 1], facts.first_lines.get(q)
    if end is None or end.mark != block.mark or end.within is None:
        return None
    if first is None or first[0] != block.mark or not first[1].strip():
        return None
    return q, block.number, first[1]


def _moved_on(blocks: list[BlockSpan]) -> set[str]:
    """The blocks that follow a block of their chapter numbered after them: figures the
    renderer set later than the manuscript has them (:mod:`pdf_floats`). One pass: asked
    block by block it took 2 s of the build process's 25 s on a 467-page book."""
    highest: dict[str, int] = {}
    moved = set()
    for block in blocks:
        if highest.get(block.file_id, -1) > block.number:
            moved.add(block.mark)
        highest[block.file_id] = max(highest.get(block.file_id, -1), block.number)
    return moved
