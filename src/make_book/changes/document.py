"""CHANGES.md from a book's history: commit subjects grouped by the part of the book they
touched, each with its date, under a heading naming the two releases.

Grouping by what a commit touched (the text, book.yaml, images, the layout) answers the
question a production editor asks of a reprint: did the text change, and where.
"""

from __future__ import annotations

from make_book.changes.history import Commit, History

GROUPS = (  # (title, does a file belong to it), in the order a reader wants them
    ("Text", lambda f: f.endswith(".md") and f != "CHANGES.md"),
    ("Metadata", lambda f: f == "book.yaml"),
    ("Images", lambda f: f.startswith("images/")),
    ("Layout", lambda f: f.startswith("layout/")),
)
OTHER = "Other"


def group_of(commit: Commit) -> str:
    """The first group any of the commit's files belongs to."""
    for title, belongs in GROUPS:
        if any(belongs(f) for f in commit.files):
            return title
    return OTHER


def _escape(text: str) -> str:
    """A subject as literal Markdown text: no emphasis, links or HTML by accident."""
    for ch in "\\`*_[]<>#|":
        text = text.replace(ch, "\\" + ch)
    return text


def changes_markdown(history: History, title: str, printing: str | None = None,
                     corrections: str | None = None) -> str:
    """The changes file's text. ``printing`` and ``corrections``: the current printing as
    book.yaml lists it, said first because that is what the printer is told."""
    start = history.start or "the first commit"
    lines = [f"# Changes: {_escape(title)}", "",
             f"From {_escape(start)} to {_escape(history.end)}.", ""]
    if printing:
        lines += [f"This release is the {_escape(printing)}"
                  + (f", with corrections: {_escape(corrections)}" if corrections else "")
                  + ".", ""]
    if not history.commits:
        lines += ["No changes to the book.", ""]
    for title_, _ in (*GROUPS, (OTHER, None)):
        commits = [c for c in history.commits if group_of(c) == title_]
        if not commits:
            continue
        lines += [f"## {title_}", ""]
        for c in commits:
            where = ", ".join(f for f in c.files if f != "CHANGES.md")
            lines.append(f"- {c.date}: {_escape(c.subject)} ({c.sha[:7]}"
                         + (f"; {_escape(where)}" if where else "") + ")")
        lines.append("")
    return "\n".join(lines)
