"""Cutting a long footnote into parts and hanging a continuation on a page's first line
(render/print/note_splits.py), and the steps that settle a split (render/print/note_plan.py)."""

from __future__ import annotations

from lxml import etree

from make_book.render.print import note_plan
from make_book.render.print.note_splits import (
    CONT_CLASS,
    RUN_ON_CLASS,
    NoteSplit,
    base_note_id,
    cut_for_lines,
    hang_on_line,
    note_parts,
    text_slots,
)
from make_book.render.print.pages import BlockSpan, NoteBox, PageFacts

NOTE = ('<span class="mb-footnote" id="n1">First <em>part of the</em> note.  '
        '<span class="mb-p">A second <b>paragraph with</b> more words in it.</span></span>')


def note() -> etree._Element:
    return etree.fromstring(NOTE)


def shown(el: etree._Element) -> str:
    return text_slots(el)[0]


def test_text_is_counted_as_set_white_space_collapsed_and_notes_skipped():
    block = etree.fromstring('<p>One\n  two\xa0three<span class="mb-footnote">n</span>'
                             ' four\xad five</p>')
    assert shown(block) == "One two\xa0three four five"


def test_parts_hold_the_whole_text_once_with_markup_on_both_sides_of_a_cut():
    text = shown(note())
    for cut in range(1, len(text)):
        if text[cut - 1] != " ":
            continue
        first, second = note_parts(note(), (cut,))
        assert shown(first).rstrip() + " " + shown(second) == text.rstrip() + " " \
            or shown(first) + shown(second) == text, cut
    first, second = note_parts(note(), (text.index("with"),))
    assert etree.tostring(first, encoding=str).endswith("<b>paragraph </b></span></span>")
    # the paragraph cut in two runs on without an indent in the second part
    assert RUN_ON_CLASS in second[0].get("class")
    assert second[0][0].tag == "b" and second[0][0].text == "with"


def test_three_parts():
    text = shown(note())
    a, b = text.index("note."), text.index("more")
    parts = note_parts(note(), (a, b))
    assert [shown(p) for p in parts] == [text[:a], text[a:b], text[b:]]


def test_a_cut_falls_after_a_word_and_short_of_tables():
    text = shown(note())
    cut = cut_for_lines(note(), 0, 2, 10)  # about 20 characters
    assert cut is not None and text[cut - 1] == " " and cut <= 21
    assert cut_for_lines(note(), 0, 10, 10) is None  # the rest fits
    table = etree.fromstring('<span>Some words before <span class="mb-table">cell one cell two '
                             'cell three cell four</span> after the table.</span>')
    t = shown(table)
    cut = cut_for_lines(table, 0, 2, 15)
    assert cut is not None and cut <= t.index("cell one")


def test_hang_on_the_line_a_page_opens_with():
    block = etree.fromstring('<p>Words words words. <em>The page opens</em> here and goes on '
                             'here and goes on.</p>')
    anchor, part = etree.Element("span"), etree.Element("span", {"class": CONT_CLASS})
    assert hang_on_line(block, "here and goes on", [anchor, part], near=50)
    # of the two places with the line's text, the nearer to where the page began
    text = etree.tostring(block, encoding=str)
    assert text.endswith(f'goes on <span/><span class="{CONT_CLASS}"/>here and goes on.</p>')
    # a line that begins inside a hyphenated word hangs after that word
    block = etree.fromstring('<p>an education and social service</p>')
    assert hang_on_line(block, "cation and social", [etree.Element("span")])
    assert etree.tostring(block, encoding=str) == \
        '<p>an education <span/>and social service</p>'
    assert not hang_on_line(etree.fromstring("<p>other text</p>"), "missing line",
                            [etree.Element("span")])


def test_part_ids():
    split = NoteSplit("ch-note-3", (10, 20), (None, None))
    assert [split.part_id(k) for k in range(3)] == ["ch-note-3", "ch-note-3-part2",
                                                    "ch-note-3-part3"]
    assert base_note_id("ch-note-3-part3") == "ch-note-3" == base_note_id("ch-note-3")


