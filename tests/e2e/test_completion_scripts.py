"""Shell completion through the real ``make-book`` command (entry.py), as each shell's
script asks for it: the environment variables typer's bash, zsh and fish scripts set, in a
subprocess; the scripts themselves from ``--show-completion SHELL``; and bash running its
script for real."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

# the console script beside this Python (pip's, calling make_book.entry:main), else the
# same entry point through `python -m make_book`
SCRIPT = Path(sys.executable).parent / "make-book"
COMMAND = [str(SCRIPT)] if SCRIPT.is_file() else [sys.executable, "-m", "make_book"]


def write_book(folder: Path, title: str) -> None:
    folder.mkdir(parents=True)
    (folder / "book.yaml").write_text(f"title: {title}\nlang: en\n")


@pytest.fixture
def project(tmp_path):
    write_book(tmp_path / "manuscript" / "alpha-book", "Alpha Book")
    write_book(tmp_path / "manuscript" / "beta", "Beta")
    return tmp_path


def run(cwd: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    environment = {**os.environ, "PYTHONPATH": str(ROOT / "src"), **env}
    return subprocess.run([*COMMAND, *args], cwd=cwd, env=environment, capture_output=True,
                          text=True, timeout=120)


def bash(cwd: Path, line: str) -> list[str]:
    words = line.split(" ")
    done = run(cwd, {"_MAKE_BOOK_COMPLETE": "complete_bash", "COMP_WORDS": line,
                     "COMP_CWORD": str(len(words) - 1)})
    assert done.returncode == 0 and not done.stderr, done.stderr
    return done.stdout.split()


def test_bash_completes_book_folders_format_and_slugs(project):
    assert bash(project, "make-book build ") == [
        "manuscript", "manuscript/alpha-book", "manuscript/beta"]
    assert bash(project, "make-book build manuscript/a") == ["manuscript/alpha-book"]
    assert bash(project, "make-book build --format ") == ["epub", "pdf", "screen", "web",
                                                          "kepub", "kindle",
                                                          "all"]
    assert bash(project, "make-book build --format p") == ["pdf"]
    assert bash(project, "make-book list manuscript/") == [
        "manuscript/alpha-book", "manuscript/beta"]
    assert bash(project, "make-book release --book b") == ["beta"]
    assert "build" in bash(project, "make-book ")


def test_zsh_gets_values_with_the_books_titles(project):
    done = run(project, {"_MAKE_BOOK_COMPLETE": "complete_zsh",
                         "_TYPER_COMPLETE_ARGS": "make-book build manuscript/"})
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("_arguments '*: :((")
    assert '"manuscript/alpha-book":"Alpha Book"' in done.stdout
    assert '"manuscript/beta":"Beta"' in done.stdout


def test_fish_gets_values_with_titles_and_is_told_when_to_offer_files(project):
    env = {"_MAKE_BOOK_COMPLETE": "complete_fish", "_TYPER_COMPLETE_ARGS": "make-book build "}
    done = run(project, {**env, "_TYPER_COMPLETE_FISH_ACTION": "get-args"})
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["manuscript\t2 book(s)",
                                        "manuscript/alpha-book\tAlpha Book",
                                        "manuscript/beta\tBeta"]
    # is-args: 0 when we have values (fish offers no files), 1 when we have none
    assert run(project, {**env, "_TYPER_COMPLETE_FISH_ACTION": "is-args"}).returncode == 0
    empty = {**env, "_TYPER_COMPLETE_ARGS": "make-book build nothing-here",
             "_TYPER_COMPLETE_FISH_ACTION": "is-args"}
    assert run(project, empty).returncode == 1


@pytest.mark.parametrize("shell, marker", [
    ("bash", "complete -o default -F _make_book_completion make-book"),
    ("zsh", "compdef _make_book_completion make-book"),
    ("fish", "complete --command make-book"),
])
def test_show_completion_prints_the_shells_script(project, shell, marker):
    done = run(project, {}, "--show-completion", shell)
    assert done.returncode == 0, done.stderr
    assert marker in done.stdout
    assert f"_MAKE_BOOK_COMPLETE=complete_{shell}" in done.stdout


def test_an_unknown_shell_is_a_usage_error(project):
    done = run(project, {}, "--show-completion", "tcsh")
    assert done.returncode == 2
    assert "tcsh" in done.stderr and "Traceback" not in done.stderr


def test_install_completion_writes_the_script_under_home(project, tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    done = run(project, {"HOME": str(home)}, "--install-completion", "fish")
    assert done.returncode == 0, done.stderr
    script = home / ".config" / "fish" / "completions" / "make-book.fish"
    assert "_MAKE_BOOK_COMPLETE=complete_fish" in script.read_text()


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_bash_runs_the_script_it_was_given(project, tmp_path):
    """The script from --show-completion, sourced by bash, fills COMPREPLY by calling
    make-book (found on PATH) back."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "make-book").write_text(
        "#!/bin/sh\nexec " + " ".join(f"'{part}'" for part in COMMAND) + ' "$@"\n')
    (bin_dir / "make-book").chmod(0o755)
    script = run(project, {}, "--show-completion", "bash").stdout
    test = (script + '\nCOMP_WORDS=(make-book build manuscript/); COMP_CWORD=2\n'
            '_make_book_completion make-book\nprintf "%s\\n" "${COMPREPLY[@]}"\n')
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"),
           "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"}
    done = subprocess.run(["bash", "--norc", "--noprofile", "-c", test], cwd=project, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["manuscript/alpha-book", "manuscript/beta"]
