"""EPUB build time against Pandoc on the same Markdown, cold and warm, as ratios.

Run by hand: `.venv/bin/python benchmarks/bench_epub.py [--words N] [--repeat N]
[--samples DIR]`. For each sample book (``--samples``, default ../shared/samples or
/work/shared/samples) and a generated long book (no cover image, so make-book draws one),
it times in fresh processes, interpreter start included on both sides:

- make-book's start-up floor: ``make-book --version`` (the imports every command pays);
- Pandoc 3 (pypandoc-binary) writing EPUB 3 from the book's chapter files in order;
- make-book EPUB only, cold (an empty cache folder: every chapter parsed, the cover drawn);
- make-book warm (the same cache: nothing changed since);
- make-book after a one-paragraph edit of one chapter (that chapter parsed again);
- Python-Markdown alone, with the stock extensions make-book's parser builds on,
  converting the same chapter files in one process (interpreter start included): the
  floor under a cold build, which parses every chapter with it. Where that alone is over
  0.25x Pandoc, no cold build can meet the target.

Issue 15's target: EPUB <= 0.25x Pandoc, generated cover included. The best of ``--repeat``
runs is kept, in CPU seconds unless TIME=wall (the machine is shared). Peak RSS of each
make-book build is printed too, and a table of all the figures at the end.

Python runs with its bytecode cached (a private PYTHONPYCACHEPREFIX, warmed once), as an
installed package does: with PYTHONDONTWRITEBYTECODE set, every run would also compile
make-book's sources, which Pandoc, a compiled program, never pays. ``--src`` times another
checkout's sources (say, the commit before a change) with this same script."""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from generate import generate  # noqa: E402

SRC = HERE.parent / "src"  # --src replaces it
CLOCK = os.environ.get("TIME", "cpu")
DEFAULT_SAMPLES = next((p for p in (HERE.parent.parent / "shared" / "samples",
                                     Path("/work/shared/samples")) if p.is_dir()),
                       HERE.parent.parent / "shared" / "samples")
CHILD = """
import json, resource, sys
from pathlib import Path
from make_book.build import build_book
result = build_book(Path(sys.argv[1]), ["epub"], Path(sys.argv[2]), cache=Path(sys.argv[3]))
assert result.ok, [d.format() for d in result.diagnostics if d.is_error]
print(json.dumps({"peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""

MARKDOWN_ALONE = """
import sys
from pathlib import Path
import markdown
# the stock extensions make-book's parser is built on (markup/markdown.py), without its own
md = markdown.Markdown(extensions=["footnotes", "attr_list", "def_list", "md_in_html",
                                   "pymdownx.caret", "pymdownx.tilde"],
                       output_format="xhtml")
for path in sys.argv[1:]:
    md.reset()
    md.convert(Path(path).read_text(encoding="utf-8"))
"""


def timed(cmd: list[str], env: dict | None = None) -> tuple[float, str]:
    """The command's seconds and its output. With TIME=cpu (the default), its CPU seconds
    (user + system): on a shared machine the wall clock mostly measures the other jobs;
    TIME=wall for the wall clock."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False)
    elapsed = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"failed: {' '.join(cmd[:4])}...\n{done.stderr[-2000:]}")
    if CLOCK == "wall":
        return elapsed, done.stdout
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), done.stdout


def chapter_files(book: Path) -> list[str]:
    """The chapters in reading order (book.yaml's ``contents``, else by path)."""
    import yaml
    meta = yaml.safe_load((book / "book.yaml").read_text(encoding="utf-8")) or {}

    def walk(items) -> list[str]:
        out = []
        for item in items or []:
            if isinstance(item, str):
                out.append(item)
            elif isinstance(item, dict):
                out.extend(walk(item.get("contents")))
        return out
    listed = walk(meta.get("contents"))
    return [str(book / p) for p in listed] or sorted(str(p) for p in book.rglob("*.md"))


def pandoc_seconds(book: Path, out: Path, repeat: int) -> float | None:
    try:
        import pypandoc
        pandoc = pypandoc.get_pandoc_path()
    except (ImportError, OSError):
        return None
    cmd = [pandoc, "-f", "markdown", "-t", "epub3", "-o", str(out / "pandoc.epub"),
           "--metadata", "title=Bench", "--quiet", *chapter_files(book)]
    return min(timed(cmd)[0] for _ in range(repeat))


def markdown_alone_seconds(book: Path, repeat: int) -> float:
    """Python-Markdown with its stock extensions converting the book's chapters, in a fresh
    process: what a cold build pays before it does anything of its own."""
    cmd = [sys.executable, "-c", MARKDOWN_ALONE, *chapter_files(book)]
    timed(cmd)
    return min(timed(cmd)[0] for _ in range(repeat))


def child_env(pycache: Path) -> dict[str, str]:
    """make-book's environment: its sources, and bytecode kept as an install keeps it."""
    env = {**os.environ, "PYTHONPATH": str(SRC), "PYTHONPYCACHEPREFIX": str(pycache)}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def startup_seconds(pycache: Path, repeat: int) -> float:
    """``make-book --version``: the floor under every build (bytecode warmed first)."""
    cmd = [sys.executable, "-m", "make_book", "--version"]
    timed(cmd, child_env(pycache))
    return min(timed(cmd, child_env(pycache))[0] for _ in range(repeat))


