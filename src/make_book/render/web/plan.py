"""The web edition's site plan: which pages there are, their file names, and the reading
order that gives each page its previous, next and up links.

Pages sit side by side in one folder (``index.html`` the book's own page, then one page per
part, chapter and front- or back-matter piece, then the generated indexes), so every link
between them is a bare file name and the site works from any folder or URL prefix.
"""

from __future__ import annotations

from dataclasses import dataclass

from make_book.model import Book, BookIndex, Chapter, Part

BOOK_PAGE = "index.html"


def page_name(file_id: str) -> str:
    return f"{file_id}.html"


def index_page_name(index: BookIndex) -> str:
    """A generated index's page; the general index is not ``index.html`` (the book's page)."""
    return "book-index.html" if index.name == "index" else f"{index.name}.html"


@dataclass(frozen=True)
class WebPage:
    href: str
    title: str
    item: Chapter | Part | BookIndex | None  # None: the book's page
    up: str | None  # the part holding it, else the book's page; None for the book's page


@dataclass(frozen=True)
class SitePlan:
    pages: tuple[WebPage, ...]  # reading order, the book's page first
    files: dict[str, str]  # file_id (chapters, parts, part openings) -> page

    def neighbours(self, href: str) -> tuple[WebPage | None, WebPage | None]:
        """The pages before and after ``href`` in reading order."""
        hrefs = [p.href for p in self.pages]
        at = hrefs.index(href)
        before = self.pages[at - 1] if at > 0 else None
        after = self.pages[at + 1] if at + 1 < len(self.pages) else None
        return before, after


def plan_site(book: Book, index_title: str) -> SitePlan:
    """``index_title``: the layout's word for an index without a title of its own."""
    pages = [WebPage(BOOK_PAGE, book.meta.title, None, None)]
    files: dict[str, str] = {}

    def walk(items, up: str) -> None:
        for item in items:
            if isinstance(item, Part):
                href = page_name(item.id)
                files[item.id] = href
                if item.opening is not None:  # its text is on the part's page
                    files[item.opening.file_id] = href
                pages.append(WebPage(href, item.title, item, up))
                walk(item.items, href)
            else:
                href = page_name(item.file_id)
                files[item.file_id] = href
                pages.append(WebPage(href, item.title, item, up))
    walk(book.items, BOOK_PAGE)
    if book.meta.generate.index:
        for index in book.indexes:
            pages.append(WebPage(index_page_name(index), index.title or index_title, index,
                                 BOOK_PAGE))
    return SitePlan(tuple(pages), files)
