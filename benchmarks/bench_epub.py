"""EPUB build speed and memory on a generated book, beside Pandoc when pypandoc-binary is
installed. Run by hand: `.venv/bin/python benchmarks/bench_epub.py [--words N]`.

Each measurement runs in a fresh process so peak RSS (ru_maxrss) is the build's own."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from generate import generate  # noqa: E402

CHILD = """
import json, resource, sys, time
from pathlib import Path
t0 = time.perf_counter()
from make_book.build import build_book
result = build_book(Path(sys.argv[1]), ["epub"], Path(sys.argv[2]))
elapsed = time.perf_counter() - t0
assert result.ok, [d.format() for d in result.diagnostics]
print(json.dumps({"seconds": elapsed, "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "bytes": result.artifacts[0].size}))
"""


def pandoc_seconds(book: Path, out: Path) -> float | None:
    try:
        import pypandoc
        pypandoc.get_pandoc_version()
    except (ImportError, OSError):
        return None
    files = sorted(str(p) for p in (book / "chapters").glob("*.md"))
    t0 = time.perf_counter()
    pypandoc.convert_file(files, "epub3", outputfile=str(out / "pandoc.epub"),
                          extra_args=["--metadata", "title=Bench", "--quiet"])
    return time.perf_counter() - t0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--words", type=int, default=120_000)
    parser.add_argument("--chapters", type=int, default=40)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        book = Path(tmp) / "generated"
        words = generate(book, args.words, args.chapters)
        out = Path(tmp) / "out"
        run = subprocess.run([sys.executable, "-c", CHILD, str(book), str(out)],
                             capture_output=True, text=True, check=True)
        figures = json.loads(run.stdout)
        # the same book without the generated cover (WeasyPrint + pdfium, ~0.45 s of imports)
        yaml_path = book / "book.yaml"
        yaml_path.write_text(yaml_path.read_text() + "generate: {cover: false}\n")
        bare = json.loads(subprocess.run([sys.executable, "-c", CHILD, str(book), str(out)],
                                         capture_output=True, text=True, check=True).stdout)
        print(f"words          {words}")
        print(f"files          {args.chapters}")
        print(f"epub seconds   {figures['seconds']:.2f}  (no generated cover: "
              f"{bare['seconds']:.2f})")
        print(f"peak memory    {figures['peak_mb']:.0f} MB  (no generated cover: "
              f"{bare['peak_mb']:.0f} MB)")
        print(f"epub size      {figures['bytes'] / 1024:.0f} KB")
        pandoc = pandoc_seconds(book, Path(tmp))
        if pandoc is None:
            print("pandoc         not installed (pip install pypandoc-binary to compare)")
        else:
            print(f"pandoc seconds {pandoc:.2f}  (ratio make-book/pandoc "
                  f"{figures['seconds'] / pandoc:.2f}, without the generated cover "
                  f"{bare['seconds'] / pandoc:.2f}; target <= 0.25)")


if __name__ == "__main__":
    main()
