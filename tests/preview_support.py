"""A small book of our own for the preview's tests, and `make-book preview` run as a
process (as a user runs it) on a free port."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

BOOK_YAML = """\
title: The Lantern Keeper
author: Test Author
lang: en-GB
date: 2024-05-01
"""

CHAPTER_ONE = """\
# The Harbour

The lantern keeper walked the quay at dusk.[^tide] Her rounds began at the
[second chapter's bell](#the-bell).

[^tide]: The tide was high that evening.
"""

CHAPTER_TWO = """\
# The Bell {#the-bell}

A bell rang over the water, twice, and then no more.
"""


def write_book(folder: Path) -> Path:
    """The book, written into ``folder`` (made if needed); returns the folder."""
    (folder / "chapters").mkdir(parents=True, exist_ok=True)
    (folder / "book.yaml").write_text(BOOK_YAML, encoding="utf-8")
    (folder / "chapters" / "01-harbour.md").write_text(CHAPTER_ONE, encoding="utf-8")
    (folder / "chapters" / "02-bell.md").write_text(CHAPTER_TWO, encoding="utf-8")
    return folder


def save(path: Path, text: str) -> None:
    """Write as an editor saves: a new file moved over the old one."""
    temp = path.with_name(f".{path.name}.tmp")
    temp.write_text(text, encoding="utf-8")
    os.replace(temp, path)


class PreviewProcess:
    """``python -m make_book preview BOOK --port 0`` and the URL it serves on."""

    def __init__(self, book: Path, *args: str, timeout: float = 180):
        env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "make_book", "preview", str(book), "--port", "0", *args],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
            cwd=book.parent)
        line = self.proc.stdout.readline()  # the first line names the URL
        found = re.search(r"http://\S+/", line)
        if found is None:
            self.proc.kill()
            raise AssertionError(f"no URL from preview: {line!r} "
                                 f"{self.proc.stderr.read()}")
        self.url = found.group()

    def interrupt(self, timeout: float = 60) -> tuple[int, str]:
        """Ctrl-C: its exit status and what it wrote to stderr."""
        self.proc.send_signal(signal.SIGINT)
        try:
            _, err = self.proc.communicate(timeout=timeout)
        finally:
            if self.proc.poll() is None:
                self.proc.kill()
        return self.proc.returncode, err

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.communicate()


def wait_for(check, timeout: float, what: str, interval: float = 0.2):
    """``check()``'s first true value within ``timeout`` seconds."""
    end = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > end:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(interval)
