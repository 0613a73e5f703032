"""Joining pieces of the book, each written by WeasyPrint as a PDF of its own, into one PDF
(pikepdf): what lets pieces be laid out and written in other processes, or kept in a cache,
and still give one book (issue 15, DESIGN.md section 7).

What one WeasyPrint document gives for free and a join must redo:

- **Links across pieces.** WeasyPrint drops a link whose anchor is not in the document it
  writes; :func:`piece_pdf` keeps them (as named destinations, ``/Dest (id)``), and the
  join gives the book one name tree holding every piece's anchors (the first page an
  anchor is on wins, as in WeasyPrint), so each link finds its target in another piece.
- **One outline.** Bookmarks nest across pieces (a part's title in one piece, its chapters
  in the next), so the outline is built from every page's bookmarks with WeasyPrint's own
  tree rule (:func:`weasyprint.anchors.make_page_bookmark_tree`), not by gluing the
  pieces' outlines.
- **Fonts.** Each piece embeds its own subset of each face it uses; the join merges them
  into one font program and one font dictionary per face (:mod:`pdf_font_share`), so the
  book is not several times its fonts' size.

Page labels, boxes, metadata and the deterministic save stay :func:`pdf_post.finish`'s job,
run on the joined bytes as on a whole-book write. Tagged PDFs (a structure tree per piece)
are not joined: their renderer writes the book as one document.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from types import SimpleNamespace

import pikepdf
from pikepdf import Array, Dictionary, Name, String
from weasyprint.anchors import make_page_bookmark_tree
from weasyprint.matrix import Matrix

from make_book.render.print.font_share import merged_program, share_fonts
from make_book.render.weasy.links import links_across_pieces

SCALE = 0.75  # PDF points per CSS pixel (WeasyPrint at zoom 1)


@dataclass(frozen=True)
class PagePrint:
    """What the join needs of one laid-out page besides its PDF: its height (CSS px) and
    its bookmarks, as WeasyPrint's ``Page.bookmarks`` ((level, label, (x, y), state))."""

    height: float
    bookmarks: tuple = ()


@dataclass(frozen=True)
class PiecePdf:
    """One piece as written on its own: its PDF bytes and its pages' facts (picklable, so
    a worker process can return it and the cache can keep it)."""

    data: bytes
    pages: tuple[PagePrint, ...]


def page_prints(pages) -> tuple[PagePrint, ...]:
    return tuple(PagePrint(float(p.height), tuple(
        (level, label, (float(x), float(y)), state)
        for level, label, (x, y), state in p.bookmarks)) for p in pages)


def piece_pdf(document, pages) -> PiecePdf:
    """``pages`` (of ``document``, the piece's WeasyPrint document) written as a PDF of
    their own, links to other pieces kept. Fonts are subset to what these pages use."""
    with links_across_pieces():
        data = document.copy(list(pages)).write_pdf(pdf_version="1.7")
    return PiecePdf(data, page_prints(pages))


def outline_tree(pages: Sequence[PagePrint]) -> list:
    """The book's bookmark tree over all pages, as ``Document.make_bookmark_tree(0.75,
    transform_pages=True)`` builds it for one document."""
    root: list = []
    skipped: list = []
    last_by_depth = [root]
    previous = 0
    for number, page in enumerate(pages):
        stub = SimpleNamespace(bookmarks=list(page.bookmarks), height=page.height)
        matrix = Matrix(a=SCALE, d=-SCALE, f=page.height * SCALE)
        previous = make_page_bookmark_tree(stub, skipped, last_by_depth, previous, number,
                                           matrix)
    return root


def _add_outline(pdf: pikepdf.Pdf, tree: list, parent) -> tuple[list, int]:
    """The outline items of ``tree`` under ``parent``, linked as WeasyPrint links them
    (open items count their open descendants, closed ones are negative)."""
    items, count = [], len(tree)
    for title, (page, x, y), children, state in tree:
        item = pdf.make_indirect(Dictionary(
            Title=String(title),
            Dest=Array([pdf.pages[page].obj, Name.XYZ, x, y, 0]),
            Parent=parent))
        kids, kid_count = _add_outline(pdf, children, item)
        item.Count = -kid_count if state == "closed" else kid_count
        if state != "closed":
            count += kid_count
        if items:
            item.Prev = items[-1]
            items[-1].Next = item
        if kids:
            item.First, item.Last = kids[0], kids[-1]
        items.append(item)
    return items, count


def join(pieces: Sequence[PiecePdf], merge=merged_program) -> bytes:
    """The pieces' pages in order in one PDF, with one name tree of destinations, one
    outline and one font per face (``merge`` merges a face's programs:
    :func:`.font_share.merged_program`, or one that keeps them in the build cache)."""
    out = pikepdf.new()
    sources = []
    names: dict[str, Array] = {}
    prints: list[PagePrint] = []
    try:
        for piece in pieces:
            src = pikepdf.open(io.BytesIO(piece.data))
            sources.append(src)
            offset = len(out.pages)
            where = {}
            for j, page in enumerate(src.pages):
                where[page.obj.objgen] = offset + j
                out.pages.append(page)
            prints.extend(piece.pages)
            tree = src.Root.get("/Names", Dictionary()).get("/Dests", Dictionary())
            pairs = list(tree.get("/Names", Array()))
            for name, dest in zip(pairs[::2], pairs[1::2]):
                key = str(name)
                if key in names or dest[0].objgen not in where:
                    continue
                names[key] = Array([out.pages[where[dest[0].objgen]].obj, Name.XYZ,
                                    dest[2], dest[3], 0])
        if names:
            flat = Array()
            for key in sorted(names):
                flat.append(String(key))
                flat.append(names[key])
            out.Root.Names = Dictionary(Dests=out.make_indirect(Dictionary(Names=flat)))
        share_fonts(out, merge)
        if len(prints) == len(out.pages):
            root = out.make_indirect(Dictionary(Type=Name.Outlines))
            items, count = _add_outline(out, outline_tree(prints), root)
            if items:
                root.First, root.Last, root.Count = items[0], items[-1], count
                out.Root.Outlines = root
        buffer = io.BytesIO()
        out.save(buffer, deterministic_id=True)
        return buffer.getvalue()
    finally:
        out.close()
        for src in sources:
            src.close()


__all__ = ["PagePrint", "PiecePdf", "join", "outline_tree",
           "page_prints", "piece_pdf"]
