"""The GitHub workflows validate against GitHub's schema (check-jsonschema's vendored
``vendor.github-workflows``) and do what the release needs."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
WORKFLOWS = ROOT / ".github" / "workflows"
CHECK = Path(sys.executable).parent / "check-jsonschema"


@pytest.mark.skipif(not CHECK.exists(), reason="check-jsonschema is not installed")
@pytest.mark.parametrize("name", ["ci.yml", "release.yml"])
def test_workflow_validates(name):
    done = subprocess.run([str(CHECK), "--builtin-schema", "vendor.github-workflows",
                           str(WORKFLOWS / name)], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def load(name: str) -> dict:
    return yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))


def runs(job: dict) -> str:
    return "\n".join(step.get("run", "") for step in job["steps"])


def test_ci_runs_the_readme_test_command():
    ci = load("ci.yml")
    assert set(ci[True]) == {"push", "pull_request"}  # YAML 1.1 reads `on` as true
    command = "scripts/setup.sh --test && .venv/bin/python -m pytest -q"
    assert command in (ROOT / "README.md").read_text(encoding="utf-8")
    assert command in runs(ci["jobs"]["test"])


def test_release_fans_out_per_book_and_publishes_everything():
    release = load("release.yml")
    assert release[True] == {"push": {"tags": ["v*"]}}
    jobs = release["jobs"]
    assert "make-book list --json" in runs(jobs["list"])
    book = jobs["book"]
    assert book["strategy"]["matrix"]["book"] == "${{ fromJSON(needs.list.outputs.books) }}"
    assert 'make-book release --book "$BOOK"' in runs(book)
    assert "scripts/setup.sh --test" in runs(book)  # Java for EPUBCheck: the gate
    assert any(s.get("uses", "").startswith("actions/upload-artifact") for s in book["steps"])
    publish = jobs["publish"]
    assert publish["needs"] == ["list", "book"]
    assert publish["permissions"] == {"contents": "write"}
    script = runs(publish)
    assert "make-book release --collect collected" in script
    for needed in ("manifest.json", "SHA256SUMS", "gh release upload", "gh release create"):
        assert needed in script
