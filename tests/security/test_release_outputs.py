"""A failed `release` never removes or replaces an earlier release's files (issue 13).

The building of a book is replaced by a stand-in that writes small files the way
`release_book` does (a real build is tested in tests/release/): what is tested here is
what happens to the release folder when something fails after the books were built."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from make_book.catalogue import root_slug
from make_book.release import command, one_book
from make_book.release import manifest as mf
from make_book.release.publish import publish
from tests.security.bookcase import write_book

VERSION = "v1.0.0"
CHAPTER = {"chapters/01-one.md": "# One\n\nA short text of our own.\n"}


@pytest.fixture
def fake_build(monkeypatch):
    """`release_book` as a stand-in: `<slug>.epub` holding ``edition[0]``, or a failed book
    for folders named in ``failing``."""
    edition = ["first"]
    failing: set[str] = set()

    def release_book(root, staging, *, strict, on_stage=None, epoch=None):
        slug = root_slug(root)
        rel = one_book.BookRelease(root=root, slug=slug)
        if root.name in failing:
            rel.diagnostics.error("R030", "EPUBCheck ERROR RSC-005 (stand-in)")
            return rel
        path = staging / slug / f"{slug}.epub"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"{slug} {edition[0]}")
        rel.artifacts = [mf.artifact_for(staging, path, book=slug, format="epub")]
        rel.staged, rel.ok = staging / slug, True
        return rel
    monkeypatch.setattr(command, "release_book", release_book)
    monkeypatch.setattr(command, "machine_problems", lambda needs: [])
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    return edition, failing


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def leftovers(out: Path) -> list[str]:
    return sorted(p.name for p in out.iterdir() if p.name.startswith("."))


def release(roots, out, keep_going=False, book=None) -> int:
    return command.release(roots, out, VERSION, keep_going, book, None, False)


@pytest.mark.claim("S51")
def test_a_release_failing_while_writing_the_manifest_keeps_the_earlier_one(
        tmp_path, fake_build, monkeypatch, capsys):
    edition, _ = fake_build
    books = tmp_path / "manuscript"
    one, two = write_book(books / "one", CHAPTER), write_book(books / "two", CHAPTER)
    out = tmp_path / "out"
    assert release([one, two], out) == 0
    before = snapshot(out / VERSION)
    assert before["one/one.epub"] == b"one first"

    edition[0] = "second"
    real_write = command.write_atomic

    def full_disk(path, data, out_dir):  # the manifest is written, the checksums are not
        if path.name == mf.SUMS:
            raise OSError(28, "No space left on device")
        return real_write(path, data, out_dir)
    monkeypatch.setattr(command, "write_atomic", full_disk)
    capsys.readouterr()
    assert release([one, two], out) == 1
    err = capsys.readouterr().err
    assert "R070 the release could not be written" in err and "No space left" in err
    assert snapshot(out / VERSION) == before
    assert leftovers(out) == []


@pytest.mark.claim("S51")
def test_a_release_failing_while_moving_books_in_keeps_the_earlier_one(
        tmp_path, fake_build, monkeypatch):
    edition, _ = fake_build
    books = tmp_path / "manuscript"
    roots = [write_book(books / n, CHAPTER) for n in ("one", "three", "two")]
    out = tmp_path / "out"
    assert release(roots, out) == 0
    before = snapshot(out / VERSION)

    edition[0] = "second"
    real_replace = os.replace
    calls = []

    def failing_replace(source, target):  # the third book's move fails
        calls.append(target)
        if Path(target) == out / VERSION / "two" and ".staging-" in str(source):
            raise PermissionError(13, "Permission denied")
        return real_replace(source, target)
    monkeypatch.setattr(os, "replace", failing_replace)
    assert release(roots, out) == 1
    assert snapshot(out / VERSION) == before
    assert leftovers(out) == []


@pytest.mark.claim("S51")
def test_a_failing_book_releases_nothing_and_keeps_the_earlier_release(tmp_path, fake_build):
    edition, failing = fake_build
    books = tmp_path / "manuscript"
    roots = [write_book(books / n, CHAPTER) for n in ("one", "two")]
    out = tmp_path / "out"
    assert release(roots, out) == 0
    before = snapshot(out / VERSION)
    edition[0] = "second"
    failing.add("two")
    assert release(roots, out) == 1
    assert snapshot(out / VERSION) == before
    # --keep-going: the passing book is replaced, the failing one keeps its earlier files
    assert release(roots, out, keep_going=True) == 1
    after = snapshot(out / VERSION)
    assert after["one/one.epub"] == b"one second" and after["two/two.epub"] == b"two first"
    manifest = json.loads(after[mf.MANIFEST])
    assert {a["book"] for a in manifest["artifacts"]} == {"one", "two"}
    assert leftovers(out) == []


@pytest.mark.claim("S47")
def test_books_with_one_slug_are_not_released(tmp_path, fake_build, capsys):
    edition, _ = fake_build
    books = tmp_path / "manuscript"
    out = tmp_path / "out"
    first = write_book(books / "the-book", CHAPTER)
    assert release([first], out) == 0
    before = snapshot(out / VERSION)
    write_book(books / "the_book", CHAPTER)
    edition[0] = "forged"
    capsys.readouterr()
    for keep_going in (False, True):
        assert release([books], out, keep_going=keep_going) == 1
        err = capsys.readouterr().err
        assert "B040 book folders 'the-book' and 'the_book'" in err
        assert "the-book: R041 not released: failed slug" in err
        assert snapshot(out / VERSION) == before
    # `--book the-book` selects both folders: still refused
    assert release([books], out, book="the-book") == 1
    assert snapshot(out / VERSION) == before


@pytest.mark.claim("S51")
def test_publish_undoes_everything_when_finishing_fails(tmp_path):
    release_dir = tmp_path / "out" / VERSION
    (release_dir / "a").mkdir(parents=True)
    (release_dir / "a" / "a.epub").write_text("old a")
    (release_dir / mf.MANIFEST).write_text("old manifest")
    staging = tmp_path / "out" / ".staging"
    for name in ("a", "b"):
        (staging / name).mkdir(parents=True)
        (staging / name / f"{name}.epub").write_text(f"new {name}")
    before = snapshot(release_dir)

    def finish():
        (release_dir / mf.MANIFEST).write_text("new manifest")
        (release_dir / mf.SUMS).write_text("new sums")
        raise RuntimeError("a bug after the manifest was written")
    with pytest.raises(RuntimeError):
        publish({"a": staging / "a", "b": staging / "b"}, release_dir,
                (mf.MANIFEST, mf.SUMS), finish)
    assert snapshot(release_dir) == before
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [".staging", VERSION]


def test_publish_into_a_new_folder_leaves_nothing_when_it_fails(tmp_path):
    release_dir = tmp_path / "out" / VERSION
    staging = tmp_path / "out" / ".staging"
    (staging / "a").mkdir(parents=True)
    (staging / "a" / "a.epub").write_text("new a")

    def finish():
        raise OSError("disk full")
    with pytest.raises(OSError):
        publish({"a": staging / "a"}, release_dir, (mf.MANIFEST,), finish)
    assert not release_dir.exists()


def test_stale_staging_folders_of_killed_runs_are_removed(tmp_path, fake_build):
    books = tmp_path / "manuscript"
    out = tmp_path / "out"
    dead = out / f".staging-{VERSION}.999999999.abc"  # no such process
    (dead / "one").mkdir(parents=True)
    alive = out / f".staging-{VERSION}.{os.getppid()}.abc"  # a running release's
    alive.mkdir()
    assert release([write_book(books / "one", CHAPTER)], out) == 0
    assert leftovers(out) == [alive.name]


@pytest.mark.claim("S51")
def test_a_release_killed_while_publishing_keeps_the_earlier_folders_aside(tmp_path,
                                                                           monkeypatch):
    """A killed process cannot undo anything: what it moved aside stays, never deleted."""
    from make_book.release import publish as publishing
    release_dir = tmp_path / "out" / VERSION
    (release_dir / "a").mkdir(parents=True)
    (release_dir / "a" / "a.epub").write_text("old a")
    (tmp_path / "staging" / "a").mkdir(parents=True)
    (tmp_path / "staging" / "a" / "a.epub").write_text("new a")
    monkeypatch.setattr(publishing, "_undo", lambda *args: None)  # the kill: no clean-up

    def killed():
        raise KeyboardInterrupt
    with pytest.raises(KeyboardInterrupt):
        publish({"a": tmp_path / "staging" / "a"}, release_dir, (), killed)
    aside = [p for p in (tmp_path / "out").iterdir() if p.name.startswith(".replaced.")]
    assert len(aside) == 1 and (aside[0] / "a" / "a.epub").read_text() == "old a"


@pytest.mark.claim("S51")
def test_a_collect_failing_midway_keeps_the_earlier_release(tmp_path, fake_build,
                                                            monkeypatch, capsys):
    edition, _ = fake_build
    books = tmp_path / "manuscript"
    roots = [write_book(books / n, CHAPTER) for n in ("one", "two")]
    jobs, out = tmp_path / "jobs", tmp_path / "out"
    assert release(roots, jobs / "first") == 0
    assert command.release([], out, VERSION, False, None, [jobs / "first"], False) == 0
    before = snapshot(out / VERSION)
    edition[0] = "second"
    assert release(roots, jobs / "second") == 0
    real_write = command.write_atomic
    written = []

    def failing(path, data, out_dir):  # the second file cannot be copied
        written.append(path)
        if len(written) == 2:
            raise OSError(5, "Input/output error")
        return real_write(path, data, out_dir)
    monkeypatch.setattr(command, "write_atomic", failing)
    capsys.readouterr()
    assert command.release([], out, VERSION, False, None, [jobs / "second"], False) == 1
    assert "R070 the release could not be written (OSError: [Errno 5]" in capsys.readouterr().err
    assert snapshot(out / VERSION) == before
    assert leftovers(out) == []
    monkeypatch.setattr(command, "write_atomic", real_write)
    assert command.release([], out, VERSION, False, None, [jobs / "second"], False) == 0
    assert snapshot(out / VERSION)["two/two.epub"] == b"two second"
