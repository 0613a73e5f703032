"""Whole print documents: the book as one (:func:`build_document`: the plan of ids, note
calls and page names the renderer works from, and what ``benchmarks/`` hands bare
WeasyPrint), and each piece the renderer lays out on its own (:func:`opening_document`,
:func:`contents_document`, :func:`part_document`, :func:`chapter_document`,
:func:`index_document`), with the head, fonts, page geometry and stylesheets around
their sections."""

from __future__ import annotations


from markupsafe import Markup

from make_book.errors import Diagnostics
from make_book.layouts.chain import Layout
from make_book.model import Book, Chapter, Part
from make_book.render.print import note_splits
from make_book.render import credits as credits_mod
from make_book.render.print.geometry import Geometry, page_css
from make_book.render.print.html import (
    BOOK_URL,
    BREAK_CLASS,
    Context,
    PrintDocument,
    author_names,
    is_display,
    make_context,
    verso_head,
    walk_items,
)
from make_book.transforms.contents_view import printed_indexes, section_id, wanted
from make_book.render.print.sections import chapter_section, index_section, part_section
from make_book.render.print.contents import contents_sections
from make_book.transforms.folios import PageMap


def structure_css(geometry: Geometry, start_page: int | None = None) -> str:
    """Rules that follow from the document's structure and geometry, not from taste:
    the page counter restarts at the body (or, in a piece of the book laid out on its
    own, starts at the piece's first folio); blocks moved to the next page; lengths
    templates may need."""
    start = ("@page body-first:nth(1 of body-first), part-first:nth(1 of part-first) "
             "{ counter-reset: page 1; }\n" if start_page is None
             else f"@page :first {{ counter-reset: page {start_page}; }}\n")
    return (
        page_css(geometry)
        + "h1, h2, h3, h4, h5, h6 { bookmark-level: none; }\n"
        + start
        + f".{BREAK_CLASS} {{ break-before: page; }}\n"
        + f":root {{ --mb-text-width: {geometry.text_width:.3f}pt; "
          f"--mb-text-height: {geometry.text_height:.3f}pt; }}\n"
    )


def build_document(book: Book, layout: Layout, geometry: Geometry, *,
                   diagnostics: Diagnostics,
                   endnote_ids: frozenset[str] = frozenset(),
                   break_marks: frozenset[str] = frozenset(),
                   splits: tuple[note_splits.NoteSplit, ...] = ()) -> PrintDocument:
    """The whole book as one HTML document (see the module docstring); the indexes come
    last, with placeholder numbers."""
    ctx, lang = make_context(book, layout, geometry, diagnostics, endnote_ids, break_marks,
                         splits=splits)
    sections: list[str] = []
    chapter_ids: dict[str, str] = {}
    page_names: dict[str, str] = {}

    display_front, other_front = front_chapters(book)
    opening = opening_sections(ctx)
    sections += opening
    for chapter in display_front:
        chapter_ids[section_id(chapter)] = chapter.file_id
        page_names[chapter.file_id] = "display"
    contents, contents_targets = contents_sections(ctx, other_front, None)
    sections += contents
    for chapter in other_front:
        sections.append(chapter_section(ctx, chapter, "front"))
        chapter_ids[section_id(chapter)] = chapter.file_id
        page_names[chapter.file_id] = "front"

    first_body_id: str | None = None
    for item in walk_items(book.items):
        if isinstance(item, Part):
            name = "part"
            if first_body_id is None:
                first_body_id, name = item.id, "part-first"
            sections.append(part_section(ctx, item, name))
            page_names[item.id] = name
            if item.opening is not None:
                chapter_ids[item.id] = item.opening.file_id
            chapters = ()
        elif item.matter == "front" and not item.depth:
            continue
        else:
            chapters = (item,)
        for chapter in chapters:
            name = "back" if chapter.matter == "back" else "body"
            if first_body_id is None:
                first_body_id = section_id(chapter)
                name = "body-first"
            if is_display(chapter):
                name = "display" if name != "body-first" else name
            sections.append(chapter_section(ctx, chapter, name))
            chapter_ids[section_id(chapter)] = chapter.file_id
            page_names[chapter.file_id] = name

    for index in printed_indexes(book):
        sections.append(index_section(ctx, index, None))

    html = document_html(ctx, lang, sections)
    return PrintDocument(html, BOOK_URL, first_body_id,
                         chapter_ids, dict(ctx.note_calls), page_names,
                         {k: set(v) for k, v in ctx.pageref_targets.items()},
                         frozenset(contents_targets), bool(opening), bool(contents))


