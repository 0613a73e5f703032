"""The build cache keeps the layout's checks by content: a font's verdict and a template
that compiled are not read or compiled again on a rebuild, and a changed file is."""

from __future__ import annotations

import fontTools.ttLib
import pytest

from make_book.cache import Cache
from make_book.errors import Diagnostics, MakeBookError
from make_book.layouts import chain, fonts, load_layout
from make_book.layouts.check import check_templates
from make_book.render import glyphs

FONT = chain.shipped_layouts() / "default" / "fonts" / "LibertinusSerif-Regular.otf"


def book_with(tmp_path, font: bytes | None = None, template: str | None = None):
    """A book whose own layout extends the house style with one face or one template."""
    book = tmp_path / "book"
    (book / "layout").mkdir(parents=True)
    (book / "book.yaml").write_text("title: T\n", encoding="utf-8")
    manifest = "extends: default\n"
    if font is not None:
        (book / "layout" / "fonts").mkdir()
        (book / "layout" / "fonts" / "body.otf").write_bytes(font)
        manifest += ("fonts:\n  faces:\n    - {family: Body, file: fonts/body.otf}\n"
                     "  text: [Body]\n")
    if template is not None:
        (book / "layout" / "templates").mkdir()
        (book / "layout" / "templates" / "extra.html").write_text(template, encoding="utf-8")
    (book / "layout" / "layout.yaml").write_text(manifest, encoding="utf-8")
    return book


def no_table_read(*_args):
    raise AssertionError("the font was read although its verdict is in the cache")


@pytest.fixture(autouse=True)
def fresh_memory():
    fonts._stored_font_problem.cache_clear()  # one process, several "builds"
    yield
    fonts._stored_font_problem.cache_clear()


def test_a_fonts_verdict_is_kept_by_its_content(tmp_path, monkeypatch):
    book = book_with(tmp_path, font=FONT.read_bytes())
    assert [f.family for f in load_layout(book, cache=Cache(tmp_path / "c")).fonts] == ["Body"]
    fonts._stored_font_problem.cache_clear()
    monkeypatch.setattr(fonts, "_font_problem", no_table_read)
    assert [f.family for f in load_layout(book, cache=Cache(tmp_path / "c")).fonts] == ["Body"]


def test_a_damaged_font_is_refused_from_the_cache_too(tmp_path, monkeypatch):
    book = book_with(tmp_path, font=b"OTTO" + b"\x00" * 200)
    for build in range(2):
        with pytest.raises(MakeBookError) as caught:
            load_layout(book, cache=Cache(tmp_path / "c")).fonts  # noqa: B018
        assert [d.code for d in caught.value.diagnostics] == ["L012"]
        fonts._stored_font_problem.cache_clear()
        monkeypatch.setattr(fonts, "_font_problem", no_table_read)


def test_a_font_replaced_by_other_bytes_is_read_again(tmp_path):
    book = book_with(tmp_path, font=FONT.read_bytes())
    assert load_layout(book, cache=Cache(tmp_path / "c")).fonts
    fonts._stored_font_problem.cache_clear()
    (book / "layout" / "fonts" / "body.otf").write_bytes(b"not a font at all")
    with pytest.raises(MakeBookError) as caught:
        load_layout(book, cache=Cache(tmp_path / "c")).fonts  # noqa: B018
    assert [d.code for d in caught.value.diagnostics] == ["L012"]


def test_a_template_that_compiled_is_not_compiled_again(tmp_path, monkeypatch):
    book = book_with(tmp_path, template="<p>{{ title }}</p>\n")
    first = load_layout(book, cache=Cache(tmp_path / "c"))
    compiled: list[str] = []
    real = type(first.env).get_template
    monkeypatch.setattr(type(first.env), "get_template",
                        lambda env, name, *a, **k: compiled.append(name) or real(env, name,
                                                                                  *a, **k))
    diagnostics = Diagnostics()
    check_templates(first, diagnostics)
    assert "extra.html" in compiled and not diagnostics.errors
    compiled.clear()
    check_templates(load_layout(book, cache=Cache(tmp_path / "c")), diagnostics)
    assert compiled == [] and not diagnostics.errors
    # without a cache every template is compiled, as before
    check_templates(load_layout(book), diagnostics)
    assert "extra.html" in compiled


def test_a_template_edited_into_a_syntax_error_is_reported(tmp_path):
    book = book_with(tmp_path, template="<p>{{ title }}</p>\n")
    check_templates(load_layout(book, cache=Cache(tmp_path / "c")), Diagnostics())
    (book / "layout" / "templates" / "extra.html").write_text("<p>{% if %}</p>\n",
                                                              encoding="utf-8")
    diagnostics = Diagnostics()
    check_templates(load_layout(book, cache=Cache(tmp_path / "c")), diagnostics)
    assert [(d.code, d.path.name) for d in diagnostics.errors] == [("E030", "extra.html")]


def test_the_glyph_check_reuses_the_cmap_the_layout_check_decoded(tmp_path, monkeypatch):
    book = book_with(tmp_path, font=FONT.read_bytes())
    (face,) = load_layout(book).fonts
    glyphs._cmap.cache_clear()
    # glyphs imports TTFont when it reads a font (not at import): patched at its source
    monkeypatch.setattr(fontTools.ttLib, "TTFont", no_table_read)
    assert ord("A") in glyphs.font_cmap(face.path)
