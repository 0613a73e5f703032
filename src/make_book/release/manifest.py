"""The release manifest (``manifest.json``) and checksums (``SHA256SUMS``).

Both describe one release folder ``<out>/<version>/``; paths are relative to it and use
``/``. ``manifest.json``::

    {
      "generator": "make-book 0.1.0",
      "version": "v1.2.0",
      "source_date_epoch": 1727740800,
      "artifacts": [
        {"book": "letters-from-the-volga", "format": "epub", "isbn": "9781739000004",
         "path": "letters-from-the-volga/letters-from-the-volga.epub", "bytes": 4268269,
         "sha256": "...", "words": 6058},
        ...
      ]
    }

Artifacts are sorted by book, format and path; keys sorted; two-space indent; UTF-8; a final
newline: the same release gives the same bytes. Formats: ``epub``, ``epub-cover`` (JPEG),
``print`` (interior PDF, with ``pages``), ``print-cover`` (PDF, with ``pages``, the interior's
count it was made for, ``spine_in`` and ``paper``), ``onix``; and as the book's ``formats:``
asks (make_book.formats): ``screen`` (the screen PDF, with the PDF e-book's ISBN),
``kepub`` and ``kindle`` (with the EPUB's ISBN: deliveries of the EPUB product), ``web``
(one entry per file of the site); ``changes`` (CHANGES.md).

``SHA256SUMS`` is in ``sha256sum`` format (``<hex>  <path>``, sorted by path), so
``cd <out>/<version> && sha256sum -c SHA256SUMS`` checks a release.

:func:`collect` merges the per-book results of CI matrix jobs (each a folder holding a
``manifest.json``, directly or one or two levels down) into one manifest, checking every
file against its size and checksum.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

from make_book.errors import Diagnostic, error

MANIFEST = "manifest.json"
SUMS = "SHA256SUMS"
FORMAT_ORDER = {"epub": 0, "epub-cover": 1, "print": 2, "print-cover": 3, "onix": 4,
                "screen": 5, "kepub": 6, "kindle": 7, "web": 8, "changes": 9}


@dataclass(frozen=True)
class Artifact:
    book: str
    format: str
    path: str  # relative to the release folder, POSIX
    bytes: int
    sha256: str
    isbn: str | None = None
    pages: int | None = None
    words: int | None = None
    spine_in: float | None = None
    paper: str | None = None

    def as_json(self) -> dict:
        return {k: v for k, v in asdict(self).items() if v is not None}

    @property
    def sort_key(self) -> tuple:
        return (self.book, FORMAT_ORDER.get(self.format, 99), self.format, self.path)


@dataclass(frozen=True)
class Manifest:
    version: str
    source_date_epoch: int | None
    artifacts: tuple[Artifact, ...]
    generator: str = ""
    # where each artifact's file is, for collect (not written)
    sources: dict[str, Path] = field(default_factory=dict, compare=False, hash=False)

    def as_json(self) -> dict:
        out = {"generator": self.generator, "version": self.version,
               "artifacts": [a.as_json() for a in sorted(self.artifacts,
                                                         key=lambda a: a.sort_key)]}
        if self.source_date_epoch is not None:
            out["source_date_epoch"] = self.source_date_epoch
        return out

    @property
    def books(self) -> list[str]:
        return sorted({a.book for a in self.artifacts})


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def artifact_for(release_dir: Path, path: Path, *, book: str, format: str, **facts) -> Artifact:
    rel = path.resolve().relative_to(release_dir.resolve()).as_posix()
    return Artifact(book=book, format=format, path=rel, bytes=path.stat().st_size,
                    sha256=sha256_file(path), **facts)


def manifest_bytes(manifest: Manifest) -> bytes:
    return (json.dumps(manifest.as_json(), indent=2, sort_keys=True, ensure_ascii=False)
            + "\n").encode("utf-8")


def sums_bytes(manifest: Manifest) -> bytes:
    lines = [f"{a.sha256}  {a.path}\n" for a in sorted(manifest.artifacts, key=lambda a: a.path)]
    return "".join(lines).encode("utf-8")


def read_manifest(path: Path) -> Manifest:
    data = json.loads(path.read_text(encoding="utf-8"))
    fields = set(Artifact.__dataclass_fields__)
    artifacts = tuple(Artifact(**{k: v for k, v in a.items() if k in fields})
                      for a in data.get("artifacts", []))
    return Manifest(version=data["version"], source_date_epoch=data.get("source_date_epoch"),
                    artifacts=artifacts, generator=data.get("generator", ""),
                    sources={a.path: path.parent / a.path for a in artifacts})


def find_manifests(folder: Path) -> list[Path]:
    """``folder/manifest.json``, else those one or two levels down (a downloaded CI artifact
    per book, or a release folder ``<out>/<version>/``)."""
    if (folder / MANIFEST).is_file():
        return [folder / MANIFEST]
    found = sorted(folder.glob(f"*/{MANIFEST}"))
    return found or sorted(folder.glob(f"*/*/{MANIFEST}"))


class CollectError(Exception):
    def __init__(self, diagnostics: list[Diagnostic]):
        self.diagnostics = diagnostics
        super().__init__("\n".join(d.format() for d in diagnostics))


def collect(dirs: list[Path], version: str | None = None) -> Manifest:
    """One manifest from per-book results; raises :class:`CollectError` listing every
    problem: no manifest, versions that differ, a path claimed twice with different
    content, a file missing or not matching its size and checksum."""
    problems: list[Diagnostic] = []
    manifests: list[tuple[Path, Manifest]] = []
    for folder in dirs:
        found = find_manifests(folder)
        if not found:
            problems.append(error("R050", f"no {MANIFEST} in {folder} or its subfolders",
                                  folder))
        for path in found:
            try:
                manifests.append((path, read_manifest(path)))
            except (OSError, ValueError, KeyError, TypeError) as exc:
                problems.append(error("R050", f"{MANIFEST} cannot be read: {exc}", path))
    versions = sorted({m.version for _, m in manifests} | ({version} if version else set()))
    if len(versions) > 1:
        problems.append(error("R051", "the results are of different versions: "
                              + ", ".join(versions)))
    epochs = sorted({m.source_date_epoch for _, m in manifests
                     if m.source_date_epoch is not None})
    if len(epochs) > 1:
        problems.append(error("R051", "the results were built from different source dates "
                              "(SOURCE_DATE_EPOCH " + ", ".join(map(str, epochs)) + ")",
                              hint="build every book of a release from the same commit"))
    merged: dict[str, Artifact] = {}
    sources: dict[str, Path] = {}
    names: dict[str, str] = {}
    for path, manifest in manifests:
        for a in manifest.artifacts:
            source = manifest.sources[a.path]
            if a.path in merged:
                if merged[a.path] != a:
                    problems.append(error("R052", f"{a.path} is in two results with "
                                          "different content", path))
                continue
            name = a.path.rsplit("/", 1)[-1]
            if name in names and names[name] != a.path:
                problems.append(error("R052", f"{a.path} and {names[name]} have the same file "
                                      "name; release assets are uploaded side by side", path))
            names[name] = a.path
            if not source.is_file():
                problems.append(error("R053", f"{a.path} is listed but missing", path))
            elif source.stat().st_size != a.bytes or sha256_file(source) != a.sha256:
                problems.append(error("R053", f"{a.path} does not match its checksum", path))
            merged[a.path] = a
            sources[a.path] = source
    if problems:
        raise CollectError(problems)
    generator = next((m.generator for _, m in manifests if m.generator), "")
    return Manifest(version=versions[0] if versions else (version or ""),
                    source_date_epoch=epochs[0] if epochs else None,
                    artifacts=tuple(sorted(merged.values(), key=lambda a: a.sort_key)),
                    generator=generator, sources=sources)


def with_generator(manifest: Manifest, generator: str) -> Manifest:
    return replace(manifest, generator=generator)
