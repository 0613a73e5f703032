"""Glyph coverage, checked before anything is laid out: every character the book sets must
be in some font of the layout's chain for its kind of text.

WeasyPrint (through Pango and fontconfig) sets a character the layout's fonts lack in any
system font that has it, or draws a box; in a book neither is acceptable, and finding out
after a 500-page layout wastes minutes. So the text is checked against the cmaps first:
chapter text and notes, the metadata the generated pages print, the layout's own
generated words and the strings of its stylesheets. Each character is looked up in the
chain its text is set in (the ``text`` chain, or the ``code`` chain inside ``code``/
``kbd``/``samp``/``pre``), in the order Pango tries the faces for the markup's style
(italic in ``em``/``i``/``cite``/``dfn``/``var``, bold in ``strong``/``b``; see
:class:`Chain`). A character some fallback has is fine; one no face has is reported once,
with where it is first used and how often (``P001``, an error in print: the layout has no
face for it). An EPUB is read in the device's fonts as much as in ours, and readers fall
back to them per character, so a Hebrew word in an English book is fine there; only a
private-use or unassigned code point, which no device font can be relied on to draw, is a
warning (``P020``).

The check also says which faces the book needs, so the EPUB embeds only those.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import tinycss2

from make_book import plain_files
from make_book.cache import Cache, code_version, content_key, file_digest
from make_book.errors import Diagnostics, MakeBookError, error
from make_book.layouts.chain import FontFace, Layout
from make_book.layouts.fonts import code_points, read_cmap
from make_book.model import Book, Chapter
from make_book.xhtml import Body

ITALIC_TAGS = frozenset({"em", "i", "cite", "dfn", "var"})
BOLD_TAGS = frozenset({"strong", "b"})
CODE_TAGS = frozenset({"code", "kbd", "samp", "pre", "tt"})

# Default_Ignorable_Code_Point (Unicode DerivedCoreProperties) plus controls: never drawn
# (Pango gives them no glyph and keeps the surrounding font), so no font needs them.
_IGNORABLE_RANGES = (
    (0x00AD, 0x00AD), (0x034F, 0x034F), (0x061C, 0x061C), (0x115F, 0x1160),
    (0x17B4, 0x17B5), (0x180B, 0x180F), (0x200B, 0x200F), (0x202A, 0x202E),
    (0x2060, 0x206F), (0x3164, 0x3164), (0xFE00, 0xFE0F), (0xFEFF, 0xFEFF),
    (0xFFA0, 0xFFA0), (0xFFF0, 0xFFF8), (0x1BCA0, 0x1BCA3), (0x1D173, 0x1D17A),
    (0xE0000, 0xE0FFF),
)


def is_ignorable(cp: int) -> bool:
    if cp < 0x20 or 0x7F <= cp < 0xA0:
        return True
    return any(lo <= cp <= hi for lo, hi in _IGNORABLE_RANGES)


@dataclass(frozen=True)
class Run:
    """A piece of text as it will be set: its style, its kind, and the file it comes from."""
    text: str
    source: Path | None
    italic: bool = False
    bold: bool = False
    code: bool = False


@dataclass
class Missing:
    """A character no font of its chain has: where it is first used and how often."""
    char: str
    role: str  # text | code
    first: Path | None
    count: int = 0
    files: set[Path] = field(default_factory=set)


@dataclass
class Coverage:
    missing: dict[str, Missing] = field(default_factory=dict)
    families: set[str] = field(default_factory=set)  # families that set some character
    faces: set[FontFace] = field(default_factory=set)  # the faces that set them


@lru_cache(maxsize=64)
def _cmap(path: Path, mtime_ns: int) -> frozenset[int]:
    if (known := read_cmap(path, mtime_ns)) is not None:  # the layout's check decoded it
        return known
    # imported here: it costs every build tens of ms, and a warm build reads no font
    from fontTools.ttLib import TTFont, TTLibError
    try:
        font = TTFont(str(path), lazy=True, fontNumber=0)
        try:
            return frozenset(code_points(font) or {})
        finally:
            font.close()
    except (TTLibError, OSError, AssertionError, KeyError, ValueError) as exc:
        raise MakeBookError(error("L012", f"font file {path.name} cannot be read as a font: "
                                  f"{exc}", path)) from None


def font_cmap(path: Path, cache: Cache | None = None) -> frozenset[int]:
    """Code points a font file maps, cached per file (and its modification time) in the
    process, and with ``cache`` in the build cache by the file's content: reading a cmap
    with fontTools is a tenth of a warm EPUB build."""
    if cache is None:
        return _cmap(path, path.stat().st_mtime_ns)
    return _stored_cmap(path, path.stat().st_mtime_ns, cache)


@lru_cache(maxsize=64)
def _stored_cmap(path: Path, mtime_ns: int, cache: Cache) -> frozenset[int]:
    """Once per file and build: hashing the file costs as much as reading a small cmap."""
    key = content_key("font-cmap", code_version(), file_digest(path))
    found = cache.get_record("font-cmap", key)
    if found is not None and isinstance(found[0].get("cmap"), list):
        return frozenset(found[0]["cmap"])
    cmap = _cmap(path, mtime_ns)
    cache.put_record("font-cmap", key, {"cmap": sorted(cmap)})
    return cmap


def _in_fontconfig_order(faces: Iterable[FontFace], italic: bool,
                         bold: bool) -> list[FontFace]:
    """A family's faces in the order fontconfig ranks them for a style: slant first, then
    weight (so bold italic text falls back to the italic before the bold)."""
    want_style = "italic" if italic else "normal"
    want_weight = 700 if bold else 400
    return sorted(faces, key=lambda f: (f.style != want_style, abs(f.weight - want_weight)))


class Chain:
    """The faces Pango tries for a character, per kind of text and style: family by family
    in the chain's order, and within a family its face for the style, then its other faces
    (fontconfig ranks the family above the style, so a face of the first family in another
    style comes before the next family: drawn as that face, see weasy_fonts)."""

    def __init__(self, layout: Layout, cache: Cache | None = None):
        self.section = layout.font_section
        self.cache = cache  # where the fonts' cmaps are kept (font_cmap)
        self._faces: dict[tuple[str, bool, bool], tuple[FontFace, ...]] = {}
        self._setter: dict[tuple[str, str, bool, bool], FontFace | None] = {}

    def families(self, role: str) -> tuple[str, ...]:
        return self.section.chains.for_role(role)

    def faces(self, role: str, italic: bool, bold: bool) -> tuple[FontFace, ...]:
        key = (role, italic, bold)
        if key not in self._faces:
            self._faces[key] = tuple(
                face for family in self.families(role)
                for face in _in_fontconfig_order(self.section.faces_of(family), italic, bold))
        return self._faces[key]

    def setter(self, ch: str, role: str, italic: bool, bold: bool) -> FontFace | None:
        """The face that sets ``ch`` in that kind of text and style, or None."""
        key = (ch, role, italic, bold)
        if key not in self._setter:
            cp = ord(ch)
            self._setter[key] = next((f for f in self.faces(role, italic, bold)
                                      if cp in font_cmap(f.path, self.cache)), None)
        return self._setter[key]


def coverage(runs: Iterable[Run], layout: Layout, cache: Cache | None = None) -> Coverage:
    """Which characters of ``runs`` no font of their chain has, and which families the
    others need."""
    chain = Chain(layout, cache)
    found = Coverage()
    settled: set[tuple[str, str, bool, bool]] = set()  # set by a face, or never drawn
    for run in runs:
        role = "code" if run.code else "text"
        for ch in dict.fromkeys(run.text):  # in reading order: diagnostics in a stable order
            key = (ch, role, run.italic, run.bold)
            if key in settled:  # a long book repeats the same few hundred characters
                continue
            if is_ignorable(ord(ch)) or ch in " \n\t\r":
                settled.add(key)
                continue
            face = chain.setter(ch, role, run.italic, run.bold)
            if face is not None:
                found.families.add(face.family)
                found.faces.add(face)
                settled.add(key)
                continue
            miss = found.missing.get(ch)
            if miss is None:
                miss = found.missing[ch] = Missing(ch, role, run.source)
            miss.count += run.text.count(ch)
            if run.source is not None:
                miss.files.add(run.source)
    return found


def describe(ch: str) -> str:
    name = unicodedata.name(ch, "unnamed character")
    shown = f" ({ch})" if unicodedata.category(ch)[0] not in "CZM" else ""
    return f"U+{ord(ch):04X} {name}{shown}"


# -- what the book sets ---------------------------------------------------------------------

def _walk(el, source: Path | None, italic: bool, bold: bool, code: bool) -> Iterator[Run]:
    tag = el.tag if isinstance(el.tag, str) else ""
    tag = tag.rsplit("}", 1)[-1].lower()
    italic = italic or tag in ITALIC_TAGS
    bold = bold or tag in BOLD_TAGS
    code = code or tag in CODE_TAGS
    if el.text:
        yield Run(el.text, source, italic, bold, code)
    for child in el:
        yield from _walk(child, source, italic, bold, code)
        if child.tail:
            yield Run(child.tail, source, italic, bold, code)


def html_runs(fragment: Body, source: Path | None) -> Iterator[Run]:
    """Runs of a parsed fragment, each with the style and kind its markup gives it."""
    yield from _walk(fragment.root, source, False, False, False)


def chapter_runs(chapter: Chapter) -> Iterator[Run]:
    src = chapter.source
    if chapter.title_markup is not None:
        yield from html_runs(chapter.title_markup, src)
    else:
        yield Run(chapter.title, src)
    if chapter.short_title:
        yield Run(chapter.short_title, src)
    yield from html_runs(chapter.body, src)
    for note in chapter.notes:
        yield from html_runs(note.body, src)


def book_runs(book: Book) -> Iterator[Run]:
    """Texts of book.yaml that the generated pages set (title and copyright pages, part
    titles, series page)."""
    meta, yaml_path = book.meta, book.root / "book.yaml"
    for name in ("title", "subtitle", "publisher", "place", "rights", "edition",
                 "description"):
        value = getattr(meta, name, None)
        if isinstance(value, str):
            yield Run(value, yaml_path)
    for name in meta.author:
        yield Run(str(name), yaml_path)
    for contributor in meta.contributors:
        yield Run(contributor.name, yaml_path)
    series = meta.series
    if series is not None and series.title:
        yield Run(series.title, yaml_path, italic=True)
    for source in meta.source:
        yield Run(str(source), yaml_path)
    for part in book.parts:  # in the faces its markup sets it in
        if part.title_markup is not None:
            yield from html_runs(part.title_markup, yaml_path)
        else:
            yield Run(part.title, yaml_path)


def layout_runs(book: Book, layout: Layout) -> Iterator[Run]:
    """The generated words in the book's language (Contents, Notes, Chapter...)."""
    manifest = layout.dirs[0].path / "layout.yaml" if layout.dirs else None
    for word in layout.strings(book.meta.lang or "en").values():
        if isinstance(word, str):
            where = next((d.path / "layout.yaml" for d in layout.dirs
                          if _line_of(d.path / "layout.yaml", word)), manifest)
            yield Run(word, where)


