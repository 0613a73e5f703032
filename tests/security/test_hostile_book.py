"""End to end (issue 13): a hostile manuscript, arriving as a git repository with its own
configuration and layout override, is built and released next to a secret file and a
secret in the environment while a local server watches. No program of its choosing runs,
no secret reaches an output or the log, nothing is fetched, the build fails cleanly (or
succeeds cleanly) and the earlier artifacts stay as they were."""

from __future__ import annotations

import contextlib
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from make_book.cli import app
from tests.security.bookcase import PREVIOUS, assert_clean_result, write_book

SECRET_FILE = "MB-FILE-SECRET-91b2"
SECRET_ENV = "MB-ENV-SECRET-5e77"
runner = CliRunner()

needs_tools = pytest.mark.skipif(
    shutil.which("git") is None or shutil.which("pdftotext") is None,
    reason="needs git and pdftotext")


def _git(repo: Path, *args: str, **kw) -> str:
    return subprocess.run(["git", "-c", "user.name=T", "-c", "user.email=t@example.org",
                           *args], cwd=repo, capture_output=True, text=True, check=True,
                          **kw).stdout.strip()


def _make_hostile_repo(book: Path, marker: Path) -> str:
    """Commit the book, sign HEAD with a fake signature, plant a config that names a
    program everywhere git could run one; returns the short commit (the version)."""
    _git(book, "init", "-q")
    _git(book, "add", "-A")
    _git(book, "commit", "-q", "-m", "manuscript")
    tree, parent = _git(book, "rev-parse", "HEAD^{tree}"), _git(book, "rev-parse", "HEAD")
    signed = (f"tree {tree}\nparent {parent}\nauthor T <t@example.org> 1704164645 +0000\n"
              "committer T <t@example.org> 1704164645 +0000\n"
              "gpgsig -----BEGIN PGP SIGNATURE-----\n \n QUFBQQ==\n"
              " -----END PGP SIGNATURE-----\n\nsigned\n")
    _git(book, "update-ref", "HEAD",
         _git(book, "hash-object", "-t", "commit", "-w", "--stdin", input=signed))
    evil = book.parent / "evil.sh"
    evil.write_text(f"#!/bin/sh\necho \"ran $0 $*\" >> {marker}\nenv >> {marker}\n"
                    f"curl -s http://127.0.0.1:1/ 2>/dev/null\n")
    evil.chmod(0o755)
    with (book / ".git" / "config").open("a") as config:
        config.write(f"[core]\n\tfsmonitor = {evil}\n\tpager = {evil}\n"
                     f"\thooksPath = {book.parent}\n[log]\n\tshowSignature = true\n"
                     f"[gpg]\n\tprogram = {evil}\n[diff]\n\texternal = {evil}\n"
                     f"[alias]\n\tlog = !{evil}\n")
    return _git(book, "rev-parse", "--short", "HEAD")


def _hostile_book(tmp_path: Path, port: int) -> tuple[Path, Path]:
    secret = tmp_path / "private" / "secret.txt"
    secret.parent.mkdir()
    secret.write_text(f"{SECRET_FILE}\n")
    host = f"127.0.0.1:{port}"
    book = write_book(tmp_path / "project" / "manuscript" / "hostile", {
        "chapters/01-one.md": (
            "# One\n\n"
            f"![secret](../../../../private/secret.txt)\n\n"
            f"<img src=\"http://{host}/pixel.png\" alt=\"\">\n\n"
            "<script>document.write(1)</script>\n\n"
            f"<a href=\"file://{secret}\">a file</a>\n\n"
            "Plain text.\n"),
        "layout/templates/epub/chapter.xhtml":
            '{% extends "epub/base.xhtml" %}{% block content %}'
            "{{ cycler.__init__.__globals__.os.environ.MB_SECRET }}"
            "{{ body }}{% endblock %}",
        "layout/templates/print/chapter.html":
            "<section>{{ book.root.joinpath('../../../private/secret.txt').read_text() }}"
            "{{ body }}</section>",
        "layout/css/epub.css": f'p {{ background: image-set("http\\3a //{host}/a.png" 1x) }}',
    })
    (book / "layout" / "css" / "print.css").symlink_to(secret)
    (book / "images").mkdir()
    (book / "images" / "leak.png").symlink_to(secret)
    return book, secret


