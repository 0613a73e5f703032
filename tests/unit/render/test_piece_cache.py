"""Keeping a laid-out piece in the cache: JSON and the PDF bytes, read back equal; records
the codec does not know are misses, never errors."""

from pathlib import Path

from make_book.cache import Cache
from make_book.errors import Diagnostic, Severity
from make_book.render.print import piece_cache
from make_book.render.print.note_splits import NoteSplit
from make_book.render.print.results import Fixes
from make_book.render.print.join import PagePrint, PiecePdf
from make_book.render.print.pages import BlockSpan, NoteBox, PageFacts
from make_book.render.print.parallel import PieceOutcome
from make_book.render.print.piece_facts import PieceFacts
from make_book.render.print.qa_pages import LineFact, PageText
from make_book.render.print.running_heads import Head


def _outcome() -> PieceOutcome:
    facts = PageFacts(note_pages={"n1": 1}, call_pages={"c1": 0}, body_start=0,
                      anchors={"ch": 0, "c1": 0}, blocks=[BlockSpan("ch:0", "p", 0, 1)],
                      images=[(1, "images/a.png", 120.5)], first_lines={1: ("ch:0", "the")},
                      note_boxes={"n1": NoteBox(20.0, 2, 80, 10.0)})
    text = PageText(lines=[LineFact(0, "ch:0", (5, False), 7, 1.0, 11.0, 300.0, 290.0,
                                    True, False, True, 2.5, 14.0, "a line of text")],
                    area_bottom={0: 500.0}, has_notes={1}, block_kinds={"ch:0": "p"},
                    captioned={9: ("ch:0", {0}, {0, 1})},
                    heads=[Head(1, "@top-center", "left", ("A long", "head"))],
                    sides={0: "right", 1: "left"})
    return PieceOutcome(
        index=3, folio=12, pdf=PiecePdf(b"%PDF-1.7 bytes", (PagePrint(800.0, (
            (1, "Title", (10.0, 20.0), "open"),)), PagePrint(800.0))),
        facts=PieceFacts(facts, text, [["ch", "c1"], []]), records=[(30, "a warning")],
        written=[], diagnostics=[Diagnostic("P004", "moved", Path("/b/ch.md"), 3,
                                            Severity.WARNING, None)],
        fixes=Fixes(endnotes=frozenset({"n2"}), breaks=frozenset({"ch:4"}),
                    splits=(NoteSplit("n3", (40,), (("ch:5", "text", 2),)),),
                    floats=(("ch:6", "ch:7"),)),
        heads={"ch": "Short"}, head_cuts={"ch": 1}, float_moves={"ch:6": 1},
        unsplittable={}, displaced_moves={"n4"}, layouts=2, printed={"x": "7"})


def test_outcome_round_trip(tmp_path):
    cache = Cache(tmp_path)
    outcome = _outcome()
    piece_cache.put(cache, "k" * 64, outcome)
    assert piece_cache.get_length(cache, "k" * 64) == 2
    back = piece_cache.get(cache, "k" * 64, 12, PieceOutcome, Fixes)
    assert back == outcome
    assert piece_cache.get(cache, "k" * 64, 13, PieceOutcome, Fixes) is None  # other folio


def test_unknown_record_is_a_miss():
    assert piece_cache.decode({"folio": {"@": "os.system"}}, b"", PieceOutcome, Fixes) is None


def test_lines_are_written_as_rows_and_read_back_as_they_were(tmp_path):
    outcome = _outcome()
    record, _ = piece_cache.encode(outcome)
    rows = record["facts"]["f"]["text"]["f"]["lines"]
    assert rows == {"@lines": [[0, "ch:0", [5, False], 7, 1.0, 11.0, 300.0, 290.0, True,
                                False, True, 2.5, 14.0, "a line of text"]]}
    line = piece_cache.decode(record, b"", PieceOutcome, Fixes).facts.text.lines[0]
    assert line == outcome.facts.text.lines[0] and line.para == (5, False)


def test_a_torn_entry_is_never_served(tmp_path):
    cache = Cache(tmp_path)
    piece_cache.put(cache, "k" * 64, _outcome())
    entry = next(p for p in (tmp_path / piece_cache.NAMESPACE).rglob("*") if p.is_file())
    entry.write_bytes(entry.read_bytes()[:-40])  # a write cut short
    assert piece_cache.get(cache, "k" * 64, 12, PieceOutcome, Fixes) is None
