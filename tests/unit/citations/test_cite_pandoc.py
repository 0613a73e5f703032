"""Citations compared with Pandoc's ``--citeproc`` on the same text, bibliography and
style: each note (notes style) or each paragraph (author-date), and each bibliography
entry, as text with whitespace normalised. Known differences of citeproc-py are strict
xfails with their reason: when one starts passing, remove the mark."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from lxml import html

from make_book.errors import Diagnostics
from make_book.layouts import load_layout
from make_book.manuscript.book import load_book
from make_book.transforms import run
from make_book.xhtml import parse_fragment

pypandoc = pytest.importorskip("pypandoc")

RECORDS = [
    {"id": "smith", "type": "book", "title": "A History of Bridges",
     "author": [{"family": "Smith", "given": "Jane"}], "publisher": "River Press",
     "publisher-place": "London", "issued": {"date-parts": [[1999]]}},
    {"id": "doe", "type": "article-journal", "title": "On Rivers",
     "author": [{"family": "Doe", "given": "John"}, {"family": "Roe", "given": "Ann"}],
     "container-title": "Journal of Water", "volume": "12", "issue": "3", "page": "45-67",
     "issued": {"date-parts": [[2004]]}},
    {"id": "kay", "type": "chapter", "title": "Stone and Iron",
     "author": [{"family": "Kay", "given": "Mira"}], "editor": [{"family": "Lund", "given": "Per"}],
     "container-title": "Building the North", "publisher": "Fjord Books",
     "publisher-place": "Oslo", "page": "101-120", "issued": {"date-parts": [[2010]]}},
    {"id": "ivanov", "type": "book", "title": "Istoriia mostov",
     "author": [{"family": "Иванов", "given": "Пётр"}],
     "translator": [{"family": "Brown", "given": "Lee"}], "publisher": "Nauka",
     "publisher-place": "Moscow", "issued": {"date-parts": [[1975]]}},
    {"id": "many", "type": "book", "title": "Four Hands",
     "author": [{"family": "Alpha", "given": "Ann"}, {"family": "Beta", "given": "Bob"},
                {"family": "Gamma", "given": "Cy"}, {"family": "Delta", "given": "Di"}],
     "publisher": "Quad", "publisher-place": "Paris", "issued": {"date-parts": [[2001]]}},
    {"id": "ware", "type": "book", "title": "Tools of the Trade",
     "author": [{"family": "Ware", "given": "Tom"}], "publisher": "Anvil",
     "publisher-place": "Leeds", "issued": {"date-parts": [[1988]]}},
]
SAME_YEAR = {"id": "smith-b", "type": "book", "title": "Bridges Again",
             "author": [{"family": "Smith", "given": "Jane"}], "publisher": "River Press",
             "publisher-place": "London", "issued": {"date-parts": [[1999]]}}

# one paragraph per citation, so both sides can be compared paragraph by paragraph
CITES = [
    ("book, page", "A bridge [@smith, p. 33]."),
    ("same again: ibid. or short", "Again [@smith, p. 34]."),
    ("article, two authors, prefix and suffix", "Rivers [see @doe, pp. 50-52, and more]."),
    ("chapter in a book, chapter locator", "Stone [@kay, chap. 2]."),
    ("translated work, Cyrillic author", "Bridges in Russia [@ivanov, 5-7]."),
    ("four authors: et al.", "Four [@many]."),
    ("several keys in the order written", "Both [@ware; @doe, 46]."),
    ("author in the text", "As @ware [p. 3] writes."),
    ("suppressed author", "Ware agrees [-@ware, p. 4]."),
    ("section locator, later short form", "Later [@kay, sec. 3]."),
    ("short form after others", "Back to Smith [@smith, 40]."),
    ("citation inside a note", "A remark.^[Compare [@doe, 47] there.]"),
    ("suppressed author in the text", "Ware again -@ware [p. 5] too."),
    ("author in the text inside a note", "Said.^[As @smith [p. 3] says, and @many too.]"),
    ("a note that is one citation", "Also.^[@ivanov]"),
]

# (style, index of the case) -> why citeproc-py differs from Pandoc there
KNOWN: dict[tuple[str, int], str] = {}


def _book(tmp_path: Path, style: str, records=RECORDS, paragraphs=CITES) -> Path:
    root = tmp_path / "book"
    (root / "chapters").mkdir(parents=True)
    (root / "refs.json").write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    (root / "book.yaml").write_text(f"title: T\nlang: en-US\nbibliography: refs.json\n"
                                    f"csl: {style}\n", encoding="utf-8")
    text = "# Text\n\n" + "\n\n".join(c for _, c in paragraphs) + "\n"
    (root / "chapters" / "01.md").write_text(text, encoding="utf-8")
    return root


def _norm(text: str) -> str:
    return " ".join(text.replace("\u2060", "").replace("\u00a0", " ").replace("↩︎", "")
                    .split())


def _ours(root: Path) -> tuple[list[str], list[str], list[str]]:
    diagnostics = Diagnostics()
    book = run(load_book(root, diagnostics), diagnostics)
    assert not diagnostics.errors, [d.format() for d in diagnostics]
    text = next(c for c in book.chapters if c.kind == "chapter")
    paragraphs = [_norm("".join(p.itertext())) for p in parse_fragment(text.body.xml).iter("p")]
    notes = [_norm("".join(n.body.root.itertext())) for n in text.notes]
    bib = next(c for c in book.chapters if c.kind == "bibliography")
    entries = [_norm("".join(e.itertext())) for e in parse_fragment(bib.body.xml).iter("div")
               if e.get("class") == "csl-entry"]
    return paragraphs, notes, entries


def _pandoc(root: Path, style: Path) -> tuple[list[str], list[str], list[str]]:
    out = pypandoc.convert_text(
        (root / "chapters" / "01.md").read_text(encoding="utf-8"), "html5", format="markdown",
        extra_args=["--citeproc", f"--bibliography={root / 'refs.json'}", f"--csl={style}",
                    "-M", "lang=en-US"])
    tree = html.fromstring(f"<div>{out}</div>")
    for back in tree.xpath("//a[contains(@class, 'footnote-back')]"):
        back.drop_tree()
    for call in tree.xpath("//a[contains(@class, 'footnote-ref')]"):
        call.drop_tree()
    paragraphs = [_norm(p.text_content()) for p in tree.xpath("./p")]
    notes = [_norm(li.text_content()) for li in tree.xpath("//section[@id='footnotes']//li")]
    entries = [_norm(e.text_content()) for e in tree.xpath("//div[contains(@class,'csl-entry')]")]
    return paragraphs, notes, entries


STYLES = ("chicago-notes-bibliography-16th-edition", "chicago-author-date-16th-edition")


def _compare(root: Path, style: str):
    path = next(d.path / "csl" / f"{style}.csl" for d in load_layout(root).dirs
                if (d.path / "csl" / f"{style}.csl").is_file())
    return _ours(root), _pandoc(root, path)


@pytest.fixture(scope="module")
def compared(tmp_path_factory):
    return {style: _compare(_book(tmp_path_factory.mktemp(style), style), style)
            for style in STYLES}


def _param(style: str, index: int):
    reason = KNOWN.get((style, index))
    marks = [pytest.mark.xfail(reason=reason, strict=True)] if reason else []
    return pytest.param(style, index, id=f"{style.split('-')[1]}-{index}-{CITES[index][0]}",
                        marks=marks)


@pytest.mark.parametrize("style, index", [_param(s, i) for s in STYLES
                                          for i in range(len(CITES))])
def test_citation_reads_as_pandoc_renders_it(compared, style, index):
    (paragraphs, notes, _), (pandoc_paragraphs, pandoc_notes, _) = compared[style]
    assert paragraphs[index] == pandoc_paragraphs[index]
    if style.startswith("chicago-notes"):
        assert notes[index] == pandoc_notes[index]


@pytest.mark.parametrize("style", STYLES)
def test_bibliography_reads_as_pandoc_renders_it(compared, style):
    (_, _, entries), (_, _, pandoc_entries) = compared[style]
    assert entries == pandoc_entries


@pytest.mark.parametrize("style", STYLES)
def test_two_works_of_one_author_and_year(tmp_path, style):
    """Author-date: 1999a and 1999b in cites and bibliography; notes: the short forms
    tell the works apart by title, and the bibliography's second entry replaces the
    repeated author with a rule."""
    root = _book(tmp_path, style, [*RECORDS, SAME_YEAR],
                 [("two", "One [@smith, 3]."), ("two", "Two [@smith-b, 9]."),
                  ("again", "Again [@smith, 4]."), ("again", "And [@smith-b, 5].")])
    ours, pandoc = _compare(root, style)
    assert ours == pandoc
