"""What the layouts' contents templates receive, as the contents' format steps
(:mod:`.contents_steps`) make it: the EPUB's nav and NCX entries (the web edition's and
the preview's contents too) and the printed contents' entries. Users override those
templates, so these fields stay as they are."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class NavEntry:
    """An entry of the EPUB's nav and NCX (and of the web edition's contents)."""

    label: str
    href: str
    children: list[NavEntry] = field(default_factory=list)
    nav_id: str = ""
    play_order: int = 0


@dataclass
class TocEntry:
    """An entry of the printed contents."""

    kind: str  # part | chapter | section
    number: str | None  # a chapter's number, set in its own column
    title: str
    href: str
    roman: bool = False
    children: list[TocEntry] = field(default_factory=list)
    page: str | None = None  # the printed folio, once the pages are known
