"""``<out>/index.html``: the catalogue of the web editions in one output folder, written
when it holds more than one.

It lists what is there, not only what this run built (books are often built one at a
time into the same folder): each ``<out>/<slug>/web/index.html`` is read back for the
schema.org Book it carries (title, authors, language), so the catalogue needs no state of
its own. It is set in the shipped default layout's ``web/catalogue.html``.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from make_book.layouts import load_layout
from make_book.output import write_atomic
from make_book.render.web.html5 import to_html5
from make_book.render.web.jsonld import read_jsonld

CATALOGUE = "index.html"


@dataclass(frozen=True)
class Entry:
    slug: str
    title: str
    authors: tuple[str, ...]
    lang: str
    href: str  # relative to the catalogue: <slug>/web/index.html


def _names(value) -> tuple[str, ...]:
    people = value if isinstance(value, list) else [value] if value else []
    return tuple(str(p.get("name", "")) for p in people if isinstance(p, dict) and p.get("name"))


def editions(out: Path) -> list[Entry]:
    """The web editions under ``out``, by slug."""
    found = []
    for page in sorted(out.glob("*/web/index.html")):
        data = read_jsonld(page.read_text("utf-8", errors="replace"))
        if not data or data.get("@type") != "Book" or not data.get("name"):
            continue
        slug = page.parent.parent.name
        found.append(Entry(slug, str(data["name"]), _names(data.get("author")),
                           str(data.get("inLanguage") or "en"), f"{slug}/web/index.html"))
    return found


def render_catalogue(entries: list[Entry], out: Path) -> bytes:
    """The page, in the press's ``default`` layout (a project's own ``layouts/default``
    first, as for its books)."""
    langs = Counter(e.lang for e in entries)
    lang = min(langs.items(), key=lambda kv: (-kv[1], kv[0]))[0]
    layout = load_layout(out, "default")
    html = layout.env.get_template("web/catalogue.html").render(
        lang=lang, strings=layout.strings(lang), books=entries)
    return to_html5(html)


def write_catalogue(out: Path) -> Path | None:
    """Write (or refresh) the catalogue when ``out`` holds two web editions or more."""
    entries = editions(out)
    if len(entries) < 2:
        return None
    return write_atomic(out / CATALOGUE, render_catalogue(entries, out), out)
