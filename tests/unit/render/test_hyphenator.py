"""Which words break and where (render/print/hyphenator.py), and in laid-out text with the
renderer's rules (render/weasy/hyphens.py)."""

from __future__ import annotations

import re
from itertools import pairwise
from pathlib import Path

from weasyprint import HTML
from weasyprint.formatting_structure import boxes

from make_book.config.hyphenation import HyphenationWords
from make_book.render.print import lines as pdf_lines
from make_book.render.weasy import hyphens as weasy_hyphens
from make_book.render.print.hyphenator import Dictionaries, Hyphenator, common_words

WORDS = HyphenationWords.of(["Pet-ro-grad", "Tchernov"])


def breaks(word: str, names: bool = False) -> list[str]:
    return [a + "-" + b for a, b in Hyphenator("en_US", 2, 3, WORDS, names).iterate(word)]


def test_names_do_not_break_unless_asked():
    assert breaks("Russian") == [] and breaks("Whatever") == []
    assert breaks("Russian", names=True) != []
    assert breaks("revolutionary") != []


def test_a_capitalised_word_the_book_prints_in_lower_case_breaks_as_a_word():
    common = common_words(["<p>In <em>agriculture</em>, revolutionary change.</p>",
                           "Russian grain; the Petrograd soviet"])
    assert "agriculture" in common and "russian" not in common and "petrograd" not in common
    hyphenator = Hyphenator("en_US", 2, 3, WORDS, False, common)
    assert [(a.lower(), b) for a, b in hyphenator.iterate("Agriculture")] \
        == list(hyphenator.iterate("agriculture")) != []
    assert list(hyphenator.iterate("Russian")) == []  # never printed in lower case
    assert list(hyphenator.iterate("AGRICULTURE")) == []  # capitals inside: a name's form
    assert list(Hyphenator("en_US", 2, 3, WORDS, False).iterate("Agriculture")) == []


def test_common_words_are_read_from_text_not_markup():
    common = common_words(['<p class="mb-chapter" data-x="scaffolding">Mill <b>hands</b></p>'])
    assert common == frozenset({"hands"})


def test_german_nouns_break_but_not_names_with_inner_capitals():
    german = Hyphenator("de_DE", 2, 2, WORDS, False)
    assert list(german.iterate("Geschichtswissenschaft"))
    assert list(german.iterate("DDR-Geschichtsschreibung")) == []


def test_listed_words_break_at_their_points_only_or_never():
    assert breaks("Petrograd") == ["Petro-grad", "Pet-rograd"]
    assert breaks("Petrograd’s") == ["Petro-grad’s", "Pet-rograd’s"]
    assert breaks("Tchernov", names=True) == []


def test_no_break_beside_a_word_joiner():
    plain = breaks("revolutionary")
    joined = breaks("revo\u2060lutionary")
    assert "revo-lutionary" in plain
    assert all(not re.search("-\u2060|\u2060-", b) for b in joined)
    assert [b.replace("\u2060", "") for b in joined] == [b for b in plain if b != "revo-lutionary"]


def test_dictionaries_answer_weasyprint_per_key_and_mode():
    dictionaries = Dictionaries(WORDS)
    strict = dictionaries.get(("en_US", 2, 3, 6))
    dictionaries.names = True
    lenient = dictionaries.get(("en_US", 2, 3, 6))
    assert not strict.names and lenient.names
    assert dictionaries.get(("en_US", 2, 3, 6)) is lenient


FONT = (Path(__file__).resolve().parents[3]
        / "layouts/default/fonts/LibertinusSerif-Regular.otf").as_uri()
# Our own text, thick with long names that patterns would break.
TEXT = " ".join([("the delegates from Petrograd and Yekaterinburg met the Constitutional "
                  "Democrats and Tchernov in Kazan")] * 12)
PAGE = """
<style>
  @font-face { font-family: Lib; src: url(FONT) }
  @page { size: WIDTHpx 6000px; margin: 0 }
  html { font-family: Lib; font-size: 10px; line-height: 12px }
  p { margin: 0; text-align: justify; hyphens: auto; hyphenate-limit-chars: 6 2 3 }
</style>
<p lang="en">TEXT</p>
""".replace("FONT", FONT)


def hyphenated_words(document) -> list[str]:
    lines = [box for page in document.pages for box in page._page_box.descendants()
             if isinstance(box, boxes.LineBox)]
    out = []
    for line, following in pairwise(lines):
        text = "".join(b.text for b in line.descendants() if isinstance(b, boxes.TextBox))
        if text.rstrip().endswith("\u2010"):
            after = "".join(b.text for b in following.descendants()
                            if isinstance(b, boxes.TextBox)).split()[0]
            out.append(text.split()[-1] + after)
    return out


def render(width: int, text: str = TEXT):
    return HTML(string=PAGE.replace("WIDTH", str(width)).replace("TEXT", text)).render()


def test_weasyprint_alone_breaks_names():
    found = [w for width in range(120, 200, 7) for w in hyphenated_words(render(width))]
    assert any(w[0].isupper() for w in found)


def test_with_the_rules_names_break_only_where_listed():
    with weasy_hyphens.hyphenation_rules(2, avoid_recto_foot=False, words=WORDS):
        found = [w for width in range(120, 200, 7) for w in hyphenated_words(render(width))]
    assert found  # common words still hyphenate
    names = [w for w in found if w[0].isupper()]
    assert all(w in ("Petro\u2010grad", "Pet\u2010rograd") for w in names), names


def test_a_name_too_long_for_the_line_still_breaks():
    text = " ".join(["Yekaterinburg"] * 8)
    with weasy_hyphens.hyphenation_rules(2, avoid_recto_foot=False, words=WORDS):
        document = render(45, text)
    assert hyphenated_words(document)
    lines = [b for p in document.pages for b in p._page_box.descendants()
             if isinstance(b, boxes.LineBox)]
    assert all(pdf_lines.right_edge(line) <= 45 + 0.01 for line in lines)  # none overfull


def test_a_soft_hyphen_is_the_only_break_of_its_word():
    text = " ".join(["the representatives of Yekaterin\u00adburg"] * 10)
    with weasy_hyphens.hyphenation_rules(2, avoid_recto_foot=False, words=WORDS):
        found = [w.replace("\u00ad", "") for width in range(90, 160, 5)
                 for w in hyphenated_words(render(width, text))]
    assert "Yekaterin\u2010burg" in found
    assert {w for w in found if w.startswith("Y")} == {"Yekaterin\u2010burg"}


def test_a_book_s_common_words_are_read_once_per_book():
    from types import SimpleNamespace

    from make_book.render.print.hyphenator import book_common_words

    class Book:  # weakly referenced, as the model's Book is
        def __init__(self, text):
            self.chapters = [SimpleNamespace(body=SimpleNamespace(text=lambda sep: text))]

    def book(text):
        return Book(text)
    first, second = book("<p>The mill hands</p>"), book("<p>the weavers</p>")
    words = book_common_words(first)
    assert words == {"mill", "hands"}
    assert book_common_words(first) is words  # asked again: not read again
    assert book_common_words(second) == {"the", "weavers"}  # another book: its own
