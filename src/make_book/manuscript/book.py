"""Load stage: a book folder -> :class:`Book` (metadata, reading order, chapters, cover).

Everything is read and checked before anything is written; all problems are collected and
raised together as one :class:`MakeBookError`. Errors in book.yaml do not stop the chapters
from being read when the reading order is still known: an editor sees a bad ISBN and a
chapter's broken note in one run.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from pathlib import Path

import yaml

from make_book import plain_files
from make_book.cache import Cache
from make_book.catalogue import book_slug
from make_book.config.load import MetadataRead, dotted, read_book_metadata
from make_book.config.yaml_lines import MAX_YAML_BYTES, load_yaml
from make_book.errors import Diagnostics, MakeBookError, error
from make_book.manuscript import convert_pool
from make_book.manuscript import images as image_files
from make_book.manuscript.parsed_file import ParsedFile, parse_file
from make_book.manuscript.source_text import CONTROL_RE, MAX_CHAPTER_BYTES
from make_book.manuscript.conversion import Converter
from make_book.markup.identifiers import BookIds, heading_candidates
from make_book.manuscript.structure import build_items, unlisted_files
from make_book.model import Book


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
        if rel.name.lower() in ("readme.md", "changes.md"):  # changes.md: a release's notes
            continue
        files.append(rel.as_posix())
    return files


MAX_BOOK_FILES = 2_000  # Markdown files in one book (a long novel has a hundred)
MAX_BOOK_BYTES = 200 * 1024 * 1024  # their total size (each file is bounded on its own)


def _whole_book_bounds(root: Path, rels: list[str], diagnostics: Diagnostics) -> None:
    """A book as a whole is bounded too: thousands of chapter files, each under its own
    limit, would still hold a build for hours (C113, C114; raised at once, before any
    file is read)."""
    where = root / "book.yaml"
    if len(rels) > MAX_BOOK_FILES:
        diagnostics.add(error(
            "C113", f"the book has {len(rels):,} Markdown files; at most "
            f"{MAX_BOOK_FILES:,} are read", where,
            hint="a book of that many files is most likely a folder given by mistake"))
        raise MakeBookError(list(diagnostics))
    total = 0
    for rel in rels:
        try:
            total += (root / rel).stat().st_size
        except OSError:
            continue  # reported when the file is read
    if total > MAX_BOOK_BYTES:
        diagnostics.add(error(
            "C114", f"the book's Markdown files hold {total / 2**20:,.0f} MB; at most "
            f"{MAX_BOOK_BYTES // 2**20} MB are read", where))
        raise MakeBookError(list(diagnostics))


def _metadata(root: Path) -> MetadataRead:
    """book.yaml read as far as it can be; PyYAML's reader (control characters) raises
    without a line mark, so its error is turned into the same M001 diagnostic here."""
    try:
        return read_book_metadata(root)
    except yaml.YAMLError as exc:
        path = root / "book.yaml"
        position = getattr(exc, "position", None)
        line = None
        if isinstance(position, int):
            text = plain_files.read_bytes(path, MAX_YAML_BYTES).decode("utf-8-sig", "replace")
            line = text.count("\n", 0, position) + 1
        char = getattr(exc, "character", None)
        what = (f"control character U+{char:04X} is not allowed" if isinstance(char, int)
                else str(getattr(exc, "reason", exc)))
        return MetadataRead(None, [error("M001", f"YAML syntax error: {what}", path, line,
                                         hint="delete the invisible character (a leftover "
                                         "of a conversion)")])


def _metadata_controls(path: Path, diagnostics: Diagnostics) -> None:
    """A control character written as a YAML escape (``title: "A\\0B"``) passes the YAML
    reader and the schema, and would make the OPF and every page ill-formed XML."""
    try:
        text = plain_files.read_bytes(path, MAX_YAML_BYTES).decode("utf-8-sig", "replace")
    except OSError:  # reported by read_book_metadata
        return
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
    # the values as written: a change in how make-book typesets them must not change the id
    seed = "|".join(["make-book", slug, *(getattr(t, "source", t)
                                          for t in (meta.title, *meta.author))])
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, seed)}"


def _heading_candidates(root: Path, rels: list[str]) -> set[str]:
    """What an implicit heading reference in any chapter may name (a first, cheap look at
    every chapter file; unreadable ones are reported when loaded)."""
    keys: set[str] = set()
    for rel in rels:
        path = root / rel
        if image_files.inside(root, path) and path.is_file():
            try:
                data = plain_files.read_bytes(path, MAX_CHAPTER_BYTES)
            except OSError:  # reported when the chapter is loaded
                continue
            keys |= heading_candidates(data.decode("utf-8", "replace"))
    return keys


def load_book(root: Path, diagnostics: Diagnostics, keep_going: bool = False,
              cache: Cache | None = None,
              parser: Callable[..., ParsedFile | None] = parse_file, jobs: int = 1) -> Book:
    """Raises :class:`MakeBookError` when the book has errors; warnings stay in
    ``diagnostics`` for the caller to show (and to fail on under ``--strict``).

    With ``keep_going``, a book with errors is still returned, its errors in
    ``diagnostics``, so later stages can check it too (it must never be published); it
    raises only when what was read is too incomplete to check further (no model of
    book.yaml, an unknown reading order; after reading the chapters, when one of them or
    an entry of ``contents`` is missing: links into it would be reported broken).
    ``cache``: where parsed chapters are kept by content (:mod:`.parse_cache`);
    ``parser``: :func:`parse_file` or a stand-in with its signature (the preview's cache
    of parsed files); ``jobs``: chapters converted ahead in that many processes
    (:mod:`.convert_pool`; the book is the same whatever it is)."""
    root = root.resolve()
    read = _metadata(root)
    diagnostics.extend(read.diagnostics)
    if read.meta is None:
        raise MakeBookError(list(diagnostics))
    meta = read.meta
    _metadata_controls(root / "book.yaml", diagnostics)
    if not read.contents_known:
        raise MakeBookError(list(diagnostics))
    slug = book_slug(root.name)
    taken: set[str] = set()
    sources = 0
    unread = 0
    files: dict[str, ParsedFile] = {}

    def parse(rel: str, converter: Converter | None) -> None:
        nonlocal sources, unread
        sources += 1
        if not image_files.inside(root, root / rel):  # a symlink found by default_contents
            # reported at book.yaml, which sets the reading order: a message at the link's
            # own path would name its target once the path is resolved
            diagnostics.error("C004", f"{rel} is a link to a place outside the book folder; "
                              "not read", root / "book.yaml",
                              hint="copy the file into the book folder instead of linking to it")
            unread += 1
            return
        if (parsed := parser(root / rel, rel, diagnostics, book_ids.candidates,
                             cache, converter=converter)) is not None:
            files[rel] = parsed
        else:
            unread += 1

    found = default_contents(root)
    contents = found if meta.contents is None else meta.contents
    rels = found if meta.contents is None else list(meta.contents_paths)
    _whole_book_bounds(root, rels, diagnostics)
    # heading ids unique across the chapters, in order; [Heading] may name any chapter's
    book_ids = BookIds(defer=True, candidates=_heading_candidates(root, rels))
    paths = [root / rel for rel in rels if image_files.inside(root, root / rel)]
    with convert_pool.converter(paths, book_ids.candidates, cache, jobs) as converter:
        for rel in rels:
            parse(rel, converter)
    if meta.contents is not None and read.contents_whole:
        # an entry dropped for an error (already reported) would be "unlisted" too
        unlisted_files(root, list(meta.contents_paths), found, diagnostics)
    items = build_items(files, contents, meta.lang, root, diagnostics, taken, book_ids)

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
    if diagnostics.errors and (not keep_going or unread or not read.contents_whole):
        raise MakeBookError(list(diagnostics))
    return Book(root=root, slug=slug, meta=meta, items=tuple(items), cover=cover,
                identifier=book_identifier(meta, slug))
