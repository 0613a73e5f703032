"""Running heads: what WeasyPrint set on more than one line is found, and cut to fit."""

from __future__ import annotations

import weasyprint

from make_book.render.print import running_heads
from make_book.render.print.running_heads import ELLIPSIS, shortened

LONG = ("XIX: How, though the Sphere showed me other mysteries of Spaceland, "
        "I still desired more; and what came of it")
PAGES = """<style>@page {{ size: 6in 9in; margin: 1in;
  @top-center {{ content: string(head); font-variant: small-caps; letter-spacing: .1em }} }}
  section {{ string-set: head attr(data-head) }} div {{ break-before: page }}</style>
<section data-head="{head}"><p>one</p><div>two</div><div>three</div></section>"""


def _pages(head: str):
    return weasyprint.HTML(string=PAGES.format(head=head)).render().pages


def test_a_head_longer_than_the_measure_is_found_with_its_lines():
    heads = running_heads.wrapped_heads(_pages(LONG))
    assert [h.page for h in heads] == [0, 1, 2]
    assert {h.side for h in heads} == {"left", "right"}
    head = running_heads.recto_head(_pages(LONG))
    assert head.box == "@top-center" and len(head.lines) > 1
    assert head.text.split() == LONG.split()


def test_a_head_that_fits_is_not_found():
    assert running_heads.wrapped_heads(_pages("Chapter Two")) == []
    assert running_heads.recto_head(_pages("Chapter Two")) is None


def test_the_cut_head_fits_on_one_line():
    first = running_heads.recto_head(_pages(LONG)).lines[0]
    short = shortened(first)
    assert short.endswith(ELLIPSIS) and LONG.startswith(short[:-1])
    assert running_heads.wrapped_heads(_pages(short)) == []


def test_the_cut_ends_at_a_clause_break_in_the_second_half_of_the_line():
    assert shortened("XVII: How the Sphere, Having in Vain Tried Words, Resorted") \
        == "XVII: How the Sphere, Having in Vain Tried Words" + ELLIPSIS


def test_without_a_late_clause_break_the_last_word_goes_and_trailing_punctuation_too():
    assert shortened("XIX: How, though the Sphere showed") == "XIX: How, though the Sphere" \
        + ELLIPSIS
    assert shortened("One two, three") == "One two" + ELLIPSIS  # the comma goes too
    assert shortened("One two three four", cuts=2) == "One two" + ELLIPSIS


def test_nothing_is_left_of_a_single_word():
    assert shortened("Antidisestablishmentarianism") is None
    assert shortened("   ") is None
