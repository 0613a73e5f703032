"""The package metadata (OPF) and the credit lines of the generated pages, from BookMetadata.

One source for the OPF, the title page and the copyright page, so they cannot disagree.
"""

from __future__ import annotations

from ebooklib import epub

from make_book.model import Book

CREATOR_ROLES = {"aut", "cre"}  # dc:creator; every other role is a dc:contributor


def print_source(book: Book) -> str:
    """What the page-list's numbers come from: the print edition's ISBN when it has one."""
    isbn = book.meta.isbn
    for key in ("paperback", "hardcover"):
        value = getattr(isbn, key, None) if isbn else None
        if value is not None:
            return value.urn
    return f"{book.identifier} (print edition)"


def accessibility(book: Book, has_page_list: bool = False,
                  has_cover: bool = False) -> list[tuple[str, str]]:
    """schema.org accessibility metadata (EPUB Accessibility 1.1), from what the book has."""
    has_images = bool(book.images) or has_cover
    features = ["structuralNavigation", "tableOfContents", "readingOrder"]
    if has_images:
        features.append("alternativeText")
    if any(c.notes for c in book.chapters):
        features.append("annotations")
    if book.indexes:
        features.append("index")
    if has_page_list:
        features += ["pageBreakMarkers", "pageNavigation"]
    out = [("schema:accessMode", "textual")]
    if has_images:
        out.append(("schema:accessMode", "visual"))
    out.append(("schema:accessModeSufficient", "textual"))
    out.extend(("schema:accessibilityFeature", f) for f in features)
    out.append(("schema:accessibilityHazard", "none"))
    summary = ("This publication has a navigable table of contents, headings in a logical "
               "order and a reading order that matches the print edition's.")
    if has_images:
        summary += " Every image has a text alternative."
    if any(c.notes for c in book.chapters):
        summary += " Notes are linked to and from their place in the text."
    out.append(("schema:accessibilitySummary", summary))
    return out


def apply(pkg: epub.EpubBook, book: Book, has_page_list: bool = False,
          has_cover: bool = False) -> None:
    """dcterms:modified is not set here: ebooklib writes it from the ``mtime`` option."""
    meta = book.meta
    pkg.set_identifier(book.identifier)
    pkg.set_title(meta.title)
    pkg.set_language(meta.lang)
    if meta.subtitle:
        pkg.metadata[epub.NAMESPACES["DC"]]["title"][0] = (meta.title, {"id": "title"})
        pkg.add_metadata(None, "meta", "main", {"refines": "#title", "property": "title-type"})
        pkg.add_metadata("DC", "title", meta.subtitle, {"id": "subtitle"})
        pkg.add_metadata(None, "meta", "subtitle", {"refines": "#subtitle",
                                                     "property": "title-type"})
    for n, person in enumerate(meta.contributors, start=1):
        uid = f"contributor-{n}"
        element = "creator" if person.role in CREATOR_ROLES else "contributor"
        pkg.add_metadata("DC", element, person.name, {"id": uid})
        pkg.add_metadata(None, "meta", person.role,
                         {"refines": f"#{uid}", "property": "role", "scheme": "marc:relators"})
        if person.file_as:
            pkg.add_metadata(None, "meta", person.file_as,
                             {"refines": f"#{uid}", "property": "file-as"})
    if meta.date:
        pkg.add_metadata("DC", "date", meta.date)
    for key in ("publisher", "rights", "description"):
        value = getattr(meta, key)
        if value:
            pkg.add_metadata("DC", key, value)
    for value in meta.source:
        pkg.add_metadata("DC", "source", value)
    for value in meta.subject:
        pkg.add_metadata("DC", "subject", value)
    if meta.series:
        pkg.add_metadata(None, "meta", meta.series.title,
                         {"property": "belongs-to-collection", "id": "series"})
        pkg.add_metadata(None, "meta", "series", {"refines": "#series",
                                                   "property": "collection-type"})
        if meta.series.number is not None:
            pkg.add_metadata(None, "meta", str(meta.series.number),
                             {"refines": "#series", "property": "group-position"})
    if has_page_list:
        pkg.add_metadata(None, "meta", print_source(book), {"property": "pageBreakSource"})
    for prop, value in accessibility(book, has_page_list, has_cover):
        pkg.add_metadata(None, "meta", value, {"property": prop})
    pkg.add_metadata(None, "meta", "EPUB Accessibility 1.1 - WCAG 2.2 Level AA",
                     {"property": "dcterms:conformsTo"})
