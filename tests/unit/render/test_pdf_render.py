"""The renderer's guards: the URL fetcher, WeasyPrint's log, and the house CSS in WeasyPrint
(hyphenation by language, real small caps, only the layout's fonts)."""

from __future__ import annotations

import io
import logging
import re

import pikepdf
import pytest
from weasyprint import HTML

from make_book.errors import Diagnostics
from make_book.render.print import html as pdf_html
from make_book.render.print.fetcher import BookFetcher
from make_book.render.weasy.log import captured_weasyprint_log
from tests.unit.render.test_pdf_fixtures import default_layout


@pytest.fixture
def fetcher(tmp_path):
    book = tmp_path / "book"
    (book / "images").mkdir(parents=True)
    (book / "images" / "a.txt").write_text("x")
    (tmp_path / "secret.txt").write_text("s")
    diagnostics = Diagnostics()
    return BookFetcher([book], diagnostics, book / "book.yaml", book), diagnostics, tmp_path


def test_fetcher_reads_the_book_through_its_fixed_url(fetcher):
    f, diagnostics, _ = fetcher
    response = f.fetch(pdf_html.BOOK_URL + "images/a.txt")
    assert response.read() == b"x"
    assert not diagnostics.items


def test_fetcher_refuses_remote_and_outside_files(fetcher):
    f, diagnostics, tmp_path = fetcher
    for url in ("https://example.org/x.png", "http://example.org/x.png",
                "ftp://example.org/x", (tmp_path / "secret.txt").as_uri(),
                pdf_html.BOOK_URL + "../secret.txt"):
        with pytest.raises(ValueError):
            f.fetch(url)
    assert [d.code for d in diagnostics] == ["P006"] * 5
    assert all(d.is_error for d in diagnostics)


def test_weasyprint_log_is_captured_not_printed(caplog):
    with captured_weasyprint_log() as records:
        HTML(string="<p style='colour: red; font-size: nonsense'>x</p>").render()
    assert records, "WeasyPrint warned about the invalid CSS"
    assert not [r for r in caplog.records if r.name.startswith("weasyprint")]
    assert logging.getLogger("weasyprint").propagate


def render_snippet(tmp_path, body: str, width: str = "1.3in"):
    layout = default_layout(tmp_path)
    css = layout.font_face_css(lambda f: f.path.as_uri())
    links = "".join(f'<link rel="stylesheet" href="{p.as_uri()}">'
                    for p in layout.stylesheets("print"))
    html = (f"<html lang='en'><head><style>{css}</style>{links}<style>@page {{ size: 4in 6in;"
            f" margin: 0.5in }} body {{ width: {width} }}</style></head><body>{body}</body>"
            "</html>")
    with captured_weasyprint_log() as records:
        data = HTML(string=html).write_pdf()
    assert not records, [r.getMessage() for r in records]
    return data


def pdf_text(data: bytes) -> str:
    import subprocess
    return subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True,
                          check=True).stdout.decode()


@pytest.mark.parametrize("lang, words", [
    ("de", "Arbeiterbewegungen Donaudampfschifffahrtsgesellschaften Geschichtswissenschaft"),
    ("fr", "anticonstitutionnellement renseignements extraordinairement"),
    ("ru", "достопримечательности электрификация промышленности"),
    ("en", "electrification extraordinarily institutionalisation"),
])
def test_hyphenation_by_language(tmp_path, lang, words):
    text = pdf_text(render_snippet(tmp_path, f'<p><span lang="{lang}">{words} {words}</span></p>'))
    broken = [ln for ln in text.splitlines() if ln.endswith("\u2010")]
    assert broken, text
    for line in broken:  # at least 2 letters before the break (print.css, per language)
        assert re.search(r"[^\W\d_]{2}\u2010$", line), line


def test_only_layout_fonts_and_real_small_caps(tmp_path):
    data = render_snippet(tmp_path, '<p>The <span class="smallcaps">CPSU</span> in 1937, '
                          "<em>italic</em>, <strong>bold</strong>.</p>", width="3in")
    with pikepdf.open(io.BytesIO(data)) as pdf:
        names = {str(f.BaseFont) for _, f in pdf.pages[0].obj.Resources.Font.items()}
    assert names and all("Libertinus-Serif" in n for n in names), names
    assert any("Bold" in n for n in names) and any("Italic" in n for n in names)


def test_surely_too_tall_notes_are_moved_before_layout(tmp_path):
    from make_book.render.print.estimates import surely_too_tall_notes
    from make_book.render.print.geometry import geometry_for
    from tests.unit.render.test_pdf_fixtures import make_book

    book = make_book(tmp_path / "b")
    g = geometry_for(book.meta.print, 50)
    assert surely_too_tall_notes(book, g) == {"the-strike-note-2"}
    endnotes = make_book(tmp_path / "e", notes="endnotes")
    assert surely_too_tall_notes(endnotes, g) == frozenset()
