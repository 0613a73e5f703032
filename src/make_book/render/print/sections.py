"""Chapter, part and index sections: each a top-level ``<section>`` rendered from the
layout's templates, the unit the print documents are made of (a chapter restarted from a
block for a repair included)."""

from __future__ import annotations


from lxml import etree
from lxml import html as lxml_html
from markupsafe import Markup

from make_book import transforms
from make_book.manuscript.kinds import untitled_name
from make_book.model import Chapter, Part
from make_book.render.print.html import (
    BLOCK_ATTR,
    HIDDEN_ATTR,
    Context,
    css_string,
    is_display,
)
from make_book.render.print.body import BodyConverter
from make_book.render.print.note_splits import keep_from_line
from make_book.render.serialise import part_title_html, serialise
from make_book.transforms.contents_view import chapter_label, part_label, section_id
from make_book.transforms.folios import PageMap
from make_book.transforms.format_context import IndexContext
from make_book.transforms import index_view as view
from make_book.transforms.index_view import index_view


def chapter_section(ctx: Context, chapter: Chapter, page_name: str,
                    restart: tuple[int, str] | None = None,
                    running_head: str | None = None) -> str:
    """One chapter (or front/back-matter piece) as a top-level ``<section>``; with
    ``restart`` (block ``k``, page side), only the chapter from block ``k`` on, which opens
    a ``left`` or ``right`` page after an empty first page (see :func:`_restart`);
    ``running_head`` replaces the chapter's own (one cut to fit: :mod:`running_heads`)."""
    converter = BodyConverter(ctx, chapter)
    body = converter.convert(chapter.body, mark_blocks=True)
    if restart is not None:
        _drop_blocks(ctx, body, restart)
    title_html = Markup.escape(chapter.title)
    if chapter.title_markup is not None:
        title_root = converter.convert(chapter.title_markup, kind="title")
        title_html = Markup(serialise(title_root, "print"))
    number_label = None
    if chapter.label:
        word = ctx.strings.get("appendix" if chapter.kind == "appendix" else "chapter",
                               "Chapter")
        number_label = f"{word} {chapter.label}"
    display = is_display(chapter)
    # a dedication or epigraph prints a title of its own ("To the Working-Classes of
    # Great-Britain"), never the name of its kind ("Dedication", a YAML block's label)
    display_title = (display and not chapter.untitled
                     and chapter.title != untitled_name(chapter.kind, ctx.book.meta.lang))
    level = chapter.depth + 1  # under its parts in the outline
    endnotes = converter.endnotes_html()
    sid = section_id(chapter)
    html = ctx.render(
        "chapter.html", chapter=chapter, section_id=sid,
        page_name=page_name, display=display, display_title=display_title,
        lang=chapter.lang,
        running_head=running_head or chapter.running_title, number_label=number_label,
        title_html=title_html, bookmark_level=None if display else level,
        bookmark_label=css_string(chapter_label(chapter, ctx.strings)),
        notes_bookmark_level=level + 1,
        body=Markup(serialise(body, "print")), endnotes=endnotes)
    return html if restart is None else _restart(html)


class NoCut(Exception):
    """A restart inside a paragraph whose line cannot be found in it (the renderer then
    restarts from a block)."""


def _calls(el: etree._Element) -> set[str]:
    return {e.get("id") for e in el.iter()
            if "mb-footnote" in (e.get("class") or "").split()}


def cut_block(ctx: Context, block: etree._Element, line: str) -> None:
    """``block`` from its line ``line`` on, as the continuation of the paragraph on a new
    page is set: no indent and nothing above it (no margin, padding or border, as a box
    broken across pages has none); its id and the calls of the notes before the line
    go with the part cut away (:func:`note_splits.keep_from_line`)."""
    before = _calls(block)
    if not keep_from_line(block, line):
        raise NoCut(line)
    for gone in before - _calls(block):
        ctx.note_calls.pop(gone, None)
    block.attrib.pop("id", None)
    style = block.get("style")
    block.set("style", "text-indent: 0; margin-top: 0; padding-top: 0; border-top-width: 0"
              + (f"; {style}" if style else ""))


def _drop_blocks(ctx: Context, body: etree._Element, restart: tuple) -> None:
    """The body from block ``k`` on (its notes' calls forgotten), block ``k`` on a new
    ``side`` page; with a line, block ``k`` from that line on (:func:`cut_block`)."""
    k, side, *line = restart
    blocks = list(body)
    # block k by its mark: a figure moved on (pdf_floats) puts blocks out of number order
    k = next((i for i, b in enumerate(blocks)
              if (b.get(BLOCK_ATTR) or "").rpartition(":")[2] == str(k)), k)
    # The block before k stays, undisplayed, so the layout's sibling rules (no indent
    # after a heading, a figure...) style block k as in the whole chapter.
    kept = blocks[k - 1] if 0 < k < len(blocks) else None
    for block in blocks[:k]:
        for gone in _calls(block):
            ctx.note_calls.pop(gone, None)
        if block is not kept:
            body.remove(block)
    body.text = None
    if kept is not None:
        _hide(kept)
    if k < len(blocks):
        first = blocks[k]
        if line:  # (k, side, the line it starts from): inside the block
            cut_block(ctx, first, *line)
        style = first.get("style")
        first.set("style", f"break-before: {side}" + (f"; {style}" if style else ""))


def _hide(block: etree._Element) -> None:
    for el in block.iter():
        el.attrib.pop("id", None)
    block.attrib.pop(BLOCK_ATTR, None)
    block.set(HIDDEN_ATTR, "")
    block.set("style", "display: none !important")


def _restart(section_html: str) -> str:
    """A chapter section without what comes before its first block (the opening: title,
    number, epigraph), an empty block in its place: the empty first page (and the blank
    before a recto) that the renderer drops, whatever the layout's template puts there."""
    section = lxml_html.fragment_fromstring(section_html.strip())
    for child in list(section):
        if child.get(BLOCK_ATTR) is not None or child.get(HIDDEN_ATTR) is not None:
            break
        section.remove(child)
    section.text = None
    section.insert(0, etree.Element("div", {"class": "mb-restart"}))
    return etree.tostring(section, encoding="unicode", method="html")


def part_section(ctx: Context, part: Part, page_name: str) -> str:
    """A part's title page (a recto), with the part's opening text (an epigraph) under
    its title; its outline level is its depth (a book inside a part sits under it)."""
    body, title_html, endnotes = Markup(""), part_title_html(part, "print"), []
    if part.opening is not None:
        converter = BodyConverter(ctx, part.opening)
        body = Markup(serialise(converter.convert(part.opening.body), "print"))
        if part.title_markup is not None:
            title = converter.convert(part.title_markup, kind="title")
            title_html = Markup(serialise(title, "print"))
        endnotes = converter.endnotes_html()
    return ctx.render("part.html", part=part, page_name=page_name, body=body,
                      title_html=title_html, endnotes=endnotes, bookmark_level=part.depth,
                      bookmark_label=css_string(part_label(part, ctx.strings)))


def index_section(ctx: Context, index, page_map: PageMap | None) -> str:
    """One index as a back-matter ``<section>``, its locators print's (placeholder numbers
    without a page map)."""
    title = view.title(index, ctx.strings)
    groups = transforms.for_format("index", "print", IndexContext(ctx.book, page_map),
                                   index_view(index))
    return ctx.render("index.html", index=index, section_id=view.section_id(index),
                      title=title, bookmark_label=css_string(title), groups=groups)
