"""Book-level transforms: each takes a Book and returns a new one (mdBook's preprocessors).

Chapter-local passes (sanitising, notes, typography, heading ids) already ran while each
chapter was parsed (see :mod:`make_book.manuscript.chapter`). A transform reads a body's
tree (:class:`make_book.xhtml.Body`) and changes a copy of it, never the text.
"""

from __future__ import annotations

from collections.abc import Callable

from make_book.errors import Diagnostics
from make_book.model import Book
from make_book.transforms import (
    anchors,
    citations,
    crossrefs,
    figures,
    glossary,
    heading_refs,
    index,
    links,
    numbering,
)

Transform = Callable[[Book, Diagnostics], Book]

PIPELINE: list[Transform] = [
    # first: citations become notes (renumbering a chapter's notes) or text, and the
    # bibliography a chapter, before anything collects ids, headings or numbers
    citations.resolve,
    # first: [Heading text] naming a later chapter's heading becomes a link (or text)
    # before anything reads the bodies' links
    heading_refs.resolve,
    # links to chapter files become links to their ids, before the id map checks them
    links.resolve_files,
    # it gives every index mark an id, which the id map below must include
    index.collect,
    # glossary terms get their glossary:name ids, which the id map below must include
    glossary.sort_glossaries,
    # then every later step (links, renderers) looks ids up in the book-wide map
    anchors.collect,
    # numbers before rendering so both formats show the same chapter numbers and labels
    numbering.number_chapters,
    # figure numbers are prefixed with their chapter's number, so after the chapters
    figures.number_figures,
    # {.ref} text needs every number and the id map
    crossrefs.resolve,
    # after anchors: a link is valid when its id is in the map
    links.check,
]


def run(book: Book, diagnostics: Diagnostics) -> Book:
    for transform in PIPELINE:
        book = transform(book, diagnostics)
    return book
