"""Every in-book link must reach an id somewhere in the book: a broken one is an error with
the file and line of the link (renderers then rewrite ``#id`` to the right file)."""

from __future__ import annotations

from lxml import etree

from make_book.errors import Diagnostics
from make_book.model import Book
from make_book.transforms.source_lines import line_in


def internal_targets(fragment: str) -> list[str]:
    root = etree.fromstring(f"<div>{fragment}</div>")
    return [a.get("href")[1:] for a in root.iter("a") if (a.get("href") or "").startswith("#")]


def check(book: Book, diagnostics: Diagnostics) -> Book:
    for chapter in book.chapters:
        fragments = [chapter.body, chapter.title_html or ""] + [n.html for n in chapter.notes]
        for fragment in fragments:
            if "href=\"#" not in fragment:
                continue
            for target in internal_targets(fragment):
                if target not in book.anchors:
                    diagnostics.error("C050", f"link to #{target}: no such id in the book",
                                      chapter.source, line_in(chapter.source, f"#{target}"),
                                      hint="give the target an id with {#" + target + "}")
    return book