def make_book_seconds(book: Path, out: Path, cache: Path, repeat: int, *, cold: bool
                      ) -> tuple[float, float]:
    env = child_env(out.parent.parent / "pycache")
    best, peak = float("inf"), 0.0
    for _ in range(repeat):
        if cold:
            shutil.rmtree(cache, ignore_errors=True)
        seconds, stdout = timed([sys.executable, "-c", CHILD, str(book), str(out), str(cache)],
                                env)
        best, peak = min(best, seconds), max(peak, json.loads(stdout)["peak_mb"])
    return best, peak


def edit_one_paragraph(book: Path) -> None:
    chapters = chapter_files(book)
    path = Path(chapters[len(chapters) // 2])
    path.write_text(path.read_text(encoding="utf-8") + "\nOne more paragraph, edited.\n",
                    encoding="utf-8")


def measure(name: str, source: Path, tmp: Path, repeat: int) -> dict[str, float]:
    book = tmp / "books" / source.name
    shutil.copytree(source, book)  # the edit below must not touch the sample
    out, cache = tmp / "out" / source.name, tmp / "cache" / source.name
    pandoc = pandoc_seconds(book, tmp, repeat)
    alone = markdown_alone_seconds(book, repeat)
    # untimed: compiles (into the bytecode cache) whatever this book's build imports
    make_book_seconds(book, out, tmp / "warm-up", 1, cold=True)
    cold, cold_mb = make_book_seconds(book, out, cache, repeat, cold=True)
    warm, warm_mb = make_book_seconds(book, out, cache, repeat, cold=False)
    edit_one_paragraph(book)
    edited, _ = make_book_seconds(book, out, cache, 1, cold=False)
    words = sum(len(Path(p).read_text(encoding="utf-8").split()) for p in chapter_files(book))
    if pandoc is None:
        ratios = "pandoc not installed (pip install pypandoc-binary)"
    else:
        ratios = (f"cold {cold / pandoc:5.2f}x  warm {warm / pandoc:5.2f}x  "
                  f"edited {edited / pandoc:5.2f}x  Python-Markdown alone "
                  f"{alone / pandoc:5.2f}x")
    print(f"{name:<44} {words:>8,} words  ({CLOCK} seconds)  pandoc {pandoc or 0:6.2f} s  make-book cold "
          f"{cold:6.2f} s  warm {warm:6.2f} s  one edit {edited:6.2f} s  "
          f"(peak {cold_mb:.0f}/{warm_mb:.0f} MB)  Python-Markdown alone {alone:6.2f} s")
    print(f"{'':<44} vs pandoc: {ratios}  (target <= 0.25x)", flush=True)
    return {"words": words, "pandoc": pandoc or 0.0, "cold": cold, "warm": warm,
            "edited": edited, "markdown": alone}


def table(rows: dict[str, dict[str, float]], floor: float) -> None:
    """All the figures at once, one line per book, ratios against Pandoc."""
    print(f"\n{'book':<46} {'words':>8} {'pandoc':>7} {'cold':>6} {'warm':>6} {'edit':>6} "
          f"{'md':>6} {'cold/p':>6} {'warm/p':>6} {'edit/p':>6} {'md/p':>6}")
    for name, r in rows.items():
        p = r["pandoc"] or float("nan")
        print(f"{name[:46]:<46} {r['words']:>8,} {r['pandoc']:>7.2f} {r['cold']:>6.2f} "
              f"{r['warm']:>6.2f} {r['edited']:>6.2f} {r['markdown']:>6.2f} "
              f"{r['cold'] / p:>6.2f} {r['warm'] / p:>6.2f} {r['edited'] / p:>6.2f} "
              f"{r['markdown'] / p:>6.2f}")
    print(f"start-up floor (make-book --version): {floor:.2f} s ({CLOCK} seconds); "
          "target cold/p <= 0.25; md: Python-Markdown alone, stock extensions, one process "
          "(a cold build parses every chapter with it: cold/p cannot go below md/p"
          + (" divided by the cores its converters run on)" if CLOCK == "wall" else ")"))


def main() -> None:
    global SRC
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--words", type=int, default=120_000)
    parser.add_argument("--chapters", type=int, default=40)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--samples", type=Path, default=DEFAULT_SAMPLES)
    parser.add_argument("--src", type=Path, default=SRC,
                        help="the make_book sources to time (default: this checkout's)")
    args = parser.parse_args()
    SRC = args.src.resolve()
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        floor = startup_seconds(tmp / "pycache", max(args.repeat, 3))
        print(f"start-up floor (make-book --version): {floor:.2f} s", flush=True)
        rows = {}
        if args.samples.is_dir():
            for sample in sorted(p for p in args.samples.iterdir() if (p / "book.yaml").is_file()):
                rows[sample.name] = measure(sample.name, sample, tmp, args.repeat)
        generated = tmp / "src" / "generated"
        generate(generated, args.words, args.chapters)
        name = f"generated ({args.chapters} chapters, generated cover)"
        rows[name] = measure(name, generated, tmp, args.repeat)
        table(rows, floor)


if __name__ == "__main__":
    main()
