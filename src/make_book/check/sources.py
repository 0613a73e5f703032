"""From a place in the built EPUB back to the manuscript: which ``.md`` file made an
XHTML document, and which line of it made an element.

A chapter document is named after its chapter's ``file_id`` (render/epub/renderer.file_name), a
part's after the part's id; book.yaml makes the package document and the title and
copyright pages. Inside a document an element is traced, from itself outwards, by what
survives from the source:

- an ``<img>``: the chapter's ``image_lines`` (href and line of each use, recorded when
  the chapter was parsed; the n-th use of a file in the document is its n-th use there);
- a note, or anything inside one: the line of the note's definition;
- an attribute written as raw HTML (``datetime="soon"``), or an id (``{#id}``): the line
  that spells it;
- text: the line where the element's first words start (render/print/qa_sources, the print
  QA's lookup).

What cannot be traced keeps the EPUB-internal path, and the message says so.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from make_book.model import Book, Chapter, Note
from make_book.render.print.qa_sources import source_line
from make_book.transforms.source_lines import line_in

OPF_DIR = "EPUB"  # where render/epub/renderer.py puts the package document and everything else
BOOK_YAML_DOCS = frozenset({"EPUB/content.opf", "EPUB/text/titlepage.xhtml",
                            "EPUB/text/copyright.xhtml"})
# attributes the renderers write themselves: finding them in the source means nothing
GENERATED_ATTRS = frozenset({"width", "height", "role", "class", "lang", "dir", "src",
                             "href", "{http://www.idpf.org/2007/ops}type",
                             "{http://www.w3.org/XML/1998/namespace}lang"})
MAX_WALK = 12  # ancestors tried before giving up (a body's depth is far below this)


@dataclass(frozen=True)
class Place:
    """Where a finding belongs: a manuscript file (and line), else only ``internal``."""

    internal: str  # the EPUB's own name for it: EPUB/text/ch-01.xhtml:15
    path: Path | None = None
    line: int | None = None

    def describe(self) -> str:
        """What a message says of a place that is not in the manuscript."""
        if self.path is None:
            return (f"in the EPUB at {self.internal} (made by make-book, not from one "
                    "manuscript file)")
        return f"{self.internal} in the EPUB"


def member(name: str) -> str:
    """A checker's name for a file of the EPUB (``text/x.xhtml``, ``/EPUB/nav.xhtml``,
    ``EPUB/text/x.xhtml``) as the zip member it is."""
    name = name.split("#", 1)[0].lstrip("/")
    inside = name.startswith((OPF_DIR + "/", "META-INF/")) or name == "mimetype"
    return name if inside else f"{OPF_DIR}/{name}"


class SourceMap:
    """One built EPUB and the (transformed) book it was made from."""

    def __init__(self, book: Book, epub: Path):
        self.book = book
        self.epub = epub
        self.docs: dict[str, Chapter] = {}
        for chapter in book.chapters:
            if chapter.kind != "part":
                self.docs[f"{OPF_DIR}/text/{chapter.file_id}.xhtml"] = chapter
        for part in book.parts:
            if part.opening is not None:
                self.docs[f"{OPF_DIR}/text/{part.id}.xhtml"] = part.opening
        self.notes: dict[str, tuple[Chapter, Note]] = {
            note.id: (chapter, note) for chapter in book.chapters for note in chapter.notes}
        self._trees: dict[str, etree._Element | None] = {}
        self._texts: dict[str, list[str]] = {}

    # -- documents ---------------------------------------------------------------------

    def tree(self, name: str) -> etree._Element | None:
        if name not in self._trees:
            try:
                with zipfile.ZipFile(self.epub) as z:
                    data = z.read(name)
                self._texts[name] = data.decode("utf-8", "replace").split("\n")
                parser = etree.XMLParser(recover=True, huge_tree=True, resolve_entities=False,
                                         no_network=True)
                self._trees[name] = etree.fromstring(data, parser)
            except (KeyError, OSError, zipfile.BadZipFile, etree.XMLSyntaxError):
                self._trees[name] = None
        return self._trees[name]

    def file_place(self, name: str, line: int | None = None) -> Place:
        """The manuscript file behind a whole document (a finding with no element)."""
        name = member(name)
        internal = f"{name}:{line}" if line else name
        if (chapter := self.docs.get(name)) is not None:
            return Place(internal, chapter.source)
        if name in BOOK_YAML_DOCS:
            return Place(internal, self.book.root / "book.yaml")
        return Place(internal)

    # -- elements ----------------------------------------------------------------------

    def at_line(self, name: str, line: int | None, column: int | None) -> Place:
        """EPUBCheck's ``file:line:column``: the column is just past the start tag of
        the element it means (or inside it)."""
        name = member(name)
        root = self.tree(name) if line else None
        if root is None or line is None:
            return self.file_place(name, line)
        el = self._element_at(name, root, line, column)
        return self.element_place(name, el, f"{name}:{line}")

    def _element_at(self, name: str, root: etree._Element, line: int,
                    column: int | None) -> etree._Element:
        on_line = [el for el in root.iter() if isinstance(el.tag, str) and el.sourceline == line]
        if on_line and column and 0 < line <= len(self._texts[name]):
            text = self._texts[name][line - 1][:max(column - 1, 0)]
            opened = re.findall(r"<([A-Za-z][\w:.-]*)", text)
            if opened:  # the last tag opened before the column, counted by its name
                tag = opened[-1].split(":")[-1]
                nth = sum(1 for t in opened if t.split(":")[-1] == tag) - 1
                same = [el for el in on_line if etree.QName(el).localname == tag]
                if same:
                    return same[min(nth, len(same) - 1)]
        if on_line:
            return on_line[0]
        before = [el for el in root.iter() if isinstance(el.tag, str)
                  and (el.sourceline or 0) <= line]
        return before[-1] if before else root

    def at_cfi(self, name: str, cfi: str) -> Place:
        """Ace's pointer: an EPUB CFI path inside the document (``/4/2[one]/8/2``: each
        even step n is the (n/2)-th child element)."""
        name = member(name)
        root = self.tree(name)
        if root is None:
            return self.file_place(name)
        el = root
        for step in re.findall(r"/(\d+)(?:\[[^\]]*\])?", cfi.split("!")[-1]):
            n = int(step)
            children = [c for c in el if isinstance(c.tag, str)]
            if n % 2 or not 0 < n // 2 <= len(children):
                break  # a text position or past the end: stop at the element reached
            el = children[n // 2 - 1]
        return self.element_place(name, el, f"{name}:{el.sourceline}"
                                  if el.sourceline else name)

    def element_place(self, name: str, el: etree._Element, internal: str) -> Place:
        chapter = self.docs.get(name)
        walked = 0
        node: etree._Element | None = el
        while node is not None and walked < MAX_WALK:
            ident = node.get("id")
            if ident in self.notes:
                owner, note = self.notes[ident]
                return Place(internal, owner.source, note.line)
            if chapter is not None:
                line = self._line(name, chapter, node)
                if line is not None:
                    return Place(internal, chapter.source, line)
            node, walked = node.getparent(), walked + 1
        if chapter is not None:
            return Place(internal, chapter.source)
        return self.file_place(name) if name in BOOK_YAML_DOCS else Place(internal)

    def _line(self, name: str, chapter: Chapter, el: etree._Element) -> int | None:
        tag = etree.QName(el).localname if isinstance(el.tag, str) else ""
        if tag == "img" and el.get("src"):
            return self.image_line(name, chapter, el)
        for attr, value in el.attrib.items():
            if attr in GENERATED_ATTRS or attr.startswith(("aria-", "data-")) or not value:
                continue
            local = etree.QName(attr).localname
            if attr == "id":
                found = line_in(chapter.source, f"#{value}") or line_in(chapter.source,
                                                                       f'id="{value}"')
            else:
                found = line_in(chapter.source, f'{local}="{value}"')
            if found:
                return found
        text = " ".join("".join(el.itertext()).split())
        if len(text.split()) >= 2 or len(text) >= 8:
            return source_line(chapter.source, text[:300])
        return None

    def image_line(self, name: str, chapter: Chapter, img: etree._Element) -> int | None:
        src = img.get("src", "")
        href = posixpath.normpath(posixpath.join(posixpath.dirname(name), src))
        href = href.removeprefix(OPF_DIR + "/")
        root = img.getroottree().getroot()
        same = [el for el in root.iter("{*}img") if el.get("src") == src]
        nth = next((i for i, el in enumerate(same) if el is img), 0)
        return chapter.image_line(href, nth)

