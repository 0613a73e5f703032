"""The print renderer's stages (issue 14), each a function returning a value: the plan
from the model (print/plan.py), one piece laid out from its inputs (piece_layout.py), the
repairs' decisions (repairs.py), the page numbers settled over passes (settle.py)."""

from __future__ import annotations

import dataclasses
from types import SimpleNamespace

import pikepdf
import pytest

from make_book.errors import Diagnostics
from make_book.transforms.folios import PageMap
from make_book.render.print import finish, piece_layout, plan, repairs, settle
from make_book.transforms.contents_view import section_id
from make_book.render.print.note_splits import NoteSplit
from make_book.render.print.pages import PageFacts
from make_book.render.print.progress import PassStarted, PieceDone, PieceStarted
from make_book.render.print.results import Fixes, Piece, PieceLayout
from tests.unit.render.test_pdf_fixtures import SOURCE_DATE, default_layout, make_book


@pytest.fixture(scope="module")
def prepared(tmp_path_factory):
    root = tmp_path_factory.mktemp("stages") / "b"
    book = make_book(root)  # front matter, a part, chapters, a long note
    layout = default_layout(root)
    found = Diagnostics()
    _, geometry = plan.geometries(book, found)
    with piece_layout.patched(book, layout):
        source = piece_layout.prepare(book, layout, geometry, Fixes(), diagnostics=found)
    return SimpleNamespace(book=book, layout=layout, source=source)


# ------------------------------------------------------------------------------ plan

def test_the_plan_lists_the_pieces_in_book_order(prepared):
    book, source = prepared.book, prepared.source
    pieces = plan.pieces(book, source.plan)
    kinds = [p.kind for p in pieces]
    assert kinds[:2] == ["opening", "contents"] and "part" in kinds
    chapters = [p.key for p in pieces if p.kind == "chapter"]
    assert chapters and len(chapters) == len(set(chapters))
    assert set(chapters) <= {c.file_id for c in book.chapters}
    assert all(p.chapter.file_id == p.key for p in pieces if p.kind == "chapter")
    assert all(p.roman for p in pieces[:2]) and not pieces[-1].roman
    assert plan.piece_title(book, pieces[0]) == "title pages"
    with pytest.raises(dataclasses.FrozenInstanceError):  # a piece is what it is
        pieces[0].key = "other"


def test_the_first_geometry_has_the_gutter_of_the_estimate(prepared):
    base, geometry = plan.geometries(prepared.book, Diagnostics())
    assert geometry.trim_w == base.trim_w and geometry.pages > 0


# ----------------------------------------------------------------------- one piece

def test_a_chapter_is_laid_out_from_its_inputs_alone(prepared):
    """Given the prepared source, the repairs so far and where it starts, a chapter comes
    back as a value: its pages, the folios it printed, the repairs it made; the same
    inputs give the same pages."""
    book, source = prepared.book, prepared.source
    piece = next(p for p in plan.pieces(book, source.plan) if p.kind == "chapter")
    inputs = dict(source=source, repairs=repairs.Repairs(), start=4, folio=1,
                  page_map=PageMap({}, 4))
    with piece_layout.patched(book, prepared.layout):
        laid = piece_layout.lay_out_piece(piece, **inputs)
        again = piece_layout.lay_out_piece(piece, **inputs)
        bare = piece_layout.lay_out_piece(piece, **inputs, rounds=0, split_rounds=0)
    assert isinstance(laid, PieceLayout) and laid.pages and laid.folio == 1
    assert laid.layouts == len(laid.documents) == len(laid.restarts) + 1 + sum(
        laid.repairs.head_cuts.values())
    assert len(again.pages) == len(laid.pages) and again.repairs == laid.repairs
    assert bare.layouts == 1 and bare.restarts == ()  # no rounds: no repair
    assert not laid.stale(1, inputs["page_map"]) and laid.stale(3, inputs["page_map"])


# -------------------------------------------------------------------------- finish

def test_pieces_join_with_a_blank_verso_and_write_one_pdf(prepared, tmp_path):
    """Two pieces laid out here joined: a blank verso after an odd-length piece, the
    facts read from the joined pages, and the book written as one finished PDF."""
    book, source = prepared.book, prepared.source
    pieces = [p for p in plan.pieces(book, source.plan) if p.kind == "chapter"][:2]
    with piece_layout.patched(book, prepared.layout):
        blank, blank_document = piece_layout.blank_page(source)
        laid = []
        start = 0
        for piece in pieces:
            start += start % 2
            laid.append(piece_layout.lay_out_piece(
                piece, source=source, repairs=repairs.Repairs(), start=start,
                folio=start + 1, page_map=PageMap({}, 0)))
            start += len(laid[-1].pages)
        settled = settle.Settled(tuple(laid), laid[-1].repairs, 1, 2)
        joined = finish.joined_pages(settled, source, blank, blank_document)
        found = Diagnostics()
        data = finish.write(book, prepared.layout, joined, source_date=SOURCE_DATE,
                            diagnostics=found)
    first = len(laid[0].pages)
    assert len(joined.document.pages) == first + first % 2 + len(laid[1].pages)
    second = section_id(pieces[1].chapter)
    assert joined.facts.anchors[second] == first + first % 2  # opens on a recto
    path = tmp_path / "two.pdf"
    path.write_bytes(data)
    with pikepdf.open(path) as pdf:
        assert len(pdf.pages) == len(joined.document.pages)
    assert not found.errors


