"""Pairing pages: moved, changed, added, removed; word changes; folios left out."""

from __future__ import annotations

from make_book.pagediff.compare import pair_pages, word_changes
from make_book.pagediff.pages import PageText, _without_folio


def page(n: int, body: str, head: str = "Head") -> PageText:
    words = tuple(body.split())
    return PageText(n, str(n), (head, *words), words)


def kinds(pairs):
    return [(p.kind, p.old.number if p.old else None, p.new.number if p.new else None)
            for p in pairs]


def test_a_corrected_page_is_the_only_change():
    old = [page(1, "a b c"), page(2, "d e f"), page(3, "g h i")]
    new = [page(1, "a b c"), page(2, "d X f"), page(3, "g h i")]
    pairs = pair_pages(old, new)
    assert kinds(pairs) == [("same", 1, 1), ("changed", 2, 2), ("same", 3, 3)]
    change = pairs[1].words[0]
    assert (change.before, change.removed, change.added, change.after) == ("Head d", "e",
                                                                          "X", "f")


def test_pages_after_an_inserted_page_moved():
    old = [page(1, "a b"), page(2, "c d"), page(3, "e f")]
    new = [page(1, "a b"), page(2, "new text"), page(3, "c d"), page(4, "e f")]
    assert kinds(pair_pages(old, new)) == [("same", 1, 1), ("added", None, 2),
                                           ("moved", 2, 3), ("moved", 3, 4)]


def test_a_removed_page_and_a_changed_running_head():
    old = [page(1, "a b"), page(2, "c d"), page(3, "e f")]
    new = [page(1, "a b", head="New"), page(2, "e f")]
    assert kinds(pair_pages(old, new)) == [("changed", 1, 1), ("removed", 2, None),
                                           ("moved", 3, 2)]


def test_word_changes_and_folios():
    assert word_changes(("a", "b"), ("a", "b")) == []
    assert [c.added for c in word_changes(("a", "b"), ("a", "b", "c"))] == ["c"]
    assert _without_folio(("12", "Chapter", "text", "12"), "12") == ("Chapter", "text")
    assert _without_folio(("In", "12", "days"), "12") == ("In", "12", "days")


def test_text_that_ran_over_to_the_next_page_is_linked():
    old = [page(1, "a b c d e f"), page(2, "g h i")]
    new = [page(1, "NEW a b c"), page(2, "d e f g h i")]
    first, second = pair_pages(old, new)
    assert [(c.removed, c.moved_to) for c in first.words if c.removed] == [("d e f", "p. 2")]
    assert [(c.added, c.moved_from) for c in second.words] == [("d e f", "p. 1")]
    assert [c.moved_to for c in first.words if c.added == "NEW"] == [None]
