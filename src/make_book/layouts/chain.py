"""Find a book's layout chain (book override -> house style -> the styles it extends).

A layout is a folder with ``layout.yaml``, ``templates/``, ``css/`` and ``fonts/``. Any file
is looked up along the chain, most specific first, so a book can override one template or
stylesheet by putting a file of the same name in ``manuscript/<slug>/layout/``. Stylesheets
stack the other way round (base first, book last) so later rules win.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Literal

import jinja2

from make_book.cache import Cache
from make_book.config.paths import (
    MAX_FILE_BYTES,
    PathError,
    confine,
    confine_relative,
    read_confined,
)
from make_book.errors import MakeBookError, error
from make_book.layouts.fonts import EMPTY, FontFace, FontSection, read_font_section
from make_book.layouts.manifest import (
    EMPTY_MANIFEST,
    LayoutManifest,
    PrintSettings,
    read_manifest,
    refuse_special_files,
)
from make_book.layouts.templates import REFUSED_FILE, template_environment

Target = Literal["epub", "print", "web"]

# The house styles make-book ships. The repository's top-level layouts/ is their source;
# a wheel carries a copy in make_book/layouts/packaged/ (setup.py's build_py), and code run
# from a checkout (PYTHONPATH=src, pip install -e) reads <repo>/layouts beside src/.
_HERE = Path(__file__).resolve().parent
WHEEL_LAYOUTS = _HERE / "packaged"
CHECKOUT_LAYOUTS = _HERE.parents[2] / "layouts" if _HERE.parents[1].name == "src" else None
NOT_UTF8 = "L050"  # a stylesheet of the chain that is not UTF-8 text
# a house style's stylesheets are tens of kilobytes; a larger one would only cost parse time
MAX_STYLESHEET_BYTES = 4 * 1024 * 1024


@dataclass(frozen=True)
class LayoutDir:
    path: Path
    manifest: LayoutManifest

    @property
    def has_manifest(self) -> bool:
        return self.manifest is not EMPTY_MANIFEST


def _read_manifest(path: Path, roots: tuple[Path, ...]) -> LayoutManifest:
    """The layout.yaml of ``path`` (bounded and typed: layouts/manifest.py), once it is
    known to be a file inside ``roots`` (config/paths.confine)."""
    file = path / "layout.yaml"
    if not (file.is_symlink() or file.exists()):
        return EMPTY_MANIFEST
    found = confine(file, roots)
    if isinstance(found, PathError):
        message = found.message.replace(str(file), file.name, 1)
        raise MakeBookError(error(REFUSED_FILE, f"layout manifest {message}", file,
                                  hint=found.hint))
    return read_manifest(path)


def shipped_layouts() -> Path | None:
    """The folder of the house styles that come with make-book (installed or checkout)."""
    for root in (WHEEL_LAYOUTS, CHECKOUT_LAYOUTS):
        if root is not None and root.is_dir():
            return root
    return None


def search_roots(book_root: Path) -> list[Path]:
    """Where named layouts are looked for, first match wins: a project's own ``layouts/``
    (the current folder's, then that of the project the book sits in, as
    ``<project>/manuscript/<slug>``), then the house styles make-book ships. Every candidate
    is listed, found or not, so that L001 can say where it looked."""
    candidates = [Path.cwd() / "layouts", book_root.resolve().parent.parent / "layouts",
                  shipped_layouts()]
    roots: list[Path] = []
    for r in candidates:
        if r is not None and r.resolve() not in roots:
            roots.append(r.resolve())
    return roots


def _find_named(name: str, roots: list[Path], book_yaml: Path) -> Path:
    for root in roots:
        candidate = root / name
        if (candidate / "layout.yaml").is_file():
            return candidate
    raise MakeBookError(error(
        "L001", f"layout '{name}' not found", book_yaml,
        hint="searched " + ", ".join(f"{r / name}" for r in roots)
             + ("" if shipped_layouts() else "; make-book's own layouts are missing: "
                "reinstall it")))


@dataclass(frozen=True)
class Layout:
    name: str
    dirs: tuple[LayoutDir, ...]  # most specific first
    # the folders every file of the chain must resolve into: the book's and the layouts'
    roots: tuple[Path, ...] = ()
    # the build cache, where checks of the layout's files are kept by their content
    cache: Cache | None = field(default=None, compare=False, repr=False)

    @cached_property
    def allowed_roots(self) -> tuple[Path, ...]:
        return self.roots or tuple(d.path.resolve() for d in self.dirs)

    def file(self, d: LayoutDir, rel, what: str, limit: int = MAX_FILE_BYTES) -> Path:
        """``rel`` as ``d``'s layout.yaml names it, through the one resolver
        (config/paths.confine): relative, inside the book and layout folders once symlinks
        are resolved, a regular file of at most ``limit`` bytes; else ``L020`` naming the
        manifest."""
        found = (confine_relative(d.path, rel, self.allowed_roots, limit=limit)
                 if isinstance(rel, str) else PathError("empty", f"{rel!r} is not a path"))
        if isinstance(found, PathError):
            manifest = d.path / "layout.yaml"
            if found.reason == "missing":
                raise MakeBookError(error("L003", f"{what} {rel} listed but missing", manifest))
            raise MakeBookError(error(REFUSED_FILE, f"{what} {found.message}",
                                      manifest if d.has_manifest else d.path / str(rel),
                                      hint=found.hint))
        return found

    def read(self, path: Path, what: str) -> bytes:
        """The bytes of ``path``, a file of the chain (a stylesheet, a font face), read
        when a renderer uses it through the one resolver (config/paths.read_confined):
        confined again, since the file may have changed since the chain was loaded; else
        ``L020`` naming the file."""
        found = read_confined(path, self.allowed_roots,
                              limit=MAX_STYLESHEET_BYTES if what == "stylesheet" else
                              MAX_FILE_BYTES)
        if isinstance(found, PathError):
            raise MakeBookError(error(REFUSED_FILE, f"{what} "
                                      + found.message.replace(str(path), path.name, 1),
                                      path, hint=found.hint))
        return found.data

    def read_text(self, path: Path, what: str) -> str:
        """:meth:`read`, decoded as UTF-8 (a byte-order mark dropped); else ``L050`` with
        the byte offset, never an internal error."""
        data = self.read(path, what)
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise MakeBookError(error(NOT_UTF8, f"{what} {path.name} is not UTF-8 text "
                                      f"(byte {exc.start})", path,
                                      hint="save the file as UTF-8")) from None

    def find(self, rel: str) -> Path | None:
        for d in self.dirs:
            found = confine_relative(d.path, rel, self.allowed_roots)
            if not isinstance(found, PathError):
                return found
        return None

    def stylesheets(self, target: Target) -> list[Path]:
        """Stylesheets in cascade order: base layout first, book override last."""
        out: list[Path] = []
        for d in reversed(self.dirs):
            for rel in d.manifest.stylesheet_files(target):
                path = self.file(d, rel, "stylesheet", MAX_STYLESHEET_BYTES)
                if path not in out:
                    out.append(path)
            # a book override folder without a manifest may still carry css/<target>.css
            if not d.has_manifest:
                extra = d.path / "css" / f"{target}.css"
                if extra.is_symlink() or extra.exists():
                    out.append(self.file(d, f"css/{target}.css", "stylesheet",
                                         MAX_STYLESHEET_BYTES))
        return out

    @cached_property
    def font_section(self) -> FontSection:
        """The fonts of the most specific layout that declares any (see layouts/fonts.py)."""
        for d in self.dirs:
            if d.manifest.fonts:
                return read_font_section(d.manifest.fonts, d.path, d.path / "layout.yaml",
                                         self.allowed_roots, self.cache)
        return EMPTY

    @property
    def fonts(self) -> tuple[FontFace, ...]:
        return self.font_section.faces

    def _print_setting(self, name: str):
        """A ``print:`` setting (a :class:`PrintSettings` field), from the most specific
        layout that sets it, else the schema's default (layouts/manifest.py)."""
        for d in self.dirs:
            if d.manifest.print_settings.set_here(name):
                return getattr(d.manifest.print_settings, name)
        return PrintSettings.model_fields[name].default

    @cached_property
    def hyphenate_limit_lines(self) -> int | None:
        """Hyphenated lines allowed in a row in print (``print: hyphenate-limit-lines``;
        ``none`` lifts the limit). WeasyPrint has no such property, so it lives here rather
        than in the CSS."""
        return self._print_setting("hyphenate_limit_lines")

    @cached_property
    def avoid_recto_foot_hyphen(self) -> bool:
        """Whether a right-hand page may end with a hyphen (``print: recto-foot-hyphen:
        avoid`` or ``allow``; the reader would turn the leaf mid-word)."""
        return self._print_setting("recto_foot_hyphen") == "avoid"

    @cached_property
    def contents_depth(self) -> int:
        """Heading levels the printed contents list (``print: contents-depth``: 1 parts
        and chapters, 2 and 3 their sections too); a book's own ``print: toc-depth``
        overrides it."""
        return self._print_setting("contents_depth")

    @cached_property
    def max_word_spacing(self) -> float:
        """The widest word space of a justified line, in percent of the font's own space
        (``print: max-word-spacing``), beyond which the print QA calls the line loose.
        WeasyPrint justifies greedily with no limit, so this is a report threshold."""
        return self._print_setting("max_word_spacing")

    @property
    def font_licences(self) -> tuple[Path, ...]:
        return self.font_section.licences

    def font_face_css(self, url_for, faces: tuple[FontFace, ...] | None = None) -> str:
        """@font-face rules for the layout's fonts (or ``faces`` of them); ``url_for(face)``
        gives each src URL."""
        rules = []
        for f in self.fonts if faces is None else faces:
            rules.append(
                "@font-face {\n"
                f'  font-family: "{f.family}";\n'
                f'  src: url("{url_for(f)}");\n'
                f"  font-weight: {f.weight};\n"
                f"  font-style: {f.style};\n"
                "}")
        return "\n".join(rules) + "\n"

    def strings(self, lang: str) -> dict[str, str]:
        """The generated matter's words in ``lang`` (primary subtag), English filling gaps;
        a book's own layout may override single words."""
        primary = lang.split("-")[0].lower()
        merged: dict[str, str] = {}
        for code in ("en", primary):
            for d in reversed(self.dirs):
                merged.update(d.manifest.words(code))
        return merged

    @cached_property
    def env(self) -> jinja2.Environment:
        """Sandboxed, data only, its files confined (layouts/templates.py)."""
        return template_environment([d.path / "templates" for d in self.dirs],
                                    self.allowed_roots)


