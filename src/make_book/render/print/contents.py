"""The table of contents and the list of illustrations: their entries (:class:`TocEntry`),
how many lines they take (dense contents when they overflow their first page) and the
ids whose printed page numbers they show."""

from __future__ import annotations

import math
from dataclasses import dataclass, field


from make_book.model import Chapter, Part
from make_book.render import page_index as pdf_index
from make_book.render.figures import chapter_figures
from make_book.render.print.geometry import LEADING_PT, Geometry
from make_book.render.print.html import (
    Context,
    is_display,
    part_label,
    printed_indexes,
    section_id,
    wanted,
)
from make_book.transforms.folios import PageMap


# The contents' title and the space under it, in body lines (print.css): contents longer
# than the rest of their first page are set dense (``mb-toc-dense``).
CONTENTS_TITLE_LINES = 9.5
BODY_SIZE_PT = 10.75  # print.css body size, for the length of a contents line


@dataclass
class TocEntry:
    kind: str  # part | chapter | section
    number: str | None  # a chapter's number, set in its own column
    title: str
    href: str
    roman: bool = False
    children: list[TocEntry] = field(default_factory=list)
    page: str | None = None  # the printed folio, once the pages are known


def _set_pages(entries: list[TocEntry], page_map: PageMap) -> None:
    for entry in entries:
        entry.page = page_map.folio_of(entry.href.lstrip("#"))
        _set_pages(entry.children, page_map)


def contents_depth(ctx: Context) -> int:
    settings = getattr(ctx.book.meta, "print", None)
    if settings is not None and "toc_depth" in getattr(settings, "model_fields_set", ()):
        return int(settings.toc_depth)
    return ctx.layout.contents_depth


def toc_entries(ctx: Context, chapters_after_toc: list[Chapter]) -> list[TocEntry]:
    """Contents: the front-matter pieces after the contents, parts, chapters and back
    matter, with h2 sections when the layout asks (``print: contents-depth`` 2) or the
    book does (its own ``print: toc-depth``)."""
    depth = contents_depth(ctx)
    front_after = {c.file_id for c in chapters_after_toc}

    def chapter_entry(c: Chapter) -> TocEntry:
        number, title = None, c.title
        if c.label and c.kind == "chapter":
            number = c.label
        elif c.label:
            title = f"{ctx.strings.get('appendix', 'Appendix')} {c.label}: {c.title}"
        entry = TocEntry("chapter", number, title, f"#{section_id(c)}",
                         roman=c.matter == "front")
        if depth >= 2:
            entry.children = [TocEntry("section", None, h.text, f"#{h.id}",
                                       roman=c.matter == "front")
                              for h in c.headings[1:] if h.level == 2]
        return entry

    def part_entry(part: Part) -> TocEntry:
        return TocEntry("part", None, part_label(part, ctx.strings), f"#{part.id}",
                        children=[part_entry(i) if isinstance(i, Part) else chapter_entry(i)
                                  for i in part.items])

    out: list[TocEntry] = []
    for item in ctx.book.items:
        if isinstance(item, Part):
            out.append(part_entry(item))
        elif item.matter != "front" or item.file_id in front_after:
            if is_display(item):
                continue
            out.append(chapter_entry(item))
    for index in printed_indexes(ctx.book):
        out.append(TocEntry("chapter", None, pdf_index.title(index, ctx.strings),
                            f"#{pdf_index.section_id(index)}"))
    return out


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
        entries = toc_entries(ctx, front_after)
        if page_map is not None:
            _set_pages(entries, page_map)
        targets.update(_toc_targets(entries))
        sections.append(ctx.render("toc.html", entries=entries,
                                   dense=contents_lines(entries, _contents_chars(ctx.geometry))
                                   > _page_lines(ctx.geometry) - CONTENTS_TITLE_LINES))
    if wanted(ctx.book, "list_of_illustrations"):
        figures = [{"id": fid, "caption": caption, "roman": chapter.matter == "front",
                    "page": None}
                   for chapter in ctx.book.chapters
                   for fid, caption in chapter_figures(chapter)]
        for figure in figures:
            targets.add(figure["id"])
            if page_map is not None:
                figure["page"] = page_map.folio_of(figure["id"])
        if figures:
            sections.append(ctx.render("loi.html", figures=figures))
    return sections, targets
