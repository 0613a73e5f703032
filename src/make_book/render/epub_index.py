"""The linked EPUB index (EPUB Indexes 1.0): each locator links to the marked place.

Without print page numbers a locator is labelled by the chapter it points into (its number,
else its short title); entries with several marks in one chapter get one link per mark.
"""

from __future__ import annotations

from make_book.model import Book, BookIndex, IndexEntry


def file_name(index: BookIndex) -> str:
    return f"text/{index.name}.xhtml"


class IndexView:
    def __init__(self, book: Book, files: dict[str, str]):
        self.files = files  # file_id -> file name inside text/
        self.chapter_label = {c.file_id: (c.label or c.running_title) for c in book.chapters}

    def view(self, index: BookIndex) -> list[dict]:
        ids = {}

        def walk(entries, prefix=""):
            for e in entries:
                ids[(prefix + e.term).lower()] = e.id
                walk(e.subentries, prefix + e.term + "!")
        for group in index.groups:
            walk(group.entries)
        return [{"label": g.label, "entries": [self.entry(e, ids) for e in g.entries]}
                for g in index.groups]

    def entry(self, entry: IndexEntry, ids: dict[str, str]) -> dict:
        def ref(term: str) -> dict:
            target = ids.get(term.lower())
            return {"term": term.replace("!", ", "), "href": f"#{target}" if target else None}
        return {
            "id": entry.id, "term": entry.term,
            "locators": [{"href": f"{self.files[loc.file_id]}#{loc.anchor}",
                          "label": self.chapter_label[loc.file_id]} for loc in entry.locators],
            "see": [ref(t) for t in entry.see], "see_also": [ref(t) for t in entry.see_also],
            "subentries": [self.entry(s, ids) for s in entry.subentries],
        }
