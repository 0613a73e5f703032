"""The EPUB's navigation: the contents (nav ``toc`` and the NCX), the list of
illustrations, the print page-list and the landmarks, from the layout's templates.

:class:`Navigation` is the part of the EPUB renderer (and of the web edition, which
subclasses it) that reads the book's structure rather than converting its text; it uses
the renderer's ``book``, ``files``, ``strings``, ``env``, ``lang``, ``cover``,
``note_files``, ``page_breaks`` and ``placed_pages``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from make_book.model import Chapter, Part
from make_book.render.figures import chapter_figures


@dataclass
class NavEntry:
    label: str
    href: str
    children: list[NavEntry] = field(default_factory=list)
    nav_id: str = ""
    play_order: int = 0


class Navigation:
    def toc(self) -> list[NavEntry]:
        depth = self.book.meta.print.toc_depth

        def chapter_entry(c: Chapter) -> NavEntry:
            href = self.files[c.file_id]
            label = f"{c.label}. {c.title}" if c.label and c.kind == "chapter" else (
                f"{self.strings['appendix']} {c.label}: {c.title}" if c.label else c.title)
            entry = NavEntry(label, href)
            if depth >= 2:
                entry.children = [NavEntry(h.text, f"{href}#{h.id}")
                                  for h in c.headings[1:] if h.level == 2]
            return entry

        def entries(items) -> list[NavEntry]:
            out = []
            for item in items:
                if isinstance(item, Part):
                    label = (f"{self.strings['part']} {item.label}: {item.title}" if item.label
                             else item.title)
                    out.append(NavEntry(label, self.files[item.id], entries(item.items)))
                else:
                    out.append(chapter_entry(item))
            return out

        out = entries(self.book.items)
        if self.note_files:
            out.append(NavEntry(self.strings["notes"], next(iter(self.note_files.values()))))
        for index in self.book.indexes:
            out.append(NavEntry(index.title or self.strings["index"], self.index_href(index)))
        return out

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
        if not self.book.meta.generate.list_of_illustrations:
            return []
        out = []
        for chapter in self.book.chapters:
            for figure_id, caption in chapter_figures(chapter):
                out.append(NavEntry(caption, f"{self.files[chapter.file_id]}#{figure_id}"))
        return out

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