# ------------------------------------------------------------------------- repairs

def test_footnote_calls_leave_out_the_notes_moved_and_add_the_hung_parts():
    calls = {"a": ("ref-a", "ch"), "b": ("ref-b", "ch")}
    assert repairs.footnote_calls(Fixes(endnotes=frozenset({"a"})), calls) == {
        "b": ("ref-b", "ch")}
    split = NoteSplit("b", (100, 200), (("ch:4", "w", 10), None))  # part 2 hangs, 3 waits
    out = repairs.footnote_calls(Fixes(splits=(split,)), calls)
    assert set(out) == {"a", "b", split.part_id(1)}
    assert out[split.part_id(1)] == (split.anchor_id(1), "ch")


def test_repairs_are_values_that_grow():
    start = repairs.Repairs()
    more = start.fixed(Fixes(breaks=frozenset({"ch:3"}))).given_up({"n": "why"})
    assert start == repairs.Repairs()  # unchanged
    assert more.fixes.breaks == {"ch:3"} and more.unsplittable == {"n": "why"}


def test_a_chapter_out_of_rounds_needs_nothing_more(prepared):
    book, source = prepared.book, prepared.source
    chapter = book.chapters[-1]
    state = repairs.Repairs()
    after, need = repairs.next_repair(book, source.geometry, state, chapter, [], PageFacts(),
                                      source.plan, round_=3, budget=2)
    assert (after, need) == (state, None)
    after, need = repairs.next_repair(book, source.geometry, state, chapter, [], PageFacts(),
                                      source.plan, round_=2, budget=2)
    assert need is None  # no split note waiting for its rest


# -------------------------------------------------------------------------- settle

class FakePage:
    def __init__(self, *anchors):
        self.anchors = dict.fromkeys(anchors)


def fake_lay_out(lengths: dict[str, list[int]]):
    """Pieces whose length is the next of ``lengths[key]`` each time they are laid out."""
    calls = []

    def lay_out(piece, *, source, repairs, start, folio, page_map, on_round=None, **_):
        calls.append((piece.key, start, folio))
        sizes = lengths[piece.key]
        size = sizes.pop(0) if len(sizes) > 1 else sizes[0]
        pages = [FakePage(piece.key)] + [FakePage() for _ in range(size - 1)]
        return PieceLayout(pages, [], [], folio,
                           {a: page_map.folio_of(a) for a in piece.targets}, repairs)
    return lay_out, calls


def fake_source():
    return SimpleNamespace(book=SimpleNamespace(parts=()), diagnostics=Diagnostics(),
                           yaml_path=None)


def test_page_numbers_settle_in_a_second_pass():
    """The contents print where the chapters land: a first pass with placeholders, a second
    lays out only the contents, a third finds nothing to change."""
    pieces = (Piece("contents", "contents", True, targets=frozenset({"one", "two"})),
              Piece("chapter", "one", False), Piece("chapter", "two", False))
    lay_out, calls = fake_lay_out({"contents": [2], "one": [3], "two": [2]})
    events = []
    settled = settle.in_process(pieces, source=fake_source(), repairs=repairs.Repairs(),
                                lay_out=lay_out, tell=events.append)
    assert settled.passes == 3 and settled.piece_layouts == 4
    assert [c[0] for c in calls] == ["contents", "one", "two", "contents"]
    assert calls[2] == ("two", 6, 5)  # chapter one: pages 2-4, a blank verso, then two
    assert settled.layouts[0].printed == {"one": "1", "two": "5"}
    assert sum(isinstance(e, PassStarted) for e in events) == 3
    assert sum(isinstance(e, PieceStarted) for e in events) == sum(
        isinstance(e, PieceDone) for e in events) == 4


def test_pieces_that_keep_changing_are_reported_not_settled():
    pieces = (Piece("contents", "contents", True, targets=frozenset({"one"})),
              Piece("chapter", "one", False))
    lay_out, _ = fake_lay_out({"contents": [1, 3, 5, 7], "one": [2]})
    source = fake_source()
    settled = settle.in_process(pieces, source=source, repairs=repairs.Repairs(),
                                lay_out=lay_out, max_passes=2)
    assert settled.passes == 2
    assert [d.code for d in source.diagnostics] == ["P012"]


def test_anchors_of_the_pieces_laid_out_so_far():
    def outcome(anchors, length):
        return SimpleNamespace(facts=SimpleNamespace(anchors=anchors), length=length)
    pieces = (Piece("opening", "opening", True), Piece("chapter", "one", False),
              Piece("chapter", "two", False))
    found, body_start = settle.anchors(pieces, {0: outcome([["t"]], 1),
                                                1: outcome([["one"], [], ["x"]], 3),
                                                2: outcome([["two"]], 1)})
    assert found == {"t": 0, "one": 2, "x": 4, "two": 6} and body_start == 2
    found, _ = settle.anchors(pieces, {0: outcome([["t"]], 1), 2: outcome([["two"]], 1)})
    assert found == {"t": 0}  # nothing after a piece not yet laid out
