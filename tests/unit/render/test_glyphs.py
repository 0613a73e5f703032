"""Glyph coverage against the layout's font chains, before anything is laid out."""

from __future__ import annotations

import pytest

from make_book.errors import Diagnostics, MakeBookError
from make_book.layouts import load_layout
from make_book.xhtml import Body
from make_book.render.glyphs import (Run, check_glyphs, coverage, describe, font_cmap,
                                     html_runs, is_ignorable)
from tests.unit.render.test_pdf_fixtures import default_layout, make_book

GREEK = "Ἐν ἀρχῇ ἦν ὁ λόγος"
CYRILLIC = "Зиновьев, «Ђорђе», Україна, Ѣ"
IPA = "[ˈfəʊnətɪks] ɬ ʒ ɮ ⱱ ʔ ǃ"
VIETNAMESE = "Tiếng Việt có dấu: ở, ự, ẫ, Đ"
POLISH_CZECH_TURKISH = "Łódź, żółć; Příliš žluťoučký kůň; İstanbul, ağaç, ılık"
DASHES = "she ⸺ he ⸻ they — 1937–38 … ‘quoted’ “twice” „low“"
SYMBOLS = "→ ← ↔ ⇒ ⟶ ↦ ✓ ✗ ☞ § ¶ † ‡ № ℓ ° ± × ≈ ≤ € ⁂"


def missing(text: str, tmp_path, **style) -> set[str]:
    found = coverage([Run(text, None, **style)], default_layout(tmp_path))
    return set(found.missing)


def test_cmap_is_cached(tmp_path):
    face = default_layout(tmp_path).fonts[0]
    assert font_cmap(face.path) is font_cmap(face.path)
    assert ord("Ж") in font_cmap(face.path)


@pytest.mark.parametrize("italic, bold", [(False, False), (True, False), (False, True),
                                          (True, True)])
@pytest.mark.parametrize("text", [GREEK, CYRILLIC, IPA, VIETNAMESE, POLISH_CZECH_TURKISH,
                                  DASHES, SYMBOLS, "\u00a0\u202f\u2009\u200a"])
def test_the_chain_sets_every_script_in_every_style(tmp_path, text, italic, bold):
    assert missing(text, tmp_path, italic=italic, bold=bold) == set()


def test_code_is_checked_against_the_monospace_chain(tmp_path):
    layout = default_layout(tmp_path)
    assert layout.font_section.chains.code == ("Noto Sans Mono",)
    text = f"{GREEK} {CYRILLIC} {VIETNAMESE} {POLISH_CZECH_TURKISH} ⸺ ⸻"
    found = coverage([Run(text, None, code=True), Run(text, None, code=True, bold=True)],
                     layout)
    assert found.missing == {} and found.families == {"Noto Sans Mono"}
    # a character only the text chain has is missing in code
    assert set(coverage([Run("☞", None, code=True)], layout).missing) == {"☞"}


def test_fallback_families_are_used_only_where_the_main_face_lacks_a_character(tmp_path):
    layout = default_layout(tmp_path)
    assert coverage([Run("Plain English.", None)], layout).families == {"Libertinus Serif"}
    found = coverage([Run("word ⸺ word ⟶ ⚑ ✗", None)], layout)
    assert found.families == {"Libertinus Serif", "Gentium Plus", "Libertinus Math",
                              "Noto Sans Symbols", "Noto Sans Symbols 2"}


def test_characters_in_no_font_are_found(tmp_path):
    assert missing("a \U0001F600 b \u4e2d \U00010000 \ue000", tmp_path) == {
        "\U0001F600", "\u4e2d", "\U00010000", "\ue000"}


def test_ignorables_are_skipped(tmp_path):
    text = "a\u00adb\u200bc\u2060d\ufe0fe\u200df\n\t"
    assert missing(text, tmp_path) == set()
    assert is_ignorable(0x00AD) and is_ignorable(0x2060) and not is_ignorable(ord("a"))


def test_markup_gives_style_and_kind():
    runs = list(html_runs(Body.parse("<p>a <em>b <strong>c</strong></em> <code>d</code> "
                                     "<pre><code>e</code></pre></p>"), None))
    kinds = {r.text.strip(): (r.italic, r.bold, r.code) for r in runs if r.text.strip()}
    assert kinds == {"a": (False, False, False), "b": (True, False, False),
                     "c": (True, True, False), "d": (False, False, True),
                     "e": (False, False, True)}


def test_describe_names_the_character():
    assert describe("\U0001F600") == "U+1F600 GRINNING FACE (\U0001F600)"
    assert describe("\u200b").startswith("U+200B ZERO WIDTH SPACE")


def test_each_missing_character_once_with_first_use_and_count(tmp_path):
    book = make_book(tmp_path / "b", long_note=False)
    first, second = book.chapters[2], book.chapters[3]
    first.source.write_text("# Title\n\nline two\nLinear B \U00010000 here\n",
                            encoding="utf-8")
    changed = {
        first.file_id: first.evolve(body=first.body.xml + "<p>Linear B \U00010000 here, "
                                    "<em>\U00010000 and \ue000</em></p>"),
        second.file_id: second.evolve(body=second.body.xml + "<p>again \U00010000</p>"),
    }
    book = book.map_chapters(lambda c: changed.get(c.file_id, c))
    diagnostics = Diagnostics()
    found = check_glyphs(book, default_layout(tmp_path / "b"), diagnostics)
    assert set(found.missing) == {"\U00010000", "\ue000"}
    by_char = {d.message.split()[1]: d for d in diagnostics}
    linear_b = by_char["U+10000"]
    assert linear_b.code == "P001" and linear_b.is_error
    assert linear_b.path == first.source and linear_b.line == 4
    assert "used 3 times in 2 files" in linear_b.message
    assert "Libertinus Serif, Gentium Plus" in linear_b.message
    assert "used once" in by_char["U+E000"].message


