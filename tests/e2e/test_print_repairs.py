"""Footnotes WeasyPrint defers to a later page are repaired chapter by chapter.

A book dense with notes (one paragraph in three calls one) makes WeasyPrint 70 defer a
page's notes to the next page several times, when left alone. The renderer normally keeps
it from doing so (render/weasy/notes.py); these tests leave WeasyPrint alone to exercise
the repairs that stand behind that: the renderer starts the paragraph that caused it on
the next page instead, lays only that chapter out again on its own, and splices its pages
into the book: every note ends on its call's page, the book is laid out whole once, and
the spliced pages carry the right folios, running heads and page labels.
"""

from __future__ import annotations

import io
import random
import re
import subprocess
from contextlib import contextmanager
from dataclasses import replace
from functools import partial
from pathlib import Path

import pikepdf
import pytest

from make_book import transforms
from make_book.build import source_date
from make_book.errors import Diagnostics
from make_book.layouts import load_layout
from make_book.manuscript.book import load_book
from make_book.transforms.contents_view import section_id
from make_book.render.print import piece_layout
from make_book.render.print import pages as pdf_pages
from make_book.render.weasy import notes as weasy_notes
from make_book.render.print.renderer import render_print
from make_book.transforms import folios

WORDS = ("the committee met at the station and the workers spoke of bread wages and the "
         "archive of the council in winter Samara Leipzig railway newspaper").split()


def write_book(root: Path, seed: int, chapters: int = 3, paragraphs: int = 45) -> None:
    rng = random.Random(seed)
    (root / "chapters").mkdir(parents=True)
    (root / "book.yaml").write_text("title: Repairs\nauthor: A. Scholar\nlang: en\n"
                                    "date: 2024-01-01\nprint: {toc-depth: 2}\n",
                                    encoding="utf-8")
    for c in range(1, chapters + 1):
        body, notes = [f"# Chapter {c}", ""], []
        for p in range(1, paragraphs + 1):
            if p % 8 == 0:
                body += [f"## Section {c}.{p // 8}", ""]
            text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(50, 120)))
            if p % 3 == 0:
                text += f"[^{p}]"
                words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(10, 40)))
                notes.append(f"[^{p}]: Note{c}x{p}start {words} Note{c}x{p}end.")
            body += [text.capitalize() + ".", ""]
        (root / "chapters" / f"{c:02d}.md").write_text("\n".join(body + notes) + "\n",
                                                        encoding="utf-8")


def render(root: Path, **options):
    """The book rendered; ``options`` for render_print (``lay_out``, ``max_passes``)."""
    diagnostics = Diagnostics()
    book = transforms.run(load_book(root, diagnostics), diagnostics)
    result = render_print(book, load_layout(book.root, book.meta.layout),
                          source_date=source_date(book), diagnostics=diagnostics, **options)
    return book, result, diagnostics


def page_text(data: bytes, index: int, tmp: Path, *options: str) -> str:
    path = tmp / "book.pdf"
    if not path.exists():
        path.write_bytes(data)
    out = subprocess.run(["pdftotext", *options, "-f", str(index + 1), "-l", str(index + 1),
                          str(path), "-"], capture_output=True, text=True, check=True).stdout
    return re.sub(r"\u2010\s*\n\s*", "", out)


def assert_notes_on_their_call_pages(book, result, tmp: Path) -> None:
    laid = result.laid_out
    for chapter in book.chapters:
        for note in chapter.notes:
            assert note.id not in result.endnote_ids
            call = laid.call_pages[note.ref_id]
            assert laid.note_pages[note.id] == call, note.id
            key = re.search(r"Note(\d+x\d+)start", note.body.text()).group(1)
            text = page_text(result.pdf, call, tmp)
            assert f"Note{key}start" in text and f"Note{key}end" in text, (note.id, call)


@contextmanager
def left_alone():
    """WeasyPrint as released: it defers notes, so the renderer must repair."""
    yield False


@pytest.fixture
def weasyprint_alone(monkeypatch):
    monkeypatch.setattr(weasy_notes, "notes_stay_with_calls", left_alone)


