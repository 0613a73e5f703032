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
import re
from dataclasses import replace
from pathlib import Path
from urllib.parse import unquote, urlsplit

from lxml import etree

from make_book.errors import Diagnostics
from make_book.model import Book, Chapter
from make_book.transforms.source_lines import line_in
from make_book.xhtml import Body, parse_fragment, serialize_fragment


def internal_targets(fragment: str | Body) -> list[str]:
    root = fragment.root if isinstance(fragment, Body) else parse_fragment(fragment)
    return [a.get("href")[1:] for a in root.iter("a") if (a.get("href") or "").startswith("#")]


# an href that is neither "#id" nor a URL with a scheme or a host (quotes: serialised XML)
_LOCAL_HREF_RE = re.compile(r'href="(?!#[^"]|[A-Za-z][A-Za-z0-9+.-]*:|//)')


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

    def fragment(self, chapter: Chapter, fragment: str) -> str:
        if _LOCAL_HREF_RE.search(fragment) is None:  # only ids and URLs: nothing to do
            return fragment
        root = parse_fragment(fragment)
        changed = False
        for a in root.iter("a"):
            changed |= self.link(chapter, a)
        return serialize_fragment(root) if changed else fragment

    def body(self, chapter: Chapter) -> Body:
        if not any(self.to_resolve(a) for a in chapter.body.root.iter("a")):
            return chapter.body
        root = chapter.body.edit()
        changed = False
        for a in root.iter("a"):
            changed |= self.link(chapter, a)
        return Body(root) if changed else chapter.body


def resolve_files(book: Book, diagnostics: Diagnostics) -> Book:
    """Links to files: to their chapter, or text (see the module docstring)."""
    resolver = _Resolver(book, diagnostics)

    def chapter(c: Chapter) -> Chapter:
        body = resolver.body(c)
        title_html = resolver.fragment(c, c.title_html) if c.title_html else c.title_html
        notes = tuple(n if (html := resolver.fragment(c, n.html)) == n.html
                      else replace(n, html=html) for n in c.notes)
        if body is c.body and title_html == c.title_html and notes == c.notes:
            return c
        return c.evolve(body=body, title_html=title_html, notes=notes)

    return book.map_chapters(chapter)


def check(book: Book, diagnostics: Diagnostics) -> Book:
    for chapter in book.chapters:
        fragments = [chapter.title_html or ""] + [n.html for n in chapter.notes]
        for fragment in [chapter.body, *fragments]:
            if isinstance(fragment, str) and "href=\"#" not in fragment:
                continue
            for target in internal_targets(fragment):
                if target not in book.anchors:
                    diagnostics.error("C050", f"link to #{target}: no such id in the book",
                                      chapter.source, line_in(chapter.source, f"#{target}"),
                                      hint="give the target an id with {#" + target + "}")
    return book