def front_chapters(book: Book) -> tuple[list[Chapter], list[Chapter]]:
    """The front matter's chapters: those set as display pages (dedication, epigraph),
    before the contents, and the others (foreword, preface...), after them."""
    front = [c for c in book.items if isinstance(c, Chapter) and c.matter == "front"]
    return ([c for c in front if is_display(c)],
            [c for c in front if not is_display(c)])


def opening_sections(ctx: Context) -> list[str]:
    """Half title, series page, title page, copyright page (as the book asks for them),
    then the dedication and epigraph: everything before the contents."""
    book = ctx.book
    credits = credits_mod.credit_lines(book, ctx.strings)
    sections = []
    if wanted(book, "half_title"):
        sections.append(ctx.render("halftitle.html"))
    series = book.meta.series
    if wanted(book, "series_page") and series is not None and series.volumes:
        sections.append(ctx.render("series.html"))
    if wanted(book, "title_page"):
        sections.append(ctx.render("titlepage.html", authors=author_names(book),
                                   credits=credits))
    if wanted(book, "copyright_page"):
        sections.append(ctx.render(
            "copyright.html", credits=credits, isbns=credits_mod.isbn_lines(book),
            printing=credits_mod.printing_line(book), year=credits_mod.year(book),
            reprint=credits_mod.reprint_line(book, ctx.strings),
            sources=list(getattr(book.meta, "source", None) or ())))
    for chapter in front_chapters(book)[0]:
        sections.append(chapter_section(ctx, chapter, "display"))
    return sections


def font_css(layout: Layout) -> str:
    """The layout's fonts as ``@font-face`` rules (file URLs)."""
    return layout.font_face_css(lambda f: f.path.resolve().as_uri())


def stylesheet_urls(layout: Layout) -> list[str]:
    return [p.resolve().as_uri() for p in layout.stylesheets("print")]


def document_html(ctx: Context, lang: str, sections: list[str],
                  start_page: int | None = None, linked_styles: bool = True) -> str:
    """The print document around ``sections``: head, fonts, page geometry, stylesheets.
    Without ``linked_styles``, the fonts and the layout's stylesheets are left out: the
    renderer parses them once and hands them to WeasyPrint for every piece (parsing them
    again for each of a book's pieces cost more than a second on a long book)."""
    book, layout = ctx.book, ctx.layout
    return ctx.render(
        "book.html", lang=lang, doc_title=book.meta.title,
        font_css=Markup(font_css(layout) if linked_styles else ""),
        structure_css=Markup(structure_css(ctx.geometry, start_page)),
        stylesheets=stylesheet_urls(layout) if linked_styles else [],
        verso_head=verso_head(book), notes_mode=ctx.notes_mode, authors=author_names(book),
        sections=[Markup(s) for s in sections])


def piece_html(ctx: Context, lang: str, sections: list[str], start_page: int) -> str:
    """A piece of the book laid out on its own: numbered from ``start_page``, its fonts and
    stylesheets given by the renderer (:func:`font_css`, :func:`stylesheet_urls`)."""
    return document_html(ctx, lang, sections, start_page, linked_styles=False)