def test_epub_target_warns_only_for_private_use_characters(tmp_path):
    # a reader sets Hebrew or Linear B in its own fonts; nothing draws a private-use point
    book = make_book(tmp_path / "b", long_note=False,
                     title="\u05e9\u05dc\u05d5\u05dd \U00010000 \ue000")
    diagnostics = Diagnostics()
    check_glyphs(book, default_layout(tmp_path / "b"), diagnostics, target="epub")
    assert [(d.code, d.is_error, d.path.name, d.message.split()[1]) for d in diagnostics] \
        == [("P020", False, "book.yaml", "U+E000")]


def test_metadata_text_is_checked(tmp_path):
    book = make_book(tmp_path / "b", long_note=False, title="Smile \U0001F600")
    diagnostics = Diagnostics()
    check_glyphs(book, default_layout(tmp_path / "b"), diagnostics)
    assert [d.path.name for d in diagnostics] == ["book.yaml"]


def write_layout(root, fonts_yaml: str):
    src = default_layout(root).dirs[-1].path / "fonts"
    layout = root / "layout"
    (layout / "fonts").mkdir(parents=True)
    (layout / "fonts" / "R.otf").write_bytes((src / "LibertinusSerif-Regular.otf").read_bytes())
    (layout / "fonts" / "OFL.txt").write_text("licence\n", encoding="utf-8")
    (layout / "layout.yaml").write_text(fonts_yaml, encoding="utf-8")
    return load_layout(root, "default")


def test_a_chain_naming_an_unknown_family_is_a_layout_error(tmp_path):
    layout = write_layout(tmp_path, """fonts:
  text: [Serif, Missing Family]
  code: [Mono]
  sources: [{families: [Serif], from: test, licence: fonts/OFL.txt}]
  faces:
    - {family: Serif, file: fonts/R.otf}
    - {family: Serif, file: fonts/nowhere.otf, style: oblique}
""")
    with pytest.raises(MakeBookError) as failed:
        layout.font_section
    found = sorted((d.code, d.message) for d in failed.value.diagnostics)
    assert [c for c, _ in found] == ["L010", "L011", "L011"], found
    assert any("Missing Family" in m for _, m in found)


def test_a_layout_without_chains_uses_its_faces_in_order(tmp_path):
    layout = write_layout(tmp_path, """fonts:
  source: test
  licence: fonts/OFL.txt
  faces: [{family: Serif, file: fonts/R.otf}]
""")
    chains = layout.font_section.chains
    assert chains.text == ("Serif",) and chains.code == ("Serif",)
    assert layout.font_licences == (tmp_path / "layout" / "fonts" / "OFL.txt",)


def test_a_file_that_is_not_a_font_is_reported(tmp_path):
    layout = write_layout(tmp_path, """fonts:
  faces: [{family: Serif, file: fonts/OFL.txt}]
""")
    with pytest.raises(MakeBookError) as failed:
        coverage([Run("x", None)], layout)
    assert [d.code for d in failed.value.diagnostics] == ["L012"]


def test_a_family_falls_back_on_its_own_faces_before_the_next_family(tmp_path):
    # fontconfig ranks the family above the style: a letter the bold italic lacks comes
    # from the italic of the same family (slant before weight), as weasy_fonts draws it
    from make_book.render.glyphs import Chain
    chain = Chain(default_layout(tmp_path))
    face = chain.setter("\u026e", "text", italic=True, bold=True)
    assert (face.family, face.weight, face.style) == ("Libertinus Serif", 400, "italic")
    face = chain.setter("\u2e3a", "text", italic=True, bold=True)  # no Libertinus face has it
    assert (face.family, face.weight, face.style) == ("Gentium Plus", 700, "italic")


def test_stylesheet_strings_are_checked(tmp_path):
    from make_book.render.glyphs import stylesheet_runs
    assert "⁂" in {r.text for r in stylesheet_runs(default_layout(tmp_path), "print")}
    book = make_book(tmp_path / "b", long_note=False)
    css = book.root / "layout" / "css" / "print.css"
    css.parent.mkdir(parents=True)
    css.write_text('p.mark::before { content: "\\E000  " }\n', encoding="utf-8")
    diagnostics = Diagnostics()
    check_glyphs(book, load_layout(book.root, "default"), diagnostics)
    assert [(d.code, d.path, d.message.split()[1]) for d in diagnostics] == [
        ("P001", css, "U+E000")]


def test_missing_characters_are_reported_in_reading_order(tmp_path):
    """Not in the order of a set of characters, which changes with PYTHONHASHSEED: the
    same book must give the same diagnostics in the same order in every run."""
    text = "\ue003 \ue001 \ue002 \ue000 \ue001"
    found = coverage([Run(text, None)], default_layout(tmp_path))
    assert list(found.missing) == ["\ue003", "\ue001", "\ue002", "\ue000"]
