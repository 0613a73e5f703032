"""End to end: a book whose links use everything transforms.links and the heading ids
handle (ids across files, implicit heading references, ids inside notes and table cells,
links to chapter files, placeholders) builds an EPUB that EPUBCheck accepts, with every
in-book link landing on an id of the file it names."""

from __future__ import annotations

import re
import zipfile

from lxml import etree
from typer.testing import CliRunner

from make_book.cli import app
from tests.epubcheck_run import epubcheck_messages

XHTML = "{http://www.w3.org/1999/xhtml}"
ONE = """# Introduction

See [Rents], [the second chapter](02-two.md), [its notes](chapters/02-two.md#notes-1)
and [a note](#n-one).[^1]

An [empty]() link, a [missing](nowhere.md) file, the [data](../data.csv).

## Notes

Text.

[^1]: []{#n-one}The first note, with [Wages].
"""
TWO = """# Two

## Notes

## Rents

Back to [the note in one](#n-one) and the [Introduction].[^a]

| Year | Count |
|------|-------|
| [1845]{#cell} | 3 |

[^a]: See [the cell](#cell) and [Notes].

## Wages
"""


def test_links_land_on_ids_and_epubcheck_passes(tmp_path):
    """Notes in a back-matter notes file: the harder case for links into notes (the
    pop-up case is in tests/unit/transforms/test_links.py)."""
    notes = "book"
    root = tmp_path / "links"
    (root / "chapters").mkdir(parents=True)
    (root / "book.yaml").write_text("title: Links\nauthor: A. Writer\nlang: en\n"
                                    f"epub-notes: {notes}\n")
    (root / "chapters" / "01-one.md").write_text(ONE)
    (root / "chapters" / "02-two.md").write_text(TWO)
    (root / "data.csv").write_text("year,count\n")
    result = CliRunner().invoke(app, ["build", str(root), "--format", "epub", "--out",
                                      str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert re.findall(r"C05\d", result.output) == ["C054", "C056", "C055"]
    epub = tmp_path / "out" / "links" / "links.epub"
    assert epubcheck_messages(epub) == []

    with zipfile.ZipFile(epub) as z:
        docs = {name.rsplit("/", 1)[-1]: etree.fromstring(z.read(name))
                for name in z.namelist() if name.endswith(".xhtml")}
    ids = {name: {el.get("id") for el in doc.iter() if el.get("id")}
           for name, doc in docs.items()}
    texts = {}
    for name, doc in docs.items():
        for a in doc.iter(XHTML + "a"):
            href = a.get("href") or ""
            if "#" in href and not href.startswith("http"):
                file, _, target = href.partition("#")
                assert target in ids[file.rsplit("/", 1)[-1] or name], (name, href)
            texts.setdefault("".join(a.itertext()), href)
    notes_file = "notes-1.xhtml" if notes == "book" else "ch-01-one.xhtml"
    assert texts["Rents"] == "ch-02-two.xhtml#rents"
    assert texts["the second chapter"] == "ch-02-two.xhtml#two"
    assert texts["its notes"] == "ch-02-two.xhtml#notes-1"
    assert texts["the note in one"] == notes_file + "#ch-01-one-note-1"
    assert texts["Introduction"] == "ch-01-one.xhtml#introduction"
    for text in ("empty", "missing", "data"):
        assert texts[text] == ""  # kept as text: an <a> without href
