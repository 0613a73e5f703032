"""``make-book release``: build, check and publish the catalogue's release files.

For each book (every book under ./manuscript/, those given, or ``--book SLUG``) into
``<out>/<version>/<slug>/``:

    <slug>.epub          the EPUB (make_book.build)
    <slug>-print.pdf     the print interior (make_book.build)
    <slug>.pdf           the screen PDF, when book.yaml gives isbn.pdf (make_book.build)
    <slug>-cover.jpg     the EPUB cover: cover-image, or generated (render/cover/draw.py)
    <slug>-cover.pdf     the print cover wrap for the interior's page count (render/cover/print_cover.py)
    <slug>-onix.xml      the ONIX 3.0 record (onix.py)
    CHANGES.md           what changed since the previous release tag (changes_file.py)

The editions are the book's ``formats:`` (make_book.formats; default epub and pdf): the
covers and page facts of print come with ``pdf``, the EPUB cover with ``epub``; every other
edition (``screen``, ``web``, ``kepub``, ``kindle``) is listed in the manifest with its
checksum, a folder (the web edition) file by file.

then ``<out>/<version>/manifest.json`` and ``SHA256SUMS`` (manifest.py).

- Version: ``--version``, else ``git describe --tags --exact-match``, else the short commit.
- Reproducible: ``SOURCE_DATE_EPOCH`` (from the last commit's date when unset) dates every
  file, so the same commit gives the same bytes and the same manifest.
- The gate (gate.py): a book with EPUBCheck errors, fonts that are missing or not embedded,
  or a bad ISBN, or any error while building, is not released, and the failure is named.
  Without ``--keep-going`` nothing is released then; with it, the other books are. ``--strict``
  makes warnings fail a book as well.
- A book is built into ``<out>/.staging-<version>.<pid>.<random>/`` and moved into the
  release folder only when everything about it passed; an earlier release of it is moved
  aside, not deleted, until the manifest is written, and put back when anything fails
  (publish.py), so a failed release leaves earlier files untouched.
- Two books with one slug (``the-book``, ``the_book``) are not released (B040,
  make_book.catalogue): their files would replace each other's.
- Re-releasing into the same ``<out>/<version>/`` (one ``--book`` at a time) keeps the other
  books' entries in the manifest when they were built from the same source date.
- ``--collect DIR...``: no building; merge the per-book results of CI matrix jobs (each
  folder with a manifest.json, directly or a level or two down), check every file against
  its checksum, copy them into ``<out>/<version>/`` and write the merged manifest and sums.

Exit status: 0 released; 1 a book failed (or a collect problem); 2 usage errors.
Codes: R040 usage (version, book not found); R041 what failed, per book; R054 a previous
manifest of the release folder was replaced; R070 the release folder could not be
written (the earlier one is restored).
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import SimpleNamespace
from typing import Annotated

import typer
from rich.console import Console

from make_book import __version__, external
from make_book.catalogue import root_slug, slug_clashes
from make_book.errors import (Diagnostic, Diagnostics, MakeBookError, Severity, log_printably,
                              printable, shortened)
from make_book.machine import machine_problems
from make_book.output import write_atomic
from make_book.release import manifest as mf
from make_book.release.publish import publish, staging_folder
from make_book.terminal.completion import complete_books, complete_slugs

err = Console(stderr=True, highlight=False, soft_wrap=True, markup=False, emoji=False)
out_console = Console(highlight=False, soft_wrap=True, markup=False, emoji=False)

VERSION_RE = re.compile(r"[0-9A-Za-z][0-9A-Za-z._+-]{0,99}")
GATES = [  # (name, codes) to name what failed
    ("EPUBCheck", ("R030", "R034")), ("fonts", ("R031", "R032", "P001", "P007")),
    ("ISBN", ("R033", "M012", "M023")), ("ONIX", ("R02",)), ("cover", ("R00", "R01")),
    ("slug", ("B040",)), ("formats", ("D001",)), ("changes", ("D01",)),
]


class UsageError(Exception):
    pass


# ----------------------------------------------------------------------------- git

def _git(args: list[str], cwd: Path) -> str | None:
    """git in the book's folder, which may be a manuscript's own repository: never with its
    configuration's programs or the caller's environment (make_book.external.git)."""
    return external.git(args, cwd)


def release_version(explicit: str | None, cwd: Path) -> str:
    version = explicit or _git(["describe", "--tags", "--exact-match"], cwd) \
        or _git(["rev-parse", "--short", "HEAD"], cwd)
    if not version:
        raise UsageError("no version: pass --version, or run inside a git repository")
    if not VERSION_RE.fullmatch(version):
        raise UsageError(f"version '{version}' is not a folder name (letters, digits, . _ + -)")
    return version


def commit_epoch(cwd: Path) -> int | None:
    value = _git(["log", "-1", "--format=%ct"], cwd)
    return int(value) if value and value.isdigit() else None


# ----------------------------------------------------------------------------- one book

@dataclass
class BookRelease:
    root: Path
    slug: str
    diagnostics: Diagnostics = field(default_factory=Diagnostics)
    artifacts: list[mf.Artifact] = field(default_factory=list)
    staged: Path | None = None
    ok: bool = False

    def failed_gates(self, strict: bool) -> list[str]:
        bad = [d for d in self.diagnostics if d.is_error or strict]
        names: list[str] = []
        for d in bad:
            name = next((n for n, codes in GATES if d.code.startswith(codes)), "build")
            if name not in names:
                names.append(name)
        return names


def _isbn13(isbn) -> str | None:
    return isbn.isbn13 if isbn is not None else None


def release_book(root: Path, staging: Path, *, strict: bool,
                 on_stage: Callable[[str], None] | None = None,
                 epoch: int | None = None) -> BookRelease:
    """Build, gate and finish one book in ``staging/<slug>/``, every artifact dated by
    ``epoch``; artifacts are relative to ``staging`` (the release folder's layout). The
    book's ``formats:`` (make_book.formats) say which editions are built; a format this
    make-book cannot render fails the book (a release must hold what the book asks for)."""
    from make_book.build import build_book, source_date
    from make_book.config.load import load_book_metadata
    from make_book.formats import book_formats
    from make_book.layouts import load_layout
    from make_book.release import gate, onix
    from make_book.release.changes_file import changes_for_release
    from make_book.render.cover import draw as covers
    from make_book.render.cover import print_cover
    from make_book.release.inspect import epub_facts, pdf_facts
    from make_book.config.prices import prices_of

    stage = on_stage or (lambda _: None)
    asked = book_formats(root)
    formats = asked.build
    built = build_book(root, formats, staging, strict, on_stage, epoch=epoch)  # type: ignore[arg-type]
    rel = BookRelease(root=root, slug=built.slug, diagnostics=built.diagnostics)
    d = rel.diagnostics
    for missing in asked.missing:  # not built is not released
        d.add(replace(missing, severity=Severity.ERROR))
    if not built.ok or d.failed(strict):
        return rel
    if built.qa_path is not None:  # the build's own check, not a deliverable: what ships
        built.qa_path.unlink(missing_ok=True)  # is in the manifest; its findings were reported
    where = root.resolve() / "book.yaml"
    book_dir = staging / built.slug
    rel.staged = book_dir
    paths = {a.format: a.path for a in built.artifacts}
    epub_path, pdf_path = paths.get("epub"), paths.get("pdf")
    efacts = pfacts = cover = jpeg = None
    try:
        meta = load_book_metadata(root.resolve())
        layout = load_layout(root.resolve(), meta.layout)
        stage("checking")
        if epub_path is not None:
            efacts = epub_facts(epub_path)
            gate.check_epub(epub_path, d, where)
        if pdf_path is not None:
            pfacts = pdf_facts(pdf_path)
            gate.check_fonts(pfacts, layout, "print interior", d, where)
        sfacts = pdf_facts(paths["screen"]) if "screen" in paths else None
        if sfacts is not None:
            gate.check_fonts(sfacts, layout, "screen PDF", d, where)
        gate.check_isbns(meta, efacts, d, where)

        when = source_date(SimpleNamespace(meta=meta), epoch)  # type: ignore[arg-type]
        stage("covers")
        if epub_path is not None:
            jpeg = covers.epub_cover(meta, layout, root.resolve(), d)
        if pfacts is not None:
            cover = print_cover.render_print_cover(meta, layout, root.resolve(), pfacts.pages,
                                              source_date=when, diagnostics=d)
            if cover is not None:
                gate.check_fonts(pdf_facts(cover.pdf), layout, "print cover", d, where)
        stage("ONIX")
        products = onix.products_for(
            meta, built=set(paths), pages=pfacts.pages if pfacts else None,
            front_pages=pfacts.front_pages if pfacts else None,
            thickness_in=cover.spine_in if cover else None, epub=efacts, diagnostics=d,
            where=where)
        identifier = (efacts.identifier if efacts else None) or meta.identifier \
            or f"make-book:{built.slug}"
        record = onix.onix_record(meta, identifier, products, prices=prices_of(meta),
                                  source_date=when, diagnostics=d, where=where)
        stage("changes")
        head = _git(["describe", "--tags", "--exact-match"], root.resolve()) \
            or _git(["rev-parse", "--short", "HEAD"], root.resolve())
        changes = changes_for_release(root.resolve(), head, d)
    except MakeBookError as exc:
        d.extend(exc.diagnostics)
        return rel
    if d.failed(strict) or record is None or (epub_path is not None and jpeg is None) \
            or (pdf_path is not None and cover is None):
        return rel

    slug = built.slug
    epub_isbn = _isbn13(meta.isbn.epub) if meta.isbn else None
    print_isbn = _isbn13(print_cover.print_isbn(meta))
    facts: dict[str, tuple[Path, dict]] = {}
    for fmt, path in paths.items():
        facts.update(_edition_facts(fmt, path, meta, efacts, pfacts))
    if jpeg is not None:
        facts["epub-cover"] = (write_atomic(book_dir / f"{slug}-cover.jpg", jpeg, staging),
                               {"isbn": epub_isbn})
    if cover is not None and pfacts is not None:
        facts["print-cover"] = (
            write_atomic(book_dir / f"{slug}-cover.pdf", cover.pdf, staging),
            {"isbn": print_isbn, "pages": pfacts.pages, "spine_in": cover.spine_in,
             "paper": cover.paper.name})
    facts["onix"] = (write_atomic(book_dir / f"{slug}-onix.xml", record, staging), {})
    if changes is not None:
        facts["changes"] = (write_atomic(book_dir / "CHANGES.md", changes, staging), {})
    if sfacts is not None and "screen" in facts:
        facts["screen"][1]["pages"] = sfacts.pages
    rel.artifacts = [mf.artifact_for(staging, path, book=slug, format=fmt, **extra)
                     for fmt, (path, extra) in facts.items()]
    rel.artifacts += [mf.artifact_for(staging, file, book=slug, format=fmt)
                      for fmt, folder in paths.items() if folder.is_dir()
                      for file in sorted(folder.rglob("*")) if file.is_file()]
    rel.ok = True
    return rel


def _edition_facts(fmt: str, path: Path, meta, efacts, pfacts) -> dict[str, tuple[Path, dict]]:
    """The manifest entry of one built edition, by the name the manifest has always used
    (``print`` for the interior); a folder (the web edition) is listed file by file by the
    caller. kepub and kindle are deliveries of the EPUB product: they carry its ISBN."""
    from make_book.formats import EDITIONS
    from make_book.render.cover import print_cover
    if path.is_dir():
        return {}
    isbns = meta.isbn
    if fmt == "pdf":
        return {"print": (path, {"isbn": _isbn13(print_cover.print_isbn(meta)),
                                 "pages": pfacts.pages if pfacts else None})}
    if fmt == "epub":
        return {"epub": (path, {"isbn": _isbn13(isbns.epub) if isbns else None,
                                "words": efacts.words if efacts else None})}
    edition = EDITIONS.get(fmt)
    key = (edition.delivers or (edition.isbn_keys[0] if edition.isbn_keys else None)
           if edition else None)
    isbn = getattr(isbns, key, None) if isbns is not None and key else None
    return {fmt: (path, {"isbn": _isbn13(isbn)})}


# ----------------------------------------------------------------------------- release

def _report(diagnostics: list[Diagnostic], strict: bool) -> None:
    cwd = Path.cwd()
    for d in diagnostics:
        err.print(d.format(relative_to=cwd), style="red" if d.is_error or strict else "yellow",
                  markup=False)


def _show(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _select(books: list[Path], book_slug: str | None) -> list[Path]:
    from make_book.manuscript.book import discover_books
    roots: list[Path] = []
    for path in books or [Path.cwd()]:
        if not path.exists():
            raise UsageError(f"{path}: no such folder")
        found = discover_books(path)
        if not found:
            raise UsageError(f"{path}: no book.yaml here or in its manuscript/ folder")
        roots.extend(found)
    if book_slug is not None:
        roots = [r for r in roots if root_slug(r) == book_slug]
        if not roots:
            raise UsageError(f"no book '{book_slug}' in the catalogue "
                             "(see make-book list)")
    return roots


def _write_release(release_dir: Path, manifest: mf.Manifest, out: Path) -> None:
    write_atomic(release_dir / mf.MANIFEST, mf.manifest_bytes(manifest), out)
    write_atomic(release_dir / mf.SUMS, mf.sums_bytes(manifest), out)


def _merge_previous(release_dir: Path, manifest: mf.Manifest, released: set[str]
                    ) -> mf.Manifest:
    """Keep the entries of books released earlier into the same folder (same version and
    source date, files unchanged); a manifest that does not fit is replaced (R054)."""
    previous = release_dir / mf.MANIFEST
    if not previous.is_file():
        return manifest
    try:
        old = mf.collect([release_dir], manifest.version)
    except mf.CollectError:
        old = None
    if old is None or old.source_date_epoch != manifest.source_date_epoch:
        err.print(f"{_show(previous)}: R054 warning: the previous manifest (another source "
                  "date, or files changed) is replaced", style="yellow", markup=False)
        return manifest
    kept = tuple(a for a in old.artifacts if a.book not in released)
    return mf.Manifest(manifest.version, manifest.source_date_epoch,
                       tuple(sorted(kept + manifest.artifacts, key=lambda a: a.sort_key)),
                       manifest.generator)


def _not_written(release_dir: Path, exc: OSError | MakeBookError) -> None:
    reason = (exc.diagnostics[0].message if isinstance(exc, MakeBookError)
              else f"{type(exc).__name__}: {exc}")
    err.print(f"{_show(release_dir)}: R070 the release could not be written "
              f"({printable(shortened(reason))}); the earlier release is as it was",
              style="red", markup=False)


def _collect(dirs: list[Path], out: Path, version: str | None) -> int:
    try:
        merged = mf.collect(dirs, version)
    except mf.CollectError as exc:
        _report(exc.diagnostics, False)
        return 1
    if not merged.version or not VERSION_RE.fullmatch(merged.version):
        err.print(f"make-book: error: R040 version '{printable(shortened(merged.version))}' "
                  "is not a folder name", markup=False)
        return 2
    release_dir = out / merged.version
    merged = mf.with_generator(merged, merged.generator or f"make-book {__version__}")
    # copied into a staging folder first, then published like a release: a copy that
    # fails midway leaves the release folder as it was
    out.mkdir(parents=True, exist_ok=True)
    staging = staging_folder(out, merged.version)
    try:
        for a in merged.artifacts:
            write_atomic(staging / a.path, merged.sources[a.path].read_bytes(), staging)
        tops = dict.fromkeys(a.path.split("/", 1)[0] for a in merged.artifacts)
        publish({top: staging / top for top in tops}, release_dir, (mf.MANIFEST, mf.SUMS),
                lambda: _write_release(release_dir, merged, out))
    except (OSError, MakeBookError) as exc:
        _not_written(release_dir, exc)
        return 1
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    out_console.print(f"collected {len(merged.artifacts)} files of {len(merged.books)} "
                      f"book(s) into {_show(release_dir)}", markup=False)
    return 0


def release(books: list[Path], out: Path, version: str | None, keep_going: bool,
            book_slug: str | None, collect: list[Path] | None, strict: bool) -> int:
    """Run a release; returns the exit status (see the module docstring)."""
    if collect:
        return _collect(collect, out, version)
    try:
        roots = _select(books, book_slug)
        version = release_version(version, roots[0].resolve())
    except UsageError as exc:
        err.print(f"make-book: error: R040 {printable(shortened(str(exc)))}", markup=False)
        return 2
    if problems := machine_problems(["print", "collation", "epubcheck"]):  # said once, not per book
        _report(problems, strict)
        if any(d.is_error or strict for d in problems):
            err.print("nothing released: this machine lacks what the release needs",
                      style="red", markup=False)
            return 1

    from make_book.build import env_epoch

    # the release's one date, handed to every build (never through os.environ)
    epoch = env_epoch()
    if epoch is None:
        epoch = commit_epoch(roots[0].resolve())
    return _release(roots, out, version, keep_going, strict, epoch)


def _release(roots: list[Path], out: Path, version: str, keep_going: bool, strict: bool,
             epoch: int | None) -> int:
    out.mkdir(parents=True, exist_ok=True)
    release_dir = out / version
    staging = staging_folder(out, version)
    clashes = slug_clashes(roots)
    results: list[BookRelease] = []
    try:
        for root in roots:
            err.print(f"{printable(shortened(root.resolve().name))}: releasing", style="dim",
                      markup=False)
            if (clash := clashes.get(root.resolve())) is not None:
                result = BookRelease(root=root, slug=root_slug(root))
                result.diagnostics.add(clash)
            else:
                result = release_book(root, staging, strict=strict, epoch=epoch)
            results.append(result)
            _report(list(result.diagnostics), strict)
            if not result.ok:
                gates = ", ".join(result.failed_gates(strict)) or "build"
                err.print(f"{result.slug}: R041 not released: failed {gates}", style="red",
                          markup=False)
                if not keep_going:
                    break
        failed = [r for r in results if not r.ok]
        passed = [r for r in results if r.ok]
        if failed and not keep_going:
            err.print("nothing released (use --keep-going to release the other books)",
                      style="red", markup=False)
            return 1
        if not passed:
            return 1

        manifest = mf.Manifest(version, epoch, tuple(a for r in passed for a in r.artifacts),
                               f"make-book {__version__}")
        # the previous manifest is checked against the files it lists before any of them
        # is replaced: the books not released now keep their entries
        manifest = _merge_previous(release_dir, manifest, {r.slug for r in passed})
        try:
            publish({r.slug: staging / r.slug for r in passed}, release_dir,
                    (mf.MANIFEST, mf.SUMS), lambda: _write_release(release_dir, manifest, out))
        except (OSError, MakeBookError) as exc:
            _not_written(release_dir, exc)
            return 1
        for a in sorted((a for r in passed for a in r.artifacts), key=lambda a: a.sort_key):
            out_console.print(f"released {_show(release_dir / a.path)} ({a.bytes} bytes)",
                              markup=False)
        out_console.print(f"wrote {_show(release_dir / mf.MANIFEST)} and "
                          f"{_show(release_dir / mf.SUMS)}", markup=False)
        return 1 if failed else 0
    finally:
        shutil.rmtree(staging, ignore_errors=True)


# ----------------------------------------------------------------------------- CLI

def release_command(
    books: Annotated[list[Path] | None, typer.Argument(
        help="Book folders, or folders holding manuscript/. Default: every book under "
             "./manuscript/.", autocompletion=complete_books)] = None,
    out: Annotated[Path, typer.Option("--out", "-o", help="Release folder; files go to "
                                      "OUT/VERSION/<slug>/.")] = Path("build/release"),
    version: Annotated[str | None, typer.Option(
        "--version", help="Release version. Default: the git tag of HEAD, else its short "
                          "commit.")] = None,
    book: Annotated[str | None, typer.Option(
        "--book", help="Release only the book with this slug (one CI matrix job).",
        autocompletion=complete_slugs)] = None,
    collect: Annotated[list[Path] | None, typer.Option(
        "--collect", help="Merge per-book results (folders with manifest.json) instead of "
                          "building; repeatable.")] = None,
    keep_going: Annotated[bool, typer.Option(
        "--keep-going", help="Release the books that pass even if others fail.")] = False,
    strict: Annotated[bool, typer.Option(
        "--strict", help="Treat warnings as errors.")] = False,
) -> None:
    """Build every format, covers and ONIX into OUT/VERSION/, with manifest.json and
    SHA256SUMS."""
    log_printably()
    code = release(books or [], out, version, keep_going, book, collect, strict)
    if code:
        raise typer.Exit(code)
