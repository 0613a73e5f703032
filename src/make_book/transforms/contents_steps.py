"""Each format's steps on the contents and on the list of illustrations (fragments
"contents" and "illustrations", :mod:`.contents_view`): what differs between the EPUB's
navigation and the printed contents is which of these run, not a branch in a renderer.
Each step turns the view into its template's data in place, the data the layouts'
templates have always received (users override them):

- EPUB (and the web edition and the preview, which use the EPUB's): :class:`NavEntry`,
  labelled "3. Title", "Appendix A: Title", "Part I: Title", linked into the files; the
  back-matter notes file and the indexes' documents at the end.
- print: :class:`TocEntry`, a chapter's number in its own column, "#id" links, front
  matter in roman; the pages set before the contents left out; then the folios from the
  print edition's page map (``000`` while a page is not known; none without a map, when
  the layout's CSS counts them).
"""

from __future__ import annotations

from make_book.transforms.contents_entries import NavEntry, TocEntry
from make_book.transforms.contents_view import (
    ContentsItem,
    FigureItem,
    appendix_title,
    chapter_label,
    part_label,
    printed_indexes,
)
from make_book.transforms.format_context import ContentsContext
from make_book.transforms.index_view import title as index_title


def print_depth(ctx: ContentsContext) -> int:
    """Print's contents depth: the book's own ``print: toc-depth`` when it sets one, else
    the layout's ``contents-depth``."""
    settings = getattr(ctx.book.meta, "print", None)
    if settings is not None and "toc_depth" in getattr(settings, "model_fields_set", ()):
        return int(settings.toc_depth)
    return ctx.layout.contents_depth


def contents_linked(view: list[ContentsItem], ctx: ContentsContext) -> None:
    """EPUB: every part and chapter labelled and linked to its file, a chapter's h2
    sections under it at ``print: toc-depth`` 2 or more, then the notes file and the
    indexes."""
    depth = ctx.book.meta.print.toc_depth

    def entry(item: ContentsItem) -> NavEntry:
        href = ctx.files[item.file_id]
        if item.kind == "part":
            return NavEntry(part_label(item.item, ctx.strings), href,
                            [entry(i) for i in item.children])
        out = NavEntry(chapter_label(item.item, ctx.strings), href)
        if depth >= 2:
            out.children = [NavEntry(s.item.text, f"{href}#{s.target}") for s in item.children]
        return out

    out = [entry(i) for i in view if i.kind != "index"]
    if ctx.note_files:
        out.append(NavEntry(ctx.strings["notes"], next(iter(ctx.note_files.values()))))
    out += [NavEntry(index_title(i.item, ctx.strings), ctx.index_files[i.item.name])
            for i in view if i.kind == "index"]
    view[:] = out


def contents_printed(view: list[ContentsItem], ctx: ContentsContext) -> None:
    """Print: parts, chapters (their numbers apart) and the printed indexes, linked by id;
    the top-level chapters set before the contents or as display pages left out; h2
    sections at the print contents depth 2 or more."""
    depth = print_depth(ctx)
    indexes = printed_indexes(ctx.book)

    def chapter_entry(item: ContentsItem) -> TocEntry:
        c = item.item
        number, title = None, c.title
        if c.label and c.kind == "chapter":
            number = c.label
        elif c.label:
            title = appendix_title(c, ctx.strings)
        entry = TocEntry("chapter", number, title, f"#{item.target}", roman=c.matter == "front")
        if depth >= 2:
            entry.children = [TocEntry("section", None, s.item.text, f"#{s.target}",
                                       roman=c.matter == "front") for s in item.children]
        return entry

    def part_entry(item: ContentsItem) -> TocEntry:
        return TocEntry("part", None, part_label(item.item, ctx.strings), f"#{item.target}",
                        children=[part_entry(i) if i.kind == "part" else chapter_entry(i)
                                  for i in item.children])

    out: list[TocEntry] = []
    for item in view:
        if item.kind == "part":
            out.append(part_entry(item))
        elif item.kind == "chapter":
            if item.item.matter == "front" and item.file_id not in ctx.after_contents:
                continue
            if item.file_id not in ctx.display:
                out.append(chapter_entry(item))
        elif any(item.item is i for i in indexes):
            out.append(TocEntry("chapter", None, index_title(item.item, ctx.strings),
                                f"#{item.target}"))
    view[:] = out


def contents_folios(view: list[TocEntry], ctx: ContentsContext) -> None:
    """Print: each entry's folio from the page map, when there is one."""
    if ctx.page_map is None:
        return

    def walk(entries: list[TocEntry]) -> None:
        for entry in entries:
            entry.page = ctx.page_map.folio_of(entry.href.lstrip("#"))
            walk(entry.children)
    walk(view)


def figures_linked(view: list[FigureItem], ctx: ContentsContext) -> None:
    """EPUB: each figure by its caption, linked into its chapter's file."""
    view[:] = [NavEntry(f.caption, f"{ctx.files[f.file_id]}#{f.target}") for f in view]


def figures_printed(view: list[FigureItem], ctx: ContentsContext) -> None:
    """Print: each figure as the list of illustrations' template has it (``id``,
    ``caption``, ``roman``, ``page``), its page not known yet."""
    view[:] = [{"id": f.target, "caption": f.caption, "roman": f.matter == "front",
                "page": None} for f in view]


def figure_folios(view: list[dict], ctx: ContentsContext) -> None:
    """Print: each figure's folio from the page map, when there is one."""
    if ctx.page_map is None:
        return
    for figure in view:
        figure["page"] = ctx.page_map.folio_of(figure["id"])