def _texts_of(folder: Path) -> str:
    """Everything readable in ``folder``: files, the members of zips, the text of PDFs."""
    out: list[str] = []
    for path in sorted(folder.rglob("*")):
        if not path.is_file():
            continue
        data = path.read_bytes()
        out.append(data.decode("latin-1"))
        if zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as z:
                out.extend(z.read(n).decode("latin-1") for n in z.namelist())
        if data.startswith(b"%PDF"):
            out.append(subprocess.run(["pdftotext", str(path), "-"], capture_output=True,
                                      text=True, check=True).stdout)
    return "\n".join(out)


def _invoke(args: list[str], cwd: Path):
    with contextlib.chdir(cwd):
        return runner.invoke(app, args)


@pytest.mark.claim("S1", "S2", "S4", "S51")
@needs_tools
def test_a_hostile_book_is_built_and_released_without_harm(http_server, tmp_path,
                                                           monkeypatch):
    monkeypatch.setenv("MB_SECRET", SECRET_ENV)
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    marker = tmp_path / "ran.txt"
    book, _secret = _hostile_book(tmp_path, http_server.port)
    version = _make_hostile_repo(book, marker)
    project = book.parents[1]

    build_out = tmp_path / "build"
    earlier_build = {build_out / "hostile" / "hostile.epub": PREVIOUS,
                     build_out / "hostile" / "hostile-print.pdf": PREVIOUS + b"pdf"}
    release_out = tmp_path / "release"
    earlier_release = {release_out / version / "hostile" / "hostile.epub": PREVIOUS,
                       release_out / version / "manifest.json": b'{"earlier": true}\n',
                       release_out / version / "SHA256SUMS": b"0  hostile/hostile.epub\n"}
    for path, data in (earlier_build | earlier_release).items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)

    built = _invoke(["build", str(book), "--format", "all", "--out", str(build_out)], project)
    released = _invoke(["release", str(book), "--out", str(release_out)], project)

    for result in (built, released):
        assert_clean_result(result)
        assert result.exit_code == 1, result.output
        assert SECRET_FILE not in result.output and SECRET_ENV not in result.output
    assert not marker.exists(), marker.read_text()
    assert http_server.requests == []
    for path, data in (earlier_build | earlier_release).items():
        assert path.read_bytes() == data, path
    everything = _texts_of(build_out) + _texts_of(release_out)
    assert SECRET_FILE not in everything and SECRET_ENV not in everything
    # the refusals were said, each in its own words (the templates never render: the
    # book has errors; tests/security/test_layout_override.py renders them)
    for code in (" L020 ", " C030 ", " E010 "):
        assert code in built.output, (code, built.output)


@needs_tools
def test_a_good_book_in_a_hostile_repository_releases_cleanly(tmp_path, monkeypatch):
    """The release runs git (version, date) and EPUBCheck's Java for real here: the book is
    released, and the planted configuration never ran."""
    if shutil.which("java") is None:
        pytest.skip("EPUBCheck needs Java")
    monkeypatch.setenv("MB_SECRET", SECRET_ENV)
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    marker = tmp_path / "ran.txt"
    book = write_book(tmp_path / "project" / "manuscript" / "fine", {
        "chapters/01-one.md": "# One\n\nA chapter of plain text, signed by no one.\n"},
        "title: A Fine Book\nauthor: A. Writer\nlang: en\npublisher: Test Press\n")
    version = _make_hostile_repo(book, marker)
    out = tmp_path / "release"
    result = _invoke(["release", str(book), "--out", str(out)], book.parents[1])
    assert_clean_result(result)
    assert result.exit_code == 0, result.output
    assert not marker.exists(), marker.read_text()
    assert (out / version / "fine" / "fine.epub").is_file()
    everything = _texts_of(out)
    assert SECRET_ENV not in everything and SECRET_ENV not in result.output
