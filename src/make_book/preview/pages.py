"""The web edition the preview serves: the EPUB renderer's own documents, stylesheet, fonts
and images at the paths they have in the EPUB (``text/``, ``css/``, ``fonts/``,
``images/``), so every relative link, note reference and ``url()`` works as in a reading
system. Only the preview adds anything: its bar, problems and print pages, and the
live-reload script, put into a copy of a document when it is served (:func:`decorate`);
the EPUB renderer itself never sees them.
"""

from __future__ import annotations

import hashlib
import html
import mimetypes
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from make_book.build import source_date
from make_book.errors import Diagnostic, Diagnostics
from make_book.layouts import Layout
from make_book.model import Book, Chapter, Part
from make_book.render.epub import index as epub_index
from make_book.render.epub.renderer import EpubRenderer, file_name
from make_book.transforms.contents_entries import NavEntry
from make_book.xhtml import Body

XHTML_NS = "http://www.w3.org/1999/xhtml"
XHTML_TYPE = "application/xhtml+xml"
PREVIEW = "/_preview"  # the preview's own files; no book file can be served from here
LIVE_JS = f"{PREVIEW}/live.js"
PREVIEW_CSS = f"{PREVIEW}/preview.css"
PRINT_NOTE = ("Print pages of this chapter laid out on its own with the book's layout: "
              "its folios, and page numbers it prints for other places, differ from the "
              "whole book's.")


@dataclass(frozen=True)
class Resource:
    data: bytes
    media_type: str

    @property
    def digest(self) -> str:
        return hashlib.sha256(self.data).hexdigest()[:16]


@dataclass
class Site:
    """One good build of the book: what the preview serves until the next good one."""

    book: Book
    layout: Layout
    stylesheet: str
    resources: dict[str, Resource] = field(default_factory=dict)  # URL path -> file
    # URL path -> the file_id of the chapter it shows ("" for parts, notes, indexes)
    documents: dict[str, str] = field(default_factory=dict)
    toc: list[NavEntry] = field(default_factory=list)
    # what making the stylesheet found (fonts lacking a character, a refused url())
    style_problems: tuple[Diagnostic, ...] = ()
    # URL path -> everything its document was rendered from (see _Inputs)
    inputs: dict[str, tuple] = field(default_factory=dict)
    rendered: list[str] = field(default_factory=list)  # documents rendered, not kept

    def chapter_path(self, file_id: str) -> str | None:
        return next((p for p, f in self.documents.items() if f == file_id), None)


def build_site(book: Book, layout: Layout, diagnostics: Diagnostics,
               previous: Site | None = None) -> Site:
    """Every content document of the EPUB but its cover, title and copyright pages, which
    the index page stands in for (the generated cover alone would cost a WeasyPrint
    layout per rebuild). ``previous``: the last build, whose stylesheet and fonts are kept
    when neither the layout nor book.yaml changed (which fonts the book needs is read from
    every character of it: 0.7 s of a 0.8 s rebuild of a long novel)."""
    renderer = EpubRenderer(book, layout, source_date(book), diagnostics)
    if previous is not None:
        site = Site(book, layout, previous.stylesheet, style_problems=previous.style_problems)
        site.resources.update({p: r for p, r in previous.resources.items()
                               if p.startswith(("/css/", "/fonts/"))})
    else:
        found = Diagnostics()  # kept with the stylesheet: shown again while it is kept
        styler = EpubRenderer(book, layout, source_date(book), found)
        site = Site(book, layout, styler.stylesheet())
        site.resources["/css/book.css"] = Resource(site.stylesheet.encode("utf-8"),
                                                   "text/css")
        for face in styler.embedded_fonts:
            site.resources[f"/{face.href}"] = Resource(face.path.read_bytes(),
                                                       _media_type(face.path))
        site.style_problems = tuple(found)
    diagnostics.extend(site.style_problems)
    add = site.resources.__setitem__
    for image in book.images:
        add(f"/{image.href}", Resource(image.content(), image.media_type))
    inputs = _Inputs(book, renderer)

    def document(path: str, key: tuple, make: Callable[[], bytes], file_id: str | None
                 ) -> None:
        """The previous build's document when it was rendered from the same inputs."""
        url = f"/{path}"
        if previous is not None and previous.inputs.get(url) == key:
            resource = previous.resources[url]
        else:
            resource = Resource(make(), XHTML_TYPE)
            site.rendered.append(url)
        add(url, resource)
        site.documents[url] = file_id or ""
        site.inputs[url] = key

    def walk(items) -> None:
        for item in items:
            if isinstance(item, Part):
                document(file_name(item.id), inputs.part(item),
                         lambda item=item: renderer.part_doc(item), None)
                walk(item.items)
            else:
                document(file_name(item.file_id), inputs.chapter(item),
                         lambda item=item: renderer.chapter_doc(item), item.file_id)
    walk(book.items)
    for name in dict.fromkeys(renderer.note_files.values()):
        held = [c for c in book.chapters if renderer.note_files.get(c.file_id) == name]
        first = name == next(iter(renderer.note_files.values()))
        document(f"text/{name}", inputs.notes(name, held, first),
                 lambda name=name, held=held, first=first:
                 renderer.notes_doc(name, held, first), None)
    for index in book.indexes:
        title = index.title or renderer.strings["index"]
        groups = epub_index.view(book, index, renderer.files, None, renderer.note_files)
        document(epub_index.file_name(index), inputs.common("index", index, title, groups),
                 lambda index=index, title=title, groups=groups: renderer.page(
                     "index.xhtml", title, "backmatter", index=index, title=title,
                     groups=groups), None)
    site.toc = renderer.toc()
    return site