def chapter_document(book: Book, layout: Layout, geometry: Geometry, chapter: Chapter, *,
                     diagnostics: Diagnostics, page_name: str = "body",
                     endnote_ids: frozenset[str] = frozenset(),
                     break_marks: frozenset[str] = frozenset(),
                     splits: tuple[note_splits.NoteSplit, ...] = (),
                     start_page: int | None = None,
                     restart: tuple[int, str] | None = None,
                     page_map: PageMap | None = None,
                     floats: dict[str, str] | None = None,
                     running_head: str | None = None) -> PrintDocument:
    """One chapter as a document of its own (same head, styles and page names), its first
    page numbered ``start_page``; with ``restart``, only from a block on, and with
    ``running_head`` for its own (see :func:`chapter_section`)."""
    ctx, lang = make_context(book, layout, geometry, diagnostics, endnote_ids, break_marks,
                         page_map, splits)
    ctx.floats = dict(floats or {})
    section = chapter_section(ctx, chapter, page_name, restart, running_head)
    html = piece_html(ctx, lang, [section], start_page)
    sid = section_id(chapter)
    return PrintDocument(html, BOOK_URL, sid if page_name == "body-first" else None,
                         {sid: chapter.file_id}, dict(ctx.note_calls),
                         page_names={chapter.file_id: page_name},
                         pageref_targets={k: set(v) for k, v in ctx.pageref_targets.items()})


def opening_document(book: Book, layout: Layout, geometry: Geometry, *,
                     diagnostics: Diagnostics) -> PrintDocument:
    """The pages before the contents as a document of their own (numbered from i)."""
    ctx, lang = make_context(book, layout, geometry, diagnostics)
    html = piece_html(ctx, lang, opening_sections(ctx), 1)
    return PrintDocument(html, BOOK_URL, None, note_calls=dict(ctx.note_calls))


def part_document(book: Book, layout: Layout, geometry: Geometry, part: Part, *,
                  diagnostics: Diagnostics, page_name: str, start_page: int) -> PrintDocument:
    """A part title page as a document of its own."""
    ctx, lang = make_context(book, layout, geometry, diagnostics)
    html = piece_html(ctx, lang, [part_section(ctx, part, page_name)], start_page)
    return PrintDocument(html, BOOK_URL, part.id if page_name == "part-first" else None,
                         note_calls=dict(ctx.note_calls))


def blank_document(book: Book, layout: Layout, geometry: Geometry, *,
                   diagnostics: Diagnostics) -> PrintDocument:
    """Two empty sections: the page between them is the blank verso the layout sets
    before a recto opening, to put between pieces of the book laid out on their own."""
    ctx, lang = make_context(book, layout, geometry, diagnostics)
    html = piece_html(ctx, lang, ['<section style="page: body"></section>'] * 2, 1)
    return PrintDocument(html, BOOK_URL, None)


def contents_document(book: Book, layout: Layout, geometry: Geometry, *,
                      diagnostics: Diagnostics, page_map: PageMap,
                      start_page: int) -> PrintDocument:
    """The contents and the list of illustrations as a document of their own, with the
    page numbers of ``page_map`` (placeholders for pages not known yet), their first page
    numbered ``start_page``."""
    ctx, lang = make_context(book, layout, geometry, diagnostics)
    sections, targets = contents_sections(ctx, front_chapters(book)[1], page_map)
    html = piece_html(ctx, lang, sections, start_page)
    return PrintDocument(html, BOOK_URL, None, contents_targets=frozenset(targets))


def index_document(book: Book, layout: Layout, geometry: Geometry, *,
                   diagnostics: Diagnostics, index_pages: PageMap,
                   start_page: int) -> PrintDocument:
    """The printed indexes as a document of their own, with real page numbers, their first
    page numbered ``start_page``: laid out after the book, whose pages they cannot move."""
    ctx, lang = make_context(book, layout, geometry, diagnostics)
    sections = [index_section(ctx, index, index_pages) for index in printed_indexes(book)]
    html = piece_html(ctx, lang, sections, start_page)
    return PrintDocument(html, BOOK_URL, None)
