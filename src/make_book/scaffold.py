"""``make-book new``: a manuscript folder that builds at once.

The starter files are the house style's (``layouts/<name>/new/``: a commented book.yaml,
a first chapter, a README for the book's layout folder), so a press that keeps its own
house style starts its books with its own defaults. They are rendered in Jinja's
sandbox with plain values, and the folder is written beside its target and renamed into
place, so a failed ``new`` leaves nothing behind and never touches an existing book.

Codes: N001 the folder exists; N002 not a usable slug; N003 the layout has no starter;
N004 the folder cannot be written.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
import uuid
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import jinja2
from jinja2.sandbox import ImmutableSandboxedEnvironment

from make_book.errors import Diagnostic, MakeBookError, error
from make_book.layouts.chain import _find_named, search_roots

SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
STARTER = "new"  # the starter's folder inside a layout


@dataclass(frozen=True)
class NewBook:
    slug: str
    title: str | None = None
    authors: tuple[str, ...] = ()
    lang: str = "en"
    layout: str = "default"


def title_from_slug(slug: str) -> str:
    """``the-iron-heel`` -> ``The Iron Heel``: a title to start with."""
    return " ".join(w.capitalize() for w in slug.split("-"))


def _yaml(value: str) -> str:
    """A YAML scalar for any text: a JSON string is a valid YAML double-quoted one."""
    return json.dumps(value, ensure_ascii=False)


def _env(folder: Path) -> jinja2.Environment:
    env = ImmutableSandboxedEnvironment(
        loader=jinja2.FileSystemLoader(str(folder)), undefined=jinja2.StrictUndefined,
        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True, autoescape=False)
    env.filters["yaml"] = _yaml
    return env


def _layout_files(layout_dir: Path) -> list[str]:
    skip = {STARTER, "fonts"}
    return sorted(p.relative_to(layout_dir).as_posix() for p in layout_dir.rglob("*")
                  if p.is_file() and p.relative_to(layout_dir).parts[0] not in skip)


def create(spec: NewBook, into: Path) -> tuple[Path | None, list[Diagnostic]]:
    """Write ``into/<slug>/``; the folder made, or the problems (nothing written)."""
    target = into / spec.slug
    problems: list[Diagnostic] = []
    if not SLUG.fullmatch(spec.slug):
        suggestion = re.sub(r"[^a-z0-9]+", "-", spec.slug.lower()).strip("-") or "my-book"
        problems.append(error("N002", f"'{spec.slug}' is not a slug: lower-case letters, "
                              "digits and single hyphens", None,
                              hint=f"try `make-book new {suggestion}`"))
    elif target.exists() or target.is_symlink():
        problems.append(error("N001", f"{target} exists: a new book is never written over "
                              "another", target, hint="choose another slug, or --into"))
    if problems:
        return None, problems
    try:
        layout_dir = _find_named(spec.layout, search_roots(target), target / "book.yaml")
    except MakeBookError as exc:  # L001, with where it searched
        return None, exc.diagnostics
    starter = layout_dir / STARTER
    if not (starter / "book.yaml.j2").is_file():
        return None, [error("N003", f"the layout '{spec.layout}' has no starter book "
                            f"({starter / 'book.yaml.j2'})", None)]
    today = date.today()
    values = {
        "title": spec.title or title_from_slug(spec.slug),
        "authors": list(spec.authors),
        "lang": spec.lang,
        "date": today.isoformat(),
        "year": str(today.year),
        "identifier": f"urn:uuid:{uuid.uuid4()}",
        "book_path": (into / spec.slug).as_posix(),
        "chapter_title": "Chapter One",
        "layout_name": spec.layout,
        "layout_files": _layout_files(layout_dir),
    }
    env = _env(starter)
    files = {
        "book.yaml": env.get_template("book.yaml.j2").render(values),
        "chapters/01.md": env.get_template("chapter.md.j2").render(values),
        "layout/README.md": env.get_template("layout-README.md.j2").render(values),
    }
    try:
        into.mkdir(parents=True, exist_ok=True)
        scratch = Path(tempfile.mkdtemp(prefix=f".{spec.slug}.", dir=into))
        try:
            for rel, text in files.items():
                path = scratch / rel
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(text, encoding="utf-8")
            (scratch / "images").mkdir()
            os.rename(scratch, target)  # fails, rather than merges, if target appeared
        except BaseException:
            shutil.rmtree(scratch, ignore_errors=True)
            raise
    except OSError as exc:
        return None, [error("N004", f"cannot write {target}: {exc.strerror or exc}", target)]
    return target, []
