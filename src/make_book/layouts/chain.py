"""Find a book's layout chain (book override -> house style -> the styles it extends).

A layout is a folder with ``layout.yaml``, ``templates/``, ``css/`` and ``fonts/``. Any file
is looked up along the chain, most specific first, so a book can override one template or
stylesheet by putting a file of the same name in ``manuscript/<slug>/layout/``. Stylesheets
stack the other way round (base first, book last) so later rules win.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Literal

import jinja2

from make_book.errors import MakeBookError, error
from make_book.layouts.fonts import EMPTY, FontFace, FontSection, read_font_section
from make_book.layouts.manifest import read_manifest, refuse_special_files

Target = Literal["epub", "print"]

# The house styles make-book ships. The repository's top-level layouts/ is their source;
# a wheel carries a copy in make_book/layouts/packaged/ (setup.py's build_py), and code run
# from a checkout (PYTHONPATH=src, pip install -e) reads <repo>/layouts beside src/.
_HERE = Path(__file__).resolve().parent
WHEEL_LAYOUTS = _HERE / "packaged"
CHECKOUT_LAYOUTS = _HERE.parents[2] / "layouts" if _HERE.parents[1].name == "src" else None
HYPHENATE_LIMIT_LINES = 2  # when no layout says: at most two hyphenated lines in a row
RECTO_FOOT_HYPHEN = "avoid"  # when no layout says: no hyphen at the foot of a recto


@dataclass(frozen=True)
class LayoutDir:
    path: Path
    manifest: dict


def _read_manifest(path: Path) -> dict:
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

    def find(self, rel: str) -> Path | None:
        for d in self.dirs:
            candidate = d.path / rel
            if candidate.is_file():
                return candidate
        return None

    def stylesheets(self, target: Target) -> list[Path]:
        """Stylesheets in cascade order: base layout first, book override last."""
        out: list[Path] = []
        for d in reversed(self.dirs):
            for rel in (d.manifest.get("stylesheets") or {}).get(target, []) or []:
                path = d.path / rel
                if not path.is_file():
                    raise MakeBookError(error("L003", f"stylesheet {rel} listed but missing",
                                              d.path / "layout.yaml"))
                if path not in out:
                    out.append(path)
            # a book override folder without a manifest may still carry css/<target>.css
            if not d.manifest:
                extra = d.path / "css" / f"{target}.css"
                if extra.is_file():
                    out.append(extra)
        return out

    @cached_property
    def font_section(self) -> FontSection:
        """The fonts of the most specific layout that declares any (see layouts/fonts.py)."""
        for d in self.dirs:
            if d.manifest.get("fonts"):
                return read_font_section(d.manifest["fonts"], d.path, d.path / "layout.yaml")
        return EMPTY

    @property
    def fonts(self) -> tuple[FontFace, ...]:
        return self.font_section.faces

    def _print_setting(self, key: str):
        """A ``print:`` setting of layout.yaml, the most specific layout first: (value,
        manifest path), or None when no layout sets it."""
        for d in self.dirs:
            settings = d.manifest.get("print") or {}
            if not isinstance(settings, dict):
                raise MakeBookError(error("L006", "print: must be a mapping of settings",
                                          d.path / "layout.yaml"))
            if key in settings:
                return settings[key], d.path / "layout.yaml"
        return None

    @cached_property
    def hyphenate_limit_lines(self) -> int | None:
        """Hyphenated lines allowed in a row in print (``print: hyphenate-limit-lines``;
        ``none`` lifts the limit). WeasyPrint has no such property, so it lives here rather
        than in the CSS."""
        found = self._print_setting("hyphenate-limit-lines")
        if found is None:
            return HYPHENATE_LIMIT_LINES
        value, path = found
        if value is None or value == "none":
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise MakeBookError(error(
                "L006", "print: hyphenate-limit-lines must be a number of lines (1 or "
                f"more) or none, not {value!r}", path))
        return value

    @cached_property
    def avoid_recto_foot_hyphen(self) -> bool:
        """Whether a right-hand page may end with a hyphen (``print: recto-foot-hyphen:
        avoid`` or ``allow``; the reader would turn the leaf mid-word)."""
        found = self._print_setting("recto-foot-hyphen")
        if found is None:
            return RECTO_FOOT_HYPHEN == "avoid"
        value, path = found
        if value not in ("avoid", "allow"):
            raise MakeBookError(error(
                "L006", f"print: recto-foot-hyphen must be avoid or allow, not {value!r}",
                path))
        return value == "avoid"

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
                merged.update(((d.manifest.get("strings") or {}).get(code)) or {})
        return merged

    @cached_property
    def env(self) -> jinja2.Environment:
        env = jinja2.Environment(
            loader=jinja2.FileSystemLoader([str(d.path / "templates") for d in self.dirs]),
            autoescape=jinja2.select_autoescape(["html", "xhtml", "xml", "ncx"]),
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        return env


def load_layout(book_root: Path, name: str = "default") -> Layout:
    """The chain for a book: its own ``layout/`` folder, then ``name`` and what it extends."""
    book_yaml = book_root / "book.yaml"
    roots = search_roots(book_root)
    dirs: list[LayoutDir] = []
    override = book_root / "layout"
    if override.is_dir():
        refuse_special_files(override)
        dirs.append(LayoutDir(override, _read_manifest(override)))
    current: str | None = name
    visited: set[str] = set()
    while current:
        if current in visited:
            raise MakeBookError(error("L005", f"layout '{current}' extends itself in a loop",
                                      book_yaml))
        visited.add(current)
        path = _find_named(current, roots, book_yaml)
        manifest = _read_manifest(path)
        dirs.append(LayoutDir(path, manifest))
        current = manifest.get("extends")
    return Layout(name, tuple(dirs))
