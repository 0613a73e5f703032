"""The gate without typesetting: everything that can be found in a book before a page is
laid out, shared by `check` and `build` so both fail a book for the same reasons.

Nothing here imports WeasyPrint: `make-book check` answers in seconds on a 2,000-page
book, and on a machine without Pango.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path


from make_book import transforms
from make_book.cache import Cache
from make_book.errors import Diagnostics, MakeBookError
from make_book.layouts import Layout, load_layout
from make_book.layouts.check import check_layout
from make_book.manuscript.book import load_book
from make_book.markup import md_inline_pass
from make_book.model import Book


@dataclass
class Checked:
    """A book as far as it got: loaded (its title known), then transformed when its
    layout could be loaded; ``layout`` is None when it could not."""

    book: Book
    layout: Layout | None


def check_manuscript(root: Path, formats: Sequence[str], diagnostics: Diagnostics, *,
                     glyphs: bool = True, cache: Cache | None = None,
                     jobs: int = 1) -> Checked:
    """Load, check the layout, transform and check images' alt text, collecting every
    problem in ``diagnostics``; with ``glyphs``, also every character against the
    layout's fonts (a build leaves that to its renderers, which must know the faces
    used); ``cache`` keeps parsed chapters (:mod:`make_book.cache`); ``jobs``: processes
    converting chapters (:mod:`make_book.manuscript.convert_pool`). Raises
    :class:`MakeBookError` when the book cannot even be read."""
    # every problem found before layout is found in one run: a book with errors in
    # book.yaml or a chapter is still checked by the layout and the transforms
    md_inline_pass.check_workaround(diagnostics)  # said before the chapters it would slow
    book = load_book(root, diagnostics, keep_going=True, cache=cache, jobs=jobs)
    layout = _layout(book, formats, diagnostics, cache)
    if layout is None:
        return Checked(book, None)
    book = transforms.run(book, diagnostics)
    check_alt_text(book, diagnostics)
    if glyphs:
        from make_book.render.glyphs import check_glyphs  # cmaps only, no layout engine
        check_glyphs(book, layout, diagnostics, target="print" if "pdf" in formats else "epub")
    return Checked(book, layout)


def _layout(book: Book, formats: Sequence[str], diagnostics: Diagnostics,
            cache: Cache | None = None) -> Layout | None:
    """The book's layout, checked before any render, its problems joined to the others;
    None when it cannot be used (the transforms need its strings)."""
    try:
        layout = load_layout(book.root, book.meta.layout, cache)
    except MakeBookError as exc:
        diagnostics.extend(exc.diagnostics)
        return None
    check_layout(layout, list(formats), diagnostics)
    return layout


def check_alt_text(book: Book, diagnostics: Diagnostics) -> None:
    """K003: an ``<img>`` with no ``alt`` at all (raw HTML) is read aloud as its file name;
    Ace calls it critical. ``alt=""`` is a decorative image and passes, as in Ace."""
    for chapter in book.chapters:
        trees = [chapter.body.root, *(n.body.root for n in chapter.notes)]
        uses: dict[str, int] = {}
        for img in (img for tree in trees for img in tree.iter("{*}img")):
            href = img.get("src", "")
            uses[href] = uses.get(href, -1) + 1
            if img.get("alt") is None:
                diagnostics.warning("K003", f"image {href} has no alt text", chapter.source,
                                    chapter.image_line(href, uses[href]),
                                    hint="describe it: ![a description](file), or alt=\"...\" "
                                         'in raw HTML; alt="" marks it decorative')
