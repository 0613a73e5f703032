"""A font's cmap kept in the build cache by the file's content reads back the same."""

from __future__ import annotations

import shutil
from pathlib import Path

from make_book.cache import Cache
from make_book.render.glyphs import font_cmap

FONTS = Path(__file__).resolve().parents[3] / "layouts" / "default" / "fonts"


def test_a_cached_cmap_is_the_font_s_own(tmp_path):
    font = next(p for p in sorted(FONTS.rglob("*")) if p.suffix.lower() in (".otf", ".ttf"))
    cache = Cache(tmp_path / "cache")
    fresh = font_cmap(font)
    assert font_cmap(font, cache) == fresh and cache.hits == 0
    copy = tmp_path / "elsewhere" / font.name  # the same bytes under another name
    copy.parent.mkdir()
    shutil.copyfile(font, copy)
    assert font_cmap(copy, cache) == fresh and cache.hits == 1
