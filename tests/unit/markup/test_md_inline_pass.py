"""The inline pass that skips patterns which cannot match (issue 15): what it relies on in
Python-Markdown still holds, it is the pass in use, it skips, its output is the stock
pass's on every conformance case and test book, and it falls back when Markdown moves."""

from __future__ import annotations

import re

import pytest
from markdown.treeprocessors import InlineProcessor

from make_book.cache import Cache
from make_book.errors import Diagnostics
from make_book.gate import check_manuscript
from make_book.markup import md_inline_pass
from make_book.markup.markdown import new_parser
from make_book.markup.md_inline_pass import SkippingInlineProcessor, first_chars
from tests.conformance.cases import load_cases
from tests.conftest import BOOKS, MANUSCRIPT


def test_what_it_relies_on_in_python_markdown_holds():
    assert md_inline_pass.broken() == ()
    assert type(new_parser().treeprocessors["inline"]) is SkippingInlineProcessor


@pytest.mark.parametrize("pattern, flags, chars", [
    (r"\*|_", 0, {"*", "_"}),
    (r"(?<!\\)(`+)(?!`)", 0, {"`"}),
    (r"(?:(?<!\\)((?:\\{2})+)(?=`+)|(?<!\\)`)", 0, {"\\", "`"}),
    (r"[<&][a-c]", 0, {"<", "&"}),
    (r"(?:ab)?c", 0, {"a", "c"}),
    (r"^\s*x", 0, None),  # \s: any space
    (r".x", 0, None),
    (r"a?", 0, None),  # matches the empty string: anywhere
    (r"[^x]", 0, None),
    (r"x", re.IGNORECASE, None),
])
def test_first_chars(pattern, flags, chars):
    found = first_chars(re.compile(pattern, flags))
    assert (None if found is None else set(found)) == chars


def test_prose_tries_only_the_patterns_it_can_match(monkeypatch):
    md = new_parser()
    inline = md.treeprocessors["inline"]
    tried = []
    apply = inline._InlineProcessor__applyPattern

    def recorded(pattern, *args):
        tried.append(type(pattern).__name__)
        return apply(pattern, *args)
    monkeypatch.setattr(inline, "_InlineProcessor__applyPattern", recorded)
    assert md.convert("Plain words, and *one* stressed.") == (
        "<p>Plain words, and <em>one</em> stressed.</p>")
    assert set(tried) == {"SubstituteTagInlineProcessor", "DelimiterProcessor"}


def _stock(text: str) -> str:
    md = new_parser()
    md.treeprocessors.register(InlineProcessor(md), "inline", 20)
    return md.convert(text)


def _texts() -> list[str]:
    return ([case.markdown for case in load_cases()]
            + [p.read_text("utf-8", "replace") for folder in (BOOKS, MANUSCRIPT)
               for p in sorted(folder.rglob("*.md"))])


def test_the_same_html_as_the_stock_pass():
    texts = _texts()
    assert len(texts) > 300
    for text in texts:
        assert new_parser().convert(text) == _stock(text), text[:200]


def test_falls_back_to_the_stock_pass_and_the_build_says_b061(monkeypatch, tmp_path):
    monkeypatch.setattr(md_inline_pass, "RELIES_ON", md_inline_pass.RELIES_ON + (
        ("a fact that no longer holds", lambda: 1 / 0),))
    md_inline_pass.broken.cache_clear()
    try:
        md = new_parser()
        assert type(md.treeprocessors["inline"]) is InlineProcessor
        assert md.convert("*a* [b]{.c}") == _stock("*a* [b]{.c}")
        # said as a diagnostic by every check and build (the gate), not a Python warning
        diagnostics = Diagnostics()
        check_manuscript(MANUSCRIPT / "letters-from-the-volga", ["epub"], diagnostics,
                         glyphs=False, cache=Cache(tmp_path))
        [b061] = [d for d in diagnostics.items if d.code == "B061"]
        assert not b061.is_error and "a fact that no longer holds" in b061.message
        assert "md_inline_pass.py" in b061.message
    finally:
        md_inline_pass.broken.cache_clear()


def test_no_b061_while_the_facts_hold(tmp_path):
    diagnostics = Diagnostics()
    md_inline_pass.check_workaround(diagnostics)
    assert list(diagnostics.items) == []
