"""Atomic outputs (issue 5): an interrupted, failed or killed build leaves the previous
artifact untouched and no partial file under its name; a killed writer's temporary file is
removed by the next successful build."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from make_book.errors import MakeBookError
from make_book.output import remove_stale_temps, write_atomic
from tests.security.bookcase import PREVIOUS, build, plant_artifact

# the console script a user runs, installed beside this interpreter
CLI = [str(Path(sys.executable).with_name("make-book"))]
WORDS = ("the of and history archive letter river town winter summer quiet road station "
         "ferry bell orchard harbour ledger").split()


@pytest.fixture(scope="module")
def long_book(tmp_path_factory) -> Path:
    """100 chapters with notes: a few seconds of EPUB rendering to interrupt."""
    root = tmp_path_factory.mktemp("long") / "long-book"
    (root / "chapters").mkdir(parents=True)
    (root / "book.yaml").write_text("title: A Long Book\nauthor: A. Writer\nlang: en\n")
    rng = random.Random(5)
    for c in range(100):
        paragraphs = [" ".join(rng.choice(WORDS) for _ in range(60)).capitalize()
                      + f" *{rng.choice(WORDS)}* \"quoted\"[^n{p}]." for p in range(60)]
        notes = "".join(f"[^n{p}]: A note on paragraph {p}.\n" for p in range(60))
        (root / "chapters" / f"{c:03d}.md").write_text(
            f"# Chapter {c}\n\n" + "\n\n".join(paragraphs) + "\n\n" + notes)
    return root


def start_build(book: Path, out: Path) -> subprocess.Popen:
    return subprocess.Popen([*CLI, "build", str(book), "--format", "epub", "--out", str(out)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def stop_after(proc: subprocess.Popen, seconds: float, sig: int) -> tuple[str, str]:
    """Send ``sig`` once the build has run ``seconds`` (imports take about 0.3 s) and is
    still running; return its output."""
    time.sleep(seconds)
    assert proc.poll() is None, "the build finished before it could be interrupted"
    proc.send_signal(sig)
    return proc.communicate(timeout=60)


def files_beside(artifact: Path) -> list[str]:
    return sorted(p.name for p in artifact.parent.iterdir())


def test_the_console_script_runs(tmp_path):
    result = subprocess.run([*CLI, "--version"], capture_output=True, text=True, timeout=60,
                            check=False)
    assert result.returncode == 0 and "make-book" in result.stdout


@pytest.mark.claim("S50")
def test_sigkill_mid_build_leaves_the_previous_artifact(long_book, tmp_path):
    out = tmp_path / "out"
    artifact = plant_artifact(out, "long-book")
    proc = start_build(long_book, out)
    stop_after(proc, 1.0, signal.SIGKILL)
    assert proc.returncode == -signal.SIGKILL
    assert artifact.read_bytes() == PREVIOUS
    leftovers = [n for n in files_beside(artifact) if n != artifact.name]
    assert all(n.startswith(".long-book.epub.") and n.endswith(".tmp") for n in leftovers)


def importing(proc: subprocess.Popen, library: str = "pydantic_core",
              limit: float = 60.0) -> float:
    """Wait until the command is importing its libraries: a compiled module that only
    ``make_book.cli``'s imports load (inside make_book.entry's handler) is mapped into the
    process. A fixed delay missed that moment on a busy machine, where Python's own
    start-up outlasted it (the signal then came before make-book could handle it)."""
    maps = Path(f"/proc/{proc.pid}/maps")
    end = time.monotonic() + limit
    while time.monotonic() < end and proc.poll() is None:
        try:
            if library in maps.read_text(errors="replace"):
                break
        except OSError:
            pass
        time.sleep(0.002)
    return 0.0


@pytest.mark.parametrize("when", [
    pytest.param("build", id="during-the-build"),
    # while the command is still importing its libraries (a second or more on a busy
    # machine): it ends as during a build (make_book.entry)
    pytest.param("imports", id="while-starting-up"),
])
@pytest.mark.claim("S49", "S53")
def test_sigint_exits_with_a_message_and_no_traceback(long_book, tmp_path, when):
    out = tmp_path / "out"
    artifact = plant_artifact(out, "long-book")
    proc = start_build(long_book, out)
    seconds = importing(proc) if when == "imports" else 1.0
    _, stderr = stop_after(proc, seconds, signal.SIGINT)
    assert proc.returncode == 130, stderr
    assert stderr.count("interrupted; earlier artifacts are untouched") == 1, stderr
    assert "Traceback" not in stderr
    assert artifact.read_bytes() == PREVIOUS
    assert files_beside(artifact) == [artifact.name]  # Ctrl-C cleans up its own temp file


KILLED_WRITER = """
import os, sys, time
from pathlib import Path
from make_book import output
def stall(fd):  # the bytes are in the temporary file; the swap has not happened
    print("writing", flush=True)
    time.sleep(120)
