"""An EPUB read into a :class:`Source`: ebooklib for the package, lxml for the XHTML.

Chapters come from the spine, without the navigation document and the cover, title,
copyright and contents pages (the build makes its own). Notes are found however they
are marked: EPUB 3's ``epub:type`` (footnote, endnote, rearnote, noteref), the ARIA roles,
or a pair of links pointing at each other (Pandoc's and Calibre's ``fnref``/``ftn``
links); their texts move to ``[^n]`` definitions in the chapter that calls them. Ids
that links point to are made unique across the book, since Markdown's ``#id`` links
resolve book-wide.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from collections.abc import Callable
from pathlib import Path
from urllib.parse import unquote, urldefrag

from lxml import etree

from make_book.importer.epub_metadata import metadata
from make_book.importer.epub_xhtml import (
    _XML,
    _drop,
    _flatten,
    _kind,
    _parse,
    _starts,
    _text_besides_headings,
    _types,
)
from make_book.importer.markdown_writer import HEADINGS, replace_call
from make_book.importer.source import Source

# fonts are obfuscated, not encrypted: these algorithms leave the text readable
_FONT_OBFUSCATION = {"http://www.idpf.org/2008/embedding", "http://ns.adobe.com/pdf/enc#RC"}
_SKIPPED_PAGES = {"cover", "titlepage", "halftitlepage", "toc", "landmarks", "copyright-page",
                  "loi", "lot", "page-list", "doc-toc", "doc-cover"}
_NOTE_TYPES = {"footnote", "endnote", "rearnote", "note", "doc-footnote", "doc-endnote"}
_NOTES_BLOCKS = {"footnotes", "endnotes", "rearnotes", "doc-endnotes"}
HTML_TYPES = ("application/xhtml+xml", "text/html")


class EpubError(Exception):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


def _drm(path: Path) -> bool:
    with zipfile.ZipFile(path) as z:
        if "META-INF/encryption.xml" not in z.namelist():
            return False
        root = etree.fromstring(z.read("META-INF/encryption.xml"), _XML)
    methods = {m.get("Algorithm") for m in root.iter("{*}EncryptionMethod")}
    return bool(methods - _FONT_OBFUSCATION)


class _Reader:
    def __init__(self, book, warn: Callable[[str, str], None]):
        self.book = book
        self.warn = warn
        self.source = Source(metadata=metadata(book))
        self.docs: list[tuple[str, etree._Element]] = []  # (file name, body)
        self.ids: dict[tuple[str, str], str] = {}  # (file, id) -> the book-wide id
        self.note_docs: dict[str, str] = {}  # note key -> the file it came from
        self.aliases: dict[str, str] = {}  # an unwrapped section's id -> its heading's

    # the documents of the spine, as bodies -----------------------------------------
    def load(self) -> None:
        from ebooklib import ITEM_DOCUMENT, epub
        skipped = {urldefrag(g.get("href", ""))[0] for g in self.book.guide
                   if g.get("type") in ("cover", "title-page", "toc")}
        for idref, *_ in self.book.spine:
            item = self.book.get_item_with_id(idref)
            if item is None or isinstance(item, epub.EpubNav) \
                    or "nav" in (getattr(item, "properties", None) or []):
                continue
            # a document by its type; old EPUBs declare XHTML as text/html, which ebooklib
            # does not count as one
            if item.get_type() != ITEM_DOCUMENT and item.media_type not in HTML_TYPES:
                continue
            if item.get_name() in skipped:
                continue
            try:
                root = _parse(item.get_content())
            except (etree.XMLSyntaxError, etree.ParserError, ValueError) as exc:
                self.warn("I022", f"{item.get_name()} is left out: it cannot be read ({exc})")
                continue
            body = root.find(".//body")
            if body is None or self._is_skipped_page(body):
                continue
            self.docs.append((item.get_name(), body))

    @staticmethod
    def _is_skipped_page(body: etree._Element) -> bool:
        if _types(body) & _SKIPPED_PAGES:
            return True
        firsts = [el for el in body if isinstance(el.tag, str)]
        if len(firsts) == 1 and _types(firsts[0]) & _SKIPPED_PAGES:
            return True
        text = "".join(body.itertext()).strip()
        return not text and len(body.xpath(".//img|.//*[local-name()='svg']")) == 1

    # ids and links -------------------------------------------------------------------
    def _resolve(self, doc: str, href: str) -> tuple[str, str] | None:
        """The (file, id) a link points to inside the book, or None."""
        if re.match(r"(?i)[a-z][a-z0-9+.-]*:", href):
            return None
        path, frag = urldefrag(href)
        target = posixpath.normpath(posixpath.join(posixpath.dirname(doc), unquote(path))) \
            if path else doc
        return target, unquote(frag)

    def _number_ids(self) -> None:
        seen: set[str] = set()
        for name, body in self.docs:
            stem = re.sub(r"[^A-Za-z0-9]+", "-", posixpath.splitext(
                posixpath.basename(name))[0]).strip("-") or "file"
            for el in body.iter():
                ident = el.get("id") if isinstance(el.tag, str) else None
                if not ident:
                    continue
                unique = ident if ident not in seen else f"{stem}-{ident}"
                seen.add(unique)
                self.ids[(name, ident)] = unique
                el.set("id", unique)
            heading = next((h for h in body.iter() if h.tag in HEADINGS), None)
            if heading is not None:  # a link to the file is a link to its first heading
                if not heading.get("id"):
                    heading.set("id", stem if stem not in seen else f"{stem}-title")
                    seen.add(heading.get("id"))
                self.ids[(name, "")] = heading.get("id")

    # notes ---------------------------------------------------------------------------
    def _target(self, doc: str, a: etree._Element) -> str | None:
        """The book-wide id link ``a`` of file ``doc`` points to, if it is in the book."""
        where = self._resolve(doc, a.get("href") or "")
        return self.ids.get(where) if where else None

    def _take_notes(self) -> None:
        elements = {el.get("id"): (name, el) for name, body in self.docs
                    for el in body.iter() if isinstance(el.tag, str) and el.get("id")}
        calls: list[tuple[etree._Element, str]] = []
        notes: dict[str, tuple[str, etree._Element]] = {}
        call_ids: dict[str, set[str]] = {}
        for name, body in self.docs:
            for a in body.iter("a"):
                key = self._target(name, a)
                if key is None or key not in elements:
                    continue
                note_doc, target = elements[key]
                note = self._note_of(note_doc, target, a)
                if note is not None:
                    notes[key] = (note_doc, note)
                    calls.append((a, key))
                    call_ids.setdefault(key, set()).add(a.get("id") or "")
        for key, (doc, note) in notes.items():
            self._detach_note(key, doc, note, call_ids[key])
        emptied = {doc for doc, _ in notes.values()}
        self.docs = [(name, body) for name, body in self.docs
                     if name not in emptied or _text_besides_headings(body)]
        for a, key in calls:
            if a.getparent() is not None:
                replace_call(a, key)

    def _note_of(self, doc: str, target: etree._Element,
                 call: etree._Element) -> etree._Element | None:
        """The note body ``call`` points to, if ``target`` (in file ``doc``) is one."""
        block = target
        if target.tag == "a":  # Calibre: the note's number is the anchor
            block = next(target.iterancestors("p", "div", "li", "aside", "section"), target)
        if {"noteref", "doc-noteref"} & _types(call) or _types(block) & _NOTE_TYPES \
                or "footnote-ref" in (call.get("class") or "").split():
            return block
        # else a pair of links pointing at each other, the note's at the start of its block
        # (Calibre: <p><a id="ftn1" href="...#ftnref1">[1]</a> The note.</p>), the call's
        # after text (a note's own number links back too, so the order tells them apart)
        call_id = call.get("id")
        backs = [b for b in block.iter("a") if self._target(doc, b) == call_id] \
            if call_id else []
        if backs and _starts(block, backs[0]):
            return block
        return None

    def _detach_note(self, key: str, doc: str, body: etree._Element,
                     call_ids: set[str]) -> None:
        for a in list(body.iter("a")):
            if {"backlink", "doc-backlink"} & _types(a) or "footnote-back" in (
                    a.get("class") or "").split() or self._target(doc, a) in call_ids:
                _drop(a)
        note = etree.Element("div")
        note.text = body.text
        note.extend(list(body))
        self.source.notes[key] = note
        self.note_docs[key] = doc
        parent = body.getparent()
        if parent is not None:
            _drop(body)

    def _remove_empty_note_blocks(self) -> None:
        for _, body in self.docs:
            for block in list(body.iter()):
                if not isinstance(block.tag, str):
                    continue
                noted = _types(block) & _NOTES_BLOCKS or {"footnotes", "endnotes"} & set(
                    (block.get("class") or "").split())
                if noted and not "".join(block.itertext()).strip() \
                        and block.getparent() is not None:
                    block.getparent().remove(block)

    # links and images ---------------------------------------------------------------
    def _links(self) -> None:
        """Links inside the book -> ``#id`` of the book-wide ids; links to what was left
        out (a skipped page, a missing file) keep their text only."""
        notes = [(self.note_docs[k], n) for k, n in self.source.notes.items()]
        for name, body in self.docs + notes:
            for a in body.iter("a"):
                href = a.get("href")
                where = self._resolve(name, href) if href else None
                if where is None:
                    continue
                if where in self.ids:
                    target = self.aliases.get(self.ids[where], self.ids[where])
                    a.set("href", "#" + target)
                    self.source.targets.add(target)
                else:
                    a.attrib.pop("href", None)

    def _images(self) -> None:
        names: dict[str, str] = {}
        notes = [(self.note_docs[k], n) for k, n in self.source.notes.items()]
        for name, body in self.docs + notes:
            for img in list(body.iter("img")):
                where = self._resolve(name, img.get("src") or "")
                item = self.book.get_item_with_href(where[0]) if where else None
                if item is None:
                    self.warn("I023", f"{name}: the image {img.get('src')!r} is not in "
                              "the EPUB; left out")
                    _drop(img)
                    continue
                img.set("src", "images/" + self._image_name(item, names))

    def _image_name(self, item, names: dict[str, str]) -> str:
        if item.get_name() in names:
            return names[item.get_name()]
        base = posixpath.basename(item.get_name())
        stem, ext = posixpath.splitext(base)
        stem = re.sub(r"[^A-Za-z0-9_-]+", "-", stem).strip("-") or "image"
        candidate, n = f"{stem}{ext.lower()}", 1
        while candidate in self.source.images:
            n += 1
            candidate = f"{stem}-{n}{ext.lower()}"
        self.source.images[candidate] = item.get_content()
        names[item.get_name()] = candidate
        return candidate

    def _cover(self) -> None:
        from ebooklib import ITEM_COVER
        cover = next((i for i in self.book.get_items() if i.get_type() == ITEM_COVER
                      or "cover-image" in (getattr(i, "properties", None) or [])), None)
        if cover is None:
            ids = [a.get("content") for _, a in self.book.get_metadata("OPF", "meta")
                   if a.get("name") == "cover"]
            cover = self.book.get_item_with_id(ids[0]) if ids else None
        if cover is not None and cover.get_content():
            self.source.metadata.cover_image = self._image_name(cover, {})

    # the book's tree, from its table of contents ------------------------------------
    def _depths(self) -> dict[str, int]:
        """file -> its depth in the table of contents (1 for a top entry): the nav's
        nested lists, else the NCX's nested navPoints."""
        from ebooklib import epub
        depths: dict[str, int] = {}

        def note(doc: str, href: str, depth: int) -> None:
            where = self._resolve(doc, href)
            if where is not None:
                depths[where[0]] = min(depths.get(where[0], depth), depth)
        for item in self.book.get_items():
            if isinstance(item, epub.EpubNav) or "nav" in (getattr(item, "properties", None)
                                                          or []):
                try:
                    root = _parse(item.get_content())
                except (etree.XMLSyntaxError, etree.ParserError, ValueError):
                    continue
                for nav in root.iter("nav"):
                    if "toc" in _types(nav):
                        for a in nav.iter("a"):
                            depth = sum(1 for el in a.iterancestors("ol", "ul"))
                            note(item.get_name(), a.get("href") or "", depth)
            elif isinstance(item, epub.EpubNcx) and not depths:
                try:
                    root = _parse(item.get_content())
                except (etree.XMLSyntaxError, etree.ParserError, ValueError):
                    continue
                for content in root.iter("content"):
                    depth = sum(1 for el in content.iterancestors("navPoint"))
                    note(item.get_name(), content.get("src") or "", depth)
        return depths

    def _level_headings(self) -> None:
        """A page's headings shifted so its first is at the page's depth in the contents:
        EPUBs (make-book's too) open every page with <h1>, parts and chapters alike, and
        the manuscript's tree comes from heading levels."""
        depths = self._depths()
        for name, body in self.docs:
            headings = [h for h in body.iter() if h.tag in HEADINGS]
            if not headings or name not in depths:
                continue
            shift = depths[name] - HEADINGS[headings[0].tag]
            for h in headings:
                h.tag = f"h{min(6, max(1, HEADINGS[h.tag] + shift))}"

    def read(self) -> Source:
        self.load()
        self._level_headings()
        self._number_ids()
        self._take_notes()
        self._remove_empty_note_blocks()
        self.source.documents = [_flatten(list(body), self.aliases) for _, body in self.docs]
        self.source.kinds = [_kind(body) for _, body in self.docs]
        self._links()
        self._images()
        self._cover()
        return self.source


def read_epub(path: Path, warn: Callable[[str, str], None]) -> Source:
    """The EPUB at ``path``; ``warn(code, message)`` hears what is left out."""
    from ebooklib import epub

    try:
        if _drm(path):
            raise EpubError("I003", "the EPUB is encrypted (DRM): only its publisher's "
                            "unencrypted file can be imported")
        book = epub.read_epub(str(path), {"ignore_ncx": True})
    except EpubError:
        raise
    except Exception as exc:  # ebooklib raises KeyError, EpubException, zip and XML errors
        raise EpubError("I004", f"a broken EPUB: {exc.__class__.__name__}: {exc}") from exc
    return _Reader(book, warn).read()
