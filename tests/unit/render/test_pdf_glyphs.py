"""Glyph coverage against the layout's own fonts, per face, with no fallback."""

from __future__ import annotations

from make_book.errors import Diagnostics
from make_book.render.pdf_glyphs import (check_glyphs, describe, font_cmap, is_ignorable,
                                         missing_characters)
from tests.unit.render.test_pdf_fixtures import default_layout, make_book


def faces(tmp_path):
    return default_layout(tmp_path).fonts


def test_cmap_is_cached(tmp_path):
    face = faces(tmp_path)[0]
    assert font_cmap(face.path) is font_cmap(face.path)
    assert ord("Ж") in font_cmap(face.path)


def test_latin_cyrillic_and_punctuation_are_covered(tmp_path):
    text = "Zinoviev, Зиновьев, «ça», „Straße“ — 1937–38 … № § † ⁂ \u00a0\u202f\u2009"
    assert missing_characters([(text, False, False), (text, True, False),
                               (text, False, True)], faces(tmp_path)) == {}


def test_bold_italic_lacks_cyrillic(tmp_path):
    # Linux Libertine's bold italic (fonts-linuxlibertine 5.3.0) has no Cyrillic: the check
    # catches it for text in <strong><em> rather than letting a system font set it
    missing = missing_characters([("Зиновьев", True, True)], faces(tmp_path))
    assert set(missing) == set("Зиновьев") and all(f.weight == 700 and f.style == "italic"
                                                   for f in missing.values())


def test_missing_characters_are_found(tmp_path):
    missing = missing_characters([("a \U0001F600 b \u4e2d", False, False)], faces(tmp_path))
    assert set(missing) == {"\U0001F600", "\u4e2d"}


def test_ignorables_are_skipped(tmp_path):
    text = "a\u00adb\u200bc\u2060d\ufe0fe\u200df\n\t"
    assert missing_characters([(text, False, False)], faces(tmp_path)) == {}
    assert is_ignorable(0x00AD) and is_ignorable(0xFE0F) and not is_ignorable(ord("a"))


def test_describe_names_the_character():
    assert describe("\U0001F600") == "U+1F600 GRINNING FACE (\U0001F600)"
    assert describe("\u200b").startswith("U+200B ZERO WIDTH SPACE")


def test_check_glyphs_names_chapter_file_and_line(tmp_path):
    book = make_book(tmp_path / "b", long_note=False)
    ch = book.chapters[2]
    ch.source.write_text("# Title\n\nline two\nA grin \U0001F600 here\n", encoding="utf-8")
    bad = ch.evolve(body=ch.body + "<p>A grin \U0001F600 here, <em>and \u4e2d</em></p>")
    book = book.map_chapters(lambda c: bad if c.file_id == ch.file_id else c)
    diagnostics = Diagnostics()
    assert check_glyphs(book, default_layout(tmp_path / "b"), diagnostics) == 2
    found = {d.message.split()[1]: d for d in diagnostics}
    assert found["U+1F600"].path == ch.source and found["U+1F600"].line == 4
    assert found["U+1F600"].code == "P001" and found["U+1F600"].is_error
    assert "Italic" in found["U+4E2D"].message  # checked against the face it is set in


def test_metadata_text_is_checked(tmp_path):
    book = make_book(tmp_path / "b", long_note=False, title="Smile \U0001F600")
    diagnostics = Diagnostics()
    check_glyphs(book, default_layout(tmp_path / "b"), diagnostics)
    assert [d.path.name for d in diagnostics] == ["book.yaml"]
