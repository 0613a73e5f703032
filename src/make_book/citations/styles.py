"""The book's CSL style: a ``.csl`` file in the book, or a style the layouts ship.

``csl:`` in book.yaml names either a path inside the book folder (ending in ``.csl``) or a
style by name, looked up as ``csl/<name>.csl`` along the layout chain (the book's own
``layout/`` first), so a house style can ship its own. Without ``csl:`` the book uses
Chicago notes and bibliography, the style of history books.

Codes: M073 the style cannot be found; M074 it cannot be read (not CSL, malformed XML).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from citeproc import CitationStylesStyle
from citeproc.frontend import LOCALES_PATH

from make_book.config.paths import PathError, confine
from make_book.errors import Diagnostics
from make_book.layouts import Layout

DEFAULT_STYLE = "chicago-notes-bibliography-16th-edition"


@dataclass(frozen=True)
class Style:
    csl: CitationStylesStyle
    path: Path

    @property
    def notes(self) -> bool:
        """A note style: each citation in the text becomes a footnote."""
        return self.csl.root.get("class") == "note"


def _locale(lang: str) -> str | None:
    """The citeproc-py locale for a BCP 47 tag: the exact one, else the first of its
    language (``ru`` -> ``ru-RU``); None: the style's own default."""
    names = sorted(n[len("locales-"):-len(".xml")] for n in os.listdir(LOCALES_PATH)
                   if n.startswith("locales-") and n.endswith(".xml"))
    if lang in names:
        return lang
    primary = lang.split("-")[0].lower()
    return next((n for n in names if n.split("-")[0].lower() == primary), None)


def shipped(layout: Layout) -> list[str]:
    """Names of the styles the layout chain ships."""
    names: set[str] = set()
    for d in layout.dirs:
        folder = d.path / "csl"
        if folder.is_dir():
            names.update(p.stem for p in folder.glob("*.csl"))
    return sorted(names)


def find_style(root: Path, csl: str | None, layout: Layout, lang: str,
               diagnostics: Diagnostics) -> Style | None:
    """The style book.yaml asks for, loaded for the book's language; None (reported) when
    it cannot be found or read."""
    where = root / "book.yaml"
    name = csl or DEFAULT_STYLE
    if name.lower().endswith(".csl"):
        found = confine(root / name, (root.resolve(),))
    else:
        found = PathError("missing", name)
        for d in layout.dirs:
            candidate = d.path / "csl" / f"{name}.csl"
            if candidate.is_file():
                found = confine(candidate, layout.allowed_roots)
                break
    if isinstance(found, PathError):
        available = ", ".join(shipped(layout)) or "none"
        diagnostics.error("M073", f"csl: style {name} cannot be found ({found.message})",
                          where, hint=f"a .csl file in the book folder, or one of the "
                          f"styles the layout ships: {available}")
        return None
    try:
        style = CitationStylesStyle(str(found), locale=_locale(lang), validate=False)
    except Exception as exc:  # noqa: BLE001 (lxml and citeproc-py raise many kinds)
        diagnostics.error("M074", f"csl: style {name} cannot be read: {exc}", found,
                          getattr(exc, "lineno", None),
                          hint="a CSL 1.0 style (.csl) file, e.g. from the CSL repository")
        return None
    if style.root.find("{http://purl.org/net/xbiblio/csl}citation") is None:
        diagnostics.error("M074", f"csl: {name} is not a CSL style (no <citation>)", found)
        return None
    return Style(style, found)
