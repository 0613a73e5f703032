"""The table of contents and the list of illustrations: their entries are print's format
steps (:mod:`make_book.transforms.contents_steps`, :class:`TocEntry`); here, how many lines
they take (dense contents when they overflow their first page), their sections and the ids
whose printed page numbers they show."""

from __future__ import annotations

import math

from make_book import transforms
from make_book.model import Chapter
from make_book.render.print.geometry import LEADING_PT, Geometry
from make_book.render.print.html import Context, is_display
from make_book.transforms.contents_entries import TocEntry
from make_book.transforms.contents_view import contents_view, illustrations_view, wanted
from make_book.transforms.folios import PageMap
from make_book.transforms.format_context import ContentsContext


# The contents' title and the space under it, in body lines (print.css): contents longer
# than the rest of their first page are set dense (``mb-toc-dense``).
CONTENTS_TITLE_LINES = 9.5
BODY_SIZE_PT = 10.75  # print.css body size, for the length of a contents line


def contents_context(ctx: Context, chapters_after_toc: list[Chapter],
                     page_map: PageMap | None) -> ContentsContext:
    """What print's contents steps read: the layout (its contents depth), the front matter
    set after the contents, the display pages, the page map (None: the CSS counts)."""
    return ContentsContext(
        ctx.book, ctx.strings, page_map=page_map, layout=ctx.layout,
        after_contents=frozenset(c.file_id for c in chapters_after_toc),
        display=frozenset(c.file_id for c in ctx.book.chapters if is_display(c)))


def toc_entries(ctx: Context, chapters_after_toc: list[Chapter],
                page_map: PageMap | None = None) -> list[TocEntry]:
    """Contents: the front-matter pieces after the contents, parts, chapters and back
    matter, with h2 sections when the layout asks (``print: contents-depth`` 2) or the
    book does (its own ``print: toc-depth``); folios from ``page_map``, when given."""
    return transforms.for_format("contents", "print",
                                 contents_context(ctx, chapters_after_toc, page_map),
                                 contents_view(ctx.book))


def figures(ctx: Context, page_map: PageMap | None) -> list[dict]:
    """The list of illustrations' figures (none unless the book asks for the list)."""
    return transforms.for_format("illustrations", "print",
                                 ContentsContext(ctx.book, ctx.strings, page_map=page_map),
                                 illustrations_view(ctx.book))


def _toc_targets(entries: list[TocEntry]):
    for entry in entries:
        yield entry.href.lstrip("#")
        yield from _toc_targets(entry.children)


def contents_lines(entries: list[TocEntry], per_line: float = 1e9) -> float:
    """Body lines the contents take at the body's leading: the lines of each entry's
    title (``per_line`` characters a line), and the space print.css sets around a part's
    entries."""
    return sum(math.ceil(max(len(e.title), 1) / per_line) + (2 if e.kind == "part" else 0)
               + contents_lines(e.children, per_line) for e in entries)


def _page_lines(geometry: Geometry) -> float:
    return geometry.text_height / LEADING_PT


def _contents_chars(geometry: Geometry) -> float:
    """Characters of an entry's title a contents line holds: the measure less the
    indent, the leader and the page number (about 6 em), at an average 0.45 em."""
    return (geometry.text_width - 6 * BODY_SIZE_PT) / (0.45 * BODY_SIZE_PT)


def contents_sections(ctx: Context, front_after: list[Chapter],
                      page_map: PageMap | None) -> tuple[list[str], set[str]]:
    """The contents and the list of illustrations (as the book asks for them), and the ids
    whose pages they print: numbers from ``page_map`` when given, else ``target-counter``
    in the layout's CSS."""
    sections, targets = [], set()
    if wanted(ctx.book, "toc"):
        entries = toc_entries(ctx, front_after, page_map)
        targets.update(_toc_targets(entries))
        sections.append(ctx.render("toc.html", entries=entries,
                                   dense=contents_lines(entries, _contents_chars(ctx.geometry))
                                   > _page_lines(ctx.geometry) - CONTENTS_TITLE_LINES))
    listed = figures(ctx, page_map)
    targets.update(figure["id"] for figure in listed)
    if listed:
        sections.append(ctx.render("loi.html", figures=listed))
    return sections, targets
