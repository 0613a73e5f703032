"""A chapter body in EPUB terms: pop-up noterefs, links into the right file, image paths,
and the print edition's pagebreak markers."""

from __future__ import annotations

import re

from lxml import etree

from make_book.model import Book, Chapter, Note
from make_book.render import calls, figures
from make_book.render.openings import fold_anchor_paragraphs
from make_book.xhtml import EPUB_TYPE, Body, serialize_fragment

# Elements whose children may not be text or a span (the marker is a span).
NO_PHRASING = frozenset({"dl", "ul", "ol", "table", "thead", "tbody", "tfoot", "tr",
                         "colgroup", "hgroup"})


def _segments(el: etree._Element):
    """(element, "text" | "tail", string) in reading order within ``el``."""
    yield el, "text", el.text or ""
    for child in el:
        yield from _segments(child)
        yield child, "tail", child.tail or ""


def insert_at_text(block: etree._Element, line: str, marker: etree._Element,
                   start: int = 0) -> int | None:
    """Put ``marker`` in ``block`` before the first whole word of the first place (at or
    after character ``start`` of its text) where ``line``'s first words occur; return
    that place, or None when they do not occur. A line that begins inside a word (the end
    of a word hyphenated on the page before) gets its marker before the next word."""
    words = line.split()[:6]
    if not words:
        return None
    segments = list(_segments(block))
    text = "".join(s for _, _, s in segments)
    match = None
    for n in range(len(words), 0, -1):  # the last word may be hyphenated at the line end
        pattern = r"\s+".join(re.escape(w) for w in words[:n])
        match = re.compile(pattern, re.IGNORECASE).search(text, start)
        if match is not None and (n > 1 or len(words) == 1):
            break
        match = None
    if match is None:
        return None
    at = match.start()
    if at > 0 and text[at - 1].isalnum():  # the tail of a word begun on the page before
        space = re.compile(r"\s+").search(text, at)
        if space is None:
            return None
        at = space.end()
    offset = 0
    for el, where, s in segments:
        if offset + len(s) > at:  # the segment holding the word's first character
            cut = at - offset
            holder = el if where == "text" else el.getparent()
            if holder is None or etree.QName(holder).localname in NO_PHRASING:
                return None
            if where == "text":
                el.text, marker.tail = s[:cut] or None, s[cut:] or None
                el.insert(0, marker)
            else:
                el.tail, marker.tail = s[:cut] or None, s[cut:] or None
                el.addnext(marker)
            return at
        offset += len(s)
    return None


# A page that begins with a block has its marker inside it, at the start of the first text
# block found going down (a quotation's first paragraph), so that no element comes between
# a heading and its first paragraph (which is then not indented: the stylesheet's
# ``h1 + p``) and the marker reads as part of the text. Before a list, a table, a rule or a
# figure (a figcaption must stay its first child) it goes just before the block.
TEXT_BLOCKS = frozenset(("p", "h1", "h2", "h3", "h4", "h5", "h6", "dt", "dd", "li"))
CONTAINERS = frozenset(("blockquote", "div", "section", "aside", "li", "dd"))


def place_before_block(block: etree._Element, marker: etree._Element) -> None:
    """The pagebreak marker of a page that begins with ``block``."""
    target = block
    while (target.tag in CONTAINERS and len(target) and not (target.text or "").strip()
           and target[0].tag in TEXT_BLOCKS | CONTAINERS):
        target = target[0]
    if target.tag not in TEXT_BLOCKS and not (target.tag in CONTAINERS
                                               and (target.text or "").strip()):
        block.addprevious(marker)  # a list, a table, a rule, a figure: before it
        return
    marker.tail, target.text = target.text, None
    target.insert(0, marker)


