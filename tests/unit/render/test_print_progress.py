"""The print renderer's progress events (render/print/progress.py): what the command line
shows during the long print stage comes only from these."""

from __future__ import annotations

from make_book.errors import Diagnostics
from make_book.render.print import documents as pdf_documents
from make_book.render.print.renderer import render_print
from make_book.render.print.progress import Finishing, PassStarted, PieceDone, PieceStarted
from tests.unit.render.test_pdf_fixtures import SOURCE_DATE, default_layout, make_book


def test_events_follow_the_pieces_and_pages_of_the_layout(tmp_path):
    book = make_book(tmp_path / "b")  # front matter, a part, chapters, a long note
    events = []
    result = render_print(book, default_layout(tmp_path / "b"), source_date=SOURCE_DATE,
                          diagnostics=Diagnostics(), progress=events.append)

    passes = [i for i, e in enumerate(events) if isinstance(e, PassStarted)]
    assert passes[0] == 0
    assert [events[i].number for i in passes] == list(range(1, len(passes) + 1))
    assert len(passes) >= 2  # the last pass finds nothing to change
    pieces = events[0].pieces

    # the first pass lays out every piece in order: started, its repair rounds, done
    first = events[1:passes[1]]
    started = [e for e in first if isinstance(e, PieceStarted) and e.round == 1]
    done = [e for e in first if isinstance(e, PieceDone)]
    assert [e.index for e in started] == [e.index for e in done] == list(range(1, pieces + 1))
    assert all(e.pieces == pieces for e in started + done)
    position = 0
    for start, end in zip(started, done):
        assert start.pages_before >= position  # pages only grow (blank versos added)
        assert end.pages > start.pages_before
        assert (end.kind, end.title) == (start.kind, start.title)
        position = end.pages
        between = first[first.index(start) + 1:first.index(end)]
        assert all(isinstance(e, PieceStarted) and e.index == start.index and e.round >= 2
                   for e in between)

    # every chapter is named, but those set among the opening pages (the dedication)
    display = {c.title for c in pdf_documents.front_chapters(book)[0]}
    assert display
    assert {e.title for e in started if e.kind == "chapter"} == {
        c.title for c in book.chapters} - display
    assert {e.kind for e in started} >= {"opening", "contents", "part", "chapter"}
    # the long note is cut over pages: its chapter is laid out again, and says so
    repairs = [e for e in events if isinstance(e, PieceStarted) and e.round > 1]
    assert repairs and [e.round for e in repairs if e.index == repairs[0].index][:2] == [2, 3]

    assert events[-1] == Finishing(len(result.document.pages))
    assert sum(isinstance(e, Finishing) for e in events) == 1

