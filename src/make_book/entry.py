"""The ``make-book`` command: Ctrl-C at any moment, even while Python is still importing
the libraries (WeasyPrint, ICU: a second or more on a busy machine), ends with the same
message and status 130 as during a build, never a traceback."""

from __future__ import annotations

import sys

# nothing heavier before the try (a Ctrl-C during an import would end in a traceback):
# the message is a module that imports nothing, which cli.py takes too
from make_book.interrupted import INTERRUPTED


def main() -> None:
    try:
        from make_book.cli import app

        app(prog_name="make-book")
    except KeyboardInterrupt:  # before the commands' own handlers are in place
        print(INTERRUPTED, file=sys.stderr)
        raise SystemExit(130) from None
    except SystemExit as exc:
        if typer_ended_silently(exc):
            print(INTERRUPTED, file=sys.stderr)
        raise


def typer_ended_silently(exc: SystemExit) -> bool:
    """Whether Typer ended the command on a Ctrl-C itself: it turns a KeyboardInterrupt
    into status 130 without a word (``raise Exit(130) from e``, then ``sys.exit``), and a
    command imports its libraries as it runs, Typer's own (pydantic, while it reads the
    arguments) among them. A command's own handler says the message and exits ``from
    None``, so it is not said twice."""
    ended = exc.__context__
    return exc.code == 130 and isinstance(getattr(ended, "__cause__", None), KeyboardInterrupt)
