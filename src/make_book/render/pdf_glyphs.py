"""Glyph coverage: every character the print edition sets must be in the layout's fonts.

WeasyPrint (through Pango and fontconfig) silently falls back to any system font that has
a missing character, or draws a box. Neither is acceptable in a book: the text is checked
against the cmaps of the layout's own faces before rendering, and each missing character
is reported once per chapter file with its code point and name (``P001``).

Text is checked against the face it will be set in, as far as the markup says: italic
inside ``em``/``i``/``cite``/``dfn``/``var``, bold inside ``strong``/``b``; the regular face
otherwise (headings of the default layout are set in the regular weight).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from fontTools.ttLib import TTFont
from lxml import etree

from make_book.errors import Diagnostics
from make_book.layouts.chain import FontFace, Layout
from make_book.model import Book, Chapter

ITALIC_TAGS = frozenset({"em", "i", "cite", "dfn", "var"})
BOLD_TAGS = frozenset({"strong", "b"})

# Default_Ignorable_Code_Point (Unicode DerivedCoreProperties) plus controls: never drawn.
_IGNORABLE_RANGES = (
    (0x00AD, 0x00AD), (0x034F, 0x034F), (0x061C, 0x061C), (0x115F, 0x1160),
    (0x17B4, 0x17B5), (0x180B, 0x180F), (0x200B, 0x200F), (0x202A, 0x202E),
    (0x2060, 0x206F), (0x3164, 0x3164), (0xFE00, 0xFE0F), (0xFEFF, 0xFEFF),
    (0xFFA0, 0xFFA0), (0xFFF0, 0xFFF8), (0x1BCA0, 0x1BCA3), (0x1D173, 0x1D17A),
    (0xE0000, 0xE0FFF),
)
_PARSER = etree.XMLParser(huge_tree=True, resolve_entities=False, no_network=True)


def is_ignorable(cp: int) -> bool:
    if cp < 0x20 or 0x7F <= cp < 0xA0:
        return True
    return any(lo <= cp <= hi for lo, hi in _IGNORABLE_RANGES)


@lru_cache(maxsize=64)
def _cmap(path: Path, mtime_ns: int) -> frozenset[int]:
    font = TTFont(str(path), lazy=True, fontNumber=0)
    try:
        return frozenset(font.getBestCmap() or {})
    finally:
        font.close()


def font_cmap(path: Path) -> frozenset[int]:
    """Code points a font file maps, cached per file (and its modification time)."""
    return _cmap(path, path.stat().st_mtime_ns)


def _pick(faces: tuple[FontFace, ...], italic: bool, bold: bool) -> FontFace | None:
    if not faces:
        return None
    want_style = "italic" if italic else "normal"
    want_weight = 700 if bold else 400
    return min(faces, key=lambda f: ((f.style != want_style) * 1000
                                     + abs(f.weight - want_weight)))


def _face_name(face: FontFace) -> str:
    style = {(400, "normal"): "Regular", (400, "italic"): "Italic",
             (700, "normal"): "Bold", (700, "italic"): "Bold Italic"}
    return f"{face.family} {style.get((face.weight, face.style), f'{face.weight} {face.style}')}"


def _walk(el: etree._Element, italic: bool, bold: bool):
    """(text, italic, bold) runs of a parsed fragment."""
    tag = el.tag if isinstance(el.tag, str) else ""
    italic = italic or tag in ITALIC_TAGS
    bold = bold or tag in BOLD_TAGS
    if el.text:
        yield el.text, italic, bold
    for child in el:
        yield from _walk(child, italic, bold)
        if child.tail:
            yield child.tail, italic, bold


def _runs(fragment: str, italic: bool = False, bold: bool = False):
    try:
        root = etree.fromstring(f"<div>{fragment}</div>", _PARSER)
    except etree.XMLSyntaxError:
        yield fragment, italic, bold  # checked as plain text rather than not at all
        return
    yield from _walk(root, italic, bold)


def _line_of(path: Path, char: str) -> int | None:
    try:
        for n, line in enumerate(path.read_text(encoding="utf-8").split("\n"), start=1):
            if char in line:
                return n
    except (OSError, UnicodeDecodeError):
        return None
    return None


def missing_characters(runs: Iterable[tuple[str, bool, bool]],
                       faces: tuple[FontFace, ...]) -> dict[str, FontFace]:
    """Characters of ``runs`` that the face they would be set in lacks, in order found."""
    missing: dict[str, FontFace] = {}
    for text, italic, bold in runs:
        face = _pick(faces, italic, bold)
        if face is None:
            return missing
        cmap = font_cmap(face.path)
        for ch in set(text):
            cp = ord(ch)
            if cp in cmap or is_ignorable(cp) or ch in missing:
                continue
            missing[ch] = face
    return missing


def describe(ch: str) -> str:
    name = unicodedata.name(ch, "unnamed character")
    shown = f" ({ch})" if unicodedata.category(ch)[0] not in "CZM" else ""
    return f"U+{ord(ch):04X} {name}{shown}"


def chapter_runs(chapter: Chapter):
    yield chapter.title, False, False
    if chapter.title_html:
        yield from _runs(chapter.title_html)
    if chapter.short_title:
        yield chapter.short_title, False, False
    yield from _runs(chapter.body)
    for note in chapter.notes:
        yield from _runs(note.html)


def book_runs(book: Book):
    """Texts the generated pages set (title page, copyright page, part titles)."""
    meta = book.meta
    for name in ("title", "subtitle", "publisher", "place", "rights", "edition",
                 "description"):
        value = getattr(meta, name, None)
        if isinstance(value, str):
            yield value, False, False
    for name in getattr(meta, "author", None) or ():
        yield str(name), False, False
    for contributor in getattr(meta, "contributors", None) or ():
        yield contributor.name, False, False
    series = getattr(meta, "series", None)
    if series is not None and getattr(series, "title", None):
        yield series.title, False, False
    for source in getattr(meta, "source", None) or ():
        yield str(source), False, False
    for part in book.parts:
        yield part.title, False, False


def check_glyphs(book: Book, layout: Layout, diagnostics: Diagnostics,
                 extra: Iterable[tuple[str, bool, bool]] = ()) -> int:
    """Report every character the layout's fonts lack (``P001``, error); returns the count."""
    faces = layout.fonts
    if not faces:
        diagnostics.error("P001", "the layout has no fonts: the print edition cannot be set",
                          hint="list fonts under `fonts.faces` in layout.yaml")
        return 1
    count = 0
    for chapter in book.chapters:
        for ch, face in missing_characters(chapter_runs(chapter), faces).items():
            count += 1
            diagnostics.error(
                "P001", f"character {describe(ch)} is not in the layout's font "
                f"{_face_name(face)}", chapter.source, _line_of(chapter.source, ch),
                hint="replace it, or use a layout whose fonts have it (no fallback font "
                     "is used in print)")
    yaml_path = book.root / "book.yaml"
    for ch, face in missing_characters([*book_runs(book), *extra], faces).items():
        count += 1
        diagnostics.error("P001", f"character {describe(ch)} in the book's metadata is not "
                          f"in the layout's font {_face_name(face)}", yaml_path,
                          _line_of(yaml_path, ch))
    return count


__all__ = ["check_glyphs", "describe", "font_cmap", "is_ignorable", "missing_characters"]
