"""EPUB 3 renderer: our own XHTML, nav and NCX from the layout's templates, packaged by ebooklib.

ebooklib does the package document (metadata, manifest, spine) well. Where it falls short
we own the output (DESIGN.md): content documents are plain ``EpubItem``s so ebooklib
cannot rewrite their ``<head>``; nav and NCX come from our templates (its page-list default
is wrong and its NCX has no parts); its zip would carry the wall clock, so its writer fills
our own zip (fixed timestamps, ``mimetype`` first), in one pass, for byte-identical
rebuilds.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property

from ebooklib import epub
from lxml import etree
from markupsafe import Markup

from make_book.cache import Cache
from make_book.errors import Diagnostics
from make_book.layouts import Layout
from make_book.model import Book, Chapter, Part
from make_book.render import active_content
from make_book.render import credits as book_credits
from make_book.render import glyphs
from make_book.render.epub import body as epub_body
from make_book.render.epub import index as epub_index
from make_book.render.epub import meta as epub_meta
from make_book.layouts.css_urls import report_refused
from make_book.render.figures import chapter_figures

XHTML = "application/xhtml+xml"
MATHML_RE = re.compile(rb"<(?:[\w-]+:)?math[\s>]")  # a <math> element, any prefix
NOTES_PER_FILE = 400
FONT_TYPES = {".otf": "font/otf", ".ttf": "font/ttf", ".woff": "font/woff", ".woff2": "font/woff2"}


@dataclass(frozen=True)
class CoverFile:
    href: str
    media_type: str
    width: int
    height: int
    data: bytes


@dataclass
class NavEntry:
    label: str
    href: str
    children: list[NavEntry] = field(default_factory=list)
    nav_id: str = ""
    play_order: int = 0


def file_name(file_id: str) -> str:
    return f"text/{file_id}.xhtml"


class EpubRenderer:
    def __init__(self, book: Book, layout: Layout, source_date: datetime,
                 diagnostics: Diagnostics, page_breaks=(), print_pages=None,
                 cache: Cache | None = None):
        if not book.meta.generate.index:  # the marks stay, the generated index goes
            book = book.evolve(indexes=())
        self.book = book
        self.layout = layout
        self.source_date = source_date
        self.diagnostics = diagnostics
        self.cache = cache  # the generated cover is kept there (render.cover.cache)
        self.lang = book.meta.lang
        self.strings = layout.strings(self.lang)
        self.env = layout.env
        self.files = {c.file_id: file_name(c.file_id).removeprefix("text/")
                      for c in book.chapters}
        for part in book.parts:  # a part's opening text is on its title page
            self.files[part.id] = file_name(part.id).removeprefix("text/")
            if part.opening is not None:
                self.files[part.opening.file_id] = self.files[part.id]
        self.note_files = self.notes_files()
        # print pages from the print build of the same run: file_id -> block -> the pages
        # that begin in it, (folio, first line's text or None at the block's start)
        self.page_breaks = tuple(page_breaks)
        self.print_pages = print_pages  # anchor -> print page (pdf_index.PageMap), or None
        self.breaks: dict[str, dict[int, list[tuple[str, str | None]]]] = {}
        for pb in self.page_breaks:
            self.breaks.setdefault(pb.file_id, {}).setdefault(pb.block, []).append(
                (pb.folio, pb.text))
        self.placed_pages: set[str] = set()  # the markers the chapters could place

    @cached_property
    def cover(self) -> CoverFile | None:
        """The book's cover-image, else one generated from the layout's cover template
        (``generate: {cover: false}`` turns that off): retailers refuse an EPUB without."""
        book = self.book
        if book.cover is not None:
            return CoverFile(book.cover.href, book.cover.media_type, book.cover.width,
                             book.cover.height, book.cover.content())
        if not book.meta.generate.cover:
            return None
        from make_book.render.cover.draw import EPUB_COVER_PX, generated_epub_cover
        data = generated_epub_cover(book.meta, self.layout, book.root, self.diagnostics,
                                    self.cache)
        if data is None:
            return None
        return CoverFile("images/generated-cover.jpg", "image/jpeg", *EPUB_COVER_PX, data)

    # ------------------------------------------------------------------ documents
    def page(self, template: str, doc_title: str, body_type: str | None = None,
             lang: str | None = None, **context) -> bytes:
        html = self.env.get_template(f"epub/{template}").render(
            lang=lang or self.lang, doc_title=doc_title, body_type=body_type,
            strings=self.strings, meta=self.book.meta, book=self.book, **context)
        return html.encode("utf-8")

    def notes_files(self) -> dict[str, str]:
        """With ``epub-notes: book``: file_id -> the back-matter notes file holding that
        chapter's notes; files split at chapter boundaries every ~NOTES_PER_FILE notes so
        a book with thousands of notes keeps small documents."""
        if self.book.meta.epub_notes != "book":
            return {}
        out: dict[str, str] = {}
        part, count = 1, 0
        for chapter in self.book.chapters:
            if not chapter.notes:
                continue
            if count and count + len(chapter.notes) > NOTES_PER_FILE:
                part, count = part + 1, 0
            out[chapter.file_id] = f"notes-{part}.xhtml"
            count += len(chapter.notes)
        return out

    def notes_doc(self, name: str, chapters: list[Chapter], first: bool) -> bytes:
        groups = []
        for chapter in chapters:
            ctx = epub_body.converter(self.book, chapter, self.files, self.strings,
                                      notes_file=name, note_files=self.note_files)
            ctx.local = False
            groups.append({"chapter": chapter, "href": self.files[chapter.file_id],
                           "notes": [{"id": n.id, "html": Markup(epub_body.note(ctx, n))}
                                     for n in chapter.notes]})
        return self.page("notes.xhtml", self.strings["notes"], "backmatter", groups=groups,
                         doc_id=name.removesuffix(".xhtml"), show_title=first)

    def chapter_doc(self, chapter: Chapter) -> bytes:
        body_type = {"front": "frontmatter", "body": "bodymatter", "back": "backmatter"}[
            chapter.matter]
        section_id = chapter.headings[0].id
        notes_file = self.note_files.get(chapter.file_id)
        ctx = epub_body.converter(self.book, chapter, self.files, self.strings,
                                  notes_file=notes_file, note_files=self.note_files,
                                  breaks=self.breaks.get(chapter.file_id))
        title_html = (epub_body.convert(ctx, chapter.title_html, "title")
                      if chapter.title_html else Markup.escape(chapter.title))
        number_label = None
        if chapter.label:
            word = self.strings["appendix" if chapter.kind == "appendix" else "chapter"]
            number_label = f"{word} {chapter.label}"
        body = epub_body.convert(ctx, chapter.body)
        self.placed_pages |= ctx.placed
        return self.page(
            "chapter.xhtml", chapter.title, body_type, chapter=chapter,
            section_id=section_id, chapter_lang=chapter.lang, number_label=number_label,
            title_html=Markup(title_html), body=Markup(body),
            notes=[] if notes_file else [{"id": n.id, "html": Markup(epub_body.note(ctx, n))}
                                         for n in chapter.notes])

    def part_doc(self, part: Part) -> bytes:
        """A part's title page, with its opening text (an epigraph) and that text's notes."""
        body, notes, title_html = Markup(""), [], Markup.escape(part.title)
        opening = part.opening
        if opening is not None:
            notes_file = self.note_files.get(opening.file_id)
            ctx = epub_body.converter(self.book, opening, self.files, self.strings,
                                      notes_file=notes_file,
                                      breaks=self.breaks.get(opening.file_id))
            body = Markup(epub_body.convert(ctx, opening.body))
            self.placed_pages |= ctx.placed
            if part.title_html:
                title_html = Markup(epub_body.convert(ctx, part.title_html, "title"))
            if not notes_file:
                notes = [{"id": n.id, "html": Markup(epub_body.note(ctx, n))}
                         for n in opening.notes]
        return self.page("part.xhtml", part.title, "bodymatter", part=part,
                         number_label=f"{self.strings['part']} {part.label}" if part.label
                         else None, title_html=title_html, body=body, notes=notes)

    # ------------------------------------------------------------------ navigation
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

    # ------------------------------------------------------------------ package
    def render(self) -> bytes:
        book, meta = self.book, self.book.meta
        pkg = epub.EpubBook()
        epub_meta.apply(pkg, book, has_page_list=bool(self.page_breaks),
                        has_cover=self.cover is not None)

        stylesheet = self.stylesheet()
        pkg.add_item(epub.EpubItem(uid="css", file_name="css/book.css", media_type="text/css",
                                   content=stylesheet.encode("utf-8")))
        for i, face in enumerate(self.embedded_fonts, start=1):
            pkg.add_item(epub.EpubItem(uid=f"font-{i}", file_name=face.href,
                                       media_type=FONT_TYPES.get(face.path.suffix.lower(),
                                                                 "font/otf"),
                                       content=self.layout.read(face.path, "font file")))
        images = list(book.images)
        cover = self.cover
        if cover is not None and cover.href not in {i.href for i in images}:
            cover_img = epub.EpubCover(uid="cover-image", file_name=cover.href)
            cover_img.media_type = cover.media_type
            cover_img.content = cover.data
            pkg.add_item(cover_img)
            pkg.add_metadata(None, "meta", "", {"name": "cover", "content": "cover-image"})
        for n, image in enumerate(images, start=1):
            item = epub.EpubItem(uid=f"img-{n}", file_name=image.href,
                                 media_type=image.media_type, content=image.content())
            if book.cover is not None and image.href == book.cover.href:
                item.properties = ["cover-image"]
            pkg.add_item(item)

        spine = []

        def doc(uid: str, name: str, content: bytes, linear: bool = True) -> None:
            item = epub.EpubItem(uid=uid, file_name=name, media_type=XHTML, content=content)
            if MATHML_RE.search(content):  # EPUB 3 requires the property on MathML pages
                item.properties = ["mathml"]
            pkg.add_item(item)
            spine.append(item if linear else (item, "no"))

        # the people the print title page credits: authors from `author` and from
        # `creator` entries with role aut alike
        authors = [c.name for c in meta.authors]
        if cover is not None:
            alt = f"{meta.title}" + (f", {', '.join(authors)}" if authors else "")
            doc("cover", "text/cover.xhtml",
                self.page("cover.xhtml", self.strings["cover"], cover=cover,
                          cover_alt=alt))
        credits = book_credits.credit_lines(book, self.strings)
        doc("titlepage", "text/titlepage.xhtml",
            self.page("titlepage.xhtml", meta.title, "frontmatter",
                      authors=authors, credits=credits))
        doc("copyright", "text/copyright.xhtml",
            self.page("copyright.xhtml", self.strings["copyright"], "frontmatter",
                      credits=credits, isbns=book_credits.isbn_lines(book),
                      year=book_credits.year(book)))  # no printing line: print only
        def documents(items) -> None:  # parts and chapters in reading order, nested
            for item in items:
                if isinstance(item, Part):
                    doc(item.id, file_name(item.id), self.part_doc(item))
                    documents(item.items)
                else:
                    doc(item.file_id, file_name(item.file_id), self.chapter_doc(item))
        documents(book.items)
        for n, name in enumerate(dict.fromkeys(self.note_files.values())):
            held = [c for c in book.chapters if self.note_files.get(c.file_id) == name]
            doc(name.removesuffix(".xhtml"), f"text/{name}", self.notes_doc(name, held, n == 0))
        for index in book.indexes:
            title = index.title or self.strings["index"]
            doc(index.name, epub_index.file_name(index),
                self.page("index.xhtml", title, "backmatter", index=index, title=title,
                          groups=epub_index.view(book, index, self.files, self.print_pages)))
        if meta.series and meta.series.volumes and meta.generate.series_page:
            doc("series-page", "text/series.xhtml",
                self.page("series.xhtml", meta.series.title, "backmatter"))

        toc = self.toc()
        nav = epub.EpubItem(uid="nav", file_name="nav.xhtml", media_type=XHTML,
                            content=self.nav_doc(toc))
        nav.properties = ["nav"]
        pkg.add_item(nav)
        spine.append((nav, "no"))  # the landmarks point at it; readers show their own toc
        pkg.add_item(epub.EpubItem(uid="ncx", file_name="toc.ncx",
                                   media_type="application/x-dtbncx+xml",
                                   content=self.ncx_doc(toc)))
        pkg.spine = spine
        data = write_container(pkg, self.source_date, {"EPUB/content.opf": self.fix_opf})
        # whatever the templates wrote: no script, no remote resource (E050, not written)
        active_content.check_epub(data, self.diagnostics, self.book.root / "book.yaml")
        return data

    def fix_opf(self, data: bytes) -> bytes:
        """ebooklib writes a fixed <package> element: add the book's language (Ace's
        epub-lang) and its direction."""
        root = etree.fromstring(data)
        root.set("{http://www.w3.org/XML/1998/namespace}lang", self.lang)
        return etree.tostring(root, encoding="utf-8", xml_declaration=True)

    @cached_property
    def embedded_fonts(self) -> tuple:
        """Every face of the main text family (the stylesheet sets all its styles), and of
        the other families the faces that set some character of the book: a fallback face
        nothing needs would only weigh the file down. A private-use character no face has
        is a warning (``P020``)."""
        found = glyphs.check_glyphs(self.book, self.layout, self.diagnostics, target="epub",
                                    cache=self.cache)
        main = self.layout.font_section.chains.text[:1]
        return tuple(f for f in self.layout.fonts if f.family in main or f in found.faces)

    STYLESHEETS = "epub"  # the layout's stylesheet target (the web edition has its own)

    def font_href(self, face) -> str:
        """Where the stylesheet finds a font face's file."""
        return f"../{face.href}"

    def stylesheet(self) -> str:
        """The layout's CSS for :attr:`STYLESHEETS`, copied as is: a remote url() in it
        would make readers fetch it (the EPUB's `remote-resources`), so it is an error
        naming the file."""
        parts = [self.layout.font_face_css(self.font_href, self.embedded_fonts)]
        for path in self.layout.stylesheets(self.STYLESHEETS):
            text = self.layout.read_text(path, "stylesheet")
            report_refused(text, path, self.diagnostics)
            parts.append(text)
        return "\n".join(parts)

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


