"""What the preview shows, rebuilt on each change: the last good site, the last build's
problems, each chapter's print pages; and a generation number that moves whenever any of
them changes, which the pages' event streams wait on.

A change to a chapter file re-parses that file only (:mod:`parse_cache`); the book is then
put together and transformed whole (chapter numbers, ids and cross-references can change
any page), and only the pages whose inputs changed are rendered again
(:func:`pages.build_site`: the edited chapter's, and a page linking to what moved, the
notes file, an index), and the print pages of that file's chapters are laid out again in
the background. A change to book.yaml, an image or the
layout chain rebuilds the rest too (stylesheet, fonts), and print pages are laid out again
only when a chapter is opened. A build with errors keeps the last good pages and shows the
errors on them.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from make_book import transforms
from make_book.errors import Diagnostic, Diagnostics, MakeBookError, error
from make_book.layouts import load_layout
from make_book.layouts.check import check_layout
from make_book.manuscript.book import load_book
from make_book.preview import pages
from make_book.preview.parse_cache import ParseCache
from make_book.preview.print_pages import Job, Outcome, PrintWorker

PRINT_URL = f"{pages.PREVIEW}/print/"


@dataclass(frozen=True)
class Rebuilt:
    """One rebuild, for the terminal."""

    seconds: float
    parsed: list[str]
    problems: list[Diagnostic]
    ok: bool


@dataclass(frozen=True)
class Served:
    data: bytes
    media_type: str


@dataclass
class _Prints:
    """A chapter's print pages: the last images laid out, and the last attempt."""

    images: tuple[bytes, ...] = ()
    images_key: str = ""
    last: Outcome | None = None


