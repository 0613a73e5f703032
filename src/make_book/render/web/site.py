"""The web edition: a static site per book (one HTML page per part, chapter and generated
index, the book's own page with its metadata, fonts, images, CSS, feed and sitemap).

It is the EPUB renderer with other pages around the same text: :class:`WebRenderer`
subclasses :class:`~make_book.render.epub.renderer.EpubRenderer`, so a chapter's body goes through
the very conversion the EPUB's does (note calls and their back-links, links resolved to the
right page, index back-links, the print edition's page anchors); only the page template
(``web/`` instead of ``epub/``), the file names (``plan.py``), the serialisation (HTML5:
``html5.py``) and the notes (always at the end of their own page: footnotes that work
without JavaScript) differ.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property

import jinja2
from markupsafe import Markup

from make_book.cache import Cache
from make_book.errors import Diagnostics
from make_book.layouts import Layout
from make_book.model import Book, BookIndex, Chapter, Part
from make_book.render import credits as book_credits
from make_book.render.epub import index as epub_index
from make_book.render.epub.renderer import EpubRenderer
from make_book.render.web import feed, fonts, html5, images, jsonld, safety
from make_book.render.web.plan import (
    BOOK_PAGE,
    SitePlan,
    WebPage,
    index_page_name,
    plan_site,
)
from make_book.transforms.contents_entries import NavEntry
from make_book.xhtml import plain_text

STYLESHEET = "css/book.css"
# the EPUB templates the shared page builders ask for -> the web edition's
TEMPLATES = {"chapter.xhtml": "web/chapter.html", "part.xhtml": "web/part.html",
             "index.xhtml": "web/genindex.html"}
SUMMARY_CHARS = 280
NO_TEMPLATES = "W002"


@dataclass
class Site:
    """A web edition: POSIX path inside ``web/`` -> bytes."""
    files: dict[str, bytes] = field(default_factory=dict)

    @property
    def size(self) -> int:
        return sum(len(d) for d in self.files.values())


class WebRenderer(EpubRenderer):
    def __init__(self, book: Book, layout: Layout, source_date: datetime,
                 diagnostics: Diagnostics, page_breaks=(), print_pages=None,
                 cache: Cache | None = None):
        super().__init__(book, layout, source_date, diagnostics, page_breaks, print_pages,
                         cache)
        self.plan: SitePlan = plan_site(self.book, self.strings["index"])
        self.files = dict(self.plan.files)  # the body converter links to these pages
        self.current: WebPage | None = None
        self.images: dict[str, images.WebImage] = {}
        self.site = Site()

    # ------------------------------------------------------------------ EPUB hooks
    def notes_files(self) -> dict[str, str]:
        """Notes always close their own page (``epub-notes: book`` is for EPUB readers'
        pop-ups): a footnote and its call stay one scroll apart, with no JavaScript."""
        return {}

    def index_href(self, index: BookIndex) -> str:
        return index_page_name(index)

    def page(self, template: str, doc_title: str, body_type: str | None = None,
             lang: str | None = None, **context) -> bytes:
        """A page of the site: the web template for what the EPUB would write, in the
        site's frame (navigation, skip link, landmarks), serialised as HTML5."""
        name = TEMPLATES.get(template, template)
        page = self.current
        before, after = self.plan.neighbours(page.href) if page else (None, None)
        html = self.env.get_template(name).render(
            lang=lang or self.lang, doc_title=doc_title, body_type=body_type,
            strings=self.strings, meta=self.book.meta, book=self.book, page=page,
            previous=before, next=after, up=self.up_page(page), stylesheet=STYLESHEET,
            has_feed=self.base_url is not None, book_page=BOOK_PAGE,
            part_entries=self.part_entries(page), **context)
        return self.finish(html)

    # ------------------------------------------------------------------ pieces
    @property
    def base_url(self) -> str | None:
        return self.book.meta.web.base_url

    def up_page(self, page: WebPage | None) -> WebPage | None:
        if page is None or page.up is None:
            return None
        return next(p for p in self.plan.pages if p.href == page.up)

    def part_entries(self, page: WebPage | None) -> list[NavEntry]:
        """What a part's page lists: its own entry's children in the contents."""
        if page is None or not isinstance(page.item, Part):
            return []
        todo = list(self.contents)
        while todo:
            entry = todo.pop(0)
            if entry.href == page.href:
                return entry.children
            todo.extend(entry.children)
        return []

    def finish(self, xhtml: str) -> bytes:
        """HTML5, with each image pointed at the site's copy and its narrower ones, and
        the print page anchors named by ``title``: ARIA in HTML allows doc-pagebreak only on
        ``<hr>``, so on a ``<span>`` axe-core reads ``aria-label`` as prohibited (a serious
        violation), while ``title`` gives the same accessible name."""
        root = html5.parse(xhtml)
        for span in root.iterfind(".//{*}span[@role='doc-pagebreak']"):
            if span.get("aria-label") is not None:
                span.set("title", span.attrib.pop("aria-label"))
        for img in root.iter("{*}img"):
            src = img.get("src", "")
            href = src.removeprefix("../")  # the EPUB's path is relative to its text/
            web = self.images.get(href)
            if web is None:
                continue
            img.set("src", href)
            if web.srcset:
                img.set("srcset", images.srcset_attr(web))
                img.set("sizes", images.SIZES)
            if "cover" not in (img.getparent().get("class") or ""):
                img.set("loading", "lazy")
            img.set("decoding", "async")
        return html5.to_html5(root)

    @cached_property
    def contents(self) -> list[NavEntry]:
        return self.toc()

    def book_page(self) -> bytes:
        meta = self.book.meta
        cover = None
        if self.book.cover is not None:
            authors = ", ".join(str(c.name) for c in meta.authors)
            cover = {"href": "../" + self.book.cover.href, "width": self.book.cover.width,
                     "height": self.book.cover.height,
                     "alt": f"{meta.title}" + (f", {authors}" if authors else "")}
        first = next((p for p in self.plan.pages[1:]), None)
        data = jsonld.book_jsonld(self.book, url=self.base_url,
                                  image=self.book.cover.href if self.book.cover else None)
        return self.page("web/book.html", str(meta.title), cover=cover,
                         authors=[str(c.name) for c in meta.authors],
                         credits=book_credits.credit_lines(self.book, self.strings),
                         isbns=book_credits.isbn_lines(self.book),
                         contents=self.contents, first=first,
                         jsonld=Markup(jsonld.script_text(data)))

    def index_page(self, index: BookIndex) -> bytes:
        title = index.title or self.strings["index"]
        return self.page("index.xhtml", title, index=index, title=title,
                         groups=epub_index.view(self.book, index, self.files,
                                                self.print_pages))

    STYLESHEETS = "web"

    def font_href(self, face) -> str:
        return "../" + self.font_hrefs[face.href]  # the WOFF2 copy (fonts.py)

    # ------------------------------------------------------------------ the site
    def render(self) -> Site:  # type: ignore[override]  # a folder, not an EPUB's bytes
        files = self.site.files
        self.font_hrefs: dict[str, str] = {}
        for face in self.embedded_fonts:
            href, data = fonts.web_font(face, self.layout, self.cache)
            self.font_hrefs[face.href] = href
            files[href] = data
        for image in self.book.images + ((self.book.cover,) if self.book.cover else ()):
            if image.href not in self.images:
                self.images[image.href] = web = images.web_image(image)
                files.update(web.files)
        files[STYLESHEET] = self.stylesheet().encode("utf-8")
        summaries: dict[str, str] = {}
        for page in self.plan.pages:
            self.current = page
            if page.item is None:
                files[page.href] = self.book_page()
            elif isinstance(page.item, Part):
                files[page.href] = self.part_doc(page.item)
            elif isinstance(page.item, Chapter):
                files[page.href] = self.chapter_doc(page.item)
                summaries[page.href] = _summary(page.item)
            else:
                files[page.href] = self.index_page(page.item)
        self.current = None
        if self.base_url is not None:
            files["feed.atom"] = feed.atom_feed(self.book, self.plan, self.base_url,
                                                self.source_date, summaries)
            files["sitemap.xml"] = feed.sitemap(self.plan, self.base_url, self.source_date)
        where = self.book.root / "book.yaml"
        for href, data in files.items():  # no script but our JSON-LD, nothing remote
            if href.endswith(".html"):
                safety.check_page(data, href, self.diagnostics, where)
        safety.check_stylesheet(files[STYLESHEET].decode("utf-8"), STYLESHEET,
                                self.diagnostics, where)
        return self.site


