"""The EPUB's navigation: the contents (nav ``toc`` and the NCX), the list of
illustrations, the print page-list and the landmarks, from the layout's templates. The
contents' and the list of illustrations' entries are the EPUB's format steps
(:mod:`make_book.transforms.contents_steps`); the page-list, the landmarks, the nav's
paths from the package root and the NCX's play order are this document's own.

:class:`Navigation` is the part of the EPUB renderer (and of the web edition, which
subclasses it) that reads the book's structure rather than converting its text; it uses
the renderer's ``book``, ``files``, ``strings``, ``env``, ``lang``, ``cover``,
``note_files``, ``page_breaks`` and ``placed_pages``.
"""

from __future__ import annotations

from make_book import transforms
from make_book.model import Part
from make_book.transforms.contents_entries import NavEntry
from make_book.transforms.contents_view import contents_view, illustrations_view
from make_book.transforms.format_context import ContentsContext


class Navigation:
    def contents_context(self) -> ContentsContext:
        """What the contents' EPUB steps read: the files of the chapters, parts, notes and
        indexes (the web edition names its pages otherwise)."""
        return ContentsContext(self.book, self.strings, files=self.files,
                               note_files=self.note_files,
                               index_files={i.name: self.index_href(i)
                                            for i in self.book.indexes})

    def toc(self) -> list[NavEntry]:
        """The contents: the EPUB's steps on the book's contents (nav and NCX)."""
        return transforms.for_format("contents", "epub", self.contents_context(),
                                     contents_view(self.book))

    def index_href(self, index) -> str:
        """The generated index's document, as the contents link to it (the web edition
        names its pages otherwise)."""
        return f"{index.name}.xhtml"

    def page_list(self) -> list[NavEntry]:
        """Print pages in reading order (nav page-list and NCX pageList)."""
        return [NavEntry(pb.folio, f"text/{self.files[pb.file_id]}#page-{pb.folio}")
                for pb in self.page_breaks
                if pb.file_id in self.files and pb.folio in self.placed_pages]

    def loi(self) -> list[NavEntry]:
        """The list of illustrations (an EPUB ``loi`` nav) when the book asks for one."""
        return transforms.for_format("illustrations", "epub", self.contents_context(),
                                     illustrations_view(self.book))

    def landmarks(self, has_cover: bool) -> list[dict]:
        marks = []
        if has_cover:
            marks.append({"type": "cover", "href": "cover.xhtml", "label": self.strings["cover"]})
        marks.append({"type": "titlepage", "href": "titlepage.xhtml",
                      "label": self.strings["title-page"]})
        marks.append({"type": "toc", "href": "../nav.xhtml#toc",
                      "label": self.strings["contents"]})
        # the body begins with the first part's title page, or else the first body chapter
        body = next((i.id if isinstance(i, Part) else i.file_id for i in self.book.items
                     if isinstance(i, Part) or i.matter == "body"), None)
        if body is not None:
            marks.append({"type": "bodymatter", "href": self.files[body],
                          "label": self.strings["start"]})
        for c in self.book.chapters:
            if c.info.landmark in ("glossary", "bibliography"):
                marks.append({"type": c.info.landmark, "href": self.files[c.file_id],
                              "label": c.title})
        for index in self.book.indexes[:1]:
            marks.append({"type": "index", "href": f"{index.name}.xhtml",
                          "label": index.title or self.strings["index"]})
        for mark in marks:  # landmarks live in nav.xhtml at the package root
            if not mark["href"].startswith("../"):
                mark["href"] = "text/" + mark["href"]
            else:
                mark["href"] = mark["href"][3:]
        return marks

    def nav_doc(self, toc: list[NavEntry]) -> bytes:
        def rebase(entries: list[NavEntry]) -> list[NavEntry]:
            return [NavEntry(e.label, "text/" + e.href, rebase(e.children)) for e in entries]
        html = self.env.get_template("epub/nav.xhtml").render(
            lang=self.lang, doc_title=self.strings["contents"], body_type=None,
            strings=self.strings, toc=rebase(toc), loi=rebase(self.loi()),
            pages=self.page_list(),
            landmarks=self.landmarks(self.cover is not None))
        return html.replace('href="../css/book.css"', 'href="css/book.css"').encode("utf-8")

    def ncx_doc(self, toc: list[NavEntry]) -> bytes:
        counter = iter(range(1, 100_000))
        depth = 1

        def number(entries: list[NavEntry], level: int) -> list[NavEntry]:
            nonlocal depth
            depth = max(depth, level)
            out = []
            for e in entries:
                n = next(counter)
                out.append(NavEntry(e.label, "text/" + e.href, [], f"nav-{n}", n))
                out[-1].children = number(e.children, level + 1)
            return out
        numbered = number(toc, 1)
        pages = [{"label": p.label, "href": p.href, "play_order": next(counter),
                  "arabic": p.label.isdigit(), "n": i}
                 for i, p in enumerate(self.page_list(), start=1)]
        max_page = max((int(p["label"]) for p in pages if p["arabic"]), default=0)
        return self.env.get_template("epub/toc.ncx").render(
            lang=self.lang, identifier=self.book.identifier, title=self.book.meta.title,
            toc=numbered, depth=depth, pages=pages, max_page=max_page,
            strings=self.strings).encode("utf-8")
