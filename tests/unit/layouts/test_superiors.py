"""Which characters the layout's text font sets as superiors (layouts/superiors.py)."""

from __future__ import annotations

import string

from make_book.layouts import load_layout
from make_book.layouts.superiors import font_superiors, superior_characters
from tests.conftest import MANUSCRIPT, ROOT

FONTS = ROOT / "layouts" / "default" / "fonts"


def test_libertinus_has_superior_figures_and_lower_case_but_no_capitals():
    found = font_superiors(FONTS / "LibertinusSerif-Regular.otf")
    assert set(string.digits + string.ascii_lowercase + "()+-=") <= found
    assert not set(string.ascii_uppercase + ".") & found


def test_a_font_without_sups_has_none():
    assert font_superiors(FONTS / "GentiumPlus-Regular.ttf") == frozenset()


def test_a_file_that_is_no_font_has_none(tmp_path):
    (tmp_path / "x.otf").write_bytes(b"not a font")
    assert font_superiors(tmp_path / "x.otf") == frozenset()


def test_the_default_layout_sets_figures_as_superiors_in_every_face():
    layout = load_layout(MANUSCRIPT / "letters-from-the-volga", "default")
    assert set(string.digits) <= superior_characters(layout)
    assert "A" not in superior_characters(layout)
