"""Print laid out in pieces by worker processes (``--jobs``) and kept in the piece cache,
on generated books, printed as ratios (issue 15). Run by hand:

    PYTHONPATH=src .venv/bin/python benchmarks/bench_parallel.py [--pages 400]
        [--sizes 200,2000] [--memory-pages 1600] [--repeat 3]

- print cold (``--jobs 1`` and ``--jobs 2``, no cache) against bare WeasyPrint rendering the
  same book's HTML as one document (target: ``--jobs 2`` <= 0.6x on 400 pages);
- a warm rebuild after a one-paragraph edit of one chapter against the cold build
  (target <= 0.15x);
- per-page time from the smallest to the largest size (target: flat within 15 %);
- peak memory of the build and its workers together, sampled from /proc every 0.1 s
  (target: under 600 MB on 1,600 pages): the sum of their RSS (counts the pages a forked
  worker still shares with the build once per process, so it overstates) and of their PSS
  (shared pages split between the processes sharing them: the memory the build takes);
- the joined PDF's bytes against the book written as one document (the path tagged
  editions take), which shares its fonts the same way.

Each build also counts the pages WeasyPrint laid out (every layout of every piece, its
repairs' included) against the pages printed: a count the machine's load does not move,
which says what the repairs cost.

Each build runs in a fresh process, reading compiled bytecode as an installed package does
(bench_epub's private PYTHONPYCACHEPREFIX, filled by a 20-page warm-up first). With
``--repeat N``, ``--jobs 2`` and bare WeasyPrint take turns N times and the medians are
compared: bare WeasyPrint's own time moved by a fifth between single runs. Wall time is
what a user waits; on a shared machine it also measures the other load, so the CPU seconds
of the build and its workers are printed beside it. Both sides are timed from before their
imports (make-book's build loads WeasyPrint as ``build_book`` does); the ratio after the
imports is printed too. The floor under ``--jobs 2`` (:func:`floor`) says how much of the
gap to the target the serial stages leave to the pool.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from bench_epub import child_env  # noqa: E402
from bench_pdf import BARE, DUMP_HTML  # noqa: E402
from generate import generate  # noqa: E402

WORDS_PER_PAGE = 340  # generate.py's text in the default layout (bench_pdf: 170k words, 500 pp)

BUILD = """
import time
T0 = time.perf_counter()  # the imports count: a user waits for them
import json, os, resource, sys, threading
from pathlib import Path
import pikepdf
from make_book.build import build_book

peak = [0, 0]
def field(path, name):
    try:
        for line in open(path):
            if line.startswith(name):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0
def rss(pid):
    return field(f"/proc/{pid}/status", "VmRSS:")
def pss(pid):
    return field(f"/proc/{pid}/smaps_rollup", "Pss:")
def children(pid):
    out = []
    for task in os.listdir(f"/proc/{pid}/task"):
        try:
            out += open(f"/proc/{pid}/task/{task}/children").read().split()
        except OSError:
            pass
    return out
def sample(stop):
    me = os.getpid()
    while not stop.wait(0.1):
        tree = [me] + children(me)
        peak[0] = max(peak[0], sum(rss(p) for p in tree))
        peak[1] = max(peak[1], sum(pss(p) for p in tree))
stop = threading.Event()
threading.Thread(target=sample, args=(stop,), daemon=True).start()
# WeasyPrint loaded as build_book loads it first (its libraries looked up once), before the
# counting below imports it
from make_book.machine import machine_problems
machine_problems(["print", "collation"])
# every WeasyPrint layout of a piece, from the build or a forked worker, appends its page
# count to a file: the pages laid out against the pages printed is what the repairs cost
import make_book.render.print.piece_layout as piece_layout
laid_log = sys.argv[2] + ".laid"
render_html = piece_layout.render_html
def counted(source, document):
    laid, records = render_html(source, document)
    with open(laid_log, "a") as log:
        log.write(f"{len(laid.pages)}\\n")
    return laid, records
piece_layout.render_html = counted
# the pool's wall time: the rest of the build is serial (imports, manuscript, plan, join,
# QA, write), the floor under any --jobs
import make_book.render.print.settle as settle
in_workers, pool = settle.in_workers, [0.0]
def timed_pool(*args, **kwargs):
    start = time.perf_counter()
    try:
        return in_workers(*args, **kwargs)
    finally:
        pool[0] += time.perf_counter() - start
settle.in_workers = timed_pool
jobs = None if sys.argv[3] == "whole" else int(sys.argv[3])
if jobs is None:  # the book as one document: what a tagged edition is written as
    import make_book.render.print.renderer as pdf
    render_print = pdf.render_print
    pdf.render_print = lambda *a, **k: render_print(*a, **{**k, "jobs": None})
