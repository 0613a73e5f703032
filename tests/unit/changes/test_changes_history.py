"""CHANGES.md from a temporary repository: the commits between two tags, grouped."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from make_book.changes.command import changes, make_changes
from make_book.changes.document import changes_markdown, group_of
from make_book.changes.history import Commit, History, HistoryError, history, previous_tag

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def git(cwd, *args):
    subprocess.run(["git", "-c", "user.name=T", "-c", "user.email=t@example.org", *args],
                   cwd=cwd, check=True, capture_output=True,
                   env={"PATH": "/usr/bin:/bin", "HOME": str(cwd),
                        "GIT_AUTHOR_DATE": "2025-01-15T10:00:00Z",
                        "GIT_COMMITTER_DATE": "2025-01-15T10:00:00Z"})


@pytest.fixture
def repo(tmp_path):
    """A catalogue with two books; the book under test at manuscript/a-book."""
    top = tmp_path / "catalogue"
    book = top / "manuscript" / "a-book"
    (book / "chapters").mkdir(parents=True)
    other = top / "manuscript" / "other"
    other.mkdir()
    git(top, "init", "-q")
    (book / "book.yaml").write_text("title: A Book\nlang: en\n", encoding="utf-8")
    (book / "chapters" / "one.md").write_text("# One\n\nA first text.\n", encoding="utf-8")
    git(top, "add", "-A")
    git(top, "commit", "-qm", "First printing")
    git(top, "tag", "v1")
    (book / "chapters" / "one.md").write_text("# One\n\nThe first text.\n", encoding="utf-8")
    git(top, "commit", "-qam", "Correct the *first* sentence")
    (other / "x.md").write_text("x\n", encoding="utf-8")
    git(top, "add", "-A")
    git(top, "commit", "-qm", "Another book's change")
    (book / "book.yaml").write_text("title: A Book\nlang: en\nprintings:\n"
                                    "  - {number: 1}\n  - {number: 2, date: 2025-01}\n",
                                    encoding="utf-8")
    git(top, "commit", "-qam", "Second printing")
    git(top, "tag", "v2")
    return book


def test_history_between_tags_is_the_book_folders_commits(repo):
    found = history(repo, "v1", "v2")
    assert [c.subject for c in found.commits] == ["Correct the *first* sentence",
                                                  "Second printing"]
    assert found.commits[0].files == ("chapters/one.md",)
    assert found.commits[0].date == "2025-01-15"
    assert previous_tag(repo, "v2") == "v1"
    assert previous_tag(repo, "v1") is None


def test_the_changes_file_groups_and_escapes(repo):
    text = make_changes(repo, "v1", "v2").decode()
    assert "From v1 to v2." in text
    assert "This release is the second printing, 2025-01." in text
    text_part = text.index("## Text")
    meta_part = text.index("## Metadata")
    assert text_part < text.index("Correct the \\*first\\* sentence") < meta_part
    assert "Another book" not in text


def test_the_command_writes_where_asked(repo, tmp_path):
    written, problems = changes(repo, "v1", "v2", tmp_path / "out" / "CHANGES.md")
    assert problems == [] and written.read_text().startswith("# Changes: A Book")


def test_refs_that_do_not_fit_are_diagnostics(repo, tmp_path):
    for start, end, code in (("v9", "v2", "D011"), ("v2", "v1", "D012")):
        with pytest.raises(HistoryError) as exc:
            history(repo, start, end)
        assert exc.value.diagnostic.code == code
    outside = tmp_path / "not-git"
    outside.mkdir()
    (outside / "book.yaml").write_text("title: A Book\nlang: en\n", encoding="utf-8")
    written, problems = changes(outside, "v1", "HEAD", tmp_path / "c.md")
    assert written is None and [d.code for d in problems] == ["D010"]


def test_groups():
    def commit(*files):
        return Commit("0" * 40, "2025-01-01", "s", files)
    assert group_of(commit("book.yaml", "chapters/a.md")) == "Text"
    assert group_of(commit("book.yaml")) == "Metadata"
    assert group_of(commit("images/a.png")) == "Images"
    assert group_of(commit("layout/css/print.css")) == "Layout"
    assert group_of(commit("notes.txt")) == "Other"
    empty = changes_markdown(History(None, "v1", ()), "T")
    assert "From the first commit to v1." in empty and "No changes to the book." in empty
