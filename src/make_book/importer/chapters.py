"""The body cut into chapter files at headings, as Pandoc's EPUB writer cuts at --split-level.

A heading of the split level or above starts a file; text before a document's first such
heading is a file of its own. A file is named after its number and what its title says
it is (``02-preface.md``, ``05-appendix.md``, else a slug of the title), so front and back
matter read as such in the folder, as the manuscript contract infers their kinds.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from lxml import etree

from make_book.importer.markdown_escape import escape_inline, yaml_scalar
from make_book.importer.markdown_writer import HEADINGS, ChapterWriter, NoteNumbers
from make_book.manuscript.kinds import is_address, kind_of_title


@dataclass
class ChapterFile:
    name: str  # chapters/NN-slug.md
    title: str | None
    text: str


def _split(elements: list[etree._Element], level: int) -> list[list[etree._Element]]:
    pieces: list[list[etree._Element]] = [[]]
    for el in elements:
        if HEADINGS.get(el.tag if isinstance(el.tag, str) else "", 99) <= level \
                and "".join(el.itertext()).strip() and pieces[-1]:
            pieces.append([])
        pieces[-1].append(el)
    return [p for p in pieces if p]


def _has_text(piece: list[etree._Element]) -> bool:
    return any("".join(el.itertext()).strip() or el.xpath(".//img") for el in piece)


def _slug(title: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return "-".join(slug.split("-")[:6]) or "chapter"


def _opening(kind: str | None, piece: list[etree._Element], lang: str | None) -> str:
    """The YAML block of a piece without a heading: the kind its source names, else a
    dedication when it opens as one ("To ..."), else an epigraph to check."""
    if kind:
        return f"---\nkind: {kind}\n---\n\n"
    first = " ".join("".join(piece[0].itertext()).split())
    if is_address(first, lang):
        return "---\nkind: dedication\n---\n\n"
    return ("---\n# Text that stood before the first heading: give it a title, or a kind\n"
            "# (dedication, epigraph...) that needs none.\nkind: epigraph\n---\n\n")


def chapter_files(documents: list[list[etree._Element]], notes: dict[str, etree._Element],
                  targets: set[str], level: int, lang: str | None,
                  kinds: list[str | None] | None = None,
                  book_title: str | None = None) -> list[ChapterFile]:
    """Every document cut into chapters, written as Markdown, named in reading order;
    ``kinds`` are what the source says each document is, where it says. A source without
    any heading is one chapter titled as the book."""
    kinds = kinds or [None] * len(documents)
    pieces, piece_kinds = [], []
    for doc, kind in zip(documents, kinds, strict=True):
        for n, piece in enumerate(p for p in _split(doc, level) if _has_text(p)):
            pieces.append(piece)
            piece_kinds.append(kind if n == 0 else None)
    numbers = NoteNumbers()
    width = max(2, len(str(len(pieces))))
    files = []
    for n, (piece, kind_said) in enumerate(zip(pieces, piece_kinds), start=1):
        first = piece[0]
        heading = first.tag in HEADINGS if isinstance(first.tag, str) else False
        title = " ".join("".join(first.itertext()).split()) if heading else None
        text = ChapterWriter(notes, numbers, targets).chapter(piece)
        if title:
            kind = kind_of_title(title, lang)
            stem = kind if kind and kind != "chapter" else _slug(title)
        elif len(pieces) == 1 and not kind_said:
            stem = _slug(book_title or "text")
            text = ("---\n# The source has no headings: cut it into chapters at headings "
                    "(# Title).\n" f"title: {yaml_scalar(escape_inline(book_title or 'Text'))}"
                    "\n---\n\n" + text)
        else:
            yaml_block = _opening(kind_said, piece, lang)
            stem = re.search(r"kind: (\S+)", yaml_block).group(1)
            text = yaml_block + text
        files.append(ChapterFile(f"chapters/{n:0{width}d}-{stem}.md", title, text))
    return files