cache = None if sys.argv[4] == "none" else Path(sys.argv[4])
imported = time.perf_counter() - T0
result = build_book(Path(sys.argv[1]), ["pdf"], Path(sys.argv[2]), cache=cache, jobs=jobs)
elapsed = time.perf_counter() - T0
stop.set()
assert result.ok, [d.format() for d in result.diagnostics]
cpu = sum(getattr(resource.getrusage(w), f) for w in (resource.RUSAGE_SELF,
          resource.RUSAGE_CHILDREN) for f in ("ru_utime", "ru_stime"))
pdf = result.artifacts[0].path
laid = sum(int(n) for n in open(laid_log)) if os.path.exists(laid_log) else 0
print(json.dumps({"seconds": elapsed, "cpu": cpu, "pages": len(pikepdf.open(pdf).pages),
                  "laid": laid, "pool": pool[0], "import_seconds": imported,
                  "bytes": pdf.stat().st_size, "peak_mb": peak[0] / 2**20,
                  "pss_mb": peak[1] / 2**20}))
"""


ENV: dict[str, str] | None = None  # main() sets bench_epub's: bytecode kept, as installed


def run(code: str, *args: str) -> dict | str:
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                         check=True, env=ENV).stdout
    try:
        return json.loads(out.strip().splitlines()[-1])
    except (ValueError, IndexError):
        return out.strip()


def build(book: Path, out: Path, jobs: int | None, cache: Path | None = None) -> dict:
    return run(BUILD, str(book), str(out), "whole" if jobs is None else str(jobs),
               "none" if cache is None else str(cache))


def book_of(root: Path, pages: int) -> Path:
    chapters = max(4, pages // 12)
    generate(root, pages * WORDS_PER_PAGE, chapters)
    return root


def bare(book: Path, tmp: Path) -> dict:
    """Bare WeasyPrint on the book's HTML (written by the first call)."""
    html, base = tmp / "book.html", tmp / "book.base"
    if not html.exists():
        base.write_text(run(DUMP_HTML, str(book), str(html)), encoding="utf-8")
    return run(BARE, str(html), base.read_text(encoding="utf-8"), str(tmp / "bare.pdf"))