class BodyConverter:
    def __init__(self, book: Book, chapter: Chapter, files: dict[str, str],
                 strings: dict[str, str], notes_file: str | None = None,
                 note_files: dict[str, str] | None = None):
        self.book = book
        self.chapter = chapter
        self.files = files  # file_id -> file name inside text/
        self.strings = strings
        self.calls: dict[int, int] = {}  # note number -> calls so far
        # where the notes are: None = the end of this chapter, else a back-matter notes file
        self.notes_file = notes_file
        self.note_files = note_files or {}  # file_id -> back-matter notes file of its notes
        self.local = True  # False while writing notes into the back-matter notes file
        self.placed: set[str] = set()  # print folios whose pagebreak marker was placed

    def href(self, target: str) -> str:
        note = self.book.in_notes.get(target)
        if note is not None:  # a link to an id inside a note goes to the note
            target = note
        owner = self.book.anchors.get(target)
        if note is not None and owner in self.note_files:
            return f"{self.note_files[owner]}#{target}"
        if owner is None or (owner == self.chapter.file_id and self.local):
            return f"#{target}"
        if owner == target and owner in self.files:  # a part or a chapter's own id
            return self.files[owner]
        return f"{self.files[owner]}#{target}"

    def convert(self, fragment: Body,
                breaks: dict[int, list[tuple[str, str | None]]] | None = None) -> str:
        """``fragment`` in EPUB markup, serialised (see :meth:`converted`)."""
        return serialize_fragment(self.converted(fragment, breaks))

    def converted(self, fragment: Body,
                  breaks: dict[int, list[tuple[str, str | None]]] | None = None
                  ) -> etree._Element:
        """``breaks``: top-level block index -> the print pages that begin in it, as
        (folio, text of the page's first line, or None when the page begins with the
        block); their pagebreak markers go before the block or before that line's first
        whole word. The folios placed are added to ``self.placed``. ``fragment`` (a
        chapter's body, a note's, a title's) is copied, never parsed."""
        root = fragment.epub_root()
        if breaks:
            blocks = list(root)
            for k, pages in breaks.items():
                if k >= len(blocks):
                    continue
                searched_from = 0
                for folio, text in pages:
                    marker = etree.Element("span", {
                        "id": f"page-{folio}", "role": "doc-pagebreak", EPUB_TYPE: "pagebreak",
                        "aria-label": folio})
                    if text is None:
                        place_before_block(blocks[k], marker)
                    else:
                        found = insert_at_text(blocks[k], text, marker, searched_from)
                        if found is None:
                            continue
                        searched_from = found
                    self.placed.add(folio)
        notes = self.chapter.notes
        calls.join_to_word(root.xpath(".//a[@class='mb-noteref'] | .//sup"))
        for call in root.xpath(".//a[@class='mb-noteref']"):
            number = int(call.get("data-note"))
            note = notes[number - 1]
            seen = self.calls.get(number, 0)
            self.calls[number] = seen + 1
            sup = etree.Element("sup", {"class": "noteref"})
            sup.tail = call.tail
            a = etree.SubElement(sup, "a", {
                "id": note.ref_id if not seen else f"{note.ref_id}-{seen + 1}",
                "href": f"{self.notes_file or ''}#{note.id}", "role": "doc-noteref",
                EPUB_TYPE: "noteref"})
            a.text = str(number)
            call.getparent().replace(call, sup)
        for a in root.iter("a"):
            href = a.get("href") or ""
            a.attrib.pop("prefix", None)  # print-only: "p. " before a page number
            if href.startswith("#") and a.get("role") != "doc-noteref":
                a.set("href", self.href(href[1:]))
                if not len(a) and not (a.text or "").strip():  # e.g. [](#id){.pageref}
                    a.text = self.book.labels.get(href[1:], href[1:])
        for img in root.iter("img"):
            img.set("src", "../" + img.get("src", ""))
            for dim in ("width", "height"):
                value = img.attrib.pop(f"data-{dim}", None)
                if value and not img.get(dim):
                    img.set(dim, value)
        fold_anchor_paragraphs(root)  # after the page markers, which count blocks
        figures.mark_image_paragraphs(root)
        for hr in root.iter("hr"):
            hr.set("class", " ".join(filter(None, [hr.get("class"), "section-break"])))
        for th in root.xpath(".//th"):
            if not "".join(th.itertext()).strip() and not len(th):
                # an empty corner cell heads nothing: as a header it is a cell screen
                # readers announce with no name (axe's empty-table-header)
                th.tag = "td"
                th.attrib.pop("scope", None)
        for th in root.xpath(".//thead//th"):
            th.set("scope", th.get("scope", "col"))
        if self.chapter.kind == "glossary":
            for dt in root.iter("dt"):
                dt.set(EPUB_TYPE, "glossterm")
            for dd in root.iter("dd"):
                dd.set(EPUB_TYPE, "glossdef")
        return root

    def note(self, note: Note) -> str:
        """The note body with a back link (its number) leading its first paragraph."""
        root = self.converted(note.body)
        here = self.files[self.chapter.file_id] if self.notes_file else ""
        back = etree.Element("a", {"href": f"{here}#{note.ref_id}", "role": "doc-backlink",
                                   "class": "note-number",
                                   "aria-label": f"{self.strings['back-to-text']} {note.number}"})
        back.text = f"{note.number}."
        first = root[0] if len(root) and root[0].tag == "p" and not (root.text or "").strip() \
            else None
        if first is None:
            first = etree.Element("p")
            first.text, root.text = root.text, None
            root.insert(0, first)
        back.tail = " " + (first.text or "")
        first.text = None
        first.insert(0, back)
        return serialize_fragment(root)