def facts_with_call(call_foot: float, page_foot: float = 800.0) -> PageFacts:
    facts = PageFacts()
    facts.call_pages = {"ref": 4}
    facts.call_feet = {"ref": call_foot}
    facts.text_feet = {4: page_foot, 5: page_foot}
    facts.note_pages = {"n1": 4}
    facts.note_boxes = {"n1": NoteBox(100.0, 4, 200, 14.0)}
    facts.blocks = [BlockSpan("ch:7", "p", 3, 5), BlockSpan("ch:8", "p", 5, 5)]
    facts.first_lines = {5: ("ch:7", "the line page five opens with")}
    facts.first_offsets = {5: 1200}
    return facts


def test_the_first_part_fills_the_room_under_its_call():
    long = etree.fromstring("<span>" + "word " * 400 + "</span>")
    probe = note_plan.probe("n1", long, 50)
    assert probe is not None and not probe.measured and probe.cuts[0] <= 56
    high = note_plan.next_split(probe, long, facts_with_call(300.0), "ref", "ch", 300, 500)
    low = note_plan.next_split(probe, long, facts_with_call(650.0), "ref", "ch", 300, 500)
    assert high.split.measured and high.split.anchors == (None,) and high.page == 4
    # a call high on the page leaves more room, up to the share a part may fill
    assert high.split.cuts[0] > low.split.cuts[0]
    share_lines = note_plan.PART_SHARE * 500 * note_plan.PX_PER_PT / 14
    assert high.split.cuts[0] <= share_lines * 50


def test_a_held_back_part_hangs_on_the_next_pages_first_line():
    long = etree.fromstring("<span>" + "word " * 400 + "</span>")
    split = NoteSplit("n1", (500,), (None,))
    step = note_plan.next_split(split, long, facts_with_call(300.0), "ref", "ch", 300, 500)
    assert step.page == 5
    assert step.split.anchors == (("ch:7", "the line page five opens with", 1200),)


def test_after_the_chapters_last_page_a_part_gets_a_page_of_its_own():
    long = etree.fromstring("<span>" + "word " * 400 + "</span>")
    facts = facts_with_call(300.0)
    facts.blocks = [BlockSpan("ch:7", "p", 3, 4)]
    facts.first_lines = {}
    step = note_plan.next_split(NoteSplit("n1", (500,), (None,)), long, facts, "ref", "ch",
                                300, 500)
    assert step.split.anchors == (("ch:end", "", 0),)


def test_a_page_that_opens_with_a_heading_hangs_the_part_on_the_next_block():
    long = etree.fromstring("<span>" + "word " * 400 + "</span>")
    facts = facts_with_call(300.0)
    facts.blocks = [BlockSpan("ch:6", "p", 3, 4), BlockSpan("ch:7", "h3", 5, 5),
                    BlockSpan("ch:8", "p", 5, 6)]
    facts.first_lines = {5: ("ch:7", "A Heading")}
    step = note_plan.next_split(NoteSplit("n1", (500,), (None,)), long, facts, "ref", "ch",
                                300, 500)
    assert step.split.anchors == (("ch:8", "", 0),)


def test_a_note_that_pushed_its_calls_line_over_is_split():
    """The page before ends 6 lines short, and the next page opens with the call of a
    5-line note set at its foot: WeasyPrint moved the call's line because the note did
    not fit under it."""
    line = 13.5 * note_plan.PX_PER_PT
    facts = PageFacts()
    facts.text_tops = {3: 100.0, 4: 100.0}
    facts.text_feet = {3: 800.0, 4: 800.0}
    facts.text_ends = {3: 800.0 - 6 * line, 4: 700.0}
    facts.first_lines = {4: ("ch:5", "the line with the call")}
    facts.call_pages = {"ref": 4, "ref2": 4}
    facts.call_feet = {"ref": 100.0 + line, "ref2": 100.0 + 10 * line}
    facts.note_pages = {"n1": 4, "n2": 4}
    facts.note_boxes = {"n1": NoteBox(70.0, 5, 400, 14.0), "n2": NoteBox(70.0, 5, 400, 14.0)}
    assert note_plan.pushed_notes(facts, {"n1": "ref", "n2": "ref2"}, 13.5) == ["n1"]
    facts.text_ends[3] = 800.0 - 2 * line  # two lines short: as a typesetter may leave it
    assert note_plan.pushed_notes(facts, {"n1": "ref"}, 13.5) == []
    facts.text_ends[3] = 800.0 - 6 * line
    facts.note_boxes["n1"] = NoteBox(28.0, 2, 160, 14.0)  # a short note is not cut
    assert note_plan.pushed_notes(facts, {"n1": "ref"}, 13.5) == []
