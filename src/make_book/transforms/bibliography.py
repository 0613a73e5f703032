"""The rendered bibliography placed in the book: into its ``::: {#refs}`` div, as Pandoc
places it, else as a back-matter chapter at the end, so both formats list it in their
contents and landmarks. Entries are Pandoc's markup (``div.csl-entry`` with an id
``ref-<key>`` in a ``div.references``)."""

from __future__ import annotations

import re

from lxml import etree

from make_book.citations.markup import fill
from make_book.model import Book, Chapter, Heading
from make_book.xhtml import Body

REFS_ID = "refs"  # Pandoc's place for the bibliography: ::: {#refs}


def _ref_id(key: str, taken: set[str]) -> str:
    base = "ref-" + (re.sub(r"[^\w.-]+", "-", key).strip("-") or "entry")
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    taken.add(candidate)
    return candidate


def _entries(entries: list[tuple[str, str]], taken: set[str], lang: str,
             container: etree._Element) -> set[str]:
    """Each entry a ``div.csl-entry`` in ``container``; their ids."""
    classes = (container.get("class") or "").split()
    container.set("class", " ".join(dict.fromkeys([*classes, "references", "csl-bib-body"])))
    container.set("role", "list")
    ids = set()
    for key, html in entries:
        ident = _ref_id(key, taken)
        ids.add(ident)
        entry = etree.SubElement(container, "div", {"id": ident, "class": "csl-entry",
                                                    "role": "listitem"})
        fill(entry, html, lang)
    return ids


def place(book: Book, entries: list[tuple[str, str]], title: str) -> Book:
    """``entries`` ((key, XHTML) in the style's order) into the book."""
    taken = {i for c in book.chapters for i in c.ids} | {p.id for p in book.parts}
    for chapter in book.chapters:
        if REFS_ID not in chapter.ids:
            continue
        body = chapter.body.edit()
        refs = next((el for el in body.iter("div") if el.get("id") == REFS_ID), None)
        if refs is None:  # the id is on something else (a heading, a note)
            continue
        ids = _entries(entries, taken, chapter.lang or book.meta.lang, refs)
        new = chapter.evolve(body=Body(body), ids=chapter.ids | ids)
        return book.map_chapters(lambda c, old=chapter, new=new: new if c is old else c)
    file_ids = {c.file_id for c in book.chapters}
    file_id, n = "bibliography", 2
    while file_id in file_ids or file_id in taken:
        file_id, n = f"bibliography-{n}", n + 1
    taken.add(file_id)
    wrapper = etree.Element("div")
    ids = _entries(entries, taken, book.meta.lang, etree.SubElement(wrapper, "div"))
    first = book.meta.bibliography[0]  # messages about it name the bibliography file
    chapter = Chapter(source=book.root / first, rel=first, file_id=file_id, title=title,
                      kind="bibliography", lang=None, numbered=False,
                      body=Body(wrapper), headings=(Heading(1, file_id, title),),
                      ids=frozenset({file_id, *ids}))
    return book.evolve(items=(*book.items, chapter))
