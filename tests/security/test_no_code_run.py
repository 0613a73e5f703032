"""The build runs no program of a manuscript's choosing, and the programs it does run (git for
a release's version and date, Java for EPUBCheck) get none of the caller's environment
(issue 13)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from make_book import external
from make_book.release import gate, versioning

needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
SECRET = "mb-secret-7f3a9c"


def _script(path: Path, marker: Path) -> Path:
    """An executable that records that it ran, and its environment."""
    path.write_text(f"#!/bin/sh\necho \"ran $0 $*\" >> {marker}\nenv >> {marker}\n")
    path.chmod(0o755)
    return path


def _plain_git(repo: Path, *args: str, check: bool = False, **kw
               ) -> subprocess.CompletedProcess:
    return subprocess.run(["git", "-c", "user.name=T", "-c", "user.email=t@example.org",
                           *args], cwd=repo, capture_output=True, text=True, check=check,
                          **kw)


def _hostile_repo(tmp_path: Path) -> tuple[Path, Path]:
    """A repository whose HEAD is a signed commit and whose .git/config names a program
    everywhere git would run one; (repo, marker file the program writes)."""
    repo, marker = tmp_path / "book", tmp_path / "marker.txt"
    repo.mkdir()
    _plain_git(repo, "init", "-q", check=True)
    (repo / "book.yaml").write_text("title: T\nlang: en\n")
    _plain_git(repo, "add", "book.yaml", check=True)
    _plain_git(repo, "commit", "-q", "-m", "first", check=True)
    tree = _plain_git(repo, "rev-parse", "HEAD^{tree}", check=True).stdout.strip()
    parent = _plain_git(repo, "rev-parse", "HEAD", check=True).stdout.strip()
    signed = (f"tree {tree}\nparent {parent}\n"
              "author T <t@example.org> 1704164645 +0000\n"
              "committer T <t@example.org> 1704164645 +0000\n"
              "gpgsig -----BEGIN PGP SIGNATURE-----\n \n QUFBQQ==\n"
              " -----END PGP SIGNATURE-----\n\nsigned\n")
    commit = _plain_git(repo, "hash-object", "-t", "commit", "-w", "--stdin", input=signed,
                        check=True).stdout.strip()
    _plain_git(repo, "update-ref", "HEAD", commit, check=True)
    evil = _script(tmp_path / "evil.sh", marker)
    hooks = repo / ".git" / "hooks"
    for hook in ("post-checkout", "post-index-change", "reference-transaction"):
        _script(hooks / hook, marker)
    with (repo / ".git" / "config").open("a") as config:
        config.write(f"[core]\n\tfsmonitor = {evil}\n\tpager = {evil}\n\thooksPath = {hooks}\n"
                     f"\taskPass = {evil}\n\tsshCommand = {evil}\n"
                     f"[log]\n\tshowSignature = true\n"
                     f"[gpg]\n\tprogram = {evil}\n"
                     f"[diff]\n\texternal = {evil}\n"
                     f"[alias]\n\tdescribe = !{evil}\n\tlg = !{evil}\n"
                     f"[credential]\n\thelper = !{evil}\n")
    return repo, marker


@pytest.mark.claim("S16")
@needs_git
def test_planted_git_config_runs_nothing(tmp_path, monkeypatch):
    repo, marker = _hostile_repo(tmp_path)
    # the instrument works: git as a user runs it, the planted config is live
    _plain_git(repo, "log", "-1", "--format=%ct")
    assert marker.is_file() and "ran" in marker.read_text()
    marker.unlink()

    monkeypatch.setenv("MB_SECRET", SECRET)
    short = _plain_git(repo, "rev-parse", "--short", "HEAD").stdout.strip()
    assert versioning.release_version(None, repo) == short
    assert versioning.commit_epoch(repo) == 1704164645
    # a tag written as a file: `git tag` would run the planted hooks itself
    (repo / ".git" / "refs" / "tags" / "v1.2.3").write_text(
        _plain_git(repo, "rev-parse", "HEAD").stdout)
    assert versioning.release_version(None, repo) == "v1.2.3"
    assert not marker.exists(), marker.read_text()


@pytest.mark.claim("S17")
@needs_git
def test_a_repository_owned_by_another_user_is_not_trusted(tmp_path):
    """No safe.directory is granted: git's own ownership check stands. Only root can
    make a folder someone else's, so the test needs root (CI runs as root)."""
    if os.geteuid() != 0:
        pytest.skip("needs root to give the repository another owner")
    repo, marker = _hostile_repo(tmp_path)
    for path in [repo, *repo.rglob("*")]:
        os.lchown(path, 12345, 12345)
    assert versioning.commit_epoch(repo) is None
    with pytest.raises(versioning.UsageError, match="pass --version"):
        versioning.release_version(None, repo)
    assert not marker.exists()