@pytest.fixture(scope="module")
def repaired(tmp_path_factory):
    root = tmp_path_factory.mktemp("repairs") / "book"
    write_book(root, seed=3)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(weasy_notes, "notes_stay_with_calls", left_alone)
        return (root, *render(root))


def test_kept_from_deferring_weasyprint_needs_no_repairs(repaired, tmp_path):
    """The same book with WeasyPrint kept from deferring notes: no chapter is laid out
    twice, every note is on its call's page, and the paragraphs the repairs moved start
    their page here too: the two ways print the same pages, line for line (a repaired
    chapter's restarted paragraph keeps its indent)."""
    _, _, repaired_result, _ = repaired
    book, result, diagnostics = render(repaired[0])
    assert not [d for d in diagnostics if d.code in ("P004", "P005", "P008", "P009")], \
        [d.format() for d in diagnostics]
    assert not result.break_marks and not result.endnote_ids
    repairs = repaired_result.pieces - result.pieces
    assert repairs >= len(repaired_result.break_marks) >= 2
    assert_notes_on_their_call_pages(book, result, tmp_path)
    blocks = {b.mark: b for b in result.laid_out.facts.blocks}
    for mark in repaired_result.break_marks:
        file_id, k = mark.rsplit(":", 1)
        assert blocks[f"{file_id}:{int(k) - 1}"].last < blocks[mark].first, mark
    texts = []
    for name, data in (("alone", repaired_result.pdf), ("kept", result.pdf)):
        (tmp_path / name).mkdir()
        texts.append([page_text(data, i, tmp_path / name, "-layout")
                      for i in range(len(result.document.pages))])
    assert len(repaired_result.document.pages) == len(result.document.pages)
    assert texts[0] == texts[1]


def test_deferred_notes_are_repaired_in_their_chapters_only(repaired, tmp_path):
    _, book, result, diagnostics = repaired
    assert not [d for d in diagnostics if d.code in ("P004", "P005", "P008", "P009")], \
        [d.format() for d in diagnostics]
    assert result.layouts == 1  # the book was laid out whole once
    assert len(result.break_marks) >= 2 and result.pieces >= len(
        {m.rsplit(":", 1)[0] for m in result.break_marks})
    assert_notes_on_their_call_pages(book, result, tmp_path)


def test_contents_print_the_pages_after_the_repairs(repaired, tmp_path):
    """Sections the repairs moved to another page get their final number in the contents
    (a piece laid out once the pages are known; contents depth 2 lists the sections)."""
    _, book, result, _ = repaired
    anchors = result.laid_out.facts.anchors
    start = result.laid_out.body_start
    toc = anchors["mb-contents"]
    text = " ".join(page_text(result.pdf, i, tmp_path, "-layout") for i in range(toc, start))
    text = " ".join(text.split())
    headings = [h for c in book.chapters for h in c.headings if h.level == 2]
    assert len(headings) >= 10
    for heading in headings:
        folio = folios.folio(anchors[heading.id], start)
        assert re.search(rf"{re.escape(heading.text)}[ .]+{folio}\b", text), (heading.text, folio)


def test_moved_paragraphs_open_the_next_page(repaired):
    _, _, result, _ = repaired
    blocks = {b.mark: b for b in result.laid_out.facts.blocks}
    for mark in result.break_marks:
        moved = blocks[mark]
        file_id, k = mark.rsplit(":", 1)
        before = blocks[f"{file_id}:{int(k) - 1}"]
        assert before.last < moved.first, mark  # nothing of it on the short page


def test_spliced_pages_carry_folios_heads_and_labels(repaired, tmp_path):
    _, book, result, _ = repaired
    pages = result.document.pages
    start = result.laid_out.body_start
    with pikepdf.open(io.BytesIO(result.pdf)) as pdf:
        assert len(pdf.pages) == len(pages)
        nums = list(pdf.Root.PageLabels.Nums)
        assert int(nums[2]) == start
    openings = {result.laid_out.facts.anchors[section_id(c)]
                for c in book.chapters}
    for index in range(start, len(pages)):
        if pages[index]._page_box.page_type.blank or index in openings:
            continue
        head = page_text(result.pdf, index, tmp_path, "-layout").strip().splitlines()[0]
        folio = folios.folio(index, start)
        words = head.split()
        # versos: folio then the book title; rectos: the chapter title then the folio
        assert (words[0] if index % 2 else words[-1]) == folio, (index, head)
        assert ("REPAIRS" in head.upper()) == bool(index % 2), (index, head)