def _stamp(when: datetime) -> tuple[int, int, int, int, int, int]:
    return (max(when.year, 1980), when.month, when.day, when.hour, when.minute, when.second)


def _add(dst: zipfile.ZipFile, name: str, content: bytes, stamp) -> None:
    """One entry as every make-book EPUB has it: fixed time and attributes, ``mimetype``
    stored (OCF requires it readable at a fixed offset), the rest deflated."""
    info = zipfile.ZipInfo(name, date_time=stamp)
    info.compress_type = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    info.create_system = 3
    dst.writestr(info, content, compresslevel=6 if name != "mimetype" else None)


class _Entries:
    """Stands in for the ``zipfile.ZipFile`` ebooklib's writer fills (its ``out``): each
    entry it writes goes to our zip at once, with our times and attributes and ``fixes``
    applied, so the archive is compressed once and never rewritten."""

    def __init__(self, dst: zipfile.ZipFile, stamp, fixes: dict[str, Callable[[bytes], bytes]]):
        self.dst, self.stamp, self.fixes = dst, stamp, fixes

    def writestr(self, name, content, compress_type=None, compresslevel=None) -> None:
        name = name.filename if isinstance(name, zipfile.ZipInfo) else name
        data = content.encode("utf-8") if isinstance(content, str) else content
        if name in self.fixes:
            data = self.fixes[name](data)
        _add(self.dst, name, data, self.stamp)

    def close(self) -> None:  # the caller closes the real zip
        pass