def median_run(runs: list[dict]) -> dict:
    """The run of median wall time (the lower middle one of an even count)."""
    return sorted(runs, key=lambda r: r["seconds"])[(len(runs) - 1) // 2]


def edit_one_paragraph(book: Path) -> None:
    """One paragraph of the middle chapter changed, with words the book already has."""
    files = sorted((book / "chapters").glob("*.md"))
    path = files[len(files) // 2]
    lines = path.read_text(encoding="utf-8").split("\n")
    k = next(i for i, line in enumerate(lines[2:], 2) if line and not line.startswith("#"))
    lines[k] = "The committee met the workers at the station. " + lines[k]
    path.write_text("\n".join(lines), encoding="utf-8")


def line(name: str, fig: dict) -> str:
    return (f"{name:<26} pages {fig['pages']:>5}  wall {fig['seconds']:7.1f} s  "
            f"cpu {fig.get('cpu', fig['seconds']):7.1f} s  peak {fig['peak_mb']:6.0f} MB"
            + (f" (PSS {fig['pss_mb']:4.0f} MB)" if "pss_mb" in fig else "")
            + (f"  {fig['bytes'] / 2**20:5.1f} MiB" if "bytes" in fig else "")
            + (f"  laid out {fig['laid']} pp ({fig['laid'] / fig['pages']:.2f}x)"
               if fig.get("laid") else ""))


def floor(build: dict, plain: dict, jobs: int) -> str:
    """Amdahl's floor under a ``jobs`` build: make-book's serial stages as they are (the
    build's time outside the pool: imports, manuscript, plan, join, QA, write) plus bare
    WeasyPrint's rendering of the pages (its time after its import) shared evenly by
    ``jobs`` processes, as if the repairs laid out no page twice and cost nothing."""
    serial = build["seconds"] - build["pool"]
    render = plain["seconds"] - plain["import_seconds"]
    least = serial + render / jobs
    return (f"floor at --jobs {jobs}               {least / plain['seconds']:.2f}x wall  "
            f"(make-book's serial stages {serial:.1f} s + bare WeasyPrint's render "
            f"{render:.1f} s / {jobs}; this build's pool {build['pool']:.1f} s)")


def cold_builds(book: Path, tmp: Path, skip: set, repeat: int = 1) -> None:
    """With ``repeat``, ``--jobs 2`` and bare WeasyPrint run that many times, taking turns
    (bare's own time moved by a fifth between single runs on this machine), and the run of
    median time of each is the one compared."""
    one = build(book, tmp / "out1", 1)
    whole = build(book, tmp / "out0", None)
    twos, plains = [], []
    for turn in range(repeat):
        twos.append(build(book, tmp / f"out2-{turn}", 2))
        if "bare" not in skip:
            plains.append(bare(book, tmp))
    two = median_run(twos)
    print(line("make-book --jobs 1", one))
    print(line("make-book --jobs 2" + (f", median of {repeat}" if repeat > 1 else ""), two))
    print(line("make-book one document", whole))
    if plains:
        plain = median_run(plains)
        print(line("bare WeasyPrint" + (f", median of {repeat}" if repeat > 1 else ""), plain))
        if repeat > 1:
            print("  each turn, --jobs 2 / bare: " + ", ".join(
                f"{t['seconds']:.1f}/{b['seconds']:.1f} s = {t['seconds'] / b['seconds']:.2f}x"
                for t, b in zip(twos, plains)))
        print(f"cold --jobs 2 / bare          {two['seconds'] / plain['seconds']:.2f}x wall"
              f"  (target <= 0.6); --jobs 1 / bare {one['cpu'] / plain['cpu']:.2f}x cpu "
              "(what a loaded machine does not skew)")
        after_imports = ((two["seconds"] - two["import_seconds"])
                         / (plain["seconds"] - plain["import_seconds"]))
        print(f"  the same after the imports    {after_imports:.2f}x wall  (make-book's "
              f"{two['import_seconds']:.1f} s, WeasyPrint's {plain['import_seconds']:.1f} s)")
        print(floor(two, plain, 2))
    print(f"--jobs 2 / --jobs 1           {two['seconds'] / one['seconds']:.2f}x wall, "
          f"{two['cpu'] / one['cpu']:.2f}x cpu")
    print(f"pieces joined / one document  {one['bytes'] / whole['bytes']:.3f}x bytes "
          f"({(one['bytes'] - whole['bytes']) / 2**10:+.0f} KiB; fonts shared per face)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=400)
    parser.add_argument("--sizes", default="200,2000", help="pages, for the per-page cost")
    parser.add_argument("--memory-pages", type=int, default=1600)
    parser.add_argument("--repeat", type=int, default=1,
                        help="runs of --jobs 2 and of bare WeasyPrint, taking turns; the "
                        "median of each is compared")
    parser.add_argument("--skip", default="",
                        help="comma list of: cold (--jobs 1, 2, one document, bare), bare, "
                        "warm, sizes, memory")
    args = parser.parse_args()
    skip = set(filter(None, args.skip.split(",")))
    global ENV
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        # every run reads compiled bytecode, as from an install (PYTHONDONTWRITEBYTECODE
        # would make make-book's runs compile their sources, bare WeasyPrint's not):
        # a small book built and printed bare once fills the cache first
        ENV = child_env(tmp / "pycache")
        small = book_of(tmp / "warm-up", 20)
        build(small, tmp / "warm-up-out", 2)
        bare(small, tmp / "warm-up-out")
        book = book_of(tmp / "book", args.pages)
        if "cold" not in skip:
            cold_builds(book, tmp, skip, args.repeat)
        if "warm" not in skip:
            cache = tmp / "cache"
            cold = build(book, tmp / "outc", 2, cache)
            edit_one_paragraph(book)
            warm = build(book, tmp / "outw", 2, cache)
            print(line("cold, cache filled", cold))
            print(line("warm, one paragraph edited", warm))
            print(f"warm / cold                   {warm['seconds'] / cold['seconds']:.2f}x wall"
                  "  (target <= 0.15)")
            after = ((warm["seconds"] - warm["import_seconds"])
                     / (cold["seconds"] - cold["import_seconds"]))
            print(f"  the same after the imports    {after:.2f}x wall")
        if "sizes" not in skip:
            per_page = []
            for pages in (int(s) for s in args.sizes.split(",")):
                fig = build(book_of(tmp / f"size{pages}", pages), tmp / f"outs{pages}", 2)
                # the imports are paid once, whatever the size: not a cost per page
                per_page.append((fig["pages"],
                                 (fig["seconds"] - fig["import_seconds"]) / fig["pages"]))
                print(line(f"{pages}-page book --jobs 2", fig))
            first = per_page[0][1]
            print("per-page time               " + ", ".join(
                f"{p} pp {s * 1000:.0f} ms ({s / first:.2f}x)" for p, s in per_page)
                + "  (target: within 15 %)")
        if "memory" not in skip:
            fig = build(book_of(tmp / "memory", args.memory_pages), tmp / "outm", 2)
            print(line(f"{args.memory_pages}-page book --jobs 2", fig)
                  + "  (target: peak < 600 MB)")


if __name__ == "__main__":
    main()