def load_layout(book_root: Path, name: str = "default", cache: Cache | None = None) -> Layout:
    """The chain for a book: its own ``layout/`` folder, then ``name`` and what it extends;
    ``cache``: the build cache (:attr:`Layout.cache`)."""
    book_yaml = book_root / "book.yaml"
    roots = search_roots(book_root)
    dirs: list[LayoutDir] = []
    override = book_root / "layout"
    book_dir = book_root.resolve()
    if override.is_symlink() and not override.resolve().is_relative_to(book_dir):
        raise MakeBookError(error(REFUSED_FILE, "layout is a link to a place outside the "
                                  "book folder", override,
                                  hint="copy the override into the book folder"))
    if override.is_dir():
        refuse_special_files(override)
        dirs.append(LayoutDir(override, _read_manifest(override, (book_dir,))))
    current: str | None = name
    visited: set[str] = set()
    while current:
        if current in visited:
            raise MakeBookError(error("L005", f"layout '{current}' extends itself in a loop",
                                      book_yaml))
        visited.add(current)
        path = _find_named(current, roots, book_yaml)
        manifest = _read_manifest(path, (path.resolve(),))
        dirs.append(LayoutDir(path, manifest))
        current = manifest.extends
    # a book's files stay in the book folder (its override among them); a house style's in
    # its own folder and those of the layouts it extends
    allowed = tuple(dict.fromkeys([book_dir, *(d.path.resolve() for d in dirs[1 if
                                                override.is_dir() else 0:])]))
    return Layout(name, tuple(dirs), allowed, cache)
