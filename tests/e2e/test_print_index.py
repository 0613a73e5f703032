"""End to end: the printed index gets the real page numbers of its marks, after layout,
without moving the pages before it; page references print the target's page."""

from __future__ import annotations

import re
import shutil
import subprocess
from types import SimpleNamespace

import pytest

from make_book import transforms
from make_book.build import build_book, source_date
from make_book.errors import Diagnostics
from make_book.layouts import load_layout
from make_book.manuscript.book import load_book
from make_book.transforms import folios, index_locators
from make_book.render.print.renderer import render_print

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None,
                                reason="pdftotext (poppler-utils) is needed")

FILLER = ("The river was wide and grey that morning, and the steamer turned in slowly "
          "towards the landing stage while the town looked down from the high bank. ") * 3


def page(text: str) -> str:
    """A block that starts a new page."""
    return f'::: {{style="break-before: page"}}\n{text} {FILLER}\n:::\n'


BOOK_YAML = """\
title: Index Test
lang: en
contents:
  - chapters/preface.md
  - chapters/one.md
  - chapters/two.md
indexes:
  - {name: index, title: Index}
"""

PREFACE = """\
---
title: Preface
kind: preface
---
""" + f"[Beta]{{.index}} in the preface. {FILLER}\n"

ONE = "# The First Chapter {#ch-one}\n\n" + "\n".join([
    (f"[Alpha]{{.index}} and [Alpha]{{.index}} again and [Beta]{{.index}}; see page "
    f"[](#target){{.pageref}}. [Bronstein]{{index=\"Bronstein, Lev\" "
    f"index-see=\"Trotsky, Leon\"}}. {FILLER}\n"),
    page("[Alpha]{.index} once, and [Gamma]{index=\"Gamma!early life\"}."),
    page("[Alpha]{.index} a third page."),
    page("[Delta]{index=\"Delta\" index-start=d} begins a passage, and "
         "[Trotsky]{index=\"Trotsky, Leon\" index-see-also=\"Bronstein, Lev\"}."),
    page("The passage goes on."),
    page("[]{index-end=d} The passage ends here, and [Beta]{.index} again."),
])

TWO = "# The Second Chapter {#ch-two}\n\n" + FILLER + "\n\n## The Target {#target}\n\n" \
    + FILLER + "\n"


@pytest.fixture(scope="module")
def printed(tmp_path_factory):
    root = tmp_path_factory.mktemp("index-book")
    (root / "chapters").mkdir()
    (root / "book.yaml").write_text(BOOK_YAML, encoding="utf-8")
    (root / "chapters" / "preface.md").write_text(PREFACE, encoding="utf-8")
    (root / "chapters" / "one.md").write_text(ONE, encoding="utf-8")
    (root / "chapters" / "two.md").write_text(TWO, encoding="utf-8")
    diagnostics = Diagnostics()
    book = transforms.run(load_book(root, diagnostics), diagnostics)
    result = render_print(book, load_layout(book.root, book.meta.layout),
                          source_date=source_date(book), diagnostics=diagnostics)
    pdf = root / "out.pdf"
    pdf.write_bytes(result.pdf)
    return SimpleNamespace(root=root, book=book, result=result,
                           diagnostics=diagnostics, pdf=pdf)


