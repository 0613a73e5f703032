"""``feed.atom`` (one entry per chapter) and ``sitemap.xml`` for the web edition.

Both need the site's absolute address: sitemaps.org requires full URLs, and an Atom feed
read from a feed reader's cache has no document address to resolve relative links against.
So they are written only when book.yaml has ``web: {base_url: ...}``; without it the site
is complete and browsable, only unannounced (the README says so; no diagnostic, since a
site built for reading on a local disk or behind a proxy that rewrites paths has nothing
to fix). Dates are the build's ``source_date``: rebuilding gives the same files.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from lxml import etree

from make_book.model import Book, Chapter
from make_book.render.web.plan import SitePlan

ATOM = "http://www.w3.org/2005/Atom"
SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"


def _stamp(when: datetime) -> str:
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


def entry_id(book: Book, href: str) -> str:
    """A stable Atom id for a page: a name-based UUID of the book's identifier and the
    page, so it survives a move of the site to another address."""
    return uuid.uuid5(uuid.NAMESPACE_URL, f"{book.identifier}#{href}").urn


def atom_feed(book: Book, plan: SitePlan, base_url: str, when: datetime,
              summaries: dict[str, str]) -> bytes:
    """``summaries``: page href -> the first words of its text."""
    feed = etree.Element(f"{{{ATOM}}}feed", nsmap={None: ATOM})
    feed.set("{http://www.w3.org/XML/1998/namespace}lang", book.meta.lang)
    etree.SubElement(feed, f"{{{ATOM}}}id").text = book.identifier or entry_id(book, "")
    etree.SubElement(feed, f"{{{ATOM}}}title").text = str(book.meta.title)
    etree.SubElement(feed, f"{{{ATOM}}}updated").text = _stamp(when)
    for person in book.meta.authors:
        author = etree.SubElement(feed, f"{{{ATOM}}}author")
        etree.SubElement(author, f"{{{ATOM}}}name").text = str(person.name)
    if not book.meta.authors:  # Atom requires an author of the feed or of every entry
        author = etree.SubElement(feed, f"{{{ATOM}}}author")
        etree.SubElement(author, f"{{{ATOM}}}name").text = str(book.meta.publisher
                                                               or book.meta.title)
    etree.SubElement(feed, f"{{{ATOM}}}link", rel="self", href=base_url + "feed.atom",
                     type="application/atom+xml")
    etree.SubElement(feed, f"{{{ATOM}}}link", rel="alternate", href=base_url,
                     type="text/html")
    if book.meta.rights:
        etree.SubElement(feed, f"{{{ATOM}}}rights").text = str(book.meta.rights)
    for page in plan.pages:
        if not isinstance(page.item, Chapter):
            continue
        entry = etree.SubElement(feed, f"{{{ATOM}}}entry")
        etree.SubElement(entry, f"{{{ATOM}}}id").text = entry_id(book, page.href)
        etree.SubElement(entry, f"{{{ATOM}}}title").text = page.title
        etree.SubElement(entry, f"{{{ATOM}}}updated").text = _stamp(when)
        etree.SubElement(entry, f"{{{ATOM}}}link", rel="alternate",
                         href=base_url + page.href, type="text/html")
        if summaries.get(page.href):
            etree.SubElement(entry, f"{{{ATOM}}}summary").text = summaries[page.href]
    return etree.tostring(feed, encoding="utf-8", xml_declaration=True, pretty_print=True)


def sitemap(plan: SitePlan, base_url: str, when: datetime) -> bytes:
    urlset = etree.Element(f"{{{SITEMAP}}}urlset", nsmap={None: SITEMAP})
    for page in plan.pages:
        url = etree.SubElement(urlset, f"{{{SITEMAP}}}url")
        # the book page is the folder's own address
        etree.SubElement(url, f"{{{SITEMAP}}}loc").text = (
            base_url if page.href == "index.html" else base_url + page.href)
        etree.SubElement(url, f"{{{SITEMAP}}}lastmod").text = when.strftime("%Y-%m-%d")
    return etree.tostring(urlset, encoding="utf-8", xml_declaration=True, pretty_print=True)
