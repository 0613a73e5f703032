"""`make-book release` end to end on a sample book: the full set of files, identical
manifests from two runs, the validation gate, --keep-going, --collect, the version."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import zipfile

import pytest
import typer
from typer.testing import CliRunner

from make_book.errors import Diagnostics
from make_book.release import command, gate, one_book, versioning
from make_book.release import manifest as mf
from make_book.release.inspect import EpubFacts, PdfFacts, PdfFont
from tests.release.conftest import make_meta

SAMPLE = "the-question-of-method"  # the smaller sample: no images, 27 pages
VERSION = "v1.0.0"


@pytest.fixture
def no_java(monkeypatch):
    """EPUBCheck replaced by a stub (its own test below runs the real one once): the EPUBs
    of the samples pass it, as tests/e2e checks."""
    calls = []

    def fake(path):
        calls.append(path)
        if "bad-book" in path.name:
            return [("ERROR", "RSC-005", f"{path.name}/EPUB/text/x.xhtml(1,1)", "broken")]
        return []
    monkeypatch.setattr(gate, "run_epubcheck", fake)
    return calls


def files_of(folder):
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


def test_release_twice_gives_the_full_set_and_identical_manifests(book_copy, tmp_path,
                                                                  no_java, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    root = book_copy(SAMPLE)
    outs = [tmp_path / "run1", tmp_path / "run2"]
    for out in outs:
        assert command.release([root], out, VERSION, False, None, None, False) == 0
    release = outs[0] / VERSION
    assert files_of(release) == sorted([
        "SHA256SUMS", "manifest.json",
        f"{SAMPLE}/{SAMPLE}.epub", f"{SAMPLE}/{SAMPLE}-print.pdf",
        f"{SAMPLE}/{SAMPLE}-cover.jpg", f"{SAMPLE}/{SAMPLE}-cover.pdf",
        f"{SAMPLE}/{SAMPLE}-onix.xml"])
    first, second = ((o / VERSION / mf.MANIFEST).read_bytes() for o in outs)
    assert first == second
    assert (outs[0] / VERSION / mf.SUMS).read_bytes() == (outs[1] / VERSION / mf.SUMS).read_bytes()
    data = json.loads(first)
    by_format = {a["format"]: a for a in data["artifacts"]}
    assert list(by_format) == ["epub", "epub-cover", "print", "print-cover", "onix"]
    assert by_format["epub"]["isbn"] == "9781739000028" and by_format["epub"]["words"] > 1000
    assert by_format["print"]["pages"] == by_format["print-cover"]["pages"] > 0
    assert "isbn" not in by_format["print"]  # the sample has no print ISBN
    assert by_format["print-cover"]["paper"] == "white"
    assert not (outs[0] / f".staging-{VERSION}").exists()
    done = subprocess.run(["sha256sum", "-c", mf.SUMS], cwd=release, capture_output=True)
    assert done.returncode == 0
    assert len(no_java) == 2


def test_gate_refuses_a_failing_book_and_names_the_failure(book_copy, tmp_path, no_java,
                                                           capsys):
    good = book_copy(SAMPLE)
    bad = good.parent / "bad-book"
    shutil.copytree(good, bad)
    out = tmp_path / "out"
    assert command.release([bad, good], out, VERSION, False, None, None, False) == 1
    err = capsys.readouterr().err
    assert "R030 EPUBCheck ERROR RSC-005" in err
    assert "bad-book: R041 not released: failed EPUBCheck" in err
    assert not (out / VERSION).exists()  # nothing released without --keep-going
    assert len(no_java) == 1  # stopped at the first failing book

    assert command.release([bad, good], out, VERSION, True, None, None, False) == 1
    data = json.loads((out / VERSION / mf.MANIFEST).read_text())
    assert {a["book"] for a in data["artifacts"]} == {SAMPLE}
    assert not (out / VERSION / "bad-book").exists()


def test_book_slug_and_strict(book_copy, tmp_path, no_java, capsys):
    root = book_copy(SAMPLE)
    books = root.parent
    assert command.release([books], tmp_path / "o", VERSION, False, "nope", None, False) == 2
    assert "no book 'nope'" in capsys.readouterr().err
    # the sample has warnings (no print ISBN, no prices): --strict refuses it
    assert command.release([books], tmp_path / "o", VERSION, False, SAMPLE, None, True) == 1
    assert "not released: failed" in capsys.readouterr().err


def test_collect_per_book_results(book_copy, tmp_path, no_java):
    root = book_copy(SAMPLE)
    job = tmp_path / "job"
    assert command.release([root], job, VERSION, False, None, None, False) == 0
    downloaded = tmp_path / "collected" / f"book-{SAMPLE}"
    shutil.copytree(job / VERSION, downloaded)  # what actions/download-artifact gives
    out = tmp_path / "dist"
    assert command.release([], out, VERSION, False, None, [tmp_path / "collected"], False) == 0
    assert (out / VERSION / mf.MANIFEST).read_bytes() == (job / VERSION / mf.MANIFEST).read_bytes()
    assert files_of(out / VERSION) == files_of(job / VERSION)
    (downloaded / SAMPLE / f"{SAMPLE}.epub").write_bytes(b"tampered")
    assert command.release([], out, VERSION, False, None, [tmp_path / "collected"], False) == 1


def test_rerelease_keeps_other_books(book_copy, tmp_path, no_java):
    good = book_copy(SAMPLE)
    other = good.parent / "second-book"
    shutil.copytree(good, other)
    out = tmp_path / "out"
    assert command.release([good], out, VERSION, False, None, None, False) == 0
    assert command.release([other], out, VERSION, False, None, None, False) == 0
    data = json.loads((out / VERSION / mf.MANIFEST).read_text())
    assert {a["book"] for a in data["artifacts"]} == {SAMPLE, "second-book"}


def git(cwd, *args):
    subprocess.run(["git", "-c", "user.name=T", "-c", "user.email=t@example.org", *args],
                   cwd=cwd, check=True, capture_output=True)


def test_version_and_source_date_from_git(tmp_path):
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q")
    (repo / "f").write_text("x")
    git(repo, "add", "f")
    subprocess.run(["git", "-c", "user.name=T", "-c", "user.email=t@example.org", "commit",
                    "-q", "-m", "m"], cwd=repo, check=True,
                   env={"GIT_COMMITTER_DATE": "2024-01-02T03:04:05Z", "PATH": "/usr/bin:/bin",
                        "HOME": str(tmp_path)})
    short = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=repo, text=True,
                           capture_output=True).stdout.strip()
    assert versioning.release_version(None, repo) == short
    git(repo, "tag", "v2.1.0")
    assert versioning.release_version(None, repo) == "v2.1.0"
    assert versioning.release_version("v9", repo) == "v9"
    assert versioning.commit_epoch(repo) == 1704164645
    with pytest.raises(versioning.UsageError):
        versioning.release_version("../escape", repo)
    with pytest.raises(versioning.UsageError):
        versioning.release_version("a b", repo)


def test_the_release_date_is_handed_to_each_build_not_through_the_environment(
        tmp_path, monkeypatch):
    """The release's date (the last commit's when SOURCE_DATE_EPOCH is unset) reaches every
    book's build as an argument; the process environment is never written (issue 14)."""
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    seen = []

    def release_book(root, staging, *, strict, on_stage=None, epoch=None):
        seen.append((epoch, os.environ.get("SOURCE_DATE_EPOCH")))
        return one_book.BookRelease(root=root, slug=root.name)
    monkeypatch.setattr(command, "release_book", release_book)
    monkeypatch.setattr(command, "machine_problems", lambda needs: [])
    monkeypatch.setattr(command, "commit_epoch", lambda cwd: 1704164645)
    root = tmp_path / "book"
    root.mkdir()
    (root / "book.yaml").write_text("title: T\n", encoding="utf-8")
    command.release([root], tmp_path / "out", "v1", False, None, None, False)
    assert seen == [(1704164645, None)]
    assert "SOURCE_DATE_EPOCH" not in os.environ
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1000000000")  # the user's own wins
    command.release([root], tmp_path / "out2", "v1", False, None, None, False)
    assert seen[-1] == (1000000000, "1000000000")


