"""Every link inside the book reaches something a reader can open, in both formats.

- ``#id``: an id anywhere in the book (renderers then point it at the right file); an id
  found nowhere is an error (C050): EPUBCheck rejects a dangling fragment.
- A chapter's file, as Pandoc keeps it (``02-chapter.md``, ``chapters/02-chapter.md#sec``,
  relative to the linking file or to the book folder): a link to that chapter, or to that
  id in the book.
- Any other file of the book folder (``images/map.png``, ``data.csv``): the EPUB holds only
  what its spine and manifest name (EPUBCheck rejects a link to anything else) and a PDF
  cannot open the build machine's files, so the link text stays, without the link, with
  a warning (C055).
- A missing file, or a placeholder target (``[text](#)``, ``[text]()``): the same, with a
  warning (C056, C054). An ``<a>`` without ``href`` is HTML's own placeholder link.
"""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path
from urllib.parse import unquote, urlsplit

from lxml import etree

from make_book.errors import Diagnostics
from make_book.model import Book, Chapter
from make_book.transforms.source_lines import line_in
from make_book.xhtml import Body


def internal_targets(fragment: Body) -> list[str]:
    return [a.get("href")[1:] for a in fragment.root.iter("a")
            if (a.get("href") or "").startswith("#")]


def _in_book(href: str) -> bool:
    """A link that is neither a URL (a scheme or a host) nor an id: a file path or a
    placeholder."""
    parts = urlsplit(href)
    return not (parts.scheme or parts.netloc)


class _Resolver:
    def __init__(self, book: Book, diagnostics: Diagnostics):
        self.book = book
        self.diagnostics = diagnostics
        self.root = book.root.resolve()
        self.chapters = {c.source.resolve(): c for c in book.chapters}

    def file(self, chapter: Chapter, path: str) -> Path | None:
        """The file a link's path names: relative to the linking file, else to the book
        folder; None when neither exists inside the book folder."""
        for base in (chapter.source.resolve().parent, self.root):
            lexical = Path(os.path.normpath(base / path.lstrip("/")))
            if not lexical.is_relative_to(self.root):  # never look outside the book
                continue
            try:
                target = lexical.resolve()
                found = target.is_relative_to(self.root) and target.exists()
            except (OSError, RuntimeError):  # a symlink loop, a name too long
                continue
            if found:
                return target
        return None

    @staticmethod
    def to_resolve(a: etree._Element) -> bool:
        """Whether ``a`` links to a file or to nothing (neither an id nor a URL)."""
        href = a.get("href")
        return not (href is None or href.startswith("#") and len(href) > 1
                    or not _in_book(href))

    def link(self, chapter: Chapter, a: etree._Element) -> bool:
        """Rewrite or unlink one ``<a>``; True when it changed."""
        if not self.to_resolve(a):
            return False
        href = a.get("href")
        line = (line_in(chapter.source, f"]({href})") or line_in(chapter.source, f"]({href} ")
                or (line_in(chapter.source, href) if href.strip("#") else None))
        parts = urlsplit(href)
        if not parts.path:  # "", "#", "?x"
            text = " ".join("".join(a.itertext()).split())[:60]
            self.diagnostics.warning("C054", f"link [{text}]({href}) has no target; the text "
                                     "is kept without the link", chapter.source,
                                     line,
                                     hint="give it a target: [text](#some-id) or a URL")
            del a.attrib["href"]
            return True
        path = unquote(parts.path)
        target = self.file(chapter, path)
        linked = self.chapters.get(target) if target else None
        if linked is not None:
            a.set("href", "#" + (unquote(parts.fragment) or linked.headings[0].id))
            return True
        if target is not None:
            rel = target.relative_to(self.root).as_posix()
            self.diagnostics.warning("C055", f"link to {href}: {rel} is in the book folder "
                                     "but is not a chapter; the text is kept without the "
                                     "link", chapter.source, line,
                                     hint="readers of the EPUB and the PDF cannot open it; "
                                     "link to a chapter, an id or a URL")
        else:
            self.diagnostics.warning("C056", f"link to {href}: no such file in the book; "
                                     "the text is kept without the link", chapter.source,
                                     line, hint="link to a chapter's file, an id "
                                     "([text](#id)) or a URL")
        del a.attrib["href"]
        return True

    def body(self, chapter: Chapter, body: Body) -> Body:
        """``body`` (the chapter's, a note's, its title's) with its links to files
        resolved, or ``body`` itself when it has none."""
        if not any(self.to_resolve(a) for a in body.root.iter("a")):
            return body
        root = body.edit()
        changed = False
        for a in root.iter("a"):
            changed |= self.link(chapter, a)
        return Body(root) if changed else body


def resolve_files(book: Book, diagnostics: Diagnostics) -> Book:
    """Links to files: to their chapter, or text (see the module docstring)."""
    resolver = _Resolver(book, diagnostics)

    def chapter(c: Chapter) -> Chapter:
        body = resolver.body(c, c.body)
        title = resolver.body(c, c.title_markup) if c.title_markup else c.title_markup
        notes = tuple(n if (b := resolver.body(c, n.body)) is n.body else replace(n, body=b)
                      for n in c.notes)
        if (body is c.body and title is c.title_markup
                and all(new is old for new, old in zip(notes, c.notes))):
            return c
        return c.evolve(body=body, title_markup=title, notes=notes)

    return book.map_chapters(chapter)


def check(book: Book, diagnostics: Diagnostics) -> Book:
    for chapter in book.chapters:
        title = [chapter.title_markup] if chapter.title_markup is not None else []
        for fragment in [chapter.body, *title, *(n.body for n in chapter.notes)]:
            for target in internal_targets(fragment):
                if target not in book.anchors:
                    diagnostics.error("C050", f"link to #{target}: no such id in the book",
                                      chapter.source, line_in(chapter.source, f"#{target}"),
                                      hint="give the target an id with {#" + target + "}")
    return book