class _Inputs:
    """What each document is rendered from, compared with the last build's so that an
    edit renders again only the pages it changes. A chapter's page depends on the chapter
    itself, the book's metadata, the file of every chapter and notes file (a link's
    target), and the book-wide facts its links read (the target's owner, whether it is
    inside a note, its label): only those of the ids this chapter links to, so a heading
    added in one chapter leaves the others' pages alone. The stylesheet, layout and
    strings are the same whenever a previous build is given (build_site's contract)."""

    def __init__(self, book: Book, renderer: EpubRenderer):
        self.book = book
        self.base = (book.meta, renderer.files, renderer.note_files)

    def _links(self, *bodies: Body | None) -> tuple:
        book = self.book
        targets = sorted({h[1:] for body in bodies if body is not None
                          for h in body.root.xpath(".//@href")
                          if h.startswith("#") and len(h) > 1})
        return tuple((t, book.in_notes.get(t), book.anchors.get(book.in_notes.get(t, t)),
                      book.labels.get(t)) for t in targets)

    def _of(self, chapter: Chapter | None) -> tuple:
        if chapter is None:
            return ()
        return (chapter, self._links(chapter.body, chapter.title_markup,
                                     *(n.body for n in chapter.notes)))

    def chapter(self, chapter: Chapter) -> tuple:
        return ("chapter", self.base, self._of(chapter))

    def part(self, part: Part) -> tuple:
        return ("part", self.base, part.id, part.title, part.title_markup, part.label,
                part.depth, self._of(part.opening))

    def notes(self, name: str, held: list[Chapter], first: bool) -> tuple:
        return ("notes", self.base, name, first, tuple(self._of(c) for c in held))

    def common(self, *key) -> tuple:
        return (*key, self.base)


def _media_type(path: Path) -> str:
    return mimetypes.guess_type(path.name)[0] or "application/octet-stream"


# ---------------------------------------------------------------------------- the panels
@dataclass(frozen=True)
class PrintView:
    """What the print panel of a chapter shows."""

    images: tuple[str, ...] = ()  # URLs of the page images
    busy: bool = False  # a layout of the chapter as it is now is running or queued
    stale: bool = False  # the images are of an earlier version of the chapter
    problem: str | None = None  # why the last layout failed (V003)
    findings: tuple[str, ...] = ()  # the layout's diagnostics, as `path:line: CODE message`


def _problem_items(problems: list[Diagnostic], cwd: Path) -> list[tuple[str, str]]:
    return [("error" if d.is_error else "warning", d.format(relative_to=cwd))
            for d in problems]


def panel_html(problems: list[Diagnostic], cwd: Path, title: str, stale_site: bool) -> str:
    """The bar at the top of every preview page: the contents link and the problems of the
    last build, each as ``path:line: CODE message`` (as the command line prints them)."""
    parts = [(f'<div id="mb-preview-bar" class="mb-preview">'
              f'<a href="/">Contents</a> <span>{html.escape(title)}</span>')]
    if stale_site:
        parts.append('<p class="mb-stale">The last change has errors: the pages shown are '
                     'those of the last good build.</p>')
    if problems:
        parts.append('<ol id="mb-preview-problems">')
        for kind, text in _problem_items(problems, cwd):
            parts.append(f'<li class="mb-{kind}">{html.escape(text)}</li>')
        parts.append("</ol>")
    parts.append("</div>")
    return "".join(parts)


def print_html(view: PrintView) -> str:
    parts = ['<section id="mb-preview-print" class="mb-preview"><h2>Print pages</h2>',
             f"<p>{html.escape(PRINT_NOTE)}</p>"]
    if view.problem:
        parts.append(f'<p class="mb-error">{html.escape(view.problem)}</p>')
    if view.findings:
        parts.append('<ol class="mb-print-findings">')
        parts += [f"<li>{html.escape(text)}</li>" for text in view.findings]
        parts.append("</ol>")
    if view.busy:
        parts.append('<p class="mb-busy">Laying out the print pages\u2026</p>')
    elif view.stale:
        parts.append('<p class="mb-busy">These pages are of an earlier version.</p>')
    for n, url in enumerate(view.images, start=1):
        parts.append(f'<img class="mb-page" src="{html.escape(url)}" '
                     f'alt="Print page {n} of the chapter"/>')
    parts.append("</section>")
    return "".join(parts)


