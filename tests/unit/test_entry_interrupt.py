"""Ctrl-C that Typer catches itself (while it reads a command's arguments, or in a command
without a handler of its own) is said with make-book's message, once (make_book.entry)."""

from __future__ import annotations

import pytest
import typer

from make_book.entry import typer_ended_silently


def _ending(command) -> SystemExit:
    app = typer.Typer()
    app.command()(command)
    app.command("other")(lambda: None)  # two commands: the name is an argument
    with pytest.raises(SystemExit) as ended:
        app(["go"], prog_name="make-book")
    return ended.value


def go_interrupted():
    raise KeyboardInterrupt


def go_handled():
    try:
        raise KeyboardInterrupt
    except KeyboardInterrupt:  # as make-book's build command does, after saying it
        raise typer.Exit(130) from None


def go_failed():
    raise typer.Exit(1)


@pytest.mark.parametrize(("command", "silent"), [
    (go_interrupted, True), (go_handled, False), (go_failed, False)])
def test_only_typers_own_ctrl_c_is_said_by_entry(command, silent):
    command.__name__ = "go"
    ended = _ending(command)
    assert ended.code in (130, 1)
    assert typer_ended_silently(ended) is silent
