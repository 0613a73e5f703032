"""At most two hyphenated lines in a row (render/weasy/hyphens.py)."""

from __future__ import annotations

import itertools
from pathlib import Path

from weasyprint import HTML
from weasyprint.formatting_structure import boxes
from weasyprint.layout import inline

from make_book.render.weasy import hyphens as weasy_hyphens

WORDS = ("revolutionary administration representatives correspondence international "
         "organisation extraordinary consideration responsibility manufacturers").split()
TEXT = " ".join(itertools.islice(itertools.cycle(WORDS), 120))
FONT = (Path(__file__).resolve().parents[3] / "layouts/default/fonts/LibertinusSerif-Regular.otf").as_uri()
PAGE = """
<style>
  @font-face { font-family: Lib; src: url(FONT) }
  @page { size: 160px 4000px; margin: 0 }
  html { font-family: Lib; font-size: 10px; line-height: 12px }
  p { margin: 0; text-align: justify; hyphens: auto; hyphenate-limit-chars: 6 3 2 }
</style>
<p lang="en">{text}</p>
""".replace("FONT", FONT)


def lines(document) -> list:
    return [box for page in document.pages for box in page._page_box.descendants()
            if isinstance(box, boxes.LineBox)]


def longest_run(document) -> int:
    longest = run = 0
    for line in lines(document):
        run = run + 1 if weasy_hyphens.ends_hyphenated(line) else 0
        longest = max(longest, run)
    return longest


def words(document) -> str:
    """The paragraph's text read back from its lines, hyphenated words joined."""
    text = ""
    for line in lines(document):
        part = "".join(box.text for box in line.descendants()
                       if isinstance(box, boxes.TextBox)).strip()
        text += part[:-1] if part.endswith("\u2010") else part + " "
    return " ".join(text.split())


def test_weasyprint_alone_sets_ladders():
    assert longest_run(HTML(string=PAGE.replace("{text}", TEXT)).render()) >= 3


def test_at_most_two_hyphenated_lines_in_a_row_and_no_word_lost():
    with weasy_hyphens.hyphenation_rules(2, avoid_recto_foot=False):
        document = HTML(string=PAGE.replace("{text}", TEXT)).render()
    assert longest_run(document) == 2  # hyphenation still works, up to the limit
    assert words(document) == " ".join(TEXT.split())
    for line in lines(document):  # nothing overfull
        assert line.width <= 160 + 0.01


def test_a_word_too_long_for_the_line_is_still_hyphenated():
    text = " ".join(["Arbeiterwohlfahrtsorganisationsvertreterversammlung"] * 6)
    html = PAGE.replace("{text}", text).replace('lang="en"', 'lang="de"')
    with weasy_hyphens.hyphenation_rules(2, avoid_recto_foot=False):
        document = HTML(string=html).render()
    assert sum(weasy_hyphens.ends_hyphenated(line) for line in lines(document)) >= 6
    for line in lines(document):
        assert line.width <= 160 + 0.01


def test_the_wrappers_hold_only_inside_the_block():
    originals = inline.get_next_linebox, inline.split_first_line
    with weasy_hyphens.hyphenation_rules(2, avoid_recto_foot=False):
        assert (inline.get_next_linebox, inline.split_first_line) != originals
    assert (inline.get_next_linebox, inline.split_first_line) == originals


def test_no_limit_leaves_ladders_to_weasyprint():
    with weasy_hyphens.hyphenation_rules(None, avoid_recto_foot=False):
        document = HTML(string=PAGE.replace("{text}", TEXT)).render()
    assert longest_run(document) >= 3
    assert words(document) == " ".join(TEXT.split())


def test_a_limit_of_one_line():
    with weasy_hyphens.hyphenation_rules(1, avoid_recto_foot=False):
        document = HTML(string=PAGE.replace("{text}", TEXT)).render()
    assert longest_run(document) == 1
    assert words(document) == " ".join(TEXT.split())


def recto_feet(document) -> list[bool]:
    """For each right-hand page ending inside a paragraph: whether its last line is
    hyphenated."""
    feet = []
    for page in document.pages:
        if page._page_box.page_type.side != "right":
            continue
        page_lines = [box for box in page._page_box.descendants()
                      if isinstance(box, boxes.LineBox)]
        feet.append(weasy_hyphens.ends_hyphenated(page_lines[-1]))
    return feet


def test_no_hyphen_at_the_foot_of_a_recto():
    html = (PAGE.replace("{text}", " ".join([TEXT] * 4))
            .replace("size: 160px 4000px", "size: 160px 122px"))
    alone = recto_feet(HTML(string=html).render())
    assert len(alone) > 10 and any(alone)
    with weasy_hyphens.hyphenation_rules(None, avoid_recto_foot=True):
        document = HTML(string=html).render()
    assert not any(recto_feet(document))
    assert words(document) == " ".join((" ".join([TEXT] * 4)).split())
    versos = [weasy_hyphens.ends_hyphenated([b for b in page._page_box.descendants()
                                             if isinstance(b, boxes.LineBox)][-1])
              for page in document.pages if page._page_box.page_type.side == "left"]
    assert any(versos)  # a verso may end with a hyphen: the reader sees the next page


