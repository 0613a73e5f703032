"""An index as template data, shared by both formats: groups, entries, sub-entries and
resolved see/see-also targets. Only the locators differ (links in the EPUB, folios in print),
so each renderer passes its own ``locators(entry)``."""

from __future__ import annotations

from collections.abc import Callable

from make_book.model import BookIndex, IndexEntry

Locators = Callable[[IndexEntry], list]


def index_view(index: BookIndex, locators: Locators) -> list[dict]:
    ids: dict[str, str] = {}

    def walk(entries, prefix=""):
        for e in entries:
            ids[(prefix + e.term).lower()] = e.id
            walk(e.subentries, prefix + e.term + "!")
    for group in index.groups:
        walk(group.entries)

    def ref(term: str) -> dict:
        target = ids.get(term.lower())
        return {"term": term.replace("!", ", "), "href": f"#{target}" if target else None}

    def entry(e: IndexEntry) -> dict:
        return {"id": e.id, "term": e.term, "locators": locators(e),
                "see": [ref(t) for t in e.see], "see_also": [ref(t) for t in e.see_also],
                "subentries": [entry(s) for s in e.subentries]}

    return [{"label": g.label, "entries": [entry(e) for e in g.entries]} for g in index.groups]