def text_of(pdf, index: int) -> str:
    return subprocess.run(["pdftotext", "-layout", "-f", str(index + 1), "-l", str(index + 1),
                           str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def flat(text: str) -> str:
    return " ".join(text.split())


def first_page(result, anchor: str) -> int:
    return next(i for i, p in enumerate(result.document.pages) if anchor in p.anchors)


def marks(book, term: str) -> list[str]:
    for index in book.indexes:
        for group in index.groups:
            for entry in group.entries:
                if entry.term == term:
                    return [loc.anchor for loc in entry.locators]
    raise AssertionError(term)


# ----------------------------------------------------------------------------- units

@pytest.mark.parametrize("first,last,printed", [
    (3, 10, "10"), (71, 72, "72"), (96, 117, "117"), (100, 104, "104"), (1100, 1113, "1113"),
    (101, 108, "8"), (808, 833, "33"), (1103, 1104, "4"), (321, 328, "28"), (498, 532, "532"),
    (1087, 1089, "89"), (1496, 1500, "500"), (11564, 11615, "615"), (1536, 1538, "38")])
def test_chicago_elision(first, last, printed):
    assert index_locators.elide(first, last) == printed


def test_spans_merge_pages_and_passages():
    from make_book.model import Locator
    pages = {"a": 10, "b": 10, "c": 11, "d": 14, "e": 16, "f": 17, "g": 2, "h": 3}
    locs = tuple(Locator("x", a) for a in "abcg") + (Locator("x", "d", "e"), Locator("x", "f"),
                                                      Locator("x", "h"))
    # body starts at page index 3: "g" is roman ii, "h" arabic 1, never merged with ii
    assert index_locators.locator_text(locs, folios.PageMap(pages, 3)) == [
        "iii", "1", "8\u20139", "12\u201315"]


# ----------------------------------------------------------------------------- book

def test_index_has_real_folios(printed):
    book = printed.book
    result = printed.result
    diagnostics = printed.diagnostics
    pdf = printed.pdf
    assert not [d for d in diagnostics if d.code in ("P010", "P011")], list(diagnostics)
    start = result.laid_out.body_start

    def folio(anchor):
        return folios.folio(first_page(result, anchor), start)
    alpha = [first_page(result, a) for a in marks(book, "Alpha")]
    assert len(alpha) == 4 and len(set(alpha)) == 3  # two marks share a page
    assert alpha == sorted(alpha) and alpha[-1] - alpha[0] == 2
    index_page = first_page(result, "mb-index-index")
    assert index_page == len(result.document.pages) - 1 or index_page % 2 == 0  # a recto
    text = flat(text_of(pdf, index_page))
    first, last = folios.folio(alpha[0], start), folios.folio(alpha[-1], start)
    assert f"Alpha, {first}\u2013{last}" in text, text  # merged, one number per page
    beta = [folio(a) for a in marks(book, "Beta")]
    assert beta[0] in ("i", "ii", "iii", "iv", "v", "vi", "vii")  # the preface: roman
    assert f"Beta, {', '.join(beta)}" in text, text
    delta = book.indexes[0]
    loc = marks(book, "Delta")
    passage = next(e for g in delta.groups for e in g.entries if e.term == "Delta").locators[0]
    d0, d1 = first_page(result, passage.anchor), first_page(result, passage.end_anchor)
    assert d1 - d0 == 2 and loc
    assert f"Delta, {folios.folio(d0, start)}\u2013{folios.folio(d1, start)}" in text
    gamma = folio(next(e for g in delta.groups for e in g.entries if e.term == "Gamma")
                  .subentries[0].locators[0].anchor)
    assert "Gamma" in text and f"early life, {gamma}" in text
    assert "Bronstein, Lev. See Trotsky, Leon" in text
    assert f"Trotsky, Leon, {folios.folio(d0, start)}. See also Bronstein, Lev" in text
    assert "000" not in text


def test_the_index_is_laid_out_on_its_own(printed):
    """The index is a piece of its own, laid out after the pages it refers to, with their
    real numbers: the book needs no second pass for it."""
    result = printed.result
    assert result.layouts == 1
    index_page = first_page(result, "mb-index-index")
    chapters = result.laid_out.source.chapter_ids
    assert not [a for p in result.document.pages[index_page:] for a in p.anchors
                if a in chapters]  # the index comes last
    assert "000" not in flat(text_of(printed.pdf, index_page))


def test_contents_and_pageref_print_real_pages(printed):
    result = printed.result
    pdf = printed.pdf
    start = result.laid_out.body_start
    index_folio = folios.folio(first_page(result, "mb-index-index"), start)
    contents = flat(text_of(pdf, first_page(result, "mb-contents")))
    assert re.search(rf"Index[ .]+{index_folio}\b", contents), contents
    target = folios.folio(first_page(result, "target"), start)
    one = flat(text_of(pdf, first_page(result, "ch-one")))
    assert f"see page {target}." in one, one


def test_build_book_writes_the_index(tmp_path, printed):
    root = printed.root
    out = tmp_path / "out"
    result = build_book(root, ["pdf"], out)
    assert result.ok, [str(d) for d in result.diagnostics]
    pdf = result.artifacts[0].path
    pages = int(next(ln.split()[-1] for ln in subprocess.run(
        ["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout.splitlines()
        if ln.startswith("Pages:")))
    assert "Index" in text_of(pdf, pages - 1)
    assert "Alpha," in text_of(pdf, pages - 1)
