"""The fonts section of a layout manifest: the faces, and the chains they are used in.

No single OFL family sets every character a real book holds (Greek, Cyrillic, IPA,
Vietnamese, the two- and three-em dashes, arrows, code). A layout therefore names *chains*:
for each kind of text, families in the order they are tried. The first family that has
a character sets it; the stylesheets' ``font-family`` stacks list the same families, so
WeasyPrint (through Pango) falls back the same way the glyph check assumes.

```yaml
fonts:
  text: [Libertinus Serif, Gentium Plus, Libertinus Math]   # running text, headings
  code: [Noto Sans Mono]                                    # code spans and blocks
  sources:                                                  # where the files come from
    - {families: [Libertinus Serif], from: "Debian ...", licence: fonts/LICENSE-X.txt}
  faces:
    - {family: Libertinus Serif, file: fonts/X-Regular.otf, weight: 400, style: normal}
```

Without ``text`` the chain is every family in the order of ``faces``; without ``code``,
code is set in the text chain (a layout without a monospace face). Codes: ``L004`` a font
file listed but missing; ``L010`` a malformed fonts section; ``L011`` a chain naming a
family that has no face; ``L012`` a face or licence file that cannot be read as such;
``L020`` a file outside the book and layout folders (``..``, absolute, a symlink out).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from fontTools.ttLib import TTFont

from make_book import plain_files
from make_book.cache import Cache, code_version, content_key, file_digest, versions
from make_book.config.paths import MAX_FILE_BYTES, PathError, confine_relative
from make_book.errors import Diagnostic, MakeBookError, error

ROLES = ("text", "code")
STYLES = ("normal", "italic")


@dataclass(frozen=True)
class FontFace:
    family: str
    path: Path
    weight: int
    style: str  # normal | italic

    @property
    def href(self) -> str:
        """Where the font lives inside an EPUB, relative to the package document."""
        return f"fonts/{self.path.name}"


@dataclass(frozen=True)
class FontSource:
    """Where some of the files come from, and the licence text that goes with them."""
    families: tuple[str, ...]
    origin: str
    licence: Path | None


@dataclass(frozen=True)
class FontChains:
    """Families tried in order for each kind of text (``text``, ``code``)."""
    text: tuple[str, ...]
    code: tuple[str, ...]

    def for_role(self, role: str) -> tuple[str, ...]:
        return self.code if role == "code" else self.text


@dataclass(frozen=True)
class FontSection:
    faces: tuple[FontFace, ...]
    chains: FontChains
    sources: tuple[FontSource, ...]

    def faces_of(self, family: str) -> tuple[FontFace, ...]:
        return tuple(f for f in self.faces if f.family == family)

    @property
    def licences(self) -> tuple[Path, ...]:
        seen: list[Path] = []
        for source in self.sources:
            if source.licence is not None and source.licence not in seen:
                seen.append(source.licence)
        return tuple(seen)


EMPTY = FontSection((), FontChains((), ()), ())


def _names(value, key: str, problems: list[str]) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        problems.append(f"fonts.{key} must be a list of family names")
        return ()
    return tuple(v.strip() for v in value)


def _face(entry, index: int, folder: Path, manifest: Path, found: list[Diagnostic],
          roots: tuple[Path, ...], cache: Cache | None) -> FontFace | None:
    where = f"fonts.faces[{index}]"
    if not isinstance(entry, dict) or not isinstance(entry.get("family"), str) \
            or not isinstance(entry.get("file"), str):
        found.append(error("L010", f"{where} needs a family and a file", manifest))
        return None
    weight, style = entry.get("weight", 400), entry.get("style", "normal")
    if isinstance(weight, bool) or not isinstance(weight, int) or not 1 <= weight <= 1000:
        found.append(error("L010", f"{where}: weight must be a number from 1 to 1000, not "
                           f"{weight!r}", manifest))
        return None
    if style not in STYLES:
        found.append(error("L010", f"{where}: style must be normal or italic, not {style!r}",
                           manifest))
        return None
    path = _locate(folder, entry["file"], roots)
    if isinstance(path, PathError):
        found.append(error("L004", f"font file {entry['file']} missing", manifest)
                     if path.reason == "missing" else
                     error("L020", f"font file {path.message}", manifest, hint=path.hint))
        return None
    problem = font_problem(path, cache)
    if problem is not None:
        found.append(error("L012", f"{where}: font file {entry['file']} cannot be read as a "
                           f"font: {problem}", manifest,
                           hint="list an OpenType (.otf) or TrueType (.ttf) file"))
        return None
    return FontFace(entry["family"].strip(), path, weight, style)


def font_problem(path: Path, cache: Cache | None = None) -> str | None:
    """Why ``path`` is no usable font (None when it is one), judged before anything uses
    it: a text file, an empty or truncated file named ``.otf`` would otherwise reach
    fontTools, fontconfig and the EPUB (a cover is drawn before the glyph check). The
    table directory, the name, head and hmtx tables and the character map are read; an
    error, or a complaint fontTools logs about damaged records, refuses the font. With
    ``cache``, the verdict is kept in the build cache by the file's content."""
    try:
        info = plain_files.check_regular(path, MAX_FILE_BYTES)
    except OSError as exc:
        return exc.strerror or str(exc)
    if cache is None:
        return _font_problem(path, info.st_mtime_ns, info.st_size)
    return _stored_font_problem(path, info.st_mtime_ns, info.st_size, cache)


