"""The contents and the list of illustrations as format-neutral data, the fragments their
format steps change (:mod:`.contents_steps`): which entries, in which order, of which
kind, pointing at which id in which file. Both formats walk the book the same way (parts,
their chapters, each chapter's h2 sections, the indexes; every figure with an id and a
caption); which of those a format lists, and how it labels and links them, are its steps.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from make_book.model import Book, BookIndex, Chapter, Heading, Part
from make_book.transforms.index_view import section_id as index_section_id


@dataclass
class ContentsItem:
    kind: str  # part | chapter | section | index
    target: str  # the id it points at: a part's, a chapter's heading, a section's, an index's
    file_id: str | None  # the file that holds it (a part's id for a part); None: an index
    item: Part | Chapter | Heading | BookIndex
    children: list[ContentsItem] = field(default_factory=list)  # a part's; a chapter's h2s


@dataclass(frozen=True)
class FigureItem:
    target: str  # the figure's id
    caption: str  # its caption's text
    file_id: str  # the chapter that holds it
    matter: str  # that chapter's: front, body or back


def wanted(book: Book, piece: str) -> bool:
    """Whether the book asks make-book to generate ``piece`` (``generate:`` in book.yaml;
    yes when it does not say)."""
    return bool(getattr(getattr(book.meta, "generate", None), piece, True))


def printed_indexes(book: Book) -> tuple[BookIndex, ...]:
    """The indexes printed at the end of the book (``generate.index`` may switch them off)."""
    if not wanted(book, "index"):
        return ()
    return tuple(i for i in book.indexes if i.groups)


def section_id(chapter: Chapter) -> str:
    """The id a link to a chapter's start goes to: its title's, else its file's."""
    return chapter.headings[0].id if chapter.headings else chapter.file_id


def chapter_label(chapter: Chapter, strings: dict[str, str]) -> str:
    """How a chapter is named in the EPUB's contents and print's outline: "3. Title",
    "Appendix A: Title", or its title."""
    if chapter.label and chapter.kind == "chapter":
        return f"{chapter.label}. {chapter.title}"
    if chapter.label:
        return appendix_title(chapter, strings)
    return chapter.title


def appendix_title(chapter: Chapter, strings: dict[str, str]) -> str:
    return f"{strings.get('appendix', 'Appendix')} {chapter.label}: {chapter.title}"


def part_label(part: Part, strings: dict[str, str]) -> str:
    """How a part is named in the contents and the outline: "Part I: Title", or its title."""
    if part.label:
        return f"{strings.get('part', 'Part')} {part.label}: {part.title}"
    return part.title


def contents_view(book: Book) -> list[ContentsItem]:
    """Every part and chapter in reading order (parts holding theirs), each chapter with
    its h2 sections, then every index."""
    def chapter_item(c: Chapter) -> ContentsItem:
        return ContentsItem("chapter", section_id(c), c.file_id, c, [
            ContentsItem("section", h.id, c.file_id, h) for h in c.headings[1:] if h.level == 2])

    def items(of) -> list[ContentsItem]:
        return [ContentsItem("part", i.id, i.id, i, items(i.items)) if isinstance(i, Part)
                else chapter_item(i) for i in of]

    return items(book.items) + [ContentsItem("index", index_section_id(i), None, i)
                                for i in book.indexes]


def chapter_figures(chapter: Chapter) -> list[tuple[str, str]]:
    """(id, caption text) of each figure with an id, in reading order."""
    out = []
    for figure in chapter.body.root.iter("figure"):
        caption = figure.find("figcaption")
        if figure.get("id") and caption is not None:
            out.append((figure.get("id"), " ".join("".join(caption.itertext()).split())))
    return out


def illustrations_view(book: Book) -> list[FigureItem]:
    """Every figure with an id and a caption, in reading order, when the book asks for a
    list of illustrations (``generate: list-of-illustrations``); else none."""
    if not wanted(book, "list_of_illustrations"):
        return []
    return [FigureItem(fid, caption, c.file_id, c.matter)
            for c in book.chapters for fid, caption in chapter_figures(c)]
