"""The print plan, from the model: the book's geometry before any layout (its page count
estimated), the notes surely too tall for the foot of a page, and the pieces the book is
laid out in (:class:`Piece`: the pages before the contents, the contents, each
front-matter chapter, part title and chapter, the index)."""

from __future__ import annotations

from make_book.errors import Diagnostics
from make_book.model import Book, Chapter, Part
from make_book.render import figures
from make_book.render import page_index as pdf_index
from make_book.render.print import documents as pdf_documents
from make_book.render.print import geometry as pdf_geometry
from make_book.render.print import html as pdf_html
from make_book.render.print.estimates import estimate_pages
from make_book.render.print.geometry import Geometry
from make_book.transforms.contents_view import printed_indexes
from make_book.render.print.results import Piece


def bleeds(book: Book, diagnostics: Diagnostics) -> bool:
    """Whether a figure bleeds (``bleed: auto`` then gives the book its bleed); one marked
    to bleed in a book with ``bleed: 0`` stays inside the margins, and says so (P050)."""
    found = figures.book_bleeds(book)
    if found and not book.meta.print.bleed_pt:
        for chapter in book.chapters:
            for block in figures.bleeding(chapter.body.root):
                diagnostics.warning(
                    "P050", f"a figure marked .bleed ({block.get('id') or 'no id'}) "
                    "is set inside the margins: book.yaml has print.bleed 0",
                    chapter.source, hint="give print.bleed auto or a length")
    return found


def geometries(book: Book, diagnostics: Diagnostics) -> tuple[Geometry, Geometry]:
    """The page geometry as book.yaml sets it, and with the gutter for the estimated page
    count (the one the book is first laid out with)."""
    base = pdf_geometry.geometry_for(book.meta.print, bleeds=bleeds(book, diagnostics))
    return base, base.for_pages(estimate_pages(book, base))


def _chapter_piece(plan: pdf_html.PrintDocument, chapter: Chapter, roman: bool) -> Piece:
    return Piece("chapter", chapter.file_id, roman, chapter=chapter,
                 targets=frozenset(plan.pageref_targets.get(chapter.file_id, ())))


def pieces(book: Book, plan: pdf_html.PrintDocument) -> tuple[Piece, ...]:
    """The pieces of the book, in book order."""
    out = []
    if plan.has_opening:
        out.append(Piece("opening", "opening", True))
    if plan.has_contents:
        out.append(Piece("contents", "contents", True,
                         targets=frozenset(plan.contents_targets)))
    for chapter in pdf_documents.front_chapters(book)[1]:
        out.append(_chapter_piece(plan, chapter, True))
    for item in pdf_html.walk_items(book.items):
        if isinstance(item, Part):
            out.append(Piece("part", item.id, False))
        elif item.matter != "front" or item.depth:
            out.append(_chapter_piece(plan, item, False))
    if printed_indexes(book):
        marks = {a for _, loc in pdf_index.all_locators(book)
                 for a in (loc.anchor, loc.end_anchor) if a}
        out.append(Piece("index", "index", False, targets=frozenset(marks)))
    return tuple(out)


def piece_title(book: Book, piece: Piece) -> str:
    """What a progress line calls the piece: its title, else what it is."""
    if piece.chapter is not None:
        return piece.chapter.title
    if piece.kind == "part":
        return next((p.title for p in book.parts if p.id == piece.key), "part")
    return {"opening": "title pages"}.get(piece.kind, piece.kind)
