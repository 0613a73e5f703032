"""Renumbering laid-out pages without laying them out again: what lets a piece of the book
be laid out before the pages ahead of it are known (issue 15).

A piece's text does not depend on the number its first page gets: WeasyPrint lays out the
content of every page first and the margin boxes (folios, running heads) last, from each
page's saved counters (``layout_document``'s last loop). So a piece is laid out with a
provisional first folio, and once the pieces before it have their lengths, only its
margin boxes are made again with the page counter moved (:func:`renumbered`), exactly as
that last loop makes them.

While :func:`keep_layout_context` is active, every page box WeasyPrint lays out keeps its
layout context and its number in the document (two attributes of ours on the box).
"""

from __future__ import annotations

import copy
from contextlib import contextmanager

import weasyprint.document as wp_document
import weasyprint.layout as wp_layout
from weasyprint.document import Page
from weasyprint.formatting_structure import boxes as wp_boxes
from weasyprint.layout.background import layout_box_backgrounds
from weasyprint.layout.page import make_margin_boxes

from make_book.render.weasy.reliance import Reliance, reads, takes

CONTEXT = "_make_book_context"
NUMBER = "_make_book_page_number"
SHIFT = "_make_book_page_shift"  # how far the page was renumbered already
KEPT = (CONTEXT, NUMBER, "_make_book_end")  # what a renumbered page box keeps (converge.END)


@contextmanager
def keep_layout_context(margins: bool = True):
    """Within the block, every page box keeps its layout context and number; with
    ``margins`` False, pages are laid out without margin boxes (a piece laid out with a
    provisional folio gets them from :func:`renumbered`: making them twice cost a
    twentieth of the build)."""
    original = wp_document.layout_document
    original_margins = wp_layout.make_margin_boxes

    def layout_document(html, root_box, context, *args, **kwargs):
        for number, page_box in enumerate(original(html, root_box, context, *args,
                                                   **kwargs), 1):
            setattr(page_box, CONTEXT, context)
            setattr(page_box, NUMBER, number)
            yield page_box

    wp_document.layout_document = layout_document
    if not margins:
        wp_layout.make_margin_boxes = _no_margin_boxes
    try:
        yield
    finally:
        wp_document.layout_document = original
        wp_layout.make_margin_boxes = original_margins


def _no_margin_boxes(context, page, state):
    return iter(())


def renumbered(pages, shift: int) -> list[Page]:
    """``pages`` (laid out under :func:`keep_layout_context`) with every page counter
    moved by ``shift`` (from where an earlier renumbering left it): new margin boxes, the
    rest of each page as it was."""
    out = []
    for page in pages:
        box = page._page_box
        context, number = getattr(box, CONTEXT), getattr(box, NUMBER)
        moved = getattr(box, SHIFT, 0) + shift
        state = copy.deepcopy(context.page_maker[number][3])
        counters = state[1]
        counters["page"] = [value + moved for value in counters.get("page", [0])]
        context.current_page = number
        kept = [c for c in box.children if not isinstance(c, wp_boxes.MarginBox)]
        new = box.copy_with_children(kept)
        margins = tuple(make_margin_boxes(context, new, state))
        new.children = tuple(kept) + margins
        # the page's own and its content's backgrounds are laid out already (the copy
        # keeps them, and the page's size is the same): only the new margin boxes need theirs
        for margin in margins:
            layout_box_backgrounds(new, margin, context.get_image_from_uri)
        for name in KEPT:
            if hasattr(box, name):
                setattr(new, name, getattr(box, name))
        setattr(new, SHIFT, moved)
        out.append(Page(new))
    return out


def can_renumber(page) -> bool:
    """Whether a laid-out page kept what :func:`renumbered` needs."""
    return hasattr(page._page_box, CONTEXT)


__all__ = ["can_renumber", "keep_layout_context", "renumbered"]


RELIES_ON = (
    Reliance("weasyprint.document.layout_document takes (html, root_box, context, ...) and "
             "makes the margin boxes last, from `context.page_maker[context.current_page][3]`",
             lambda: takes(wp_document.layout_document, "html", "root_box", "context",
                           "max_loops")
             and reads(wp_document.layout_document,
                       "state = context.page_maker[context.current_page][3]")),
    Reliance("layout_document makes the margin boxes with `make_margin_boxes(context, page, "
             "state)`, looked up in weasyprint.layout",
             lambda: reads(wp_layout.layout_document,
                           "children.extend(make_margin_boxes(context, page, state))")
             and wp_layout.make_margin_boxes is make_margin_boxes),
    Reliance("make_margin_boxes takes (context, page, state), layout_box_backgrounds (page, "
             "box, get_image_from_uri)",
             lambda: takes(make_margin_boxes, "context", "page", "state")
             and takes(layout_box_backgrounds, "page", "box", "get_image_from_uri",
                       "layout_children", "style")),
    Reliance("a Page is made from its page box and keeps it as `_page_box`",
             lambda: takes(Page.__init__, "self", "page_box")
             and reads(Page.__init__, "self._page_box = page_box")),
)
