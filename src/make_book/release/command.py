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

import shutil
from pathlib import Path
from typing import Annotated

import typer

from make_book.catalogue import root_slug, slug_clashes
from make_book.errors import (
    Diagnostic,
    MakeBookError,
    log_printably,
    printable,
    shortened,
)
from make_book.machine import machine_problems
from make_book.output import write_atomic
from make_book.release import manifest as mf
from make_book.release.one_book import BookRelease, release_book
from make_book.release.publish import publish, staging_folder
from make_book.release.versioning import VERSION_RE, UsageError, commit_epoch, release_version
from make_book.terminal.completion import complete_books, complete_slugs
from make_book.terminal.consoles import err
from make_book.terminal.consoles import out as out_console


# ----------------------------------------------------------------------------- git

# ----------------------------------------------------------------------------- one book

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
    from make_book import __version__
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

        from make_book import __version__
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
