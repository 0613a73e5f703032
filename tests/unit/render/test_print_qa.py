"""The print QA on small pages laid out by WeasyPrint: each kind of finding constructed
on purpose and found exactly (page, folio, source line), and nothing where the text is
set as it should be."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from weasyprint import HTML

from make_book.errors import Diagnostics
from make_book.render import glyphs
from make_book.render.print import qa as print_qa
from make_book.render.print import qa_model
from make_book.render.print.html import PrintDocument
from make_book.render.print.pages import inspect_pages
from make_book.render.print.qa_pages import PageText

# 10 lines of 15 px per page, a measure of 280 px
CSS = """@page { size: 300px 170px; margin: 10px }
body { margin: 0; font: 12px/15px serif; orphans: 1; widows: 1 }
p { margin: 0; text-align: justify }
"""
FILLER = "<br>".join(f"Line {n}" for n in range(1, 10))  # nine short lines


def qa(body: str, tmp_path: Path, source: str = "", css: str = "", spacing: int = 400,
       **extra):
    """Findings for ``body`` (chapter blocks marked ``ch:k``), laid out on small pages
    (word spaces up to ``spacing`` percent are not loose: short test text runs wide)."""
    md = tmp_path / "ch.md"
    md.write_text(source or "# A chapter\n", encoding="utf-8")
    html = f"<html lang=en><style>{CSS}{css}</style><body>{body}</body></html>"
    document = HTML(string=html).render()
    text = PageText()
    facts = inspect_pages(document.pages, PrintDocument(html, "", None), text)
    ctx = qa_model.Context(root=tmp_path, sources={"ch": md}, body_start=None,
                           hyphen_limit=2, max_word_spacing=spacing,
                           natural_space=qa_model.NATURAL_SPACE, leading=15)
    return print_qa.check(text, facts, ctx, **extra)


def kinds(findings):
    return [f.kind for f in findings]


def test_a_well_set_paragraph_has_no_findings(tmp_path):
    words = " ".join(["the quiet river ran on past the mill and the town"] * 4)
    assert qa(f'<p data-mb-block="ch:0">{words}</p>', tmp_path) == []


def test_a_line_ended_short_in_mid_paragraph_is_a_broken_line(tmp_path):
    # a stray line end (not a <br>) in justified text: WeasyPrint sets the line short
    text = ("Names with a settled English form\nkeep it, and the rest are written as "
            "their own speakers write them in the letters and the diaries of the time.")
    source = "# A chapter\n\nSome text.\n\nNames with a settled English form keep it,\n"
    found = qa(f'<p data-mb-block="ch:0" style="white-space: pre-line">{text}</p>',
               tmp_path, source)
    assert kinds(found) == ["broken-line"]
    f = found[0]
    assert (f.page, f.folio, f.file, f.line) == (1, "i", "ch.md", 5)
    assert f.text == "Names with a settled English form"


def test_a_line_ended_by_a_br_is_not_broken(tmp_path):
    text = ("Names with a settled English form<br>keep it, and the rest are written as "
            "their own speakers write them in the letters and the diaries of the time.")
    assert qa(f'<p data-mb-block="ch:0">{text}</p>', tmp_path) == []


def test_ragged_and_centred_text_is_not_checked_for_broken_lines(tmp_path):
    text = "A short line\nthen a much longer one that runs on and on across the page."
    for align in ("left", "center"):
        body = (f'<p data-mb-block="ch:0" style="white-space: pre-line; text-align: {align}">'
                f"{text}</p>")
        assert qa(body, tmp_path) == []


def test_orphan_first_line_alone_at_the_foot(tmp_path):
    body = (f'<p data-mb-block="ch:0">{FILLER}</p>'
            f'<p data-mb-block="ch:1">First<br>second<br>third</p>')
    found = qa(body, tmp_path)
    assert [(f.kind, f.page, f.text) for f in found] == [("orphan", 1, "First")]


def test_widow_last_line_alone_at_the_top(tmp_path):
    body = ('<p data-mb-block="ch:0">Line A<br>Line B<br>Line C<br>Line D</p>'
            '<p data-mb-block="ch:1">One<br>two<br>three<br>four<br>five<br>six<br>'
            "seven</p>")
    found = qa(body, tmp_path)
    assert [(f.kind, f.page, f.text) for f in found] == [("widow", 2, "seven")]


COMPOUND = "-".join(c * 7 for c in "abcde")  # aaaaaaa-bbbbbbb-...-eeeeeee


def test_more_than_two_hyphenated_lines_in_a_row_are_a_ladder(tmp_path):
    body = (f'<p data-mb-block="ch:0" style="width: 8.5ch; text-align: left; '
            f'font-family: monospace">{COMPOUND}</p>')
    found = qa(body, tmp_path)
    assert [(f.kind, f.page, f.text) for f in found] == [("hyphen-ladder", 1, "aaaaaaa-")]
    assert found[0].message.startswith("4 hyphenated lines in a row")


def test_two_hyphenated_lines_are_allowed(tmp_path):
    body = (f'<p data-mb-block="ch:0" style="width: 8.5ch; text-align: left; '
            f'font-family: monospace">{COMPOUND[:23]}</p>')  # three lines, two hyphens
    assert qa(body, tmp_path) == []


def test_a_hyphen_at_the_foot_of_a_recto(tmp_path):
    lines = "<br>".join(["x"] * 9)
    body = (f'<p data-mb-block="ch:0" style="width: 8.5ch; text-align: left; '
            f'font-family: monospace">{lines}<br>aaaaaaa-bbbbbbb<br>y</p>')
    found = qa(body, tmp_path)
    assert [(f.kind, f.page, f.text) for f in found] == [
        ("recto-foot-hyphen", 1, "aaaaaaa-")]


def test_a_page_left_short_before_a_figure_that_did_not_fit(tmp_path):
    body = ('<p data-mb-block="ch:0">One<br>two<br>three<br>four</p>'
            '<figure data-mb-block="ch:1" style="margin: 0; height: 120px; '
            'break-inside: avoid"><figcaption>A figure</figcaption></figure>'
            '<p data-mb-block="ch:2">After the figure.</p>')
    found = qa(body, tmp_path)
    # the float repair is there to prevent it: this kind blocks print
    assert [(f.kind, f.page, f.blocking) for f in found] == [("float-short-page", 1, True)]
    assert found[0].message == ("the text stops 6 lines short of the foot "
                                "(a figure that did not fit follows)")


def test_the_last_page_of_a_chapter_may_be_short(tmp_path):
    body = ('<p data-mb-block="ch:0">One<br>two<br>three</p>'
            '<p data-mb-block="other:0" style="break-before: page">Next chapter.</p>')
    assert qa(body, tmp_path) == []


def test_an_overfull_line(tmp_path):
    body = ('<p data-mb-block="ch:0"><span style="white-space: nowrap">'
            + "word " * 30 + "</span> after</p>")
    found = qa(body, tmp_path)
    assert kinds(found) == ["overfull-line"]
    assert found[0].message.endswith("pt wider than the measure")


def test_a_loose_line(tmp_path):
    body = ('<p data-mb-block="ch:0">a b c Incomprehensibilities '
            'incomprehensibilities and so the line runs on.</p>')
    found = qa(body, tmp_path, css="p { width: 150px; hyphens: none }", spacing=200)
    # the long words alone on their lines cannot be justified: short, but not broken
    assert [(f.kind, f.text) for f in found] == [("loose-line", "a b c")]
    assert qa(body, tmp_path, css="p { width: 150px; hyphens: none }", spacing=3000) == []


SVG = ("data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' width='10' "
       "height='10'/%3E")


def test_a_caption_on_another_page_than_its_figure(tmp_path):
    body = (f'<p data-mb-block="ch:0">{FILLER.rsplit("<br>", 2)[0]}</p>'
            f'<figure data-mb-block="ch:1" style="margin: 0">'
            f'<img src="{SVG}" style="display: block; height: 45px">'
            "<figcaption>The caption</figcaption></figure>")
    found = qa(body, tmp_path)
    assert [(f.kind, f.page) for f in found] == [("separated-caption", 2)]
    assert found[0].message == "the caption is on this page, its figure on PDF page 1"


def test_a_caption_on_the_page_of_its_figure(tmp_path):
    body = (f'<figure data-mb-block="ch:0" style="margin: 0">'
            f'<img src="{SVG}" style="display: block; height: 45px">'
            "<figcaption>The caption</figcaption></figure>")
    assert qa(body, tmp_path) == []


def test_missing_glyphs_and_low_resolution_figures_are_folded_in(tmp_path):
    md = tmp_path / "ch.md"
    miss = glyphs.Missing("\u2603", "text", md, count=2)
    image = qa_model.ImageCheck(0, "images/map.png", 120.4, md)
    found = qa('<p data-mb-block="ch:0">Text.</p>', tmp_path,
               missing={"\u2603": miss}, images=[image])
    assert [(f.kind, f.page, f.file) for f in found] == [
        ("low-resolution", 1, "ch.md"), ("missing-glyph", None, "ch.md")]
    assert found[0].message == "figure images/map.png prints at 120 dpi, under 300"
    assert "U+2603" in found[1].message


def test_blocking_findings_become_warnings_and_the_rest_do_not(tmp_path):
    findings = [qa_model.Finding("widow", "w", 3, "1", "ch.md", 4),
                qa_model.Finding("loose-line", "l", 3, "1", "ch.md", 5)]
    findings += [qa_model.Finding("overfull-line", f"o{n}", n, str(n)) for n in range(7)]
    diagnostics = Diagnostics()
    print_qa.report_diagnostics(findings, diagnostics, "b-print-qa.json")
    codes = [d.code for d in diagnostics]
    assert codes == ["Q003"] + ["Q008"] * qa_model.LISTED + ["Q012"]
    assert all(not d.is_error for d in diagnostics) and diagnostics.failed(strict=True)
    assert diagnostics.items[0].format() == (
        "ch.md:4: Q003 warning: widow on p. 1 (PDF page 3): w")
    assert diagnostics.items[-1].message == (
        "2 more of Q008 (overfull lines) in b-print-qa.json")


SCHEMA = json.loads((Path(__file__).resolve().parents[3] / "docs" / "print-qa.schema.json")
                    .read_text(encoding="utf-8"))


def test_the_report_follows_its_documented_schema(tmp_path):
    jsonschema = pytest.importorskip("jsonschema")
    body = (f'<p data-mb-block="ch:0">{FILLER}</p>'
            f'<p data-mb-block="ch:1">First<br>second</p>')
    findings = qa(body, tmp_path)
    report = qa_model.Report("b", "b-print.pdf", 2, findings)
    data = json.loads(report.to_json())
    jsonschema.validate(data, SCHEMA)
    assert data["counts"]["orphan"] == 1 and data["counts"]["widow"] == 1
    assert data["findings"][0] == {
        "kind": "orphan", "code": "Q002", "blocking": True, "message":
        "the paragraph's first line is alone at the foot of the page", "page": 1,
        "folio": "i", "file": "ch.md", "line": None, "text": "First"}
    assert report.summary()[0] == "print QA: 1 orphan, 1 widow (2 pages)"


def test_a_short_word_alone_on_its_line_in_mid_paragraph_is_broken(tmp_path):
    text = ("Names with a settled English\nform\nkeep it, and the rest are written as "
            "their own speakers write them in the letters and the diaries of the time.")
    found = qa(f'<p data-mb-block="ch:0" style="white-space: pre-line">{text}</p>', tmp_path)
    assert [(f.kind, f.text) for f in found] == [
        ("broken-line", "Names with a settled English"), ("broken-line", "form")]


def test_the_space_below_a_pages_last_block_is_not_room_left(tmp_path):
    # six lines and a 40 px margin leave one line's room: the next paragraph (two lines
    # at least, orphans: 2) starts the next page, and the page is not short
    body = ('<p data-mb-block="ch:0" style="margin-bottom: 40px">1<br>2<br>3<br>4<br>5<br>'
            '6</p><p data-mb-block="ch:1" style="orphans: 2">a<br>b<br>c</p>')
    assert qa(body, tmp_path) == []
    found = qa(body.replace("margin-bottom: 40px", "margin-bottom: 0; break-after: page"),
               tmp_path)
    assert [(f.kind, f.page, f.message, f.blocking) for f in found] == [
        ("short-page", 1, "the text stops 4 lines short of the foot", False)]


def test_a_line_too_short_to_find_is_placed_at_its_paragraphs_line(tmp_path):
    text = "The first line of it runs\nsar-\nies of life and the rest of the paragraph."
    source = "# A chapter\n\nText.\n\nThe first line of it runs on into the rest.\n"
    found = qa(f'<p data-mb-block="ch:0" style="white-space: pre-line">{text}</p>',
               tmp_path, source)
    assert [(f.kind, f.text, f.line) for f in found] == [
        ("broken-line", "The first line of it runs", 5), ("broken-line", "sar-", 5)]


def _page_count_findings(tmp_path: Path, pages: int, paper: str | None):
    from make_book.render.cover.spine import paper_for
    (tmp_path / "book.yaml").write_text("title: T\nprint:\n  trim: 6x9in\n  paper: cream\n",
                                        encoding="utf-8")
    ctx = qa_model.Context(root=tmp_path, sources={}, body_start=None, hyphen_limit=2,
                           max_word_spacing=400, natural_space=qa_model.NATURAL_SPACE,
                           leading=15, pages=pages, paper=paper_for(paper))
    return print_qa.check(PageText(), inspect_pages([], PrintDocument("", "", None),
                                                    PageText()), ctx)


@pytest.mark.parametrize(("pages", "paper", "found"), [
    (776, "cream", False), (775, "cream", False),  # bound as 776: KDP's cream limit
    (777, "cream", True), (828, "white", False), (829, "white", True),
    (601, "standard-color", True), (966, None, True),  # white, the default
    (3000, "0.002in", False),  # a thickness as given: no printer's limit known
])
def test_an_interior_thicker_than_kdp_binds_is_advice_at_the_paper_line(
        tmp_path, pages, paper, found):
    findings = _page_count_findings(tmp_path, pages, paper)
    assert kinds(findings) == (["page-count"] if found else [])
    if found:
        f = findings[0]
        assert f.code == "Q016" and not f.blocking and f.page is None
        assert f.file == "book.yaml" and f.line == 4  # print.paper's line
        assert f"the interior has {pages} pages" in f.message
        assert f.where() == "the whole book"
        diagnostics = Diagnostics()
        print_qa.report_diagnostics(findings, diagnostics, "x-print-qa.json")
        assert not diagnostics.warnings  # advice: --strict still builds


def test_a_line_moved_into_the_book_keeps_every_other_field():
    """``LineFact.moved`` builds the line field by field: a field added to LineFact and not
    to ``moved`` would be lost in the join."""
    from dataclasses import fields, replace

    from make_book.render.print.qa_pages import LineFact
    line = LineFact(*(f"value {i}" for i, _ in enumerate(fields(LineFact))))
    moved = line.moved(9, (1, True), 2)
    assert moved == replace(line, page=9, para=(1, True), holder=2)
    assert moved is not line
