"""Every laid-out line of real books: no justified line ends short in mid-paragraph, and
hyphenation stays within what a typesetter signs off (render/pdf_lines.py reads the lines
back from the pages WeasyPrint laid out)."""

from __future__ import annotations

from pathlib import Path

import pytest

from make_book import transforms
from make_book.build import source_date
from make_book.errors import Diagnostics
from make_book.layouts import load_layout
from make_book.manuscript.book import load_book
from make_book.render import pdf_lines
from make_book.render.pdf import render_print
from tests.conftest import MANUSCRIPT

SAMPLES = Path("/work/shared/samples")
BOOKS = [MANUSCRIPT / "letters-from-the-volga", MANUSCRIPT / "the-question-of-method",
         SAMPLES / "flatland", SAMPLES / "the-communist-manifesto"]


@pytest.fixture(scope="module", params=BOOKS, ids=lambda path: path.name)
def laid_out(request):
    root = request.param
    if not root.is_dir():
        pytest.skip(f"{root} is not here")
    diagnostics = Diagnostics()
    book = transforms.run(load_book(root, diagnostics), diagnostics)
    result = render_print(book, load_layout(book.root, book.meta.layout),
                          source_date=source_date(book), diagnostics=diagnostics)
    return result.document


def test_no_line_ends_short_in_mid_paragraph(laid_out):
    assert pdf_lines.broken_lines(laid_out) == []
