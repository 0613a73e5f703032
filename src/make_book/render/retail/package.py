"""An EPUB opened for the retailer changes: its zip entries, the package document and the
content documents as lxml trees, written back as every make-book EPUB is written.

The retailer editions are derived from the main EPUB's bytes rather than rendered again:
the main EPUB is the validated reference, so a retailer edition differs from it exactly
by the changes applied here, and rendering (notes, index, page-list, fonts) is done once.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
from functools import cached_property

from lxml import etree

from make_book.render.epub.container import _add

OPF_NS = "http://www.idpf.org/2007/opf"
XHTML_NS = "http://www.w3.org/1999/xhtml"
CONTAINER_NS = "urn:oasis:names:tc:opendocument:xmlns:container"
NS = {"opf": OPF_NS, "x": XHTML_NS, "epub": "http://www.idpf.org/2007/ops",
      "ncx": "http://www.daisy.org/z3986/2005/ncx/"}
XHTML_TYPE = "application/xhtml+xml"
_PARSER = etree.XMLParser(huge_tree=True, resolve_entities=False, no_network=True)


class EpubPackage:
    """The entries of one EPUB, in their order. Trees handed out by :meth:`tree` are the
    live documents: a change edits them in place and :meth:`to_bytes` serialises them."""

    def __init__(self, data: bytes):
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            infos = z.infolist()
            self.entries: dict[str, bytes] = {i.filename: z.read(i) for i in infos}
        # every entry carries the main EPUB's source date: keep it (byte-identical rebuilds)
        self.stamp = next((i.date_time for i in infos if i.filename != "mimetype"),
                          infos[0].date_time)
        self._trees: dict[str, etree._ElementTree] = {}

    @cached_property
    def opf_name(self) -> str:
        container = etree.fromstring(self.entries["META-INF/container.xml"], _PARSER)
        return container.find(f".//{{{CONTAINER_NS}}}rootfile").get("full-path")

    @property
    def opf(self) -> etree._Element:
        return self.tree(self.opf_name).getroot()

    def href(self, href: str) -> str:
        """A manifest href as a zip entry name."""
        return posixpath.normpath(posixpath.join(posixpath.dirname(self.opf_name), href))

    def manifest(self) -> list[etree._Element]:
        return self.opf.findall("opf:manifest/opf:item", NS)

    def item(self, item_id: str) -> etree._Element | None:
        return next((i for i in self.manifest() if i.get("id") == item_id), None)

    def items_with(self, prop: str) -> list[etree._Element]:
        return [i for i in self.manifest() if prop in (i.get("properties") or "").split()]

    def content_documents(self) -> list[str]:
        """The spine's XHTML documents (the nav document is a navigation aid, not text)."""
        ids = [ref.get("idref") for ref in self.opf.findall("opf:spine/opf:itemref", NS)]
        by_id = {i.get("id"): i for i in self.manifest()}
        return [self.href(by_id[i].get("href")) for i in ids if i in by_id
                and by_id[i].get("media-type") == XHTML_TYPE
                and "nav" not in (by_id[i].get("properties") or "").split()]

    def stylesheets(self) -> list[str]:
        return [self.href(i.get("href")) for i in self.manifest()
                if i.get("media-type") == "text/css"]

    def nav_name(self) -> str | None:
        nav = self.items_with("nav")
        return self.href(nav[0].get("href")) if nav else None

    def tree(self, name: str) -> etree._ElementTree:
        if name not in self._trees:
            self._trees[name] = etree.ElementTree(etree.fromstring(self.entries[name], _PARSER))
        return self._trees[name]

    def text(self, name: str) -> str:
        return self.entries[name].decode("utf-8")

    def set_text(self, name: str, text: str) -> None:
        self.entries[name] = text.encode("utf-8")

    def remove(self, name: str) -> None:
        self.entries.pop(name, None)
        self._trees.pop(name, None)

    def to_bytes(self) -> bytes:
        """The zip as make-book writes it (``mimetype`` first and stored, fixed times), each
        edited tree serialised with the XML declaration and doctype it was read with."""
        for name, tree in self._trees.items():
            self.entries[name] = etree.tostring(tree, encoding="utf-8", xml_declaration=True,
                                                doctype=tree.docinfo.doctype or None)
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as dst:
            for name in ["mimetype", *(n for n in self.entries if n != "mimetype")]:
                _add(dst, name, self.entries[name], self.stamp)
        return out.getvalue()
