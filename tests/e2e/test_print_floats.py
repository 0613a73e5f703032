"""Figures and tables in print: a figure that does not fit at the foot of a page lets the
text run on (render/print/floats.py), captions share the page of their figure or table,
short tables do not break and long ones repeat their header.

The book is written here: paragraphs of varied length with a captioned figure after every
few of them (so that many land near the foot of a page), a short captioned table, and a
long one.
"""

from __future__ import annotations

import random
import re
import subprocess
from pathlib import Path

import pytest

from make_book import transforms
from make_book.build import source_date
from make_book.errors import Diagnostics
from make_book.layouts import load_layout
from make_book.manuscript.book import load_book
from make_book.render.print import floats as pdf_floats
from make_book.render.print.renderer import render_print
from make_book.render.print.geometry import LEADING_PT

WORDS = ("the surveyor drew the river bank and the ferry with its cable while the miller "
         "counted sacks of grain by lamplight in the long autumn evenings").split()
SVG = ('<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" '
       'viewBox="0 0 {w} {h}"><rect x="2" y="2" width="{iw}" height="{ih}" fill="none" '
       'stroke="black" stroke-width="2"/><line x1="0" y1="0" x2="{w}" y2="{h}" '
       'stroke="black"/></svg>')
SHORT_ROWS, LONG_ROWS = 8, 40


def paragraph(rng: random.Random) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(25, 110))).capitalize() + "."


def table(caption: str, rows: int, key: str) -> list[str]:
    out = ["| Year | Sacks | Note |", "|---:|---:|:---|"]
    out += [f"| {1800 + r} | {r * 37 % 500} | {key}row{r} |" for r in range(rows)]
    return out + ["", f"Table: {caption}", ""]


def write_book(root: Path, seed: int = 5) -> None:
    rng = random.Random(seed)
    (root / "chapters").mkdir(parents=True)
    (root / "images").mkdir()
    (root / "book.yaml").write_text("title: Floats\nauthor: A. Drafter\nlang: en\n"
                                    "date: 2024-01-01\n", encoding="utf-8")
    for n, (w, h) in enumerate([(380, 260), (380, 330), (300, 200), (380, 300)]):
        (root / "images" / f"plate{n}.svg").write_text(
            SVG.format(w=w, h=h, iw=w - 4, ih=h - 4), encoding="utf-8")
    figure = 0
    for c in range(1, 4):
        body = [f"# Chapter {c}", ""]
        for p in range(1, 31):
            body += [paragraph(rng), ""]
            if p % 4 == 0:
                figure += 1
                body += [f"![Plate {figure}, drawn for chapter {c}.](images/plate{figure % 4}.svg)"
                         f"{{#fig-{figure}}}", ""]
            if c == 2 and p == 13:
                body += table("Sacks counted, first years", SHORT_ROWS, "short")
            if c == 3 and p == 9:
                body += table("Sacks counted, all years", LONG_ROWS, "long")
        (root / "chapters" / f"{c:02d}.md").write_text("\n".join(body), encoding="utf-8")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("floats") / "book"
    write_book(root)
    diagnostics = Diagnostics()
    book = transforms.run(load_book(root, diagnostics), diagnostics)
    result = render_print(book, load_layout(book.root, book.meta.layout),
                          source_date=source_date(book), diagnostics=diagnostics)
    pdf = root.parent / "book.pdf"
    pdf.write_bytes(result.pdf)
    return book, result, diagnostics, pdf


def block_tags(result) -> dict[str, str]:
    tags = {}
    for page in result.document.pages:
        tags.update({m: t for m, (t, _) in pdf_floats.page_fill(page).blocks.items()})
    return tags


