"""Atom feed and sitemap (render/web/feed.py)."""

from __future__ import annotations

from datetime import UTC, datetime

from lxml import etree

from make_book.render.web.feed import ATOM, SITEMAP, atom_feed, entry_id, sitemap
from make_book.render.web.plan import plan_site

WHEN = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
BASE = "https://books.example.org/a-book/"


def test_one_entry_per_chapter_with_stable_ids(book):
    b = book.evolve(identifier="urn:uuid:0f8fad5b-d9cb-469f-a165-70867728950e")
    plan = plan_site(b, "Index")
    feed = etree.fromstring(atom_feed(b, plan, BASE, WHEN, {"ch-1.html": "It began."}))
    ns = {"a": ATOM}
    entries = feed.findall("a:entry", ns)
    assert [e.findtext("a:title", namespaces=ns) for e in entries] == [
        "One", "Two", "Three", "Four"]
    first = entries[0]
    assert first.find("a:link", ns).get("href") == BASE + "ch-1.html"
    assert first.findtext("a:updated", namespaces=ns) == "2024-05-01T12:00:00Z"
    assert first.findtext("a:summary", namespaces=ns) == "It began."
    assert first.findtext("a:id", namespaces=ns) == entry_id(b, "ch-1.html")
    assert feed.find("a:author/a:name", ns) is not None  # Atom requires an author
    assert atom_feed(b, plan, BASE, WHEN, {}) == atom_feed(b, plan, BASE, WHEN, {})


def test_sitemap_lists_every_page_by_its_full_url(book):
    plan = plan_site(book, "Index")
    urls = etree.fromstring(sitemap(plan, BASE, WHEN)).findall(f"{{{SITEMAP}}}url")
    locs = [u.findtext(f"{{{SITEMAP}}}loc") for u in urls]
    assert locs[0] == BASE  # the book page is the folder's address
    assert locs[1:3] == [BASE + "ch-1.html", BASE + "part-one.html"]
    assert len(locs) == len(plan.pages)
    assert {u.findtext(f"{{{SITEMAP}}}lastmod") for u in urls} == {"2024-05-01"}
