"""The EPUB path with the build cache, through the command line: a warm build writes the
same bytes as a cold one and reports the same warnings; an EPUB-only build whose cover is
an image, or whose generated cover is cached, never loads WeasyPrint."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from tests.conftest import ROOT
from tests.security.bookcase import BASE_YAML, write_book

CHAPTERS = {
    "chapters/01-one.md": "# One\n\nA line with <blink>old markup</blink>.\n",
    "chapters/02-two.md": "# Two\n\nSee [One]. A note.[^a]\n\n[^a]: Its text.\n",
}
PRINT_MODULES = ("weasyprint", "pydyf", "cairocffi", "cffi", "pypdfium2", "pikepdf")
MAKE_BOOK_PRINT = ("make_book.render.print", "make_book.render.retail",
                   "make_book.render.weasy")


def make_book(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        p for p in (str(ROOT / "src"), os.environ.get("PYTHONPATH", "")) if p),
        "SOURCE_DATE_EPOCH": "1700000000"}
    return subprocess.run([sys.executable, "-m", "make_book", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=600, check=False)


def diagnostics(done: subprocess.CompletedProcess) -> list[str]:
    return [line for line in done.stderr.splitlines() if " warning: " in line]


@pytest.mark.claim("S59")
def test_warm_is_byte_identical_and_says_the_same(tmp_path):
    write_book(tmp_path / "book", CHAPTERS)
    cold = make_book(["build", "book", "--format", "epub", "--out", "cold"], tmp_path)
    assert cold.returncode == 0, cold.stderr
    assert any(" C031 " in line for line in diagnostics(cold))
    entries = sorted((tmp_path / "cold" / ".cache").rglob("*"))
    warm = make_book(["build", "book", "--format", "epub", "--out", "warm",
                      "--cache", "cold/.cache"], tmp_path)
    assert warm.returncode == 0, warm.stderr
    assert diagnostics(warm) == diagnostics(cold)
    assert sorted((tmp_path / "cold" / ".cache").rglob("*")) == entries  # all hits
    assert not (tmp_path / "warm" / ".cache").exists()
    assert ((tmp_path / "warm" / "book" / "book.epub").read_bytes()
            == (tmp_path / "cold" / "book" / "book.epub").read_bytes())
    # and under --strict the cached warning still fails the build
    strict = make_book(["build", "book", "--format", "epub", "--out", "warm", "--strict",
                        "--cache", "cold/.cache"], tmp_path)
    assert strict.returncode == 1


def test_one_edited_chapter_is_parsed_again_alone(tmp_path):
    book = write_book(tmp_path / "book", CHAPTERS)
    assert make_book(["build", "book", "-f", "epub", "-o", "out"], tmp_path).returncode == 0
    parsed = tmp_path / "out" / ".cache" / "chapters"
    before = {p.name for p in parsed.rglob("*") if p.is_file()}
    assert len(before) == 2
    chapter = book / "chapters" / "02-two.md"
    chapter.write_text(chapter.read_text() + "\nOne more paragraph.\n")
    edited = make_book(["build", "book", "-f", "epub", "-o", "out"], tmp_path)
    assert edited.returncode == 0, edited.stderr
    after = {p.name for p in parsed.rglob("*") if p.is_file()}
    assert len(after - before) == 1 and before <= after
    fresh = make_book(["build", "book", "-f", "epub", "-o", "fresh", "--no-cache"], tmp_path)
    assert fresh.returncode == 0, fresh.stderr
    assert not (tmp_path / "fresh" / ".cache").exists()
    assert ((tmp_path / "fresh" / "book" / "book.epub").read_bytes()
            == (tmp_path / "out" / "book" / "book.epub").read_bytes())


def test_a_new_title_draws_a_new_cover(tmp_path):
    book = write_book(tmp_path / "book", CHAPTERS)
    assert make_book(["build", "book", "-f", "epub", "-o", "a"], tmp_path).returncode == 0
    (book / "book.yaml").write_text(BASE_YAML.replace("A Test Book", "Another Title"))
    assert make_book(["build", "book", "-f", "epub", "-o", "b", "--cache", "a/.cache"],
                     tmp_path).returncode == 0
    covers = sorted((tmp_path / "a" / ".cache" / "epub-cover").rglob("*"))
    assert len([p for p in covers if p.is_file()]) == 2


LOADED = """
import json, sys
from pathlib import Path
from make_book.build import build_book
result = build_book(Path(sys.argv[1]), ["epub"], Path(sys.argv[2]), cache=Path(sys.argv[3]))
assert result.ok, [d.format() for d in result.diagnostics]
print(json.dumps(sorted(sys.modules)))
"""


def loaded(tmp_path: Path, book: Path) -> set[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    done = subprocess.run([sys.executable, "-c", LOADED, str(book), str(tmp_path / "out"),
                           str(tmp_path / "cache")], env=env, capture_output=True,
                          text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stderr
    names = set(json.loads(done.stdout))
    return names | {m.split(".")[0] for m in names}


def test_an_epub_with_a_cover_image_loads_no_print_machinery(tmp_path):
    book = write_book(tmp_path / "book", CHAPTERS, BASE_YAML + "cover-image: images/c.jpg\n")
    (book / "images").mkdir()
    Image.new("RGB", (1600, 2560), (20, 40, 90)).save(book / "images" / "c.jpg")
    names = loaded(tmp_path, book)
    assert not names & set(PRINT_MODULES)
    # nor make-book's own print, retail or WeasyPrint code (the print progress type aside)
    assert not {m for m in names if m.startswith(MAKE_BOOK_PRINT)} - {
        "make_book.render.print", "make_book.render.print.progress"}


def test_a_cached_generated_cover_loads_no_print_machinery(tmp_path):
    book = write_book(tmp_path / "book", CHAPTERS)
    assert "weasyprint" in loaded(tmp_path, book)  # cold: the cover is drawn
    assert not loaded(tmp_path, book) & set(PRINT_MODULES)


def test_a_warm_build_loads_no_font_reader_nor_worker_pool(tmp_path):
    """The fonts' checks and the chapters are in the cache: fontTools and multiprocessing,
    tens of milliseconds to import, stay unloaded; and a book without citations never
    loads the citation processor."""
    book = write_book(tmp_path / "book", CHAPTERS)
    cold = loaded(tmp_path, book)
    assert "fontTools" in cold  # cold: the layout's fonts are read
    warm = loaded(tmp_path, book)
    assert not warm & {"fontTools", "multiprocessing", "concurrent.futures.process"}
    assert "citeproc" not in cold | warm
