"""Print PDF speed and memory on a generated ~500-page book, beside bare WeasyPrint rendering
the same generated HTML, so the pipeline's overhead shows as a ratio. Run by hand:
`.venv/bin/python benchmarks/bench_pdf.py [--words N]` (about 170,000 words make 500 pages).

Each measurement runs in a fresh process so peak RSS (ru_maxrss) is its own. Bare WeasyPrint
lays the whole book out once as released (footnotes deferred where it defers them); make-book
lays it out in pieces, with the footnote and hyphenation rules of render/weasy_*.py, in worker
processes on every core (its default ``--jobs``): its peak is the build's own plus its
largest worker's (bench_parallel.py samples them all together)."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from generate import generate  # noqa: E402

PIPELINE = """
import json, resource, sys, time
from pathlib import Path
import pikepdf
t0 = time.perf_counter()
from make_book.build import build_book
from make_book.render.weasy import notes as weasy_notes
result = build_book(Path(sys.argv[1]), ["pdf"], Path(sys.argv[2]))
elapsed = time.perf_counter() - t0
assert result.ok, [d.format() for d in result.diagnostics]
pages = len(pikepdf.open(result.artifacts[0].path).pages)
print(json.dumps({"seconds": elapsed, "pages": pages,
                  "peak_mb": sum(resource.getrusage(who).ru_maxrss / 1024 for who in
                                 (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)),
                  "notes_kept": weasy_notes.available()}))
"""

# The HTML our pipeline hands to WeasyPrint, written out first, then rendered bare.
DUMP_HTML = """
import sys
from pathlib import Path
from datetime import datetime, timezone
from make_book import transforms
from make_book.errors import Diagnostics
from make_book.layouts import load_layout
from make_book.manuscript.book import load_book
from make_book.render.print import renderer as pdf
from make_book.render.print import estimates
from make_book.render.print import geometry as pdf_geometry
from make_book.render.print import documents as pdf_documents
d = Diagnostics()
book = transforms.run(load_book(Path(sys.argv[1]), d), d)
layout = load_layout(book.root, book.meta.layout)
base = pdf_geometry.geometry_for(book.meta.print)
geometry = base.for_pages(estimates.estimate_pages(book, base))
source = pdf_documents.build_document(book, layout, geometry, diagnostics=d, endnote_ids=frozenset())
Path(sys.argv[2]).write_text(source.html, encoding="utf-8")
print(source.base_url)
"""

BARE = """
import json, resource, sys, time
from pathlib import Path
t0 = time.perf_counter()
from weasyprint import HTML
imported = time.perf_counter() - t0
document = HTML(string=Path(sys.argv[1]).read_text(encoding="utf-8"), base_url=sys.argv[2]).render()
document.write_pdf(sys.argv[3])
usage = resource.getrusage(resource.RUSAGE_SELF)
print(json.dumps({"seconds": time.perf_counter() - t0, "pages": len(document.pages),
                  "import_seconds": imported,
                  "cpu": usage.ru_utime + usage.ru_stime, "peak_mb": usage.ru_maxrss / 1024}))
"""


def run(code: str, *args: str) -> str:
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                          check=True).stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--words", type=int, default=170_000)
    parser.add_argument("--chapters", type=int, default=40)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        book = Path(tmp) / "generated"
        words = generate(book, args.words, args.chapters)
        ours = json.loads(run(PIPELINE, str(book), str(Path(tmp) / "out")))
        html = Path(tmp) / "book.html"
        base_url = run(DUMP_HTML, str(book), str(html)).strip()
        bare = json.loads(run(BARE, str(html), base_url, str(Path(tmp) / "bare.pdf")))
    print(f"words               {words}")
    for name, fig in (("make-book", ours), ("bare WeasyPrint", bare)):
        print(f"{name:<18}  pages {fig['pages']:>4}  seconds {fig['seconds']:6.1f}  "
              f"pages/s {fig['pages'] / fig['seconds']:5.1f}  peak {fig['peak_mb']:5.0f} MB")
    print(f"overhead ratio      {ours['seconds'] / bare['seconds']:.2f}  (target <= 1.15; "
          "peak memory target < 1024 MB)")
    if not ours["notes_kept"]:
        print("note: this WeasyPrint could not be kept from deferring footnotes "
              "(render/weasy/notes.py), so chapters were laid out again to repair them")


if __name__ == "__main__":
    main()
