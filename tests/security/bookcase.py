"""Run `make-book build` on a book the way a user does and check what a failing (or warning)
book must give: its diagnostics as `path:line: CODE message`, the exit status, no traceback,
and an earlier artifact left byte-identical with no temporary file beside it."""

from __future__ import annotations

import contextlib
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from click.testing import Result
from typer.testing import CliRunner

from make_book.cli import app
from make_book.build import artifact_path
from make_book.catalogue import book_slug

BASE_YAML = "title: A Test Book\nauthor: A. Writer\nlang: en\n"
PREVIOUS = b"PK\x03\x04 the previous, good build of this book\n" * 64
# a diagnostic line: `book.yaml:4: M010 ...`, `chapters/x.md: C003 ...`
DIAGNOSTIC_RE = re.compile(r"^[^\s:][^:]*(?::\d+)?: [A-Z]\d{3} ")

runner = CliRunner()


@dataclass
class Expected:
    exit: int
    strict: int
    diagnostics: list[str] = field(default_factory=list)

    @classmethod
    def read(cls, path: Path) -> Expected:
        exit_code = strict = None
        lines = []
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip() or line.startswith("#"):
                continue
            if line.startswith("exit "):
                exit_code = int(line.split()[1])
            elif line.startswith("strict "):
                strict = int(line.split()[1])
            else:
                lines.append(line)
        assert exit_code is not None, f"{path}: no `exit N` line"
        return cls(exit_code, exit_code if strict is None else strict, lines)


def write_book(root: Path, files: dict[str, str | bytes], yaml: str | bytes | None = BASE_YAML
               ) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    if yaml is not None:
        data = yaml.encode() if isinstance(yaml, str) else yaml
        (root / "book.yaml").write_bytes(data)
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content.encode() if isinstance(content, str) else content)
    return root


def png_header(width: int, height: int) -> bytes:
    """A PNG that claims ``width`` x ``height`` 1-bit pixels and holds almost none: the header
    of a decompression bomb, a few dozen bytes on disk."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    return (b"\x89PNG\r\n\x1a\n"
            + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\0\0")) + chunk(b"IEND", b""))


def build(book: Path, out: Path, *extra: str, cwd: Path | None = None) -> Result:
    with contextlib.chdir(cwd or book):
        return runner.invoke(app, ["build", str(book), "--format", "epub", "--out", str(out),
                                   *extra])


def diagnostic_lines(result: Result) -> list[str]:
    return [line for line in result.stderr.splitlines() if DIAGNOSTIC_RE.match(line)]


def assert_clean_result(result: Result) -> None:
    """No traceback, no internal error: a bad book is the book's fault, said plainly."""
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"the CLI raised {result.exception!r}\n{result.output}")
    assert "Traceback" not in result.output, result.output
    assert "B900" not in result.output, result.output


def plant_artifact(out: Path, slug: str, fmt: str = "epub") -> Path:
    """An earlier artifact of format ``fmt``, where a build of ``slug`` writes it."""
    artifact = artifact_path(out, slug, fmt)
    artifact.parent.mkdir(parents=True, exist_ok=True)
    artifact.write_bytes(PREVIOUS)
    return artifact


def check_book(book: Path, out: Path, expected: Expected) -> None:
    """Build with --strict, then without, each time over a planted earlier artifact."""
    slug = book_slug(book.resolve().name)
    for strict, want in ((True, expected.strict), (False, expected.exit)):
        artifact = plant_artifact(out, slug)
        result = build(book, out, *(["--strict"] if strict else []))
        context = f"--strict={strict}\n{result.output}"
        assert_clean_result(result)
        assert result.exit_code == want, context
        printed = diagnostic_lines(result)
        for prefix in expected.diagnostics:
            assert any(line.startswith(prefix) for line in printed), \
                f"missing diagnostic {prefix!r}\n{context}"
        unexpected = [line for line in printed
                      if not any(line.startswith(p) for p in expected.diagnostics)]
        assert not unexpected, f"unexpected diagnostics {unexpected}\n{context}"
        assert sorted(p.name for p in artifact.parent.iterdir()) == [artifact.name], \
            f"temporary or stray files beside the artifact\n{context}"
        if want:
            assert artifact.read_bytes() == PREVIOUS, f"the earlier artifact changed\n{context}"
            assert "not built" in result.stderr
        else:
            assert zipfile.is_zipfile(artifact), context
