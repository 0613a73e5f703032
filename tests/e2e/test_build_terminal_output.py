"""What `make-book build` writes, through the real command: in pipes (CI, scripts) plain
lines without a control character and the summary as aligned text; on a terminal a live
progress line and the summary as a table."""

from __future__ import annotations

import os
import pty
import re
import subprocess
import sys

import pytest

from tests.conftest import ROOT

COMMAND = [sys.executable, "-m", "make_book"]
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\x9b]")  # all but \t and \n; CSI too


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    """A small book with a warning (a footnote never called: C0xx, not an error)."""
    root = tmp_path_factory.mktemp("terminal")
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    subprocess.run([*COMMAND, "new", "small-book", "--title", "A Small Book", "--into",
                    str(root)], env=env, check=True, capture_output=True, timeout=300)
    chapter = root / "small-book" / "chapters" / "01.md"
    chapter.write_text("# The First Chapter\n\nA sentence of the first chapter.\n\n"
                       "[^unused]: A note nobody calls.\n", encoding="utf-8")
    return root / "small-book"


def environment(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("FORCE_COLOR", "TTY_INTERACTIVE", "TTY_COMPATIBLE", "NO_COLOR")}
    return {**env, "PYTHONPATH": str(ROOT / "src"), **extra}


def test_in_pipes_plain_lines_and_a_plain_summary(book, tmp_path):
    done = subprocess.run([*COMMAND, "build", str(book), "--out", str(tmp_path / "out")],
                          env=environment(TERM="xterm-256color"), capture_output=True,
                          text=True, timeout=900)
    assert done.returncode == 0, done.stderr
    assert not CONTROL.search(done.stdout), done.stdout
    assert not CONTROL.search(done.stderr), done.stderr
    warnings = [line for line in done.stderr.splitlines() if re.search(r": [A-Z]\d{3} ", line)]
    assert warnings, done.stderr  # the unused note, printed verbatim as ever
    lines = done.stdout.splitlines()
    table = lines[next(i for i, line in enumerate(lines) if line.startswith("book ")):]
    assert re.fullmatch(r"book +format +pages +size +time +warnings", table[0])
    assert re.fullmatch(r"small-book +epub +\d+ docs +[\d.]+ [KM]B +[\d.]+ s +\d+", table[1])
    assert re.fullmatch(r"small-book +pdf +\d+ +[\d.]+ [KM]B +[\d.]+ s +\d+", table[2])
    assert re.fullmatch(rf"total \(1 book\) +[\d.]+ [KM]B +[\d.:]+( s)? +{len(warnings)}",
                        table[3])
    # the columns line up: each header ends where its numbers end
    assert {len(row) for row in table} == {len(table[0])}


def test_on_a_terminal_a_progress_line_and_a_table(book, tmp_path):
    controller, terminal = pty.openpty()
    process = subprocess.Popen(
        [*COMMAND, "build", str(book), "--out", str(tmp_path / "out"), "--format", "pdf"],
        env=environment(TERM="xterm-256color", COLUMNS="120"), stdin=subprocess.DEVNULL,
        stdout=terminal, stderr=terminal)
    os.close(terminal)
    chunks = []
    while True:
        try:
            chunk = os.read(controller, 65536)
        except OSError:  # the terminal closes with the process (EIO)
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(controller)
    assert process.wait(timeout=900) == 0
    shown = b"".join(chunks).decode("utf-8", "replace")
    assert "\x1b[" in shown  # drawn and redrawn in place
    assert "small-book: loading" in shown or "small-book: print" in shown
    assert "\u2500" * 5 in shown  # the table's rule under its header
    assert re.search(r"small-book +pdf +\d+ ", re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", shown))
