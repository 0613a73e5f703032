"""Source limits that keep a hostile chapter from exhausting the stack or the CPU: what
check_limits refuses, what it lets through, and that what it lets through parses fast."""

from __future__ import annotations

import pytest

from make_book.markup.markdown import to_html
from make_book.markup.md_limits import MAX_CALLS_PER_NOTE, MAX_NESTING, check_limits


def codes(text: str) -> list[tuple[str, int]]:
    return [(r.code, r.line) for r in check_limits(text)]


@pytest.mark.parametrize("text, line", [
    ("".join("    " * i + "- x\n" for i in range(MAX_NESTING + 2)), MAX_NESTING + 2),
    ("".join("  " * i + "1. x\n" for i in range(1000)), 999),  # 2 spaces: half the levels
    ("> " * (MAX_NESTING + 1) + "x\n", 1),
    ("intro\n\n" + "".join(">" * i + " x\n" for i in range(1, 300)), 301),
    ("".join(f"::: d{i}\n" for i in range(MAX_NESTING + 1)) + "x\n", MAX_NESTING + 1),
])
@pytest.mark.claim("S30")
def test_deep_nesting_is_refused_at_its_deepest_line(text, line):
    assert codes(text) == [("C005", line)]


def test_ordinary_structure_passes():
    text = ("# Title\n\n> quote\n>\n> > nested\n\n- a\n    - b\n        - c\n\n"
            "::: epigraph\n::: verse\nline\n:::\n:::\n\n```\n" + " " * 800 + "code\n```\n")
    assert check_limits(text) == []


def test_fenced_code_is_not_measured():
    assert check_limits("```\n" + "> " * 500 + "\n" + "[" * 100_000 + "\n```\n") == []


@pytest.mark.parametrize("text", [
    "[" * 100_000, "![" * 50_000, "[^" * 50_000, "[" * 50_000 + "]" * 50_000,
    "<a" * 100_000, "*a" * 2_000_000,
])
@pytest.mark.claim("S31")
def test_costly_paragraphs_are_refused(text):
    assert codes("# T\n\n" + text + "\n") == [("C006", 3)]


@pytest.mark.claim("S31")
def test_many_costly_paragraphs_are_refused_as_a_chapter():
    paragraph = "[" * 2_000 + "\n\n"  # each under the paragraph limit
    assert codes(paragraph * 30) == [("C006", 1)]


@pytest.mark.claim("S31")
def test_a_note_called_too_often_is_refused():
    text = "x[^a] " * (MAX_CALLS_PER_NOTE + 1) + "\n\n[^a]: note\n"
    assert codes(text) == [("C006", 1)]
    assert codes("x[^a] " * MAX_CALLS_PER_NOTE + "\n\n[^a]: note\n") == []


@pytest.mark.claim("S32")
def test_a_5mb_paragraph_of_prose_passes():
    assert check_limits("word " * 1_000_000) == []


def test_a_long_paragraph_with_ordinary_markup_passes():
    """A single-paragraph novel: 590,000 characters with 8,000 italics and 8,000 notes."""
    text = ("".join(f"Words and more words, *some in italics*, and a call[^n{i}] now and "
                    "then. " for i in range(8000))
            + "\n\n" + "".join(f"[^n{i}]: The note.\n" for i in range(8000)))
    assert len(text) > 500_000
    assert check_limits(text) == []


UNITS = ["[", "![", "[^", "<a", "*a", "_a ", "`a", "[a](b) ", "[a]{.b} ", "\\*"]


def largest_accepted(unit: str) -> str:
    """The largest paragraph of ``unit`` repeated that check_limits accepts."""
    lo, hi = 1, 400_000
    while lo < hi:  # binary search for the acceptance boundary
        mid = (lo + hi + 1) // 2
        if check_limits(unit * (mid // len(unit))):
            hi = mid - 1
        else:
            lo = mid
    return unit * (lo // len(unit))


@pytest.mark.parametrize("unit", UNITS)
def test_what_passes_parses(unit):
    """What check_limits lets through parses (its speed, about a second, is measured
    against plain prose by benchmarks/bench_limits.py, not here: timed tests fail on a
    loaded machine)."""
    text = largest_accepted(unit)
    assert len(text) > 1000
    html = to_html(text)
    assert html.startswith("<") and len(html) >= len(text) // 4
