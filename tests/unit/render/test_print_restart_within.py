"""A repair's layout may start inside a paragraph (pages.restart_point with page ends,
sections.cut_block): the pages are the same as restarting from a block or laying the
chapter out whole, and fewer are laid out when the chapter's paragraphs are long."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from lxml import etree

from make_book.model import Book
from make_book.render.print import pages as pdf_pages
from make_book.render.print import piece_layout
from make_book.render.print.note_splits import keep_from_line
from make_book.render.print.pages import BlockSpan, PageFacts
from make_book.render.weasy.converge import PageEnd
from tests.unit.render.test_pdf_fixtures import (
    LONG_NOTE,
    call,
    chapter,
    default_layout,
    lay_out_one_chapter,
    meta,
    sentences,
)


def _end(mark, within=(1,)):
    return PageEnd(mark, within, True, (), (), (), ())


def _facts(blocks, first_lines):
    return PageFacts(blocks=[BlockSpan(m, t, f, last) for m, t, f, last in blocks],
                     first_lines=first_lines)


def test_a_page_inside_a_paragraph_is_a_restart_when_the_page_before_ends_clean():
    facts = _facts([("c:0", "h1", 0, 0), ("c:1", "p", 0, 2), ("c:2", "p", 2, 4)],
                   {1: ("c:1", "the weavers walked"), 2: ("c:1", "under the chimneys"),
                    3: ("c:2", "towards the gates"), 4: ("c:2", "where the overseer")})
    ends = [_end("c:1"), _end("c:1"), _end("c:2"), None, _end("c:2")]
    # without the page ends: only pages that open with a block
    assert pdf_pages.restart_point(facts, "c", 4) is None
    assert pdf_pages.restart_point(facts, "c", 4, ends=ends) == (3, 2, "towards the gates")
    assert pdf_pages.restart_point(facts, "c", 2, ends=ends) == (2, 1, "under the chimneys")
    # page 3 ended carrying something over (a deferred note, a hyphen): not page 4
    assert pdf_pages.restart_point(facts, "c", 4, ends=[*ends[:3], None, None]) == (
        3, 2, "towards the gates")
    # a note called before the page and printed on it keeps the earlier pages
    assert pdf_pages.restart_point(facts, "c", 4, [(2, 3)], ends=ends) == (
        2, 1, "under the chimneys")
    # not inside a block other than a paragraph (a list's numbering, a quotation's)
    lists = _facts([("c:0", "h1", 0, 0), ("c:1", "ul", 0, 3)], {2: ("c:1", "item text")})
    assert pdf_pages.restart_point(lists, "c", 2, ends=[_end("c:1")] * 3) is None


def _p(markup):
    return etree.fromstring(f"<p>{markup}</p>")


def test_keep_from_line_cuts_the_paragraph_at_the_line():
    block = _p('One two three <em>four five</em> six seven eight nine ten.'
               '<span class="mb-footnote" id="n1">A note.</span> Eleven twelve.')
    assert keep_from_line(block, "six seven eight nine ten. Eleven twelve.")
    assert etree.tostring(block, encoding="unicode") == (
        '<p>six seven eight nine ten.<span class="mb-footnote" id="n1">A note.</span>'
        ' Eleven twelve.</p>')
    # the line's last word hyphenated by the layout: found by the words before it
    block = _p("alpha beta gamma delta epsilon zeta eta theta")
    assert keep_from_line(block, "delta epsilon zeta the-")
    assert block.text == "delta epsilon zeta eta theta"


def test_keep_from_line_refuses_what_it_cannot_cut_exactly():
    assert not keep_from_line(_p("the same words and the same words"), "the same words")
    assert not keep_from_line(_p("not in it"), "something else here")
    anchored = _p('First line words <a id="x-call"/>second line words here')
    assert not keep_from_line(anchored, "second line words here")  # the anchor would go
    assert etree.tostring(anchored, encoding="unicode").count("x-call") == 1


def _long_paragraphs_book(root):
    long = [f"<p>{sentences(500 + i, 26)}</p>" for i in range(7)]
    body = "".join(long[:5]) + f"<p>{sentences(520, 6)}{call(1)} {sentences(521, 20)}</p>" \
        + "".join(long[5:])
    ch = chapter(root, "chapters/01-long.md", "long", "Long Paragraphs", body, number=1,
                 label="1", notes=[LONG_NOTE])
    book = Book(root=root, slug="within", meta=meta(), items=(ch,),
                identifier="urn:uuid:3b2f0c1e-1111-4c1e-9d7a-000000000002")
    return book.evolve(anchors={i: ch.file_id for i in ch.ids})


def _lay_out(book, layout, within: bool):
    """The book's one chapter laid out (and repaired) at page 0, and its PDF."""
    laid, pdf, _ = lay_out_one_chapter(book, layout, converge=False, within=within)
    return laid, pdf


@pytest.fixture(scope="module")
def long_book(tmp_path_factory):
    """A chapter of long paragraphs whose long note, called late, is split over pages:
    its repairs restart inside a paragraph, or else from the chapter's start."""
    root = tmp_path_factory.mktemp("within") / "b"
    return _long_paragraphs_book(root), default_layout(root)


@pytest.fixture(scope="module")
def laid_both_ways(long_book):
    return [_lay_out(*long_book, within) for within in (True, False)]


def test_restarting_inside_a_paragraph_gives_the_same_pages(laid_both_ways):
    (within, a), (blocks, b) = laid_both_ways
    assert any(r is not None and len(r) == 3 for r in within.restarts), within.restarts
    assert within.repairs == blocks.repairs
    assert len(within.pages) == len(blocks.pages)
    assert a == b  # the same PDF bytes
    laid = [sum(len(d.pages) for d in w.documents) for w in (within, blocks)]
    assert laid[0] < laid[1], laid


def test_a_paragraph_that_cannot_be_cut_restarts_from_a_block(monkeypatch, long_book,
                                                               laid_both_ways):
    """When the paragraph cannot be cut at its line, the repair restarts as it would
    without page ends: the same pages."""
    monkeypatch.setattr("make_book.render.print.sections.keep_from_line",
                        lambda block, line: False)
    laid, pdf = _lay_out(*long_book, within=True)
    (_, expected), (blocks, _) = laid_both_ways[1], laid_both_ways[1]
    assert laid.restarts == blocks.restarts
    assert pdf == expected


def test_a_layout_that_styles_first_lines_restarts_from_blocks(tmp_path):
    """A ::first-line or ::first-letter rule would style a cut paragraph's first line
    as no continuation is: such a layout keeps to block restarts."""
    layout = default_layout(tmp_path)
    assert not piece_layout.styles_first_lines(layout)
    override = tmp_path / "layout"
    (override / "css").mkdir(parents=True)
    (override / "css" / "print.css").write_text("p::first-line { font-variant: small-caps }")
    sheets = [*layout.stylesheets("print"), override / "css" / "print.css"]
    assert piece_layout.styles_first_lines(
        SimpleNamespace(stylesheets=lambda target: sheets))


def test_keep_from_line_cuts_only_where_a_line_may_begin():
    assert not keep_from_line(_p("the weaving shed fell silent for three days"),
                              "ving shed fell silent for three")
    block = _p("the well-known weaving shed fell silent for three days")
    assert keep_from_line(block, "known weaving shed fell silent")
    assert block.text == "known weaving shed fell silent for three days"