def _css_strings(tokens) -> Iterator[str]:
    for token in tokens:
        if token.type == "string":
            yield token.value
        content = getattr(token, "content", None) or getattr(token, "arguments", None)
        if isinstance(content, list):
            yield from _css_strings(content)


def stylesheet_runs(layout: Layout, target: str) -> Iterator[Run]:
    """The strings of the layout's stylesheets (``content: "⁂"`` and the like: printed
    wherever the rule applies; family names among them are plain ASCII)."""
    for path in layout.stylesheets(target):
        try:  # through the one resolver; a refusal is reported by the layout check
            tokens = tinycss2.parse_component_value_list(layout.read_text(path, "stylesheet"))
        except MakeBookError:
            continue
        for text in _css_strings(tokens):
            yield Run(text, path)


def all_runs(book: Book, layout: Layout, target: str = "print") -> Iterator[Run]:
    for chapter in book.chapters:
        yield from chapter_runs(chapter)
    yield from book_runs(book)
    yield from layout_runs(book, layout)
    yield from stylesheet_runs(layout, target)


# -- reporting --------------------------------------------------------------------------

def _line_of(path: Path | None, text: str) -> int | None:
    if path is None:
        return None
    try:
        for n, line in enumerate(plain_files.read_text(path).split("\n"), start=1):
            if text in line:
                return n
    except (OSError, UnicodeDecodeError):
        return None
    return None


