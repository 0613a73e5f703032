"""Everything that happens to a book between loading and serialising, in order
(:data:`PIPELINE`), each step saying why it sits there and for which formats it runs.

Chapter-local passes (sanitising, notes, typography, heading ids) already ran while each
chapter was parsed (see :mod:`make_book.manuscript.chapter`). Then come the book steps:
each takes a Book and returns a new one (mdBook's preprocessors), for every format; a
transform reads a body's tree (:class:`make_book.xhtml.Body`) and changes a copy of it,
never the text. Then the tree steps (Sphinx's post-transforms): a renderer copies a
fragment's tree and hands it to :func:`for_format`, which runs the steps declared for that
format and that kind of fragment; what differs between EPUB and print is which steps run,
and one serialiser (:mod:`make_book.render.serialise`) writes the result. An index's
locators are such steps too, on the index's template data (:mod:`.index_locators`), and
so are the contents and the list of illustrations (:mod:`.contents_steps`).
"""

from __future__ import annotations

from typing import TypeVar

from lxml import etree

from make_book.errors import Diagnostics
from make_book.model import Book
from make_book.transforms import (
    anchors,
    calls,
    citations,
    contents_steps,
    crossrefs,
    epub_steps,
    figure_marks,
    figures,
    glossary,
    heading_refs,
    index,
    index_locators,
    links,
    numbering,
    openings,
    page_markers,
    print_notes,
    print_steps,
    short_tables,
)
from make_book.transforms.steps import FORMATS, Step

ALL = ("body", "title", "note")  # what a converter gives every fragment of its own text
PRINT_TEXT = ("body", "title", "endnote")  # print's fragments that hold notes' text too
# a tree, or a template's data: an index's, the contents', the list of illustrations'
Fragment = TypeVar("Fragment", etree._Element, list)