output.os.fsync = stall
output.write_atomic(Path(sys.argv[1]), b"half of a new book " * 100_000, Path(sys.argv[2]))
"""


@pytest.mark.claim("S50")
def test_a_writer_killed_mid_write_leaves_a_temp_file_the_next_build_removes(tmp_path):
    book = tmp_path / "small"
    (book / "chapters").mkdir(parents=True)
    (book / "book.yaml").write_text("title: Small\nauthor: A. Writer\nlang: en\n")
    (book / "chapters" / "01.md").write_text("# One\n\nText.\n")
    out = tmp_path / "out"
    artifact = plant_artifact(out, "small")
    writer = subprocess.Popen([sys.executable, "-c", KILLED_WRITER, str(artifact), str(out)],
                              stdout=subprocess.PIPE, text=True)
    assert writer.stdout.readline().strip() == "writing"
    writer.kill()
    writer.wait(timeout=30)
    leftovers = [n for n in files_beside(artifact) if n != artifact.name]
    assert len(leftovers) == 1 and leftovers[0].startswith(f".small.epub.{writer.pid}.")
    assert artifact.read_bytes() == PREVIOUS  # never a partial file under the name

    result = build(book, out)
    assert result.exit_code == 0, result.output
    assert files_beside(artifact) == [artifact.name]
    assert zipfile.is_zipfile(artifact)


@pytest.mark.claim("S50")
def test_a_running_writers_temp_file_is_left_alone(tmp_path):
    target = tmp_path / "out" / "b" / "b.epub"
    target.parent.mkdir(parents=True)
    live = target.parent / f".b.epub.{os.getppid()}.abc123.tmp"  # our parent runs
    dead = target.parent / ".b.epub.999999999.abc123.tmp"
    foreign = target.parent / ".b.epub.tmp"  # no writer named: stale
    other = target.parent / ".c.epub.999999999.abc.tmp"  # another artifact's
    for p in (live, dead, foreign, other):
        p.write_bytes(b"partial")
    write_atomic(target, b"new", tmp_path / "out")
    assert target.read_bytes() == b"new"
    assert sorted(p.name for p in target.parent.iterdir()) == sorted(
        [target.name, live.name, other.name])
    assert remove_stale_temps(target) == []


@pytest.mark.claim("S48")
def test_a_failed_write_leaves_nothing(tmp_path, monkeypatch):
    out = tmp_path / "out"
    artifact = plant_artifact(out, "x")

    def broken_replace(src, dst):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError):
        write_atomic(artifact, b"new bytes", out)
    assert artifact.read_bytes() == PREVIOUS
    assert files_beside(artifact) == [artifact.name]


@pytest.mark.claim("S3")
def test_writes_stay_under_out(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(MakeBookError) as caught:
        write_atomic(tmp_path / "elsewhere.epub", b"x", out)
    assert caught.value.diagnostics[0].code == "B002"
    # a symlink inside out/ that leads outside is outside too
    (tmp_path / "target").mkdir()
    os.symlink(tmp_path / "target", out / "book")
    with pytest.raises(MakeBookError):
        write_atomic(out / "book" / "book.epub", b"x", out)
    assert list((tmp_path / "target").iterdir()) == []


@pytest.mark.claim("S48")
def test_a_failed_build_never_touches_out(tmp_path):
    """Errors are found before anything is written: not even the book's folder appears.
    Only the build cache (OUT/.cache by default) keeps what was parsed, so that fixing one
    chapter parses that chapter alone; with --no-cache nothing at all is written."""
    book = tmp_path / "bad"
    (book / "chapters").mkdir(parents=True)
    (book / "book.yaml").write_text("title: Bad\nlang: en\n")
    (book / "chapters" / "01.md").write_text("# One\n\n<script>x</script>\n")
    result = build(book, tmp_path / "out")
    assert result.exit_code == 1
    assert [p.name for p in (tmp_path / "out").iterdir()] == [".cache"]
    result = build(book, tmp_path / "bare", "--no-cache")
    assert result.exit_code == 1
    assert not (tmp_path / "bare").exists()
