"""WeasyPrint made to start a paragraph on the next page rather than move a footnote
off its call's page (render/weasy/notes.py)."""

from __future__ import annotations

from weasyprint import HTML
from weasyprint.formatting_structure.boxes import TextBox
from weasyprint.layout import block

from make_book.render.weasy import notes as weasy_notes

# Ten lines a page. Paragraph A (eight lines, its note one line) leaves room for one line:
# the first of B. Orphans 2 forbid breaking after it.
PAGE = """
<style>
  @page { size: 200px 100px; margin: 0; @footnote { margin: 0; padding: 0 } }
  html { font-size: 8px; line-height: 10px; orphans: 2; widows: 2 }
  body, p { margin: 0 }
  .note { float: footnote; footnote-policy: line }
  ::footnote-call { content: "*"; vertical-align: baseline; font-size: 8px; line-height: 10px }
  ::footnote-marker { content: none }
</style>
<p>a1<span class="note">NOTE</span><br>a2<br>a3<br>a4<br>a5<br>a6<br>a7<br>a8</p>
<p>b1<br>b2<br>b3<br>b4</p>
"""


def page_of(document, word: str) -> int:
    for number, page in enumerate(document.pages):
        for box in page._page_box.descendants():
            if isinstance(box, TextBox) and box.text.strip() == word:
                return number
    raise AssertionError(f"{word} is on no page")


def test_weasyprint_alone_moves_the_note_off_its_call_page():
    """Why the patch exists; if this fails, WeasyPrint changed its mind and the patch
    (and this test) can go."""
    document = HTML(string=PAGE).render()
    assert page_of(document, "a1") == 0
    assert page_of(document, "NOTE") == 1
    assert page_of(document, "b2") == 0


def test_with_the_patch_the_paragraph_moves_and_the_note_stays():
    assert weasy_notes.available()
    with weasy_notes.notes_stay_with_calls() as applied:
        assert applied
        document = HTML(string=PAGE).render()
    assert page_of(document, "NOTE") == page_of(document, "a1") == 0
    assert page_of(document, "a8") == 0
    assert page_of(document, "b1") == page_of(document, "b2") == 1


def test_the_patch_holds_only_inside_the_block():
    original = block._linebox_layout
    with weasy_notes.notes_stay_with_calls():
        assert block._linebox_layout is not original
        with weasy_notes.notes_stay_with_calls():
            pass
        assert block._linebox_layout is not original
    assert block._linebox_layout is original
    assert page_of(HTML(string=PAGE).render(), "NOTE") == 1


def test_an_unknown_weasyprint_is_left_alone(monkeypatch):
    monkeypatch.setattr(weasy_notes, "REPORT_LINE", "report = something else entirely")
    weasy_notes._patched_linebox_layout.cache_clear()
    try:
        original = block._linebox_layout
        with weasy_notes.notes_stay_with_calls() as applied:
            assert not applied
            assert block._linebox_layout is original
    finally:
        monkeypatch.undo()
        weasy_notes._patched_linebox_layout.cache_clear()
    assert weasy_notes.available()
