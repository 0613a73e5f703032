"""Which characters the layout's text font draws as true superiors (OpenType ``sups``).

A note call or a superscript reads best in the font's own superior figures
(``font-variant-position: super``): drawn lighter, at the height of the capitals, they
never reach the line above. WeasyPrint turns the property into the ``sups`` feature and
no more: a character the feature does not cover is set full size on the baseline (the
CSS fallback, a synthesised superscript, is not implemented). So the renderers ask here
which characters every face of the first text family covers, and set true superiors only
for calls and superscripts made of those; the others are set smaller and raised
(Libertinus Serif: figures, lower-case letters, ``( ) + - = /``, no capitals).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from make_book.layouts.chain import Layout

__all__ = ["font_superiors", "superior_characters"]


@cache
def font_superiors(path: Path) -> frozenset[str]:
    """The characters the font file's ``sups`` feature replaces (none when it has none or
    cannot be read: the fallback is always safe). A face of a book's layout override comes
    from outside: fontTools decompiles its tables lazily, while they are walked, and raises
    any kind of error on damaged bytes, so the whole walk is guarded."""
    try:
        return _superiors(path)
    except Exception:  # noqa: BLE001 - struct.error, IndexError, AssertionError, ...
        return frozenset()


def _superiors(path: Path) -> frozenset[str]:
    # imported here: it costs every build tens of ms, and a warm build reads no font
    from fontTools.ttLib import TTFont, TTLibError
    try:
        font = TTFont(path, lazy=True)
        cmap = font.getBestCmap() or {}
        gsub = font["GSUB"].table if "GSUB" in font else None
    except (OSError, TTLibError, KeyError):
        return frozenset()
    if gsub is None or gsub.FeatureList is None:
        return frozenset()
    replaced: set[str] = set()
    for record in gsub.FeatureList.FeatureRecord:
        if record.FeatureTag != "sups":
            continue
        for index in record.Feature.LookupListIndex:
            for table in gsub.LookupList.Lookup[index].SubTable:
                table = getattr(table, "ExtSubTable", table)  # extension lookups
                replaced.update(getattr(table, "mapping", None) or {})
    return frozenset(chr(code) for code, glyph in cmap.items() if glyph in replaced)


def superior_characters(layout: Layout) -> frozenset[str]:
    """What every face of the layout's first text family sets as a superior."""
    chain = layout.font_section.chains.text
    faces = layout.font_section.faces_of(chain[0]) if chain else ()
    if not faces:
        return frozenset()
    return frozenset.intersection(*(font_superiors(face.path) for face in faces))