def test_a_chapter_that_grows_moves_what_follows(tmp_path):
    """A chapter whose repairs make it longer (here: two pages are added to chapter 1)
    only moves what follows: the next chapter is laid out at its real page with its folio,
    the contents print it; nothing is laid out again whole."""
    root = tmp_path / "book"
    write_book(root, seed=3)
    def longer(piece, **inputs):
        laid = piece_layout.lay_out_piece(piece, **inputs)
        if piece.key == "ch-01":
            laid = replace(laid, pages=laid.pages + laid.pages[-2:])
        return laid

    book, result, diagnostics = render(root, lay_out=longer)
    assert result.layouts == 1
    assert not [d for d in diagnostics if d.code in ("P004", "P009")]
    start = result.laid_out.body_start
    anchors = result.laid_out.facts.anchors
    two = anchors[section_id(book.chapters[1])]
    # chapter 2 opens two pages later than chapter 1's real end, with its own folio
    assert page_text(result.pdf, two, tmp_path).strip().splitlines()[-1] == \
        folios.folio(two, start)
    toc = " ".join(page_text(result.pdf, i, tmp_path, "-layout")
                   for i in range(anchors["mb-contents"], start))
    assert re.search(rf"Chapter 2[ .]+{folios.folio(two, start)}\b", " ".join(toc.split()))


def test_block_to_break_picks_the_paragraph_that_ends_the_page():
    def facts(*spans):
        return pdf_pages.PageFacts(blocks=[pdf_pages.BlockSpan(f"c:{k}", tag, first, last)
                                           for k, (tag, first, last) in enumerate(spans)])
    # a paragraph starting at the foot of page 4 and running on: it moves
    assert pdf_pages.block_to_break(facts(("p", 3, 4), ("p", 4, 4), ("p", 4, 5)), "c", 4) == "c:2"
    # with the heading just before it
    assert pdf_pages.block_to_break(facts(("p", 3, 4), ("h2", 4, 4), ("p", 4, 5)), "c", 4) == "c:1"
    # page 4 ends at a block boundary: the first block of page 5 is forced to it
    assert pdf_pages.block_to_break(facts(("p", 3, 4), ("p", 4, 4), ("p", 5, 5)), "c", 4) == "c:2"
    # a block running from page 3 past page 4: breaking before it cannot help
    assert pdf_pages.block_to_break(facts(("p", 2, 2), ("p", 3, 5)), "c", 4) is None
    # the chapter's first block never moves (it opens the chapter)
    assert pdf_pages.block_to_break(facts(("p", 4, 5)), "c", 4) is None
    # nothing after the page
    assert pdf_pages.block_to_break(facts(("p", 3, 4)), "c", 4) is None


def test_restart_point_is_a_page_that_opens_with_a_fresh_block():
    def facts(*spans):
        return pdf_pages.PageFacts(blocks=[pdf_pages.BlockSpan(f"c:{k}", tag, first, last)
                                           for k, (tag, first, last) in enumerate(spans)])
    book = facts(("p", 0, 1), ("p", 1, 1), ("p", 2, 2), ("p", 2, 3), ("p", 3, 4))
    # page 2 opens with block 2; pages 3 and 4 continue a block
    assert pdf_pages.restart_point(book, "c", 4) == (2, 2)
    assert pdf_pages.restart_point(book, "c", 2) == (2, 2)
    # page 1 continues block 0, and page 0 opens the chapter: no restart there
    assert pdf_pages.restart_point(book, "c", 1) is None
    # a note called on page 1 but printed on page 2 ties page 2 to page 1
    assert pdf_pages.restart_point(book, "c", 4, [(1, 2)]) is None
    assert pdf_pages.restart_point(book, "c", 4, [(1, 1), (2, 3)]) == (2, 2)


