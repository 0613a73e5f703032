"""What the command line shows around a build: shell completion, live progress on a
terminal, the summary table. Building itself knows nothing of terminals."""

from __future__ import annotations

import os

from rich.console import Console


def on_terminal(console: Console) -> bool:
    """Whether ``console`` writes to a terminal a line can be redrawn on: a TTY whose TERM
    is not dumb, unless ``TTY_INTERACTIVE`` (rich's switch) says 0 or 1. ``FORCE_COLOR``
    colours a CI log but does not make it a terminal: a pipe or a log gets plain lines."""
    forced = os.environ.get("TTY_INTERACTIVE")
    if forced in ("0", "1"):
        return forced == "1"
    try:
        tty = console.file.isatty()
    except (AttributeError, ValueError):  # no isatty, or a closed file
        return False
    return tty and os.environ.get("TERM", "").lower() not in ("dumb", "unknown")