def _fragment(markup: str) -> etree._Element:
    """Preview HTML as XHTML elements (the documents are served as XHTML)."""
    return etree.fromstring(f'<div xmlns="{XHTML_NS}">{markup}</div>')[0]


def decorate(document: bytes, token: str, bar: str, print_panel: str | None) -> bytes:
    """A copy of an EPUB document with the preview's bar, print panel and live-reload
    script: ``token`` is what the page shows, the script reloads when it changes."""
    root = etree.fromstring(document, etree.XMLParser(resolve_entities=False,
                                                      no_network=True))
    head = root.find(f"{{{XHTML_NS}}}head")
    body = root.find(f"{{{XHTML_NS}}}body")
    etree.SubElement(head, f"{{{XHTML_NS}}}link", rel="stylesheet", href=PREVIEW_CSS)
    script = etree.SubElement(head, f"{{{XHTML_NS}}}script", src=LIVE_JS)
    script.text = ""  # <script/> is no element an HTML parser closes
    root.set("data-preview-token", token)
    body.insert(0, _fragment(bar))
    if print_panel is not None:
        body.append(_fragment(print_panel))
    return etree.tostring(root, encoding="utf-8", xml_declaration=True,
                          doctype="<!DOCTYPE html>")


def index_page(title: str, toc: list[NavEntry], token: str, bar: str) -> bytes:
    """The preview's home: the book's title and its contents, linked."""
    def entries(items: list[NavEntry]) -> str:
        if not items:
            return ""
        out = ["<ol>"]
        for e in items:
            out.append(f'<li><a href="/text/{html.escape(e.href)}">{html.escape(e.label)}'
                       f"</a>{entries(e.children)}</li>")
        out.append("</ol>")
        return "".join(out)
    page = (f'<!DOCTYPE html><html data-preview-token="{html.escape(token)}"><head>'
            f'<meta charset="utf-8"/><title>{html.escape(title)} (preview)</title>'
            f'<link rel="stylesheet" href="{PREVIEW_CSS}"/><script src="{LIVE_JS}"></script>'
            f'</head><body class="mb-index">{bar}<h1>{html.escape(title)}</h1>'
            f'<nav id="mb-contents">{entries(toc)}</nav></body></html>')
    return page.encode("utf-8")


LIVE_SCRIPT = """\
// make-book preview: reload when what this page shows has changed (Server-Sent Events),
// keeping the reading position.
(function () {
  var key = "mb-preview-scroll:" + location.pathname;
  var saved = sessionStorage.getItem(key);
  if (saved !== null) {
    sessionStorage.removeItem(key);
    addEventListener("load", function () { scrollTo(0, +saved); });
  }
  var token = document.documentElement.getAttribute("data-preview-token");
  var events = new EventSource("PREVIEW/events?page=" + encodeURIComponent(location.pathname));
  events.onmessage = function (event) {
    if (event.data !== token) {
      events.close();
      sessionStorage.setItem(key, String(scrollY));
      location.reload();
    }
  };
})();
""".replace("PREVIEW", PREVIEW)

PREVIEW_STYLE = """\
.mb-preview { font: 14px/1.4 system-ui, sans-serif; color: #222; }
#mb-preview-bar { position: sticky; top: 0; z-index: 10; background: #f4f4f0;
  border-bottom: 1px solid #ccc; padding: 0.4em 1em; margin: 0 0 1em; }
#mb-preview-bar a { margin-right: 1em; }
.mb-preview p, .mb-preview li { text-indent: 0; text-align: left; hyphens: manual; }
#mb-preview-problems, .mb-print-findings { margin: 0.4em 0 0; padding: 0;
  list-style: none; font-family: monospace; max-height: 40vh; overflow: auto; }
#mb-contents ol { list-style: none; padding-left: 1.2em; }
#mb-contents > ol { padding-left: 0; }
.mb-error, #mb-preview-problems .mb-error { color: #a00; }
.mb-warning { color: #850; }
.mb-stale { color: #a00; font-weight: bold; margin: 0.3em 0 0; }
#mb-preview-print { margin-top: 3em; border-top: 3px double #999; padding-top: 1em; }
#mb-preview-print img.mb-page { display: block; max-width: 100%; margin: 1em auto;
  box-shadow: 0 1px 6px rgba(0, 0, 0, 0.35); background: white; }
#mb-preview-print h2 { font: bold 16px system-ui, sans-serif; text-align: left; }
body.mb-index { max-width: 40em; margin: 0 auto; font-family: system-ui, sans-serif; }
/* a reading system's measure: the EPUB's CSS leaves the line length to it */
body:not(.mb-index) { max-width: 42em; margin: 0 auto; padding: 0 1em; }
"""