PIPELINE: list[Step] = [
    # --- book steps: the model, once for every format
    Step(citations.resolve, "first: citations become notes (renumbering a chapter's notes) "
         "or text, and the bibliography a chapter, before anything collects ids, headings "
         "or numbers"),
    Step(heading_refs.resolve, "[Heading text] naming a later chapter's heading becomes a "
         "link (or text) before anything reads the bodies' links"),
    Step(links.resolve_files, "links to chapter files become links to their ids, before "
         "the id map checks them"),
    Step(index.collect, "gives every index mark an id, which the id map below must include"),
    Step(glossary.sort_glossaries, "glossary terms get their glossary:name ids, which the "
         "id map below must include"),
    Step(anchors.collect, "every later step (links, renderers) looks ids up in the "
         "book-wide map built here"),
    Step(numbering.number_chapters, "numbers before rendering, so that every format shows "
         "the same chapter numbers and labels"),
    Step(figures.number_figures, "figure numbers are prefixed with their chapter's number, "
         "so after the chapters"),
    Step(crossrefs.resolve, "{.ref} text needs every number and the id map"),
    Step(links.check, "after the id map: a link is valid when its id is in it"),
    # --- tree steps: a copy of one fragment's tree, for one format
    Step(print_steps.mark_blocks, "first: the print renderer's marks count the blocks as "
         "the manuscript has them, and figures it floats on move before anything else",
         ("print",), ("body",)),
    Step(page_markers.place_page_markers, "first: the print build counted the blocks as the "
         "manuscript has them; folded with their paragraph's anchors below",
         ("epub",), ("body",)),
    Step(print_steps.math_as_tex, "WeasyPrint cannot typeset MathML; before the calls are "
         "joined, which look at the text before them", ("print",), PRINT_TEXT),
    Step(calls.join_calls, "a call never starts a line: joined to its word before "
         "the calls become each format's markup", FORMATS, ("body", "title", "note")),
    Step(epub_steps.noterefs, "the EPUB's calls are noterefs to pop-up notes", ("epub",),
         ALL),
    Step(epub_steps.links, "after the noterefs, which point at their note's file already",
         ("epub",), ALL),
    Step(epub_steps.images, "image paths from the text folder", ("epub",), ALL),
    Step(openings.fold_anchor_paragraphs, "after the block counts above: a paragraph of anchors opens the "
         "block after it", FORMATS, ("body", "title", "note")),
    Step(print_notes.place_notes, "footnotes at their calls, or endnote calls", ("print",),
         ("body", "title")),
    Step(print_notes.hang_continuations, "after the footnotes: a split footnote's parts "
         "hang on their pages' lines, then go through the steps below like any text",
         ("print",), ("body",)),
    Step(print_steps.superiors, "after the footnotes, whose numbers are set as superiors "
         "too", ("print",), ("body", "title")),
    Step(print_steps.images, "figures at their printed width", ("print",), PRINT_TEXT),
    Step(figure_marks.mark_image_paragraphs, "an image alone in a paragraph is set apart "
         "like a figure, in both layouts", FORMATS, ALL + ("endnote",)),
    Step(epub_steps.section_breaks, "a rule between sections is styled by its class",
         ("epub",), ALL),
    Step(epub_steps.table_headers, "header cells screen readers can name", ("epub",), ALL),
    Step(epub_steps.glossary, "glossary terms and definitions say so", ("epub",), ALL),
    Step(short_tables.mark_short_tables, "a short table is kept whole on one page",
         ("print",), ("body", "title")),
    Step(print_steps.section_breaks, "a section break is a separator block, not a rule",
         ("print",), ("body", "title")),
    Step(print_steps.verse, "a verse line too long for the measure turns over with a "
         "hanging indent", ("print",), ("body", "title")),
    Step(print_steps.links, "page references get their numbers; links into notes go to "
         "the footnote", ("print",), PRINT_TEXT),
    Step(print_steps.bookmarks, "sections in the PDF outline", ("print",),
         ("body", "title")),
    Step(epub_steps.note_backlink, "last: a note's number leads its first paragraph",
         ("epub",), ("note",)),
    Step(print_notes.endnote_backlink, "last: an endnote's number leads its first "
         "paragraph", ("print",), ("endnote",)),
    # --- an index's template data: its marks become each format's locators
    Step(index_locators.linked, "an index is read in the EPUB by following links: each "
         "locator links to its mark (in its notes file when the notes are at the back), "
         "labelled by the print page when the build has print's pages, else by chapter",
         ("epub",), ("index",)),
    Step(index_locators.printed, "a printed index is read by page: a mark's page, ranges "
         "merged and elided as Chicago has them, once the book's pages are known",
         ("print",), ("index",)),
    # --- the contents' and the list of illustrations' template data (contents_view):
    # which entries each format lists, how it labels them, where they link
    Step(contents_steps.contents_linked, "the EPUB's nav and NCX (and the web edition's "
         "contents) are followed, not read by page: each entry labelled with its number "
         "('3. Title', 'Part I: Title') and linked into its file, the notes file and the "
         "indexes last; sections at the book's toc-depth", ("epub",), ("contents",)),
    Step(contents_steps.contents_printed, "the printed contents list what follows them "
         "(not the display pages before them), a chapter's number in its own column, "
         "each entry linked by id within the book; sections at the book's toc-depth, else "
         "the layout's contents-depth", ("print",), ("contents",)),
    Step(contents_steps.contents_folios, "after the entries: their pages from the print "
         "edition's page map, once a piece of the book is laid out on its own",
         ("print",), ("contents",)),
    Step(contents_steps.figures_linked, "the EPUB's loi nav links each figure's caption "
         "into its chapter's file", ("epub",), ("illustrations",)),
    Step(contents_steps.figures_printed, "the printed list of illustrations links each "
         "caption by id, front matter's pages in roman", ("print",), ("illustrations",)),
    Step(contents_steps.figure_folios, "after the entries: their pages from the print "
         "edition's page map, once a piece of the book is laid out on its own",
         ("print",), ("illustrations",)),
]


def run(book: Book, diagnostics: Diagnostics) -> Book:
    """The book steps, in order."""
    for step in PIPELINE:
        if not step.on_tree:
            book = step.run(book, diagnostics)
    return book


def for_format(fragment: str, fmt: str, context, tree: Fragment) -> Fragment:
    """The tree steps for ``fmt`` and this kind of ``fragment`` run on ``tree`` (a copy the
    renderer made; for "index", "contents" and "illustrations", the template data of
    :mod:`.index_view` or :mod:`.contents_view`) with ``fmt``'s context; the tree,
    changed in place."""
    for step in PIPELINE:
        if step.on_tree and step.applies(fragment, fmt):
            step.run(tree, context)
    return tree
