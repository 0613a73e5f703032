"""Calls and superscripts tied to their word and set as superiors (transforms/calls.py)."""

from __future__ import annotations

from pathlib import Path

from lxml import etree
from weasyprint import HTML
from weasyprint.formatting_structure import boxes

from make_book.transforms import calls
from make_book.render.print import lines as pdf_lines

WJ = calls.WORD_JOINER


def test_a_call_after_a_word_is_joined_to_it():
    p = etree.fromstring('<p>arrangement.<a class="mb-noteref"/> then <em>word</em>'
                         '<sup>2</sup> and <sup>3</sup><b/><sup>4</sup></p>')
    calls.join_to_word(p.xpath(".//a | .//sup"))
    assert p.text == "arrangement." + WJ
    assert p.find("em").tail == WJ  # the word is the italic one
    sups = p.findall("sup")
    assert sups[0].tail == " and "  # after a space: left alone
    assert p.find("b").tail is None  # after an empty element: nothing to join
    calls.join_to_word(p.xpath(".//a | .//sup"))  # twice: one joiner
    assert p.text == "arrangement." + WJ


def test_only_calls_the_font_draws_whole_are_superiors():
    p = etree.fromstring("<p><sup>12</sup><sup>nd</sup><sup>A1.1</sup></p>")
    calls.mark_superiors(p.findall("sup"), frozenset("0123456789nd"))
    assert [s.get(calls.SUPERIOR_ATTR) for s in p] == ["", "", None]


FONT = (Path(__file__).resolve().parents[3]
        / "layouts/default/fonts/LibertinusSerif-Regular.otf").as_uri()
# Our own text: a call right after an em dash, where a line may break.
TEXT = " ".join(f"the council met in the hall and argued for hours\u2014<sup>{n}</sup>"
               for n in range(1, 25))
PAGE = f"""<style>
  @font-face {{ font-family: Lib; src: url({FONT}) }}
  @page {{ size: WIDTHpx 4000px; margin: 0 }}
  html {{ font-family: Lib; font-size: 12px; line-height: 15px }}
  p {{ margin: 0; text-align: justify }}
</style><p lang="en">TEXT</p>"""


def lines_starting_with_a_call(text: str) -> int:
    found = 0
    for width in range(150, 260, 4):
        document = HTML(string=PAGE.replace("WIDTH", str(width)).replace("TEXT", text)).render()
        for line in pdf_lines.lines_of(document):
            first = next((b for b in line.descendants() if isinstance(b, boxes.TextBox)), None)
            found += first is not None and first.element_tag == "sup"
    return found


def test_no_line_starts_with_a_call():
    assert lines_starting_with_a_call(TEXT) > 0  # WeasyPrint breaks after the dash
    p = etree.fromstring(f"<p>{TEXT}</p>")
    calls.join_to_word(p.findall("sup"))
    joined = etree.tostring(p, encoding="unicode")[3:-4]
    assert lines_starting_with_a_call(joined) == 0
