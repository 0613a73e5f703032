"""The book page's schema.org ``Book`` (JSON-LD): what search engines and library tools
read of a page, from the same metadata the EPUB's package document carries."""

from __future__ import annotations

import json

from make_book.model import Book


def book_jsonld(book: Book, url: str | None = None, image: str | None = None) -> dict:
    """``url``: the book page's absolute URL when the site has a base URL; ``image``: the
    cover's URL (relative to the page)."""
    meta = book.meta
    data: dict = {"@context": "https://schema.org", "@type": "Book", "name": str(meta.title)}
    if meta.subtitle:
        data["alternativeHeadline"] = str(meta.subtitle)
    authors = [{"@type": "Person", "name": str(c.name)} for c in meta.authors]
    if authors:
        data["author"] = authors if len(authors) > 1 else authors[0]
    translators = [{"@type": "Person", "name": str(c.name)} for c in meta.contributors
                   if c.role == "trl"]
    if translators:
        data["translator"] = translators
    data["inLanguage"] = meta.lang
    if meta.isbn is not None and meta.isbn.epub is not None:
        data["isbn"] = meta.isbn.epub.isbn13
    if meta.publisher:
        data["publisher"] = {"@type": "Organization", "name": str(meta.publisher)}
    if meta.date:
        data["datePublished"] = str(meta.date)
    if meta.description:
        data["description"] = str(meta.description)
    if meta.edition:
        data["bookEdition"] = str(meta.edition)
    if meta.subject:
        data["genre"] = list(meta.subject)
    if meta.keywords:
        data["keywords"] = ", ".join(meta.keywords)
    if meta.rights:
        data["copyrightNotice"] = str(meta.rights)
    if meta.series is not None:
        data["isPartOf"] = {"@type": "BookSeries", "name": str(meta.series.title)}
        if meta.series.number is not None:
            data["position"] = str(meta.series.number)
    if book.identifier:
        data["identifier"] = book.identifier
    if url:
        data["url"] = url
    if image:
        data["image"] = image
    return data


def script_text(data: dict) -> str:
    """JSON for a ``<script type="application/ld+json">``: ``<``, ``>`` and ``&`` escaped
    (JSON's ``\\u`` escapes read back the same) so no value can end the element (a title
    with ``</script>`` in it) or be misread by the XML parse of the page."""
    text = json.dumps(data, ensure_ascii=False, indent=1)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def read_jsonld(html: str) -> dict | None:
    """The first JSON-LD object of a page we wrote (the catalogue reads each book's)."""
    start = html.find('<script type="application/ld+json">')
    if start < 0:
        return None
    start = html.index(">", start) + 1
    end = html.find("</script>", start)
    try:
        return json.loads(html[start:end])
    except ValueError:
        return None