def check_glyphs(book: Book, layout: Layout, diagnostics: Diagnostics, *,
                 target: str = "print", extra: Iterable[Run] = (),
                 cache: Cache | None = None) -> Coverage:
    """Report every character no font of its chain has, at once: ``P001`` (error) for
    print; for an EPUB, ``P020`` (warning) for private-use and unassigned ones only."""
    if not layout.fonts:
        diagnostics.error("P001", "the layout has no fonts: the print edition cannot be set",
                          hint="list fonts under `fonts.faces` in layout.yaml")
        return Coverage()
    found = coverage([*all_runs(book, layout, target), *extra], layout, cache)
    chains = layout.font_section.chains
    for miss in found.missing.values():
        families = ", ".join(chains.for_role(miss.role))
        kind = "code" if miss.role == "code" else "text"
        times = "once" if miss.count == 1 else f"{miss.count} times"
        spread = f" in {len(miss.files)} files" if len(miss.files) > 1 else ""
        message = (f"character {describe(miss.char)} is in no font of the layout's {kind} "
                   f"chain ({families}): used {times}{spread}, first here")
        if target != "print" and unicodedata.category(miss.char) not in ("Co", "Cn"):
            continue  # the reader's fonts set it
        line = _line_of(miss.first, miss.char)
        if target == "print":
            diagnostics.error("P001", message, miss.first, line,
                              hint="replace it, or add a font that has it to the layout's "
                                   f"fonts.{miss.role} chain")
        else:
            diagnostics.warning("P020", message, miss.first, line,
                                hint="a private-use or unassigned character shows as a box "
                                     "on a reader without the font it was meant for")
    return found


__all__ = ["Chain", "Coverage", "Missing", "Run", "all_runs", "check_glyphs", "coverage",
           "describe", "font_cmap", "html_runs", "is_ignorable"]