def test_typer_command():
    app = typer.Typer()
    app.command("release")(command.release_command)
    app.command("other")(lambda: None)
    result = CliRunner().invoke(app, ["release", "--help"])
    assert result.exit_code == 0
    for option in ("--out", "--version", "--book", "--collect", "--keep-going", "--strict"):
        assert option in result.output
    result = CliRunner().invoke(app, ["release", "--collect", "/nonexistent", "--version", "v1"])
    assert result.exit_code == 1


@pytest.mark.skipif(shutil.which("java") is None, reason="EPUBCheck needs Java")
def test_real_epubcheck_finds_a_broken_epub(tmp_path):
    path = tmp_path / "broken.epub"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("mimetype", "application/epub+zip")
        z.writestr("META-INF/container.xml", "<container/>")
    diagnostics = Diagnostics()
    gate.check_epub(path, diagnostics, None)
    assert diagnostics.errors and {d.code for d in diagnostics.errors} == {"R030"}


def test_font_and_isbn_gates(layout):
    facts = PdfFacts(10, 0, (PdfFont("ABCDEF+LibertinusSerif-Regular", True, 1),
                             PdfFont("DejaVuSans", True, 3),
                             PdfFont("GHIJKL+LibertinusSerif-Bold", False, 4)))
    diagnostics = Diagnostics()
    gate.check_fonts(facts, layout, "print interior", diagnostics, None)
    assert [(d.code, d.message.split(" (")[0]) for d in diagnostics] == [
        ("R032", "print interior: font DejaVuSans is not one of the layout's fonts"),
        ("R031", "print interior: font GHIJKL+LibertinusSerif-Bold is not embedded")]
    diagnostics = Diagnostics()
    gate.check_isbns(make_meta(), EpubFacts(words=1, identifier="urn:uuid:x"), diagnostics,
                     None)
    assert [d.code for d in diagnostics.errors] == ["R033"]
    diagnostics = Diagnostics()
    gate.check_isbns(make_meta(), EpubFacts(words=1, identifier="urn:isbn:9781739000004"),
                     diagnostics, None)
    assert not diagnostics.items


def test_epubcheck_that_cannot_run_refuses(tmp_path, monkeypatch):
    def missing(path):
        raise FileNotFoundError("java")
    monkeypatch.setattr(gate, "run_epubcheck", missing)
    diagnostics = Diagnostics()
    gate.check_epub(tmp_path / "x.epub", diagnostics, None)
    assert [d.code for d in diagnostics.errors] == ["R034"]