def test_no_page_is_short_before_a_figure(built):
    _, result, diagnostics, _ = built
    assert not diagnostics.errors, [d.format() for d in diagnostics]
    fills = [pdf_floats.page_fill(page) for page in result.document.pages]
    assert not pdf_floats.short_before_float(fills), [
        (p, m, round(fills[p].space / LEADING_PT, 1))
        for p, m in pdf_floats.short_before_float(fills)]
    # ... because figures were moved on: some figure is laid out after a later block
    spans = result.laid_out.facts.blocks
    tags = block_tags(result)
    moved = [b.mark for a, b in zip(spans, spans[1:])
             if tags.get(b.mark) == "figure" and a.file_id == b.file_id
             and a.number > b.number]
    assert moved, "no figure had to move: the book no longer tests the repair"


def test_every_figure_is_printed_once_with_its_caption(built, tmp_path):
    book, result, _, pdf = built
    facts = result.laid_out.facts
    tags = block_tags(result)
    figures = [b for b in facts.blocks if tags.get(b.mark) == "figure"]
    assert len(figures) == 21
    for span in figures:
        assert span.first == span.last, span.mark  # image and caption on one page
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    for n in range(1, 22):
        assert len(re.findall(rf"Plate {n}, drawn", text)) == 1, n


def test_a_short_table_is_not_broken_and_keeps_its_caption(built):
    _, result, _, pdf = built
    tags = block_tags(result)
    tables = [b for b in result.laid_out.facts.blocks if tags.get(b.mark) == "table"]
    short = next(b for b in tables if b.file_id.endswith("02"))
    assert short.first == short.last
    page = page_text(pdf, short.first)
    assert "Sacks counted, first years" in page and f"shortrow{SHORT_ROWS - 1}" in page


def test_a_long_table_repeats_its_header_on_every_page(built):
    _, result, _, pdf = built
    tags = block_tags(result)
    long = next(b for b in result.laid_out.facts.blocks
                if tags.get(b.mark) == "table" and b.file_id.endswith("03"))
    assert long.last > long.first
    for index in range(long.first, long.last + 1):
        lines = page_text(pdf, index).splitlines()
        header = [i for i, line in enumerate(lines) if re.search(r"Year\s+Sacks\s+Note", line)]
        rows = [i for i, line in enumerate(lines) if "longrow" in line]
        assert header and rows and header[0] < rows[0], index
    first = page_text(pdf, long.first)
    assert "Sacks counted, all years" in first and "longrow0" in first


def page_text(pdf: Path, index: int) -> str:
    return subprocess.run(["pdftotext", "-layout", "-f", str(index + 1), "-l", str(index + 1),
                           str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def test_a_caption_never_ends_a_page_without_its_table(tmp_path):
    """A long table set lower and lower on its page (a paragraph before it grows): when
    its first row no longer fits, its caption goes to the next page with it."""
    seen = set()
    for words in range(360, 440, 10):
        root = tmp_path / f"w{words}"
        (root / "chapters").mkdir(parents=True)
        (root / "book.yaml").write_text("title: Captions\nauthor: A. Drafter\nlang: en\n"
                                        "date: 2024-01-01\n", encoding="utf-8")
        rng = random.Random(1)
        body = ["# One", ""] + [paragraph(rng) + "\n" for _ in range(5)]
        body += [" ".join(["word"] * words) + ".", ""]
        body += table("Sacks counted, all years", LONG_ROWS, "long")
        body += [paragraph(rng) + "\n" for _ in range(3)]
        (root / "chapters" / "01.md").write_text("\n".join(body), encoding="utf-8")
        diagnostics = Diagnostics()
        book = transforms.run(load_book(root, diagnostics), diagnostics)
        result = render_print(book, load_layout(book.root, book.meta.layout),
                              source_date=source_date(book), diagnostics=diagnostics)
        pdf = root / "book.pdf"
        pdf.write_bytes(result.pdf)
        pages = [page_text(pdf, i) for i in range(len(result.document.pages))]
        caption = next(i for i, text in enumerate(pages) if "Sacks counted" in text)
        first_row = next(i for i, text in enumerate(pages) if "longrow0" in text)
        assert caption == first_row, words
        seen.add(caption)
    assert len(seen) == 2  # the sweep crossed a page break