def _fake_program(folder: Path, name: str, record: Path, stdout: str = "") -> None:
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_text(f"#!/bin/sh\nenv > {record}\necho \"$@\" >> {record}\n"
                    f"cat <<'EOF'\n{stdout}\nEOF\n")
    path.chmod(0o755)


def _environment(record: Path) -> dict[str, str]:
    return dict(line.split("=", 1) for line in record.read_text().splitlines()
                if "=" in line and not line.startswith("-"))


@pytest.mark.claim("S1", "S15")
def test_git_gets_a_clean_environment(tmp_path, monkeypatch):
    record = tmp_path / "env.txt"
    _fake_program(tmp_path / "bin", "git", record, "v9.9.9")
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}:{os.environ['PATH']}")
    monkeypatch.setenv("MB_SECRET", SECRET)
    monkeypatch.setenv("GIT_DIR", str(tmp_path / "elsewhere"))
    monkeypatch.setenv("GIT_CONFIG_PARAMETERS", "'core.fsmonitor=/tmp/x'")
    assert versioning.release_version(None, tmp_path) == "v9.9.9"
    env = _environment(record)
    assert SECRET not in record.read_text()
    assert "GIT_DIR" not in env and "GIT_CONFIG_PARAMETERS" not in env
    assert env["GIT_CONFIG_GLOBAL"] == "/dev/null" and env["GIT_CONFIG_NOSYSTEM"] == "1"
    assert Path(env["HOME"]).name.startswith("make-book-home-")  # an empty, temporary one
    assert not Path(env["HOME"]).exists()  # and gone afterwards
    argv = record.read_text().splitlines()[-1]
    assert "core.fsmonitor=false" in argv and "log.showSignature=false" in argv
    assert "--no-pager" in argv


@pytest.mark.claim("S1", "S15")
def test_epubcheck_java_gets_a_clean_environment(tmp_path, monkeypatch):
    record = tmp_path / "env.txt"
    report = {"checker": {"filename": "x.epub"}, "messages": [
        {"ID": "RSC-005", "severity": "ERROR", "message": "bad", "suggestion": None,
         "locations": [{"path": "EPUB/a.xhtml", "line": 3, "column": -1}]}]}
    _fake_program(tmp_path / "bin", "java", record, json.dumps(report))
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}:{os.environ['PATH']}")
    monkeypatch.setenv("MB_SECRET", SECRET)
    monkeypatch.setenv("JAVA_TOOL_OPTIONS", "-javaagent:/tmp/agent.jar")
    messages = gate.run_epubcheck(tmp_path / "x.epub")
    assert messages == [("ERROR", "RSC-005", "x.epub/EPUB/a.xhtml:3", "bad")]
    text = record.read_text()
    assert SECRET not in text and "JAVA_TOOL_OPTIONS" not in text and "javaagent" not in text


def test_epubcheck_without_a_report_is_a_refusal_not_a_crash(tmp_path, monkeypatch):
    _fake_program(tmp_path / "bin", "java", tmp_path / "env.txt", "not json")
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}:{os.environ['PATH']}")
    with pytest.raises(ValueError, match="no report"):
        gate.run_epubcheck(tmp_path / "x.epub")


@pytest.mark.claim("S15")
def test_a_program_that_hangs_is_stopped(tmp_path, monkeypatch):
    folder = tmp_path / "bin"
    folder.mkdir()
    (folder / "git").write_text("#!/bin/sh\nsleep 30\n")
    (folder / "git").chmod(0o755)
    monkeypatch.setenv("PATH", f"{folder}:{os.environ['PATH']}")
    with pytest.raises(subprocess.TimeoutExpired):
        external.run(["git"], timeout=0.5)