@lru_cache(maxsize=256)
def _stored_font_problem(path: Path, mtime_ns: int, size: int, cache: Cache) -> str | None:
    """Reading the tables of a layout's dozen faces costs a third of a second on every
    build, more than an EPUB's warm rebuild does otherwise; the verdict depends only on
    the bytes and the fontTools that read them. A file that cannot be read is not kept."""
    digest = file_digest(path)
    if not digest:
        return _font_problem(path, mtime_ns, size)
    key = content_key("font-problem", code_version(), versions("fonttools"), digest)
    found = cache.get_record("font-problem", key)
    kept = found[0].get("problem", False) if found is not None else False
    if kept is None or isinstance(kept, str):
        return kept
    problem = _font_problem(path, mtime_ns, size)
    cache.put_record("font-problem", key, {"problem": problem})
    return problem


class _Complaints(logging.Handler):
    """What fontTools logs while it reads a font: it skips damaged records with a log line
    each (tens of thousands for a damaged name table) instead of raising."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.first: str | None = None

    def emit(self, record: logging.LogRecord) -> None:
        if self.first is None:
            self.first = record.getMessage()


# the code points of the fonts checked in this process: the glyph check reads them here
# rather than decoding the same cmap a second time (read_cmap)
_READ_CMAPS: dict[tuple[Path, int], frozenset[int]] = {}


def read_cmap(path: Path, mtime_ns: int) -> frozenset[int] | None:
    """The code points of a font :func:`font_problem` read in this process, if it did."""
    return _READ_CMAPS.get((path, mtime_ns))


def code_points(font: TTFont) -> dict[int, str] | None:
    """The font's best character map, its glyphs named by number: fontTools names them
    from the CFF charset or the ``post`` table first, which is most of the cost of reading
    a cmap (0.27 against 0.16 s for the default layout's 13 faces), and the code points
    do not depend on the names."""
    font.setGlyphOrder([f"glyph{i:05d}" for i in range(font["maxp"].numGlyphs)])
    return font.getBestCmap()


@lru_cache(maxsize=256)
def _font_problem(path: Path, mtime_ns: int, size: int) -> str | None:
    logger = logging.getLogger("fontTools")
    complaints, propagate = _Complaints(), logger.propagate
    logger.addHandler(complaints)
    logger.propagate = False
    try:
        with plain_files.open_regular(path, MAX_FILE_BYTES) as handle, \
                TTFont(handle, lazy=True, fontNumber=0) as font:
            font["name"].getDebugName(6)
            cmap = code_points(font)
            if not font["head"].unitsPerEm or cmap is None:
                return "it has no character map or no units per em"
            _READ_CMAPS[(path, mtime_ns)] = frozenset(cmap)
            if "hmtx" in font:
                font["hmtx"].metrics  # noqa: B018 - decompiled on access
    except OSError as exc:
        return exc.strerror or str(exc)
    except Exception as exc:  # noqa: BLE001 - fontTools raises any kind on hostile bytes
        return str(exc) or type(exc).__name__
    finally:
        logger.removeHandler(complaints)
        logger.propagate = propagate
    if complaints.first is not None:
        return f"it is damaged ({complaints.first})"
    return None


def _locate(folder: Path, rel: str, roots: tuple[Path, ...]) -> Path | PathError:
    """A file the manifest names, through the one resolver (config/paths.confine): inside
    the book and layout folders once symlinks are resolved, a regular file."""
    return confine_relative(folder, rel, roots or (folder.resolve(),))


def _sources(value, folder: Path, manifest: Path, found: list[Diagnostic],
             roots: tuple[Path, ...]):
    # the older single form: fonts.source + fonts.licence for all faces
    if isinstance(value, dict) and "sources" not in value:
        licence = value.get("licence")
        path = _locate(folder, licence, roots) if isinstance(licence, str) else None
        if isinstance(path, PathError):
            if path.reason != "missing":
                found.append(error("L020", f"licence file {path.message}", manifest))
            path = None
        return (FontSource((), str(value.get("source") or ""), path),)
    entries = value.get("sources") or []
    if not isinstance(entries, list):
        found.append(error("L010", "fonts.sources must be a list", manifest))
        return ()
    out = []
    for i, entry in enumerate(entries):
        if not isinstance(entry, dict) or not isinstance(entry.get("from"), str):
            found.append(error("L010", f"fonts.sources[{i}] needs `from` (where the files "
                               "come from)", manifest))
            continue
        problems: list[str] = []
        families = _names(entry.get("families"), f"sources[{i}].families", problems)
        found.extend(error("L010", p, manifest) for p in problems)
        licence = entry.get("licence")
        path = _locate(folder, licence, roots) if isinstance(licence, str) else None
        if isinstance(path, PathError) and path.reason != "missing":
            found.append(error("L020", f"licence file {path.message}", manifest,
                               hint=path.hint))
            path = None
        elif path is None or isinstance(path, PathError):
            path = None
            found.append(error("L012", f"fonts.sources[{i}]: licence file {licence!r} "
                               "missing: OFL fonts travel with their licence", manifest))
        out.append(FontSource(families, entry["from"], path))
    return tuple(out)


def read_font_section(value, folder: Path, manifest: Path,
                      roots: tuple[Path, ...] = (), cache: Cache | None = None
                      ) -> FontSection:
    """The ``fonts:`` mapping of ``manifest`` (a layout in ``folder``), checked whole:
    every problem is reported at once (``MakeBookError``). Files must resolve into
    ``roots`` (the book and layout folders; ``folder`` alone when not given); ``cache``
    keeps each face's check (:func:`font_problem`)."""
    if not value:
        return EMPTY
    if not isinstance(value, dict):
        raise MakeBookError([error("L010", "fonts must be a mapping (faces, text, code, "
                                   "sources)", manifest)])
    found: list[Diagnostic] = []
    entries = value.get("faces") or []
    if not isinstance(entries, list):
        found.append(error("L010", "fonts.faces must be a list", manifest))
        entries = []
    faces = tuple(f for i, e in enumerate(entries)
                  if (f := _face(e, i, folder, manifest, found, roots, cache)) is not None)
    problems: list[str] = []
    order = tuple(dict.fromkeys(f.family for f in faces))
    text = _names(value.get("text"), "text", problems) or order
    code = _names(value.get("code"), "code", problems) or text
    found.extend(error("L010", p, manifest) for p in problems)
    known = set(order)
    for role, chain in (("text", text), ("code", code)):
        for family in chain:
            if family not in known and faces:
                found.append(error("L011", f"fonts.{role} names {family!r}, which no face "
                                   "in fonts.faces has", manifest,
                                   hint="add its files under fonts.faces or drop it"))
    sources = _sources(value, folder, manifest, found, roots)
    if found:
        raise MakeBookError(found)
    return FontSection(faces, FontChains(text, code), sources)


__all__ = ["EMPTY", "FontChains", "FontFace", "FontSection", "FontSource",
           "code_points", "read_cmap", "read_font_section"]
