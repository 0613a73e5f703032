"""Settling the page numbers: passes over the book's pieces until every piece has its
folio and prints the pages of what it refers to (the contents, page references, the
index), at most ``max_passes`` (usually two: the contents wait for the pages they list).

A piece is laid out again only when its first folio moved (a piece before it changed
length) or a page number it printed went stale. :func:`in_process` lays the pieces out
one after another here and keeps their pages; :func:`in_workers` has a pool lay them out
(:mod:`.parallel`), each written as a PDF of its own. Both return a :class:`Settled`
value; the repairs the pieces made are carried from one piece to the next."""

from __future__ import annotations

from dataclasses import dataclass, replace

from make_book.render import page_index as pdf_index
from make_book.render.print import parallel as pdf_parallel
from make_book.render.print.piece_layout import LayoutSource
from make_book.render.print.piece_worker import PieceOutcome, PieceTask, PieceWorker
from make_book.render.print.plan import piece_title
from make_book.render.print.progress import PassStarted, PieceDone, PieceStarted
from make_book.render.print.repairs import Repairs
from make_book.render.print.results import Piece, PieceLayout
from make_book.transforms.folios import PageMap

MAX_PASSES = 4  # passes over the pieces until folios and printed page numbers settle


@dataclass(frozen=True)
class Settled:
    """The pieces as last laid out (a :class:`PieceLayout` each in this process, a
    :class:`PieceOutcome` each from workers), the repairs they made, the passes taken and
    the WeasyPrint layouts they cost."""

    layouts: tuple  # one per piece, in book order
    repairs: Repairs
    passes: int
    piece_layouts: int


def _not_settled(source: LayoutSource, max_passes: int) -> None:
    source.diagnostics.warning(
        "P012", f"page numbers did not settle in {max_passes} passes: the contents, "
        "page references or index may be off", source.yaml_path,
        hint="report this with the book: pieces kept changing length")


def check_index_marks(source: LayoutSource, page_map: PageMap,
                      seen: set[tuple[str, str]]) -> None:
    """An index mark on no page is left out of the printed index, and said so (P011)."""
    book = source.book
    for term, loc in pdf_index.missing_anchors(book, page_map.pages):
        if (term, loc.anchor) in seen:
            continue
        seen.add((term, loc.anchor))
        chapter = next((c for c in book.chapters if c.file_id == loc.file_id), None)
        source.diagnostics.error("P011", f"the index mark for \u201c{term}\u201d "
                                 f"(#{loc.anchor}) is on no page: it is left out of the "
                                 "printed index", chapter.source if chapter else None)


def in_process(pieces: tuple[Piece, ...], *, source: LayoutSource, repairs: Repairs,
               lay_out, max_passes: int = MAX_PASSES, passes: int = 0,
               tell=None, seen: set | None = None) -> Settled:
    """The pieces laid out here, pass after pass, until none changes; ``seen``: the
    index marks already reported on no page (P011, once per build)."""
    tell = tell or (lambda event: None)
    seen = set() if seen is None else seen
    laid: list[PieceLayout | None] = [None] * len(pieces)
    known: dict[str, int] = {}
    known_start = None
    count = 0
    for _ in range(max_passes):
        changed = False
        start, body_start, here = 0, None, {}
        passes += 1
        tell(PassStarted(passes, len(pieces)))
        for index, piece in enumerate(pieces, 1):
            start += start % 2  # every piece opens on a recto
            if not piece.roman and body_start is None:
                body_start = start
            folio = start + 1 if piece.roman else start - body_start + 1
            page_map = PageMap(
                {**known, **here}, known_start if body_start is None else body_start)
            last = laid[index - 1]
            if last is None or last.stale(folio, page_map):
                current = PieceStarted(index, len(pieces), piece.kind,
                                       piece_title(source.book, piece), start)
                tell(current)
                if piece.kind == "index":
                    check_index_marks(source, page_map, seen)
                last = lay_out(piece, source=source, repairs=repairs, start=start,
                               folio=folio, page_map=page_map,
                               on_round=lambda r, c=current: tell(replace(c, round=r)))
                laid[index - 1], repairs = last, last.repairs
                count += last.layouts
                tell(PieceDone(index, len(pieces), piece.kind, current.title,
                               start + len(last.pages)))
                changed = True
            for i, page in enumerate(last.pages):
                for anchor in page.anchors:
                    here.setdefault(anchor, start + i)
            start += len(last.pages)
        known, known_start = here, body_start
        if not changed:
            break
    else:
        _not_settled(source, max_passes)
    return Settled(tuple(laid), repairs, passes, count)