class _OneWriter(epub.EpubWriter):
    """ebooklib's writer (package document, container, items in its order) with the zip
    handed in rather than opened on a file name."""

    def __init__(self, book: epub.EpubBook, out: _Entries, options: dict):
        super().__init__("", book, options)
        self._entries = out

    def write(self) -> None:
        self.out = self._entries
        self.out.writestr("mimetype", "application/epub+zip")
        self._write_container()
        self._write_opf()
        self._write_items()


def write_container(pkg: epub.EpubBook, when: datetime,
                    fixes: dict[str, Callable[[bytes], bytes]] | None = None) -> bytes:
    """The EPUB zip in one pass, from ebooklib's package: ``mimetype`` first and stored,
    fixed times (the source date) and attributes, so the same sources give the same bytes;
    ``fixes`` rewrite named entries on the way."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        writer = _OneWriter(pkg, _Entries(dst, _stamp(when), fixes or {}),
                            {"epub3_pages": False, "epub2_guide": False, "mtime": when,
                             "raise_exceptions": True,
                             "play_order": {"enabled": False, "start_from": 1}})
        writer.process()
        writer.write()
    return out.getvalue()


def render_epub(book: Book, layout: Layout, *, source_date: datetime,
                diagnostics: Diagnostics, page_breaks=(), print_pages=None,
                cache: Cache | None = None) -> bytes:
    """``page_breaks``: where the print edition's pages begin (render.pdf.PageBreak);
    without them the EPUB has no page-list. ``print_pages``: the print edition's anchor
    pages (pdf_index.PageMap), for index locators that read as in print. ``cache``: where
    the generated cover is kept."""
    return EpubRenderer(book, layout, source_date, diagnostics, page_breaks,
                        print_pages, cache).render()

