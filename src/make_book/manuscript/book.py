"""Load stage: a book folder -> :class:`Book` (metadata, reading order, chapters, cover).

Everything is read and checked before anything is written; all problems are collected and
raised together as one :class:`MakeBookError`.
"""

from __future__ import annotations

import uuid
from pathlib import Path

import yaml

from make_book.config.load import dotted, load_book_metadata
from make_book.config.yaml_lines import load_yaml
from make_book.errors import Diagnostics, MakeBookError, error
from make_book.manuscript import images as image_files
from make_book.manuscript.chapter import CONTROL_RE, file_id_for, load_chapter, slugify
from make_book.manuscript.identifiers import BookIds, heading_candidates
from make_book.model import Book, Chapter, Part


def discover_books(path: Path) -> list[Path]:
    """A book folder itself, or every book folder under ``path`` (or its ``manuscript/``)."""
    if (path / "book.yaml").is_file():
        return [path]
    base = path / "manuscript" if (path / "manuscript").is_dir() else path
    if not base.is_dir():
        return []
    return sorted(p for p in base.iterdir() if (p / "book.yaml").is_file())


def default_contents(root: Path) -> list[str]:
    """Without ``contents``: every .md file in path order, skipping the layout override."""
    files = []
    for p in sorted(root.rglob("*.md")):
        rel = p.relative_to(root)
        if rel.parts[0] in ("layout", "build") or any(s.startswith(".") for s in rel.parts):
            continue
        if rel.name.lower() in ("readme.md",):
            continue
        files.append(rel.as_posix())
    return files


def _metadata(root: Path):
    """book.yaml validated; PyYAML's reader (control characters) raises without a line
    mark, so its error is turned into the same M001 diagnostic here."""
    try:
        return load_book_metadata(root)
    except yaml.YAMLError as exc:
        path = root / "book.yaml"
        position = getattr(exc, "position", None)
        line = None
        if isinstance(position, int):
            text = path.read_bytes().decode("utf-8-sig", "replace")
            line = text.count("\n", 0, position) + 1
        char = getattr(exc, "character", None)
        what = (f"control character U+{char:04X} is not allowed" if isinstance(char, int)
                else str(getattr(exc, "reason", exc)))
        raise MakeBookError(error("M001", f"YAML syntax error: {what}", path, line,
                                  hint="delete the invisible character (a leftover of a "
                                  "conversion)")) from None


def _metadata_controls(path: Path, diagnostics: Diagnostics) -> None:
    """A control character written as a YAML escape (``title: "A\\0B"``) passes the YAML
    reader and the schema, and would make the OPF and every page ill-formed XML."""
    text = path.read_bytes().decode("utf-8-sig", "replace")
    if "\\" not in text:  # only an escape can produce one (the reader refuses raw ones)
        return
    data, lines, _ = load_yaml(text, path)

    def walk(value, loc: tuple) -> None:
        if isinstance(value, str):
            if (m := CONTROL_RE.search(value)) is not None:
                diagnostics.error("M020", f"{dotted(loc)} contains the control character "
                                  f"U+{ord(m.group()):04X}", path, lines.line_for(loc),
                                  hint="remove the escape sequence from the value")
        elif isinstance(value, dict):
            for key, item in value.items():
                walk(item, loc + (str(key),))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                walk(item, loc + (index,))
    walk(data, ())


def book_identifier(meta, slug: str) -> str:
    """ISBN of the EPUB when there is one, else the book's own identifier, else a UUID
    derived from stable facts of the book so rebuilds keep the same identity."""
    if meta.isbn is not None and meta.isbn.epub is not None:
        return meta.isbn.epub.urn
    if meta.identifier:
        return meta.identifier
    seed = "|".join(["make-book", slug, meta.title, *meta.author])
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, seed)}"


def _heading_candidates(root: Path, meta) -> set[str]:
    """What an implicit heading reference in any chapter may name (a first, cheap look at
    every chapter file; unreadable ones are reported when loaded)."""
    rels = default_contents(root) if meta.contents is None else [
        rel for entry in meta.contents
        for rel in ([entry] if isinstance(entry, str) else entry.contents)]
    keys: set[str] = set()
    for rel in rels:
        path = root / rel
        if image_files.inside(root, path) and path.is_file():
            keys |= heading_candidates(path.read_bytes().decode("utf-8", "replace"))
    return keys


def load_book(root: Path, diagnostics: Diagnostics) -> Book:
    """Raises :class:`MakeBookError` when the book has errors; warnings stay in
    ``diagnostics`` for the caller to show (and to fail on under ``--strict``)."""
    root = root.resolve()
    meta = _metadata(root)  # raises with every metadata problem at once
    _metadata_controls(root / "book.yaml", diagnostics)
    slug = slugify(root.name)
    taken: set[str] = set()
    sources = 0
    # heading ids unique across the chapters, in order; [Heading] may name any chapter's
    book_ids = BookIds(defer=True, candidates=_heading_candidates(root, meta))

    def chapter(rel: str, part_id: str | None = None) -> Chapter | None:
        nonlocal sources
        sources += 1
        if not image_files.inside(root, root / rel):  # a symlink found by default_contents
            # reported at book.yaml, which sets the reading order: a message at the link's
            # own path would name its target once the path is resolved
            diagnostics.error("C004", f"{rel} is a link to a place outside the book folder; "
                              "not read", root / "book.yaml",
                              hint="copy the file into the book folder instead of linking to it")
            return None
        loaded = load_chapter(root / rel, rel, file_id_for(rel, taken), meta.lang, diagnostics,
                              root, book_ids)
        if loaded is not None and part_id:
            loaded = loaded.evolve(part_id=part_id)
        return loaded

    items: list[Chapter | Part] = []
    if meta.contents is None:
        for rel in default_contents(root):
            if (c := chapter(rel)) is not None:
                items.append(c)
    else:
        for entry in meta.contents:
            if isinstance(entry, str):
                if (c := chapter(entry)) is not None:
                    items.append(c)
                continue
            part_id = entry.id or f"part-{slugify(entry.part)}"
            while part_id in taken:
                part_id += "-x"
            taken.add(part_id)
            chapters = [c for rel in entry.contents if (c := chapter(rel, part_id)) is not None]
            items.append(Part(id=part_id, title=entry.part, chapters=tuple(chapters)))

    if not sources:  # files that failed to load have their own diagnostics
        diagnostics.error("C003", "the book has no chapters", root / "book.yaml",
                          hint="add Markdown files or list them under `contents:`")

    cover = None
    if meta.cover_image:
        located = image_files.resolve(meta.cover_image, root / "book.yaml", root, diagnostics,
                                      None)
        if located:
            cover = image_files.probe(located[0], located[1], diagnostics, root / "book.yaml",
                                      None)
    if diagnostics.errors:
        raise MakeBookError(list(diagnostics))
    return Book(root=root, slug=slug, meta=meta, items=tuple(items), cover=cover,
                identifier=book_identifier(meta, slug))
