"""No line of a justified paragraph ends short because of a measured trailing space
(render/weasy/lines.py), read back with render/print/lines.py."""

from __future__ import annotations

from pathlib import Path

from weasyprint import HTML

from make_book.render.print import lines as pdf_lines
from make_book.render.weasy import lines as weasy_lines

FONT = (Path(__file__).resolve().parents[3]
        / "layouts/default/fonts/LibertinusSerif-Regular.otf").as_uri()
# Our own text: many short text boxes between italic words, so that at some measure a box
# followed by an italic word fits the line only without its trailing space.
TEXT = " ".join(
    f"the {word} of the council met in <em>{title}</em> and spoke at length"
    for word, title in [("archive", "Samara"), ("committee", "Kazan"), ("minutes", "Ufa"),
                        ("delegates", "Perm"), ("secretary", "Vyatka"), ("printers", "Tver"),
                        ("treasurer", "Orel"), ("members", "Tula")] * 3)
PAGE = """
<style>
  @font-face { font-family: Lib; src: url(FONT) }
  @page { size: WIDTHpx 4000px; margin: 0 }
  html { font-family: Lib; font-size: 14px; line-height: 17px }
  p { margin: 0; text-align: justify; hyphens: manual }
</style>
<p lang="en">TEXT</p>
""".replace("FONT", FONT).replace("TEXT", TEXT)
WIDTHS = range(180, 330, 3)


def broken(width: int) -> list[pdf_lines.BrokenLine]:
    return pdf_lines.broken_lines(HTML(string=PAGE.replace("WIDTH", str(width))).render())


def test_weasyprint_alone_breaks_lines_after_a_measured_space():
    found = [line for width in WIDTHS for line in broken(width)]
    assert found  # the bug this module works around, seen at some measures
    assert all(line.next_text for line in found)


def test_no_line_ends_short_in_mid_paragraph():
    with weasy_lines.trailing_space_hangs():
        assert [line for width in WIDTHS for line in broken(width)] == []


def test_text_is_kept_and_lines_stay_within_the_measure():
    with weasy_lines.trailing_space_hangs():
        for width in WIDTHS:
            document = HTML(string=PAGE.replace("WIDTH", str(width))).render()
            lines = pdf_lines.lines_of(document)
            words = " ".join(pdf_lines.line_text(line) for line in lines)
            assert words.split() == TEXT.replace("<em>", "").replace("</em>", "").split()
            assert all(pdf_lines.right_edge(line) <= width + 0.01 for line in lines)


def test_forced_line_ends_are_not_broken_lines():
    page = PAGE.replace("WIDTH", "300").replace(
        TEXT, "Your loving sister,<br>Anya, who writes a longer line than this one")
    assert pdf_lines.broken_lines(HTML(string=page).render()) == []
