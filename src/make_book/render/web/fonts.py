"""The web edition's fonts: the faces the EPUB embeds (the text family, and the fallback
faces some character of the book needs), as WOFF2.

WOFF2 (Brotli-compressed, what every current browser reads) is about half the size of the
OTF/TTF a reader would otherwise download; fontTools writes it when the ``brotli`` module
is there, else the file is published as it is. The conversion is pure (same font, same
bytes: the font's own timestamp is kept) and cached by the font's content.
"""

from __future__ import annotations

import io
from pathlib import PurePosixPath

from make_book.cache import Cache, content_key
from make_book.layouts import Layout
from make_book.layouts.fonts import FontFace

CACHE_NAMESPACE = "woff2"


def woff2_available() -> bool:
    try:
        import brotli  # noqa: F401  # fontTools' WOFF2 writer needs it
    except ImportError:
        return False
    return True


def to_woff2(data: bytes) -> bytes:
    from fontTools.ttLib import TTFont
    font = TTFont(io.BytesIO(data), recalcTimestamp=False, recalcBBoxes=False)
    font.flavor = "woff2"
    out = io.BytesIO()
    font.save(out, reorderTables=False)
    return out.getvalue()


def web_font(face: FontFace, layout: Layout, cache: Cache | None) -> tuple[str, bytes]:
    """(path inside the site, bytes) of one face."""
    data = layout.read(face.path, "font file")
    if not woff2_available():
        return face.href, data
    key = content_key("woff2", data)
    converted = cache.get(CACHE_NAMESPACE, key) if cache is not None else None
    if converted is None:
        converted = to_woff2(data)
        if cache is not None:
            cache.put(CACHE_NAMESPACE, key, converted)
    return str(PurePosixPath(face.href).with_suffix(".woff2")), converted
