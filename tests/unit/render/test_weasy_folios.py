"""Renumbering laid-out pages: the margin boxes of a piece laid out from folio 1 and moved
read as those of the same piece laid out from its real folio."""

from weasyprint import HTML
from weasyprint.formatting_structure import boxes

from make_book.render.weasy import folios as weasy_folios
from make_book.render.print.pages import line_text

CSS = ("@page { size: 300px 300px; margin: 40px; "
       "@bottom-right { content: counter(page, lower-roman) } "
       "@top-center { content: 'Page ' counter(page) } }")


def _html(first: int) -> str:
    return (f"<html><style>{CSS} @page :first {{ counter-reset: page {first} }}</style>"
            "<body>" + "<p>Text of the piece.</p>" * 30 + "</body></html>")


def _margins(pages) -> list[list[str]]:
    return [[line_text(b).strip() for b in page._page_box.children
             if isinstance(b, boxes.MarginBox) and b.children] for page in pages]


def test_renumbered_pages_read_as_laid_out_from_their_folio():
    with weasy_folios.keep_layout_context():
        provisional = HTML(string=_html(1)).render()
        real = HTML(string=_html(9)).render()
    moved = weasy_folios.renumbered(provisional.pages, 8)
    assert len(moved) == len(real.pages) > 2
    assert _margins(moved) == _margins(real.pages)
    assert _margins(moved)[0] == ["Page 9", "ix"]
    # the text of the pages is the very same boxes
    assert [p._page_box.children[0] for p in moved] == \
        [p._page_box.children[0] for p in provisional.pages]


def test_renumbering_lays_out_the_backgrounds_of_the_new_margin_boxes_only(monkeypatch):
    css = CSS.replace("@top-center {", "@top-center { background: #c00; ")
    html = ("<html><style>" + css + "</style><body style='background: #eee'>"
            + "<p style='background: #0c0'>Text of the piece.</p>" * 30 + "</body></html>")
    with weasy_folios.keep_layout_context():
        provisional = HTML(string=html).render()
    laid_out = weasy_folios.layout_box_backgrounds
    visited = []

    def spy(page, box, *args, **kwargs):
        visited.append(box)
        return laid_out(page, box, *args, **kwargs)

    monkeypatch.setattr(weasy_folios, "layout_box_backgrounds", spy)
    moved = weasy_folios.renumbered(provisional.pages, 8)
    assert visited and all(isinstance(b, boxes.MarginBox) for b in visited)
    for old, new in zip(provisional.pages, moved):
        old_box, new_box = old._page_box, new._page_box
        assert new_box.background == old_box.background
        assert new_box.canvas_background == old_box.canvas_background
        heads = [[b for b in page.children if isinstance(b, boxes.MarginBox)
                  and b.at_keyword == "@top-center"] for page in (old_box, new_box)]
        assert len(heads[1]) == 1 and heads[1][0] is not heads[0][0]
        assert heads[1][0].background is not None
        assert heads[1][0].background.color == heads[0][0].background.color
    # the content keeps the backgrounds its layout gave it
    assert moved[0]._page_box.children[0] is provisional.pages[0]._page_box.children[0]
