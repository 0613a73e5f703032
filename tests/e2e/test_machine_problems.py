"""A machine that lacks a system library, through the real command line: the problem is
said once, about the machine (no book file named), and the build stops with exit 1 and no
traceback. The missing library is simulated in a child process: a stand-in ``weasyprint``
package that fails to import as WeasyPrint does when Pango cannot be loaded, or a
``sitecustomize`` that hides HarfBuzz-Subset from the real WeasyPrint."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT
from tests.security.bookcase import BASE_YAML, write_book

PANGO_MISSING = ("cannot load library 'libpango-1.0-0': libpango-1.0-0: cannot open shared "
                 "object file: No such file or directory")


def two_books(tmp_path: Path) -> Path:
    project = tmp_path / "project"
    for slug in ("first", "second"):
        write_book(project / "manuscript" / slug,
                   {"chapters/01-one.md": "# One\n\nA line of text.\n"}, BASE_YAML)
    return project


def run_python(args: list[str], cwd: Path, shim: Path) -> subprocess.CompletedProcess:
    path = [str(shim), str(ROOT / "src"), os.environ.get("PYTHONPATH", "")]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in path if p)}
    return subprocess.run([sys.executable, *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=300)


def make_book(args: list[str], cwd: Path, shim: Path) -> subprocess.CompletedProcess:
    return run_python(["-m", "make_book", *args], cwd, shim)


def shim_dir(tmp_path: Path, files: dict[str, str]) -> Path:
    shim = tmp_path / "shim"
    for rel, text in files.items():
        (shim / rel).parent.mkdir(parents=True, exist_ok=True)
        (shim / rel).write_text(text, encoding="utf-8")
    return shim


def without_pango(tmp_path: Path) -> Path:
    return shim_dir(tmp_path, {"weasyprint/__init__.py": f"raise OSError({PANGO_MISSING!r})\n"})


def without_harfbuzz_subset(tmp_path: Path) -> Path:
    return shim_dir(tmp_path, {"sitecustomize.py": (
        "from weasyprint.text import ffi\n"
        "ffi.harfbuzz_subset = None  # as if libharfbuzz-subset0 were not installed\n")})


def test_pango_missing_is_said_once_and_nothing_is_built(tmp_path):
    project = two_books(tmp_path)
    done = make_book(["build", "--format", "all", "--out", "out"], project,
                     without_pango(tmp_path))
    assert done.returncode == 1
    assert "Traceback" not in done.stderr + done.stdout
    assert done.stderr.splitlines() == [
        f"make-book: E020 WeasyPrint cannot load a system library, so no PDF can be made: "
        f"{PANGO_MISSING} (hint: install Pango, HarfBuzz (with libharfbuzz-subset0) and "
        "fontconfig; scripts/setup.sh installs what is missing on Debian)",
        "make-book: nothing built: this machine lacks what the build needs"]
    assert not (project / "out").exists()


def test_an_epub_needs_weasyprint_only_to_draw_a_cover(tmp_path):
    """EPUB only: a book with a cover image builds on a machine without Pango (so nothing
    imported WeasyPrint); books whose cover must be drawn fail, the machine said once."""
    project = two_books(tmp_path)
    from PIL import Image
    third = write_book(project / "manuscript" / "third",
                       {"chapters/01-one.md": "# One\n\nA line of text.\n"},
                       BASE_YAML + "cover-image: images/cover.jpg\n")
    (third / "images").mkdir()
    Image.new("RGB", (1600, 2560), (90, 20, 20)).save(third / "images" / "cover.jpg")
    done = make_book(["build", "--format", "epub", "--out", "out"], project,
                     without_pango(tmp_path))
    assert done.returncode == 1
    assert "Traceback" not in done.stderr + done.stdout
    assert [line for line in done.stderr.splitlines() if line.strip()] == [
        f"make-book: E020 WeasyPrint cannot load a system library, so no PDF can be made: "
        f"{PANGO_MISSING} (hint: install Pango, HarfBuzz (with libharfbuzz-subset0) and "
        "fontconfig; scripts/setup.sh installs what is missing on Debian)",
        "first: not built: 1 error(s); earlier artifacts are untouched",
        "second: not built: 1 error(s); earlier artifacts are untouched"]
    assert (project / "out" / "third" / "third.epub").is_file()
    assert not (project / "out" / "first").exists()


def test_a_caller_of_build_book_gets_e020_not_an_oserror(tmp_path):
    project = two_books(tmp_path)
    script = ("from pathlib import Path\n"
              "from make_book.build import build_book\n"
              "r = build_book(Path('manuscript/first'), ['epub'], Path('out'))\n"
              "print(r.ok, [(d.code, d.path) for d in r.diagnostics])\n")
    done = run_python(["-c", script], project, without_pango(tmp_path))
    assert (done.returncode, done.stdout) == (0, "False [('E020', None)]\n")


def test_harfbuzz_subset_missing_is_one_warning_not_one_per_book_and_font(tmp_path):
    project = two_books(tmp_path)
    shim = without_harfbuzz_subset(tmp_path)
    done = make_book(["build", "--format", "pdf", "--out", "out", "manuscript/first"],
                     project, shim)
    assert done.returncode == 0, done.stderr
    assert [line for line in done.stderr.splitlines() if line.strip()] == [
        "make-book: E021 warning: HarfBuzz's subsetting library (4.1 or later) is missing: "
        "WeasyPrint subsets the PDF's fonts with fontTools instead, which it no longer "
        "supports (hint: install libharfbuzz-subset0; scripts/setup.sh installs what is "
        "missing on Debian)"]
    assert (project / "out" / "first" / "first-print.pdf").is_file()

    strict = make_book(["build", "--strict", "--format", "pdf", "--out", "strict"], project,
                       shim)
    assert strict.returncode == 1
    assert [line.split(" warning:")[0] for line in strict.stderr.splitlines()] == [
        "make-book: E021", "make-book: nothing built: this machine lacks what the build needs"]
    assert not (project / "strict").exists()


def test_a_release_without_java_says_so_once_before_building(tmp_path, monkeypatch):
    project = two_books(tmp_path)
    monkeypatch.setenv("PATH", str(tmp_path / "no-programs-here"))  # no java on it
    done = make_book(["release", "--version", "v1", "--out", "rel"], project,
                     shim_dir(tmp_path, {}))
    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        "make-book: E022 Java (java) is not installed, so EPUBCheck cannot check the EPUB "
        "(hint: scripts/setup.sh --test installs default-jre-headless)",
        "nothing released: this machine lacks what the release needs"]
    assert not (project / "rel" / "v1").exists()


ICU_MISSING = "libicui18n.so.72: cannot open shared object file: No such file or directory"


def test_icu_missing_is_said_once_not_a_traceback_on_start(tmp_path):
    project = two_books(tmp_path)
    shim = shim_dir(tmp_path, {"icu/__init__.py": f"raise ImportError({ICU_MISSING!r})\n"})
    done = make_book(["build", "--out", "out"], project, shim)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr + done.stdout
    assert done.stderr.splitlines() == [
        "make-book: E023 PyICU cannot load ICU, which sorts the index and glossaries: "
        f"{ICU_MISSING} (hint: install ICU (libicu-dev), then rebuild PyICU against it (pip "
        "install --force-reinstall --no-cache-dir pyicu); scripts/setup.sh installs what is "
        "missing on Debian)",
        "make-book: nothing built: this machine lacks what the build needs"]
    assert not (project / "out").exists()
