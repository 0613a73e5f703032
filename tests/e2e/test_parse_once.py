"""Issue 14: each chapter is parsed once. The loader's tree is the chapter's Body, and
its notes' bodies and its title's markup are trees cut from it; no transform or renderer
parses any of them again, so in an EPUB build the text of a chapter, of a note or of a
title reaches an XML or HTML parser once, in the loader (the checks that read the
finished package's documents read output, not the model, and are not counted). A title
set in a chapter's front matter is typeset as book.yaml's values are, and its tree comes
from that one parse; book.yaml's own values with markup (the book's title, subtitle,
series) are parsed once too, when the metadata is validated.

Every lxml parse is recorded (``etree.fromstring``/``XML``/``HTML``/``parse``; lxml.html
parses through them); a text's parses are those whose input holds a run of its words
found in no other text of the book. A cold build parses the Markdown output (as HTML);
a warm one the cached XHTML instead.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from lxml import etree
from markupsafe import Markup

from make_book.build import build_book
from make_book.config.fields import _Model
from make_book.config.meta_text import MetaText
from make_book.errors import Diagnostics
from make_book.gate import check_manuscript
from make_book.xhtml import Body
from tests.conftest import ROOT

SAMPLES = next((p for p in (ROOT.parent / "shared" / "samples", Path("/work/shared/samples"))
                if p.is_dir()), None)
PARSERS = ("fromstring", "XML", "HTML", "parse")
# a run of words inside one text node: no markup, typography or line break in it
WORDS = re.compile(r"[^\W\d_]+(?: [^\W\d_]+){2,}")
TITLE_WORDS = re.compile(r"[^\W\d_]+(?: [^\W\d_]+)+")  # a title is short: two will do


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


def _pieces(book) -> dict[str, list]:
    """Every parsed text of the model by a key of its own: a chapter's body (its file_id),
    its title's markup (``file_id:title``, with the plain title beside it) and each note
    the manuscript writes (the note's id), for the chapters read from Markdown files."""
    out: dict[str, list] = {}
    for c in book.chapters:
        out[c.file_id] = [c.body]
        out[f"{c.file_id}:title"] = [c.title] + ([c.title_markup] if c.title_markup else [])
        for n in c.notes:
            out[n.id] = [n.body]
    out.update((f"meta:{key}", [text, Body.parse(str(text.html))])
               for key, text in _meta_texts(book.meta))
    return out


def _meta_texts(value, key: str = "") -> list[tuple[str, MetaText]]:
    """(key, value) of every book.yaml value with inline markup, nested ones too."""
    if isinstance(value, MetaText):
        return [(key, value)] if value.html != Markup.escape(value.plain) else []
    if isinstance(value, tuple):
        return [t for n, v in enumerate(value) for t in _meta_texts(v, f"{key}.{n}")]
    if isinstance(value, _Model):
        return [t for name in type(value).model_fields
                for t in _meta_texts(getattr(value, name), f"{key}.{name}".lstrip("."))]
    return []


def _manuscript_keys(book) -> dict[str, str]:
    """key -> what it is ("body", "title", "note") of the pieces the loader parsed: the
    generated ones (the bibliography, a citation's note) are made by a transform."""
    out = {}
    for c in book.chapters:
        if c.source.suffix != ".md":
            continue
        out[c.file_id] = "body"
        if c.title_markup is not None:
            out[f"{c.file_id}:title"] = "title"
        out.update((n.id, "note") for n in c.notes if n.source.startswith(("[^", "^[")))
    out.update((f"meta:{key}", "meta") for key, _ in _meta_texts(book.meta))
    return out


def needles(root: Path) -> dict[str, tuple[str, str]]:
    """key -> (what, a run of words of that piece found nowhere else in the book), for each
    chapter body, title with markup and note read from a Markdown file, and each book.yaml
    value with markup."""
    book = check_manuscript(root, ["epub"], Diagnostics(), glyphs=False).book
    pieces = _pieces(book)
    texts = {k: " ".join(p if isinstance(p, str) else p.text(" ") for p in v)
             for k, v in pieces.items()}
    out = {}
    for key, what in _manuscript_keys(book).items():
        short = what in ("title", "meta")
        words = TITLE_WORDS if short else WORDS
        runs = (m.group() for p in pieces[key] if not isinstance(p, str)
                for piece in p.root.itertext() for m in words.finditer(piece)
                if len(m.group()) >= (8 if short else 15))
        for run in runs:
            if not any(run in t for k, t in texts.items() if k != key):
                out[key] = (what, run)
                break
    return out


def counts(root: Path, out: Path, cache: Path, monkeypatch) -> dict[str, tuple[str, int]]:
    found = needles(root)
    with monkeypatch.context() as patch:
        recorder = Recorder(patch)
        result = build_book(root, ["epub"], out, cache=cache)
    assert result.ok, [d.format() for d in result.diagnostics]
    return {key: (what, recorder.parses(run)) for key, (what, run) in found.items()}


def check_book(root: Path, tmp_path: Path, monkeypatch, chapters: int, notes: int = 0,
               titles: int = 0, metas: int = 0) -> None:
    cache = tmp_path / "cache"
    cold = counts(root, tmp_path / "cold", cache, monkeypatch)
    found = [what for what, _ in cold.values()]
    assert found.count("body") >= chapters
    assert found.count("note") >= notes and found.count("title") >= titles
    assert found.count("meta") >= metas
    once = {key: (what, 1) for key, (what, _) in cold.items()}
    assert cold == once  # the Markdown output
    warm = counts(root, tmp_path / "warm", cache, monkeypatch)
    assert warm == once  # the cached XHTML


@pytest.mark.parametrize("case, chapters, notes, titles, metas", [
    ("apparatus", 3, 1, 0, 0), ("citations", 2, 1, 0, 0),
    # titles: a part's, a chapter heading's and a front matter title's; metas: book.yaml's
    # title, subtitle and series title
    ("marked-titles", 4, 3, 3, 3)])
def test_a_test_book_parses_each_chapter_once(case, chapters, notes, titles, metas, tmp_path,
                                              monkeypatch):
    check_book(ROOT / "tests" / "books" / case, tmp_path, monkeypatch, chapters, notes,
               titles, metas)


@pytest.mark.skipif(SAMPLES is None, reason="the shared samples are not here")
def test_the_largest_sample_parses_each_chapter_once(tmp_path, monkeypatch):
    check_book(SAMPLES / "the-brothers-karamazov", tmp_path, monkeypatch, chapters=90)
