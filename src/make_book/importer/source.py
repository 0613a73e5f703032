"""What a reader takes from a Word file or an EPUB, before anything is written.

Both readers fill the same plain structure, so one writer turns either into a manuscript:
the body as namespace-free HTML elements per source document, note texts by key (their
calls already ``<mb-noteref key=...>``), image bytes by their file name in ``images/``,
and the metadata for book.yaml.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree


@dataclass
class Creator:
    name: str
    role: str = "aut"  # a MARC relator code
    file_as: str | None = None


@dataclass
class Metadata:
    title: str | None = None
    subtitle: str | None = None
    creators: list[Creator] = field(default_factory=list)
    lang: str | None = None
    date: str | None = None  # ISO 8601 (YYYY, YYYY-MM or YYYY-MM-DD)
    date_note: str | None = None  # where the date came from, when it may not be the edition's
    publisher: str | None = None
    rights: str | None = None
    description: str | None = None
    subjects: list[str] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    identifier: str | None = None
    isbn: str | None = None
    cover_image: str | None = None  # a file name in images/


@dataclass
class Source:
    documents: list[list[etree._Element]] = field(default_factory=list)
    kinds: list[str | None] = field(default_factory=list)  # per document, when it says
    notes: dict[str, etree._Element] = field(default_factory=dict)
    images: dict[str, bytes] = field(default_factory=dict)
    targets: set[str] = field(default_factory=set)  # ids some link points to
    metadata: Metadata = field(default_factory=Metadata)
