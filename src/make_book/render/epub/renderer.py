"""EPUB 3 renderer: our own XHTML, nav and NCX from the layout's templates, packaged by ebooklib.

ebooklib does the package document (metadata, manifest, spine) well. Where it falls short
we own the output (DESIGN.md): content documents are plain ``EpubItem``s so ebooklib
cannot rewrite their ``<head>``; nav and NCX come from our templates (its page-list default
is wrong and its NCX has no parts); its zip would carry the wall clock, so its writer fills
our own zip (fixed timestamps, ``mimetype`` first), in one pass, for byte-identical
rebuilds (:mod:`.container`). The navigation documents are :mod:`.navigation`'s; a
chapter's text goes through the EPUB's format steps (:mod:`.body`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
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
from make_book.render.epub.container import write_container
from make_book.render.epub.navigation import Navigation
from make_book.render.serialise import part_title_html

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


def file_name(file_id: str) -> str:
    return f"text/{file_id}.xhtml"


class EpubRenderer(Navigation):
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
        self.print_pages = print_pages  # anchor -> print page (folios.PageMap), or None
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
        title_html = (epub_body.convert(ctx, chapter.title_markup, "title")
                      if chapter.title_markup is not None else Markup.escape(chapter.title))
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
        body, notes, title_html = Markup(""), [], part_title_html(part, "epub")
        opening = part.opening
        if opening is not None:
            notes_file = self.note_files.get(opening.file_id)
            ctx = epub_body.converter(self.book, opening, self.files, self.strings,
                                      notes_file=notes_file,
                                      breaks=self.breaks.get(opening.file_id))
            body = Markup(epub_body.convert(ctx, opening.body))
            self.placed_pages |= ctx.placed
            if part.title_markup is not None:
                title_html = Markup(epub_body.convert(ctx, part.title_markup, "title"))
            if not notes_file:
                notes = [{"id": n.id, "html": Markup(epub_body.note(ctx, n))}
                         for n in opening.notes]
        return self.page("part.xhtml", part.title, "bodymatter", part=part,
                         number_label=f"{self.strings['part']} {part.label}" if part.label
                         else None, title_html=title_html, body=body, notes=notes)

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
                          groups=epub_index.view(book, index, self.files, self.print_pages,
                                                self.note_files)))
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



def render_epub(book: Book, layout: Layout, *, source_date: datetime,
                diagnostics: Diagnostics, page_breaks=(), print_pages=None,
                cache: Cache | None = None) -> bytes:
    """``page_breaks``: where the print edition's pages begin (render.pdf.PageBreak);
    without them the EPUB has no page-list. ``print_pages``: the print edition's anchor
    pages (folios.PageMap), for index locators that read as in print. ``cache``: where
    the generated cover is kept."""
    return EpubRenderer(book, layout, source_date, diagnostics, page_breaks,
                        print_pages, cache).render()