def compounds() -> str:
    """Long words and compounds in an order that, at 150 px, lets WeasyPrint end a third
    line in a row at a compound's own hyphen (found by search; checked below)."""
    import random
    pick = random.Random(1)
    base = WORDS + "lodging-houses working-class well-to-do sleeping-places".split()
    return " ".join(pick.choice(base) for _ in range(200))


def test_at_the_limit_a_line_does_not_end_at_a_words_own_hyphen_either():
    """A compound's own hyphen at a line's end makes a ladder as a hyphenation does: at
    the limit the compound goes whole to the next line (no word lost, none overfull)."""
    page = PAGE.replace("160px", "150px").replace("{text}", compounds())
    with weasy_hyphens.hyphenation_rules(2, avoid_recto_foot=False):
        document = HTML(string=page).render()
    assert longest_run(document) <= 2
    assert words(document).replace("- ", "-") == " ".join(compounds().split())
    for line in lines(document):
        assert line.width <= 150 + 0.01
        text = "".join(b.text for b in line.descendants() if isinstance(b, boxes.TextBox))
        assert "\u2011" not in text  # the tie never reaches the page


def test_without_the_tie_that_text_ends_a_third_line_at_a_compounds_hyphen():
    """The case above is a real one: with the limit on hyphenation alone, the ladder
    runs to three lines there."""
    original = weasy_hyphens.hyphenation_rules

    def no_tie(*args, **kwargs):
        return original(*args, tie_own_hyphens=False, **kwargs)

    page = PAGE.replace("160px", "150px").replace("{text}", compounds())
    with no_tie(2, avoid_recto_foot=False):
        document = HTML(string=page).render()
    assert longest_run(document) >= 3


# -- a line that would be loose is hyphenated whatever the zone says ------------------------

SPACE_EM = 0.2  # Libertinus Serif's word space (its space glyph's advance), near enough
ZONED = PAGE.replace("hyphenate-limit-chars: 6 3 2", "hyphenate-limit-chars: 6 3 2; "
                     "hyphenate-limit-zone: 30%")
# short words, then long ones that fit only broken: on this narrow measure many lines are
# loose whatever is done, more where a wide zone keeps the long words whole
LOOSE_TEXT = " ".join(["we saw the", "extraordinary", "consideration"] * 40)


def loose_lines(document, limit: float) -> int:
    return sum(weasy_hyphens.word_space_share(line, SPACE_EM) > limit
               for line in lines(document)[:-1])


def test_a_wide_zone_alone_leaves_loose_lines():
    with weasy_hyphens.hyphenation_rules(2, avoid_recto_foot=False):
        document = HTML(string=ZONED.replace("{text}", LOOSE_TEXT)).render()
    assert loose_lines(document, 2.0) > 5


def test_a_line_that_would_be_loose_is_hyphenated_instead():
    with weasy_hyphens.hyphenation_rules(2, avoid_recto_foot=False):
        zoned = HTML(string=ZONED.replace("{text}", LOOSE_TEXT)).render()
    with weasy_hyphens.hyphenation_rules(2, avoid_recto_foot=False, loose=(SPACE_EM, 2.0)):
        document = HTML(string=ZONED.replace("{text}", LOOSE_TEXT)).render()
    assert loose_lines(document, 2.0) < 0.8 * loose_lines(zoned, 2.0)
    assert sum(map(weasy_hyphens.ends_hyphenated, lines(document))) > sum(
        map(weasy_hyphens.ends_hyphenated, lines(zoned)))
    assert longest_run(document) <= 2  # the ladder's limit still holds
    assert words(document) == " ".join(LOOSE_TEXT.split())
    for line in lines(document):
        assert line.width <= 160 + 0.01


def test_no_line_over_the_limit_keeps_the_zones_layout():
    """Only a line over the limit is laid out again: with a limit no line reaches, the
    lines are those the zone alone gives."""
    def line_texts(loose) -> list[str]:
        with weasy_hyphens.hyphenation_rules(2, avoid_recto_foot=False, loose=loose):
            document = HTML(string=ZONED.replace("{text}", LOOSE_TEXT)).render()
        return ["".join(box.text for box in line.descendants()
                        if isinstance(box, boxes.TextBox)) for line in lines(document)]
    assert line_texts((SPACE_EM, 1000.0)) == line_texts(None)
    assert line_texts((SPACE_EM, 2.0)) != line_texts(None)


def test_word_space_share_reads_the_justification():
    with weasy_hyphens.hyphenation_rules(2, avoid_recto_foot=False):
        document = HTML(string=ZONED.replace("{text}", LOOSE_TEXT)).render()
    shares = [weasy_hyphens.word_space_share(line, SPACE_EM) for line in lines(document)]
    assert shares[-1] == 1.0  # the last line is not justified
    assert max(shares) > 2.0
    assert all(share >= 1.0 for share in shares)
