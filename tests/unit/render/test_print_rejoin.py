"""A chapter's repair layout stops where it rejoins the layout before it (print/rejoin.py,
weasy/converge.py): the pages are the same as laying the chapter out to its end again,
and fewer are laid out."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from make_book.errors import Diagnostics
from make_book.render import page_index as pdf_index
from make_book.render.print import piece_layout, plan, repairs
from make_book.render.print.rejoin import Rejoin, common_suffix, unchanged_blocks
from make_book.render.print.results import Fixes
from make_book.render.weasy.converge import PageEnd
from tests.unit.render.test_pdf_fixtures import default_layout, make_book


def test_common_suffix():
    assert common_suffix("abcdef", "xxdef") == 3
    assert common_suffix("abc", "abc") == 3
    assert common_suffix("abc", "abd") == 0
    assert common_suffix("", "abc") == 0


def test_unchanged_blocks_are_those_whose_markup_and_all_after_is_the_same():
    old = ('<p data-mb-block="c:0">one</p><p data-mb-block="c:1">two</p>'
           '<p data-mb-block="c:2">three</p><p data-mb-block="c:3">four</p>')
    new = old.replace(">two<", ">two, changed<")
    assert unchanged_blocks(old, new) == {"c:2", "c:3"}
    # a block whose start tag changed is not the same, even if its text is
    assert unchanged_blocks(old, new.replace('<p data-mb-block="c:2">',
                                             '<p class="x" data-mb-block="c:2">')) == {"c:3"}
    assert unchanged_blocks(old, old + "<p>end</p>") == frozenset()  # the end differs
    assert unchanged_blocks(old, old) == {"c:0", "c:1", "c:2", "c:3"}


def _end(mark, within=None):
    return PageEnd(mark, within, True, (), (), (), ())


class _Page:
    def __init__(self, end):
        self._page_box = SimpleNamespace(_make_book_end=end)


def test_a_layout_rejoins_only_an_old_page_end_on_the_same_side_in_unchanged_text():
    old = [_Page(_end("c:1")), _Page(_end("c:4", (1,))), _Page(_end("c:6")), _Page(None),
           _Page(None)]
    rejoin = Rejoin(old, frozenset({"c:4", "c:6"}), base=0, skip=0)
    assert not rejoin.stop(0, _end("c:1"))  # block 1 changed after it
    assert not rejoin.stop(1, _end("c:4", (2,)))  # another place in the block
    assert not rejoin.stop(1, _end("c:6"))  # page 1 ends as old page 2: sides differ, and
    # old pages cannot be renumbered here
    assert rejoin.hit is None
    assert rejoin.stop(2, _end("c:6")) and rejoin.hit == (2, 2)
    assert rejoin.pages(["n0", "n1", "n2"]) == ["n0", "n1", "n2"] + old[3:]
    skipped = Rejoin(old, frozenset({"c:4", "c:6"}), base=1, skip=1)
    assert not skipped.stop(0, _end("c:4", (1,)))  # a page the layout drops
    assert skipped.stop(2, _end("c:6")) and skipped.pages(["s", "n1", "n2"]) == [
        "n1", "n2"] + old[3:]


@pytest.fixture(scope="module")
def laid_both_ways(tmp_path_factory):
    root = tmp_path_factory.mktemp("rejoin") / "b"
    book = make_book(root, many_notes=True)
    layout = default_layout(root)
    found = Diagnostics()
    _, geometry = plan.geometries(book, found)
    out = []
    with piece_layout.patched(book, layout):
        source = piece_layout.prepare(book, layout, geometry, Fixes(), diagnostics=found)
        for piece in plan.pieces(book, source.plan):
            if piece.kind != "chapter":
                continue
            inputs = dict(source=source, repairs=repairs.Repairs(), start=0, folio=1,
                          page_map=pdf_index.PageMap({}, 0))
            ways = [piece_layout.lay_out_piece(piece, **inputs, converge=c)
                    for c in (True, False)]
            pdfs = [w.documents[0].copy(w.pages).write_pdf() for w in ways]
            laid = [sum(len(d.pages) for d in w.documents) for w in ways]
            out.append((piece.key, ways, pdfs, laid))
    return out


def test_rejoined_layouts_give_the_same_pages_and_lay_out_fewer(laid_both_ways):
    repaired = [(key, laid) for key, ways, _, laid in laid_both_ways if ways[1].layouts > 1]
    assert repaired, "the test book has no chapter that needs a repair"
    for key, (rejoined, whole), (a, b), _ in laid_both_ways:
        assert rejoined.repairs == whole.repairs, key
        assert len(rejoined.pages) == len(whole.pages), key
        assert a == b, key  # the same PDF bytes
    assert any(laid[0] < laid[1] for _, laid in repaired), repaired
