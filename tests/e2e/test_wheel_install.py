"""A non-editable install builds a book anywhere: the wheel built from this tree carries the
house styles, and an installed make-book run far from any checkout uses them.

A full install of every dependency into a fresh venv takes minutes here, so the test builds
the wheel of make-book alone (``pip wheel --no-deps``), installs it with ``--no-deps`` into a
fresh venv, and only then lets that venv see the running interpreter's site-packages (a
``.pth`` line) for the dependencies: ``venv --system-site-packages`` would give it the base
interpreter's, not this venv's, and installing first keeps pip from seeing the checkout's
own (editable) make-book as already installed."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from importlib.metadata import version
from pathlib import Path

import pytest
import weasyprint

from tests.conftest import MANUSCRIPT, ROOT

SAMPLE = "the-question-of-method"
MARKER = "/* this house style came out of the installed wheel */"
SOURCE_FILES = ("pyproject.toml", "setup.py", "MANIFEST.in", "README.md")


def run(args: list, cwd: Path, **kwargs) -> subprocess.CompletedProcess:
    """Run with nothing from the checkout on the path (PYTHONPATH=src is how tests run)."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    return subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=600, **kwargs)


def build_wheel(tmp_path: Path) -> Path:
    """The wheel of a copy of this tree (a build in the tree itself would write build/ and
    *.egg-info into it)."""
    source = tmp_path / "source"
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info")
    for folder in ("src", "layouts"):
        shutil.copytree(ROOT / folder, source / folder, ignore=ignore)
    for name in SOURCE_FILES:
        shutil.copy2(ROOT / name, source / name)
    isolation = []
    if int(version("setuptools").split(".")[0]) >= 77:  # else pip fetches a newer one
        isolation = ["--no-build-isolation"]
    done = run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", *isolation,
                "-w", tmp_path / "wheels", source], tmp_path)
    assert done.returncode == 0, done.stderr
    [wheel] = (tmp_path / "wheels").glob("make_book-*.whl")
    return wheel


def install(wheel: Path, tmp_path: Path) -> Path:
    """A fresh venv with the wheel installed; the dependencies come from this interpreter."""
    venv = tmp_path / "venv"
    assert run([sys.executable, "-m", "venv", "--without-pip", venv], tmp_path).returncode == 0
    python = venv / "bin" / "python"
    done = run([sys.executable, "-m", "pip", "--python", python, "install", "--no-deps",
                "--no-index", "-q", wheel], tmp_path)
    assert done.returncode == 0, done.stderr
    purelib = run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                  tmp_path).stdout.strip()
    dependencies = Path(weasyprint.__file__).resolve().parents[1]
    (Path(purelib) / "make-book-test-dependencies.pth").write_text(f"{dependencies}\n")
    return python


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> tuple[Path, Path]:
    tmp_path = tmp_path_factory.mktemp("wheel-install")
    wheel = build_wheel(tmp_path)
    return wheel, install(wheel, tmp_path)


def test_the_wheel_carries_every_file_of_the_house_styles(installed):
    wheel, _ = installed
    names = set(zipfile.ZipFile(wheel).namelist())
    layouts = {p.relative_to(ROOT / "layouts").as_posix()
               for p in (ROOT / "layouts").rglob("*") if p.is_file()}
    assert layouts  # the default house style at least
    assert {f"make_book/layouts/packaged/{rel}" for rel in layouts} <= names


def test_an_installed_make_book_builds_a_book_far_from_the_checkout(installed, tmp_path):
    _, python = installed
    site = python.parents[1]
    where = run([python, "-c", "import make_book.layouts.chain as c; "
                 "print(c.__file__); print(c.shipped_layouts())"], tmp_path).stdout.split()
    assert [Path(p).is_relative_to(site) for p in where] == [True, True]
    packaged = Path(where[1])
    with (packaged / "default" / "css" / "epub.css").open("a", encoding="utf-8") as css:
        css.write(f"\n{MARKER}\n")  # only this copy has it: the build must have read it

    elsewhere = tmp_path / "elsewhere"  # no layouts/ here nor above the book
    shutil.copytree(MANUSCRIPT / SAMPLE, elsewhere / "books" / SAMPLE)
    done = run([python, "-m", "make_book", "build", f"books/{SAMPLE}", "--out", "out"],
               elsewhere)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    out = elsewhere / "out" / SAMPLE
    assert (out / f"{SAMPLE}-print.pdf").read_bytes().startswith(b"%PDF-")
    with zipfile.ZipFile(out / f"{SAMPLE}.epub") as epub:
        assert MARKER in epub.read("EPUB/css/book.css").decode("utf-8")