@dataclass
class Session:
    root: Path
    cwd: Path = field(default_factory=Path.cwd)
    worker_factory: Callable[..., PrintWorker] = PrintWorker

    def __post_init__(self) -> None:
        self.root = self.root.resolve()
        self.cache = ParseCache()
        self.cond = threading.Condition()
        self.site: pages.Site | None = None
        self.title = self.root.name
        self.problems: list[Diagnostic] = []
        self.failed = False  # the last build had errors: the site is an older one
        self.generation = 0  # moves whenever anything a page shows changes
        self.layout_generation = 0  # moves with each full rebuild
        self.prints: dict[str, _Prints] = {}
        self.layout_problems: tuple[Diagnostic, ...] = ()
        self.full_pending = False
        self.worker = self.worker_factory(self._printed)
        self.stopping = False

    def start(self) -> None:
        self.worker.start()

    def stop(self) -> None:
        self.worker.stop()
        self.cache.close()
        with self.cond:
            self.stopping = True
            self.cond.notify_all()

    # ------------------------------------------------------------------ building
    def rebuild(self, full: bool = True) -> Rebuilt:
        """Build again; ``full`` when book.yaml, an image or the layout chain changed."""
        started = time.monotonic()
        full = full or self.full_pending  # a failed full rebuild's changes are still new
        with self.cond:
            previous = None if full else self.site
        first = self.site is None
        diagnostics = Diagnostics()
        site = None
        try:
            site = self._build(diagnostics, previous)
        except MakeBookError as exc:
            diagnostics.extend(exc.diagnostics)
        except Exception as exc:  # a bug in make-book: shown, the preview goes on
            diagnostics.add(error("V004", f"internal error: {type(exc).__name__}: {exc}",
                                  self.root / "book.yaml",
                                  hint="report it with the book; fix or undo the last edit"))
        parsed = self.cache.take_parsed()
        with self.cond:
            self.full_pending = full and site is None
            self.problems = list(diagnostics)
            self.failed = site is None
            if site is not None:
                self.site = site
                self.title = site.book.meta.title
                if full:
                    self.layout_generation += 1
            self.generation += 1
            self.cond.notify_all()
        if site is not None and not first:  # the edited chapters' print pages follow
            with self.cond:
                for chapter in site.book.chapters:
                    if chapter.source.relative_to(self.root).as_posix() in parsed:
                        self._want_print(site, chapter.file_id)
        return Rebuilt(time.monotonic() - started, parsed, list(diagnostics), site is not None)

    def _build(self, diagnostics: Diagnostics, previous: pages.Site | None) -> pages.Site | None:
        book = load_book(self.root, diagnostics, parser=self.cache)
        self.title = book.meta.title
        if previous is not None and previous.book.meta.layout == book.meta.layout:
            layout = previous.layout
        else:
            previous = None
            layout = load_layout(book.root, book.meta.layout)
            found = Diagnostics()
            check_layout(layout, ["epub", "pdf"], found)
            self.layout_problems = tuple(found)  # shown again while the layout is kept
        diagnostics.extend(self.layout_problems)
        book = transforms.run(book, diagnostics)
        if diagnostics.errors:
            return None
        site = pages.build_site(book, layout, diagnostics, previous)
        return None if diagnostics.errors else site

    # ------------------------------------------------------------------ print pages
    def _print_key(self, site: pages.Site, file_id: str) -> str | None:
        path = site.chapter_path(file_id)
        if path is None:
            return None
        return f"{self.layout_generation}-{site.resources[path].digest}"

    def _want_print(self, site: pages.Site, file_id: str) -> None:
        key = self._print_key(site, file_id)
        if key is None:
            return
        held = self.prints.get(file_id)
        if (held is not None and held.last is not None and held.last.job.key == key
                or self.worker.pending(key)):
            return
        self.worker.request(Job(site.book, site.layout, file_id, key))

    def _printed(self, outcome: Outcome) -> None:
        with self.cond:
            held = self.prints.setdefault(outcome.job.file_id, _Prints())
            held.last = outcome
            if outcome.problem is None:  # a failed layout keeps the last good images
                held.images, held.images_key = outcome.images, outcome.job.key
            self.generation += 1
            self.cond.notify_all()

    def _print_view(self, site: pages.Site, file_id: str) -> pages.PrintView:
        key = self._print_key(site, file_id) or ""
        held = self.prints.get(file_id, _Prints())
        urls = tuple(f"{PRINT_URL}{file_id}/{n}.png?v={held.images_key}"
                     for n in range(1, len(held.images) + 1))
        problem = (held.last.problem if held.last is not None and held.last.job.key == key
                   else None)
        findings = tuple(d.format(relative_to=self.cwd) for d in held.last.findings) if (
            held.last is not None and held.last.job.key == key) else ()
        return pages.PrintView(urls, busy=self.worker.pending(key),
                               stale=bool(held.images) and held.images_key != key,
                               problem=problem, findings=findings)

    # ------------------------------------------------------------------ serving
    def _bar(self) -> str:
        return pages.panel_html(self.problems, self.cwd, self.title,
                                self.failed and self.site is not None)

    def token(self, path: str) -> str:
        """What the page at ``path`` shows, in short: its script reloads when it moves."""
        with self.cond:
            return self._token(path)

    def _token(self, path: str) -> str:
        site = self.site
        parts = [self._bar()]
        if site is not None and path in site.documents:
            parts.append(site.resources[path].digest)
            if file_id := site.documents[path]:
                parts.append(repr(self._print_view(site, file_id)))
        elif path in ("/", "/index.html"):
            parts.append(repr(site.toc) if site is not None else "")
        return hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()[:20]

    def page(self, path: str) -> Served | None:
        """The file served at the URL path ``path``, or None: only what the preview made
        is ever served (no path is looked up on disk)."""
        with self.cond:
            site = self.site
            if path in ("/", "/index.html"):
                toc = site.toc if site is not None else []
                return Served(pages.index_page(self.title, toc, self._token(path),
                                               self._bar()), "text/html; charset=utf-8")
            if path == pages.LIVE_JS:
                return Served(pages.LIVE_SCRIPT.encode(), "text/javascript; charset=utf-8")
            if path == pages.PREVIEW_CSS:
                return Served(pages.PREVIEW_STYLE.encode(), "text/css; charset=utf-8")
            if path.startswith(PRINT_URL):
                return self._image(path)
            if site is None or path not in site.resources:
                return None
            resource = site.resources[path]
            if path not in site.documents:
                return Served(resource.data, resource.media_type)
            file_id = site.documents[path]
            panel = None
            if file_id:
                self._want_print(site, file_id)  # the chapter opened: its print pages
                panel = pages.print_html(self._print_view(site, file_id))
            data = pages.decorate(resource.data, self._token(path), self._bar(), panel)
            return Served(data, pages.XHTML_TYPE)

    def _image(self, path: str) -> Served | None:
        file_id, _, name = path.removeprefix(PRINT_URL).partition("/")
        number = name.removesuffix(".png")
        if not number.isdigit() or not name.endswith(".png"):
            return None
        held = self.prints.get(file_id)
        if held is None or not 1 <= int(number) <= len(held.images):
            return None
        return Served(held.images[int(number) - 1], "image/png")

    def wait(self, seen: int, timeout: float) -> int:
        """The generation once it is past ``seen`` (or ``timeout`` seconds passed)."""
        with self.cond:
            self.cond.wait_for(lambda: self.generation != seen or self.stopping, timeout)
            return self.generation
