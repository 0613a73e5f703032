"""``[](#id){.ref}`` -> "chapter 3", "figure 2.1", "part II": the target's kind and number,
the same words in the EPUB and the print edition. A link with its own text keeps it."""

from __future__ import annotations

from make_book.errors import Diagnostics
from make_book.layouts import load_layout
from make_book.model import Book, Chapter
from make_book.transforms.source_lines import line_in
from make_book.xhtml import Body


def _empty_refs(root) -> list:
    """The ``{.ref}`` links of ``root`` without text of their own: those to fill."""
    return [a for a in root.iter("a") if "ref" in (a.get("class") or "").split()
            and not len(a) and not (a.text or "").strip()]


def resolve(book: Book, diagnostics: Diagnostics) -> Book:
    if not any(_empty_refs(c.body.root) for c in book.chapters):
        return book
    strings = load_layout(book.root, book.meta.layout).strings(book.meta.lang)

    def chapter(c: Chapter) -> Chapter:
        if not _empty_refs(c.body.root):
            return c
        root = c.body.edit()
        changed = False
        for a in _empty_refs(root):
            target = (a.get("href") or "").removeprefix("#")
            if target in book.numbers:
                kind, number = book.numbers[target]
                a.text = f"{strings.get(kind, kind).lower()} {number}"
            else:
                a.text = book.labels.get(target, target)
                if target in book.anchors:
                    diagnostics.warning("C053", f"{{.ref}} to #{target}, which has no number: "
                                        "the link shows its title", c.source,
                                        line_in(c.source, f"#{target}"),
                                        hint="number figures with number-figures: true")
            changed = True
        return c.evolve(body=Body(root)) if changed else c

    return book.map_chapters(chapter)
