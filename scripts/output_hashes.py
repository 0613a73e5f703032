"""Hash every artifact a release of each book writes, to show a refactor changed no output.

Issue 14 moves working code; "done" means the outputs are byte-identical before and after.
This releases each book (covers, ONIX, manifest) and builds the formats a release leaves
out (screen, web, kepub, kindle), with a fixed SOURCE_DATE_EPOCH and version, and writes one JSON map ``book/file -> sha256``; a book
that fails to build records its diagnostics instead, since those are output too.

    python scripts/output_hashes.py --out /tmp/before.json [BOOK...]
    python scripts/output_hashes.py --out /tmp/after.json --compare /tmp/before.json

Without BOOK arguments: the shared samples (when present), every tests/books case and
every book in manuscript/.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# beside the checkout, or where the project's tests look for them (a clone elsewhere)
SAMPLES = next((p for p in (ROOT.parent / "shared" / "samples", Path("/work/shared/samples"))
                if p.is_dir()), ROOT.parent / "shared" / "samples")
EPOCH = "1700000000"


def default_books() -> list[Path]:
    books = []
    if SAMPLES.is_dir():
        books += sorted(p for p in SAMPLES.iterdir() if (p / "book.yaml").is_file())
    books += sorted(p for p in (ROOT / "tests" / "books").iterdir() if p.is_dir())
    books += sorted(p for p in (ROOT / "manuscript").iterdir() if (p / "book.yaml").is_file())
    return books


def release(book: Path, work: Path) -> dict[str, str]:
    """Release one book into ``work`` and hash what it wrote (or its diagnostics)."""
    out = work / book.name

    def make_book(*args: str) -> tuple[int, str]:
        """Run make-book on ``book``; its exit code and its output with the paths named."""
        env = dict(os.environ, SOURCE_DATE_EPOCH=EPOCH, PYTHONPATH=str(ROOT / "src"))
        run = subprocess.run([sys.executable, "-m", "make_book", *args], env=env,
                             capture_output=True, text=True, cwd=work)
        text = (run.stdout + run.stderr).replace(str(book), "BOOK").replace(str(out), "OUT")
        return run.returncode, text

    code, text = make_book("release", str(book), "--version", "identity", "--out", str(out))
    if code != 0:
        return {f"{book.name}/<diagnostics rc={code}>": text}
    hashes = {}
    # the formats a release builds only when book.yaml asks for them, one at a time so
    # that one refused (a cover too small for Kindle) does not hide the others
    for fmt in ("screen", "web", "kepub", "kindle"):
        code, text = make_book("build", str(book), "--out", str(out / "more"), "-f", fmt)
        if code != 0:
            text = "\n".join(line for line in text.splitlines() if not line.startswith(
                ("book ", "total ", book.name + " ")))  # the summary table's times vary
            hashes[f"{book.name}/more/<{fmt} diagnostics rc={code}>"] = text
    for path in sorted(p for p in out.rglob("*") if p.is_file() and ".cache" not in p.parts):
        rel = path.relative_to(out).as_posix()
        hashes[f"{book.name}/{rel}"] = hashlib.sha256(comparable(path)).hexdigest()
    return hashes


def comparable(path: Path) -> bytes:
    """The file's bytes, less what names the repository's HEAD rather than the book: a
    release's CHANGES.md says "From the first commit to <HEAD>", and the manifest and
    SHA256SUMS carry that file's hash."""
    data = path.read_bytes()
    if path.name == "CHANGES.md":
        return re.sub(rb"to [0-9a-f]{7,40}\.", b"to HEAD.", data)
    if path.name == "SHA256SUMS":
        return b"".join(line for line in data.splitlines(keepends=True)
                        if not line.rstrip().endswith(b"CHANGES.md"))
    if path.name == "manifest.json":
        return re.sub(rb'("path": "[^"]*CHANGES\.md",\s*"sha256": )"[0-9a-f]{64}"',
                      rb'\1"-"', data)
    return data


def compare(before: dict[str, str], after: dict[str, str]) -> int:
    differ = 0
    for key in sorted(set(before) | set(after)):
        if before.get(key) != after.get(key):
            differ += 1
            old = "absent" if key not in before else before[key][:12]
            new = "absent" if key not in after else after[key][:12]
            print(f"DIFFERS {key}: {old} -> {new}")
    print(f"{len(after)} artifacts, {differ} differ")
    return 1 if differ else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("books", nargs="*", type=Path)
    parser.add_argument("--out", type=Path, required=True, help="JSON file to write")
    parser.add_argument("--compare", type=Path, help="an earlier run's JSON to compare with")
    args = parser.parse_args()
    hashes: dict[str, str] = {}
    with tempfile.TemporaryDirectory(prefix="make-book-hashes-") as tmp:
        for book in args.books or default_books():
            print(f"releasing {book.name}", file=sys.stderr, flush=True)
            hashes.update(release(book.resolve(), Path(tmp)))
            args.out.write_text(json.dumps(hashes, indent=1, sort_keys=True) + "\n")
    if args.compare:
        return compare(json.loads(args.compare.read_text()), hashes)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
