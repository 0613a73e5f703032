"""An edit renders again only the pages it changes: the edited chapter's, and those that
read what changed in it (a page linking to its heading, the notes file, the index)."""

from __future__ import annotations

from make_book.preview.session import Session
from tests.preview_support import save
from tests.unit.preview.test_preview_session import FakeWorker


def _book(root, chapters: int = 10, yaml: str = ""):
    (root / "chapters").mkdir(parents=True)
    (root / "book.yaml").write_text(f"title: Ten\nlang: en-GB\n{yaml}", encoding="utf-8")
    for n in range(1, chapters + 1):
        text = f"# Chapter {n}\n\nThe {n}th text, with a note.[^n]\n\n[^n]: Note {n}.\n"
        if n == 1:
            text += "\nSee [the last one](#last).\n"
        if n == chapters:
            text = text.replace(f"# Chapter {n}", f"# Chapter {n} {{#last}}")
        (root / "chapters" / f"{n:02}.md").write_text(text, encoding="utf-8")
    return root


def _session(tmp_path, **kwargs) -> Session:
    session = Session(_book(tmp_path / "book", **kwargs), tmp_path, worker_factory=FakeWorker)
    assert session.rebuild().ok
    return session


def _edit(session: Session, n: int, old: str, new: str) -> list[str]:
    path = session.root / "chapters" / f"{n:02}.md"
    save(path, path.read_text(encoding="utf-8").replace(old, new))
    result = session.rebuild(full=False)
    assert result.ok, [d.format() for d in result.problems]
    return session.site.rendered


def _path(session: Session, n: int) -> str:
    return session.site.chapter_path(session.site.book.chapters[n - 1].file_id)


def test_the_first_build_renders_every_page(tmp_path):
    session = _session(tmp_path)
    assert len(session.site.rendered) == 10


def test_an_edit_to_one_chapter_renders_that_chapter_only(tmp_path):
    session = _session(tmp_path)
    assert _edit(session, 4, "4th text", "fourth text") == [_path(session, 4)]
    assert b"fourth text" in session.page(_path(session, 4)).data
    assert _edit(session, 4, "Note 4.", "A longer note 4.") == [_path(session, 4)]


def test_a_heading_added_leaves_the_other_chapters_alone(tmp_path):
    session = _session(tmp_path)
    assert _edit(session, 5, "5th text", "5th text\n\n## A section") == [_path(session, 5)]


def test_a_link_target_moved_renders_the_page_linking_to_it(tmp_path):
    """Chapter 1 links to #last: when the id moves to chapter 9, its link changes."""
    session = _session(tmp_path)
    chapters = session.root / "chapters"
    save(chapters / "10.md", (chapters / "10.md").read_text().replace(" {#last}", ""))
    save(chapters / "09.md", (chapters / "09.md").read_text().replace(
        "# Chapter 9", "# Chapter 9 {#last}"))
    assert session.rebuild(full=False).ok
    assert sorted(session.site.rendered) == sorted(_path(session, n) for n in (1, 9, 10))


def test_book_wide_notes_file_follows_the_chapter(tmp_path):
    session = _session(tmp_path, yaml="epub-notes: book\n")
    rendered = _edit(session, 3, "Note 3.", "Note three.")
    assert sorted(rendered) == sorted([_path(session, 3), "/text/notes-1.xhtml"])
    assert b"Note three." in session.page("/text/notes-1.xhtml").data


def test_a_full_rebuild_renders_everything_again(tmp_path):
    session = _session(tmp_path)
    assert session.rebuild(full=True).ok
    assert len(session.site.rendered) == 10
