"""Issue 14: each chapter is parsed once. The loader's tree is the chapter's Body; no
transform or renderer parses the chapter's text again, so in an EPUB build the text of a
chapter reaches an XML or HTML parser once, in the loader (the checks that read the
finished package's documents read output, not the model, and are not counted).

Every lxml parse is recorded (``etree.fromstring``/``XML``/``HTML``/``parse``; lxml.html
parses through them); a chapter's parses are those whose input holds a run of its words
found in no other text of the book. A cold build parses the Markdown output (as HTML);
a warm one the cached XHTML instead.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from lxml import etree

from make_book.build import build_book
from make_book.errors import Diagnostics
from make_book.gate import check_manuscript
from tests.conftest import ROOT

SAMPLES = next((p for p in (ROOT.parent / "shared" / "samples", Path("/work/shared/samples"))
                if p.is_dir()), None)
PARSERS = ("fromstring", "XML", "HTML", "parse")
# a run of words inside one text node: no markup, typography or line break in it
WORDS = re.compile(r"[^\W\d_]+(?: [^\W\d_]+){2,}")


class Recorder:
    """The text of every parse, and the module that asked for it."""

    def __init__(self, monkeypatch):
        self.inputs: list[str] = []
        for name in PARSERS:
            monkeypatch.setattr(etree, name, self._wrap(getattr(etree, name)))

    def _wrap(self, parse):
        def recorded(source, *args, **kwargs):
            data = source.getvalue() if hasattr(source, "getvalue") else source
            if isinstance(data, bytes):
                data = data.decode("utf-8", "replace")
            if isinstance(data, str) and not data.lstrip().startswith(("<?xml", "<!DOCTYPE")):
                self.inputs.append(data)  # a fragment of the model, not an output document
            return parse(source, *args, **kwargs)
        return recorded

    def parses(self, needle: str) -> int:
        return sum(needle in data for data in self.inputs)


def needles(root: Path) -> dict[str, str]:
    """file_id -> a run of words of that chapter's body found nowhere else in the book,
    for each chapter read from a Markdown file."""
    book = check_manuscript(root, ["epub"], Diagnostics(), glyphs=False).book
    others = " ".join(t for c in book.chapters
                      for t in (c.title, c.title_html or "", *(n.html for n in c.notes)))
    texts = {c.file_id: c.body.text(" ") for c in book.chapters}
    out = {}
    for chapter in book.chapters:
        if chapter.source.suffix != ".md":  # made by a transform (the bibliography)
            continue
        runs = (m.group() for piece in chapter.body.root.itertext()
                for m in WORDS.finditer(piece) if len(m.group()) >= 15)
        for run in runs:
            if run not in others and not any(run in t for k, t in texts.items()
                                             if k != chapter.file_id):
                out[chapter.file_id] = run
                break
    return out


def counts(root: Path, out: Path, cache: Path, monkeypatch) -> dict[str, int]:
    found = needles(root)
    with monkeypatch.context() as patch:
        recorder = Recorder(patch)
        result = build_book(root, ["epub"], out, cache=cache)
    assert result.ok, [d.format() for d in result.diagnostics]
    return {file_id: recorder.parses(run) for file_id, run in found.items()}


def check_book(root: Path, tmp_path: Path, monkeypatch, chapters: int) -> None:
    cache = tmp_path / "cache"
    cold = counts(root, tmp_path / "cold", cache, monkeypatch)
    assert len(cold) >= chapters
    assert cold == dict.fromkeys(cold, 1)  # the Markdown output
    warm = counts(root, tmp_path / "warm", cache, monkeypatch)
    assert warm == dict.fromkeys(cold, 1)  # the cached XHTML


@pytest.mark.parametrize("case, chapters", [("apparatus", 3), ("citations", 2)])
def test_a_test_book_parses_each_chapter_once(case, chapters, tmp_path, monkeypatch):
    check_book(ROOT / "tests" / "books" / case, tmp_path, monkeypatch, chapters)


@pytest.mark.skipif(SAMPLES is None, reason="the shared samples are not here")
def test_the_largest_sample_parses_each_chapter_once(tmp_path, monkeypatch):
    check_book(SAMPLES / "the-brothers-karamazov", tmp_path, monkeypatch, chapters=90)
