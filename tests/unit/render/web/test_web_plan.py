"""The site plan (render/web/plan.py): file names and reading order."""

from __future__ import annotations

from make_book.model import BookIndex
from make_book.render.web.plan import index_page_name, plan_site


def test_pages_in_reading_order_with_their_up_page(book):
    plan = plan_site(book, "Index")
    assert [(p.href, p.title, p.up) for p in plan.pages] == [
        ("index.html", "A Book", None),
        ("ch-1.html", "One", "index.html"),
        ("part-one.html", "Part One", "index.html"),
        ("ch-2.html", "Two", "part-one.html"),
        ("ch-3.html", "Three", "part-one.html"),
        ("ch-4.html", "Four", "index.html"),
        ("book-index.html", "Index", "index.html"),
        ("names.html", "Names", "index.html")]
    # the part's opening text is on the part's page: links to it go there
    assert plan.files["part-one-text"] == "part-one.html"


def test_neighbours(book):
    plan = plan_site(book, "Index")
    before, after = plan.neighbours("ch-2.html")
    assert (before.href, after.href) == ("part-one.html", "ch-3.html")
    assert plan.neighbours("index.html")[0] is None
    assert plan.neighbours("names.html")[1] is None


def test_the_general_index_is_not_the_book_page():
    assert index_page_name(BookIndex("index", None, ())) == "book-index.html"
    assert index_page_name(BookIndex("names", None, ())) == "names.html"


def test_no_index_pages_when_the_book_turns_the_index_off(book):
    b = book
    b = b.evolve(meta=b.meta.model_copy(update={"generate": b.meta.generate.model_copy(
        update={"index": False})}))
    assert [p.href for p in plan_site(b, "Index").pages][-1] == "ch-4.html"