def test_pieces_join_into_one_pdf_with_shared_fonts_and_live_links(repaired, tmp_path):
    """The pieces' pages make one PDF: one subset of each face, and every internal link
    (the contents' entries here) lands on its anchor's page."""
    _, book, result, _ = repaired
    path = tmp_path / "book.pdf"
    path.write_bytes(result.pdf)
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True,
                           check=True).stdout.splitlines()[2:]
    faces = [line.split()[0].split("+", 1)[1] for line in fonts]
    assert faces and len(faces) == len(set(faces)), faces
    anchors = result.laid_out.facts.anchors
    with pikepdf.open(path) as pdf:
        dests = pikepdf.NameTree(pdf.Root.Names.Dests)
        page_of = {page.objgen: i for i, page in enumerate(pdf.pages)}
        links = 0
        for index, page in enumerate(pdf.pages):
            for annot in page.obj.get("/Annots", []):
                name = annot.get("/Dest")
                if name is None:
                    continue
                links += 1
                target = page_of[dests[str(name)][0].objgen]
                assert target == anchors[str(name)], (index, str(name))
    # at least the contents' entries: every chapter and section
    assert links >= sum(len(c.headings) for c in book.chapters) > 10


def test_page_numbers_that_do_not_settle_are_reported(tmp_path):
    """The contents wait for the pages they list (a second pass); allowed one pass only,
    the renderer says the numbers may be off (P012) rather than print them silently."""
    root = tmp_path / "book"
    write_book(root, seed=3, chapters=1, paragraphs=6)
    _, _, diagnostics = render(root, max_passes=1)
    assert [d.code for d in diagnostics if d.code == "P012"] == ["P012"]
    _, _, diagnostics = render(root, max_passes=4)
    assert "P012" not in [d.code for d in diagnostics]


def test_repairs_left_undone_are_reported_not_claimed(tmp_path,
                                                        weasyprint_alone):
    """With no repair rounds allowed, nothing is claimed as fixed: the deferred notes stay
    where WeasyPrint set them and each is reported (P004, on a later page than its call),
    never lost (no P009)."""
    root = tmp_path / "book"
    write_book(root, seed=3)
    _, result, diagnostics = render(root, lay_out=partial(piece_layout.lay_out_piece,
                                                          rounds=0, split_rounds=0))
    assert not result.break_marks and not result.endnote_ids
    later = [d for d in diagnostics if d.code == "P004" and "later page" in d.message]
    assert later and not [d for d in diagnostics if d.code == "P009"]
    laid = result.laid_out
    assert len(later) == sum(1 for nid, (ref, _) in laid.source.note_calls.items()
                             if laid.note_pages[nid] != laid.call_pages[ref])


def test_front_matter_repairs_keep_roman_folios(tmp_path, monkeypatch, weasyprint_alone):
    """A preface (roman folios) repaired from a page inside it keeps i, ii, iii... across
    the pages laid out again."""
    root = tmp_path / "book"
    write_book(root, seed=1)  # a book whose preface WeasyPrint defers a note in
    first = root / "chapters" / "01.md"
    first.write_text("---\nkind: preface\n---\n"
                     + first.read_text(encoding="utf-8").replace("# Chapter 1", "# Preface"),
                     encoding="utf-8")
    restarts = []

    def spy(piece, **inputs):
        laid = piece_layout.lay_out_piece(piece, **inputs)
        restarts.extend((piece.key, restart) for restart in laid.restarts if restart)
        return laid

    book, result, diagnostics = render(root, lay_out=spy)
    assert any(file_id == book.chapters[0].file_id for file_id, _ in restarts)
    assert_notes_on_their_call_pages(book, result, tmp_path)
    start = result.laid_out.body_start
    preface = result.laid_out.facts.anchors[section_id(book.chapters[0])]
    for index in range(preface + 1, start):
        if result.document.pages[index]._page_box.page_type.blank:
            continue
        words = page_text(result.pdf, index, tmp_path, "-layout").strip().splitlines()[0].split()
        assert (words[0] if index % 2 else words[-1]) == folios.folio(index, start), index
