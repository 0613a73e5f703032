"""Joining pieces written on their own: pages in order, links across pieces, one outline
nested across pieces, one name tree."""

import io

import pikepdf
from weasyprint import HTML

from make_book.render.print import join as pdf_join

PART = """<html><body><h1 id="part-one">Part One</h1>
<p>See <a href="#ch-two">the second chapter</a>.</p></body></html>"""
CHAPTER_ONE = """<html><body><h2 id="ch-one">First</h2><p>Text.</p>
<p style="break-before: page">More.</p></body></html>"""
CHAPTER_TWO = """<html><body><h2 id="ch-two">Second</h2>
<p>Back to <a href="#part-one">the part</a>.</p></body></html>"""


def _piece(html: str) -> pdf_join.PiecePdf:
    document = HTML(string=html).render()
    return pdf_join.piece_pdf(document, document.pages)


def _outline(pdf):
    def walk(item, depth):
        out = []
        while item is not None:
            page = next(i for i, p in enumerate(pdf.pages) if p.obj.objgen == item.Dest[0].objgen)
            out.append((depth, str(item.Title), page))
            out += walk(item.get("/First"), depth + 1)
            item = item.get("/Next")
        return out
    return walk(pdf.Root.Outlines.First, 0)


def test_join_keeps_links_destinations_and_one_nested_outline():
    pieces = [_piece(PART), _piece(CHAPTER_ONE), _piece(CHAPTER_TWO)]
    assert [len(p.pages) for p in pieces] == [1, 2, 1]
    with pikepdf.open(io.BytesIO(pdf_join.join(pieces))) as pdf:
        assert len(pdf.pages) == 4
        names = list(pdf.Root.Names.Dests.Names)
        dests = {str(n): d for n, d in zip(names[::2], names[1::2])}
        assert sorted(dests) == ["ch-one", "ch-two", "part-one"]
        index = {p.obj.objgen: i for i, p in enumerate(pdf.pages)}
        assert index[dests["ch-two"][0].objgen] == 3
        assert index[dests["part-one"][0].objgen] == 0
        links = [str(a.Dest) for p in pdf.pages for a in p.obj.get("/Annots", [])]
        assert links == ["ch-two", "part-one"]
        # the chapters nest under the part although each was its own document
        assert _outline(pdf) == [(0, "Part One", 0), (1, "First", 1), (1, "Second", 3)]
        assert pdf.Root.Outlines.Count == 3


def test_outline_matches_one_document():
    """The tree built over the pieces' pages is the one WeasyPrint builds over the same
    pages as one document."""
    whole = HTML(string=PART.replace("</body></html>", "")
                 + CHAPTER_TWO.split("<body>", 1)[1]).render()
    prints = pdf_join.page_prints(whole.pages)
    assert pdf_join.outline_tree(prints) == whole.make_bookmark_tree(0.75, True)