def _has_template(layout: Layout, name: str) -> bool:
    try:
        layout.env.get_template(name)
    except jinja2.TemplateNotFound:
        return False
    return True


def _summary(chapter: Chapter) -> str:
    text = " ".join(plain_text(chapter.body).split())
    if len(text) <= SUMMARY_CHARS:
        return text
    cut = text.rfind(" ", 0, SUMMARY_CHARS)
    return text[:cut if cut > 0 else SUMMARY_CHARS] + "…"


def render_web(book: Book, layout: Layout, *, source_date: datetime,
               diagnostics: Diagnostics, page_breaks=(), print_pages=None,
               cache: Cache | None = None) -> Site:
    """``page_breaks``/``print_pages``: the print edition's pages from the same run
    (render.print.renderer), for ``page-N`` anchors and index locators that read as in print. A
    layout without the web templates (one that does not extend ``default``) is ``W002``
    and an empty site (nothing is written: the build has failed)."""
    missing = [name for name in (*TEMPLATES.values(), "web/book.html")
               if not _has_template(layout, name)]
    if missing:
        diagnostics.error(NO_TEMPLATES, f"the layout '{layout.name}' has no web edition "
                          f"templates ({', '.join(missing)})", book.root / "book.yaml",
                          hint="extend the default layout (extends: default in its "
                               "layout.yaml), or add templates/web/ as it has them")
        return Site()
    return WebRenderer(book, layout, source_date, diagnostics, page_breaks, print_pages,
                       cache).render()
