"""manifest.json, SHA256SUMS and collecting per-book results."""

from __future__ import annotations

import hashlib
import json
import subprocess

import pytest

from make_book.release import manifest as mf


def release_dir(root, book: str, files: dict[str, bytes], version="v1", epoch=1700000000):
    folder = root / version
    artifacts = []
    for name, data in files.items():
        path = folder / book / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        fmt = "epub" if name.endswith(".epub") else "onix"
        artifacts.append(mf.artifact_for(folder, path, book=book, format=fmt,
                                         isbn="9781739000004" if fmt == "epub" else None))
    manifest = mf.Manifest(version, epoch, tuple(artifacts), "make-book test")
    (folder / mf.MANIFEST).write_bytes(mf.manifest_bytes(manifest))
    (folder / mf.SUMS).write_bytes(mf.sums_bytes(manifest))
    return folder, manifest


def test_manifest_is_sorted_and_stable(tmp_path):
    folder, manifest = release_dir(tmp_path, "b", {"b-onix.xml": b"<x/>", "b.epub": b"epub"})
    data = json.loads((folder / mf.MANIFEST).read_text())
    assert [a["format"] for a in data["artifacts"]] == ["epub", "onix"]
    assert data["artifacts"][0] == {
        "book": "b", "format": "epub", "isbn": "9781739000004", "path": "b/b.epub", "bytes": 4,
        "sha256": hashlib.sha256(b"epub").hexdigest()}
    assert data["version"] == "v1" and data["source_date_epoch"] == 1700000000
    reordered = mf.Manifest(manifest.version, manifest.source_date_epoch,
                            tuple(reversed(manifest.artifacts)), manifest.generator)
    assert mf.manifest_bytes(reordered) == mf.manifest_bytes(manifest)
    assert mf.manifest_bytes(manifest).endswith(b"}\n")


def test_sums_check_with_sha256sum(tmp_path):
    folder, _ = release_dir(tmp_path, "b", {"b-onix.xml": b"<x/>", "b.epub": b"epub"})
    lines = (folder / mf.SUMS).read_text().splitlines()
    assert lines == [f"{hashlib.sha256(b'<x/>').hexdigest()}  b/b-onix.xml",
                     f"{hashlib.sha256(b'epub').hexdigest()}  b/b.epub"]
    done = subprocess.run(["sha256sum", "-c", mf.SUMS], cwd=folder, capture_output=True,
                          text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_collect_merges_per_book_results(tmp_path):
    release_dir(tmp_path / "job-a", "a", {"a.epub": b"A"})
    release_dir(tmp_path / "job-b", "b", {"b.epub": b"B", "b-onix.xml": b"<b/>"})
    merged = mf.collect([tmp_path / "job-a", tmp_path / "job-b"])
    assert merged.books == ["a", "b"] and merged.version == "v1"
    assert [a.path for a in merged.artifacts] == ["a/a.epub", "b/b.epub", "b/b-onix.xml"]
    assert merged.sources["b/b.epub"] == tmp_path / "job-b" / "v1" / "b" / "b.epub"
    # a folder holding the downloaded artifacts (one level down) works the same
    assert mf.collect([tmp_path]).artifacts == merged.artifacts


def test_collect_refuses_changed_files_and_mixed_versions(tmp_path):
    release_dir(tmp_path / "job-a", "a", {"a.epub": b"A"})
    release_dir(tmp_path / "job-b", "b", {"b.epub": b"B"}, version="v2")
    (tmp_path / "job-a" / "v1" / "a" / "a.epub").write_bytes(b"changed")
    with pytest.raises(mf.CollectError) as info:
        mf.collect([tmp_path / "job-a", tmp_path / "job-b", tmp_path / "nothing-here"])
    codes = sorted(d.code for d in info.value.diagnostics)
    assert codes == ["R050", "R051", "R053"]


def test_collect_refuses_different_source_dates_and_clashing_names(tmp_path):
    release_dir(tmp_path / "job-a", "a", {"x.epub": b"A"})
    release_dir(tmp_path / "job-b", "b", {"x.epub": b"B"}, epoch=1)
    with pytest.raises(mf.CollectError) as info:
        mf.collect([tmp_path / "job-a", tmp_path / "job-b"])
    assert sorted(d.code for d in info.value.diagnostics) == ["R051", "R052"]
