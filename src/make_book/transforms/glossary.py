"""Glossaries of names: a ``kind: glossary`` chapter's definition lists, each sorted like the
index (ICU collation in the book's language) and each term given a ``glossary:surname`` id
so the text can link ``[Zinoviev](#glossary:zinoviev)``."""

from __future__ import annotations

from lxml import etree

from make_book.errors import Diagnostics
from make_book.manuscript.headings import slugify
from make_book.model import Book, Chapter
from make_book.xhtml import Body


def _term_text(dt: etree._Element) -> str:
    """The term as a reader looks it up: its text before any parenthesised original."""
    text = (dt.text or "") if len(dt) == 0 else "".join(dt.itertext())
    return " ".join(text.split("(")[0].split())


def _groups(dl: etree._Element) -> list[list[etree._Element]]:
    """dt+ dd+ groups in source order (a term may have several dd, several dt share one)."""
    groups: list[list[etree._Element]] = []
    for child in dl:
        if child.tag == "dt" and (not groups or groups[-1][-1].tag != "dt"):
            groups.append([child])
        else:
            if not groups:
                groups.append([])
            groups[-1].append(child)
    return groups


def sort_glossaries(book: Book, diagnostics: Diagnostics) -> Book:
    import icu  # on use: without ICU the machine check says E023, not a traceback
    collator = icu.Collator.createInstance(icu.Locale(book.meta.lang.replace("-", "_")))
    taken = {i for c in book.chapters for i in c.ids}

    def chapter(c: Chapter) -> Chapter:
        if c.kind != "glossary" or not c.body.has("dl"):
            return c
        root = c.body.edit()
        new_ids = set()
        for dl in root.iter("dl"):
            groups = _groups(dl)
            groups.sort(key=lambda g: collator.getSortKey(_term_text(g[0]) if g and g[0].tag == "dt" else ""))
            for child in list(dl):
                dl.remove(child)
            for group in groups:
                for el in group:
                    el.tail = "\n"
                    dl.append(el)
                dt = group[0] if group and group[0].tag == "dt" else None
                if dt is None or dt.get("id"):
                    continue
                term = _term_text(dt)
                base = "glossary:" + slugify(term.split(",")[0])
                ident = base if base not in taken else "glossary:" + slugify(term)
                while ident in taken:
                    ident += "-2"
                taken.add(ident)
                new_ids.add(ident)
                dt.set("id", ident)
        return c.evolve(body=Body(root), ids=c.ids | new_ids)

    return book.map_chapters(chapter)