def anchors(pieces, outcomes: dict[int, PieceOutcome]) -> tuple[dict, int | None]:
    """Where the anchors of the pieces laid out so far land, with every piece after
    the first not yet laid out unplaced (as on a first pass)."""
    found, start, body_start = {}, 0, None
    for index, piece in enumerate(pieces):
        if index not in outcomes:
            break
        start += start % 2
        if not piece.roman and body_start is None:
            body_start = start
        for page, names in enumerate(outcomes[index].facts.anchors):
            for name in names:
                found.setdefault(name, start + page)
        start += outcomes[index].length
    return found, body_start


def _taken(repairs: Repairs, outcome: PieceOutcome) -> Repairs:
    """What a worker's layout of a piece changed, into the book's repairs."""
    return Repairs(repairs.fixes | outcome.fixes, {**repairs.heads, **outcome.heads},
                   {**repairs.head_cuts, **outcome.head_cuts},
                   {**repairs.float_moves, **outcome.float_moves},
                   {**repairs.unsplittable, **outcome.unsplittable},
                   repairs.displaced_moves | frozenset(outcome.displaced_moves))


def in_workers(pieces: tuple[Piece, ...], *, source: LayoutSource, repairs: Repairs,
               lay_out, jobs: int, cache=None, max_passes: int = MAX_PASSES,
               passes: int = 0, tell=None, seen: set | None = None) -> Settled:
    """The pieces laid out by :mod:`.parallel`'s workers (each written as a PDF of its
    own), round after round, until every piece has its folio and prints the pages of what
    it refers to."""
    tell = tell or (lambda event: None)
    roman = [p.roman for p in pieces]
    outcomes: dict[int, PieceOutcome] = {}
    count = 0
    book = source.book
    # prepared once, here: forked workers start with it (fonts, stylesheets, the plan, the
    # cache's keys), rather than each preparing its own (issue 15)
    worker = PieceWorker(source, lay_out, cache)
    with pdf_parallel.pool(lambda: worker, roman, jobs) as runner:
        for round_ in range(max_passes + 1):
            lengths = {i: o.length for i, o in outcomes.items()}
            folios = pdf_parallel.Folios(roman, lengths)
            found, body_start = anchors(pieces, outcomes)
            page_map = PageMap(found, body_start)
            todo = [i for i in range(len(pieces)) if i not in outcomes
                    or folios.folio(i) != outcomes[i].folio
                    or any(page_map.folio_of(a) != f for a, f in outcomes[i].printed.items())]
            if not todo:
                break
            if round_ == max_passes:
                _not_settled(source, max_passes)
                break
            passes += 1
            tell(PassStarted(passes, len(pieces)))
            tasks = [PieceTask(i, found, body_start, repairs.fixes, repairs.heads,
                               repairs.head_cuts, repairs.float_moves) for i in todo]
            laid = dict(lengths)

            def done(outcome: PieceOutcome) -> None:
                laid[outcome.index] = outcome.length
                piece = pieces[outcome.index]
                tell(PieceDone(outcome.index + 1, len(pieces), piece.kind,
                               piece_title(book, piece), sum(laid.values())))

            for outcome in runner.run(tasks, lengths, done):  # taken in book order
                repairs = _taken(repairs, outcome)
                count += outcome.layouts
                source.diagnostics.extend(outcome.diagnostics)
                outcomes[outcome.index] = outcome
    if any(p.kind == "index" for p in pieces):  # a worker's map may lack later pieces
        check_index_marks(source, PageMap(*anchors(pieces, outcomes)),
                          set() if seen is None else seen)
    return Settled(tuple(outcomes[i] for i in range(len(pieces))), repairs, passes, count)
