"""An index as template data, the fragment its locator steps change: groups, entries,
sub-entries and resolved see/see-also targets, the same for every format. Each entry's
``locators`` are its marks (:class:`~make_book.model.Locator`) until a format's step
(:mod:`.index_locators`) makes them links (EPUB) or folios (print)."""

from __future__ import annotations

from make_book.model import BookIndex, IndexEntry


def index_view(index: BookIndex) -> list[dict]:
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
        return {"id": e.id, "term": e.term, "locators": e.locators,
                "see": [ref(t) for t in e.see], "see_also": [ref(t) for t in e.see_also],
                "subentries": [entry(s) for s in e.subentries]}

    return [{"label": g.label, "entries": [entry(e) for e in g.entries]} for g in index.groups]


def section_id(index: BookIndex) -> str:
    """The id of the index's section (print) and of its entry in the contents."""
    return f"mb-index-{index.name}"


def title(index: BookIndex, strings: dict[str, str]) -> str:
    """The index's title: its own, else the layout's word for "Index"."""
    return index.title or strings.get("index", "Index")


def entries(groups: list[dict]):
    """Every entry of the view, sub-entries included, each before its own sub-entries."""
    def walk(items):
        for item in items:
            yield item
            yield from walk(item["subentries"])
    for group in groups:
        yield from walk(group["entries"])
