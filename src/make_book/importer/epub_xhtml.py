"""The XHTML of an EPUB's documents, read for import: parsed leniently (an EPUB in the wild
is not always well-formed), a page told by its kind (``epub:type``, ARIA role) or by holding
nothing but headings, and wrapper elements flattened into the blocks Markdown can write.
Split from :mod:`make_book.importer.epub_reader`, which follows the package.
"""

from __future__ import annotations

from copy import deepcopy

import lxml.html
from lxml import etree

from make_book.manuscript.tree import drop_keeping_tail

OPS = "http://www.idpf.org/2007/ops"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_XML = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True,
                       remove_comments=True, remove_pis=True)


_UNWRAP = {"section", "article", "header", "main", "div", "footer", "body", "hgroup"}


def _types(el: etree._Element) -> set[str]:
    return set((el.get("epub-type") or "").split()) | set((el.get("role") or "").split())


def _plain(root: etree._Element) -> etree._Element:
    """Namespaces dropped: ``epub:type`` as ``epub-type``, ``xml:lang`` as ``lang``."""
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        el.tag = etree.QName(el).localname
        for name in list(el.attrib):
            if name.startswith("{"):
                value = el.attrib.pop(name)
                if name == f"{{{OPS}}}type":
                    el.set("epub-type", value)
                elif name == XML_LANG and not el.get("lang"):
                    el.set("lang", value)
    etree.cleanup_namespaces(root)
    return root


def _parse(content: bytes) -> etree._Element:
    try:
        root = etree.fromstring(content, _XML)
    except etree.XMLSyntaxError:
        root = lxml.html.document_fromstring(content)
    return _plain(root)


def _kind(body: etree._Element) -> str | None:
    """The manuscript kind a page's ``epub:type`` names (dedication, epigraph...)."""
    from make_book.model import KINDS
    for el in [body, *body.iter("section", "div", "article", "aside")][:4]:
        for token in _types(el):
            if token.removeprefix("doc-") in KINDS and token not in ("chapter", "part"):
                return token.removeprefix("doc-")
    return None


def _text_besides_headings(body: etree._Element) -> bool:
    """Whether a page of notes holds more than its heading once the notes are out."""
    rest = deepcopy(body)
    for heading in rest.xpath(".//h1|.//h2|.//h3|.//h4|.//h5|.//h6"):
        heading.text = ""
        for child in heading:
            child.text = child.tail = ""
    return bool("".join(rest.itertext()).strip()) or bool(rest.xpath(".//img"))


def _starts(block: etree._Element, el: etree._Element) -> bool:
    """Whether no text comes before ``el`` in ``block``."""
    before = []
    for node in block.iter():
        if node is el:
            return not "".join(before).strip()
        before.append(node.text or "")
        if node is not block and el not in node.iterdescendants():
            before.append(node.tail or "")
    return False


def _drop(el: etree._Element) -> None:
    """``el`` removed, its tail kept; a note's text then loses the space its number left."""
    parent, prev = el.getparent(), el.getprevious()
    if parent is None:
        return
    drop_keeping_tail(el)
    if not "".join(parent.itertext()).strip():
        return
    if prev is None and parent.text:  # "1. " left before the note's text
        parent.text = parent.text.lstrip()


def _flatten(elements: list[etree._Element],
             aliases: dict[str, str]) -> list[etree._Element]:
    """Sections, headers and divs that hold headings unwrapped, so headings are top-level
    blocks where the chapter splitter sees them; loose text in them becomes a paragraph.
    A link to an unwrapped section goes to its first heading (``aliases``)."""
    out: list[etree._Element] = []
    for el in elements:
        if not isinstance(el.tag, str):
            continue
        headings = el.xpath(".//h1|.//h2|.//h3|.//h4|.//h5|.//h6")
        if el.tag in _UNWRAP and headings and not el.get("lang"):
            if el.get("id"):
                if not headings[0].get("id"):
                    headings[0].set("id", el.get("id"))
                else:
                    aliases[el.get("id")] = headings[0].get("id")
            if el.text and el.text.strip():
                p = etree.Element("p")
                p.text = el.text
                out.append(p)
            for child in el:
                out.extend(_flatten([child], aliases))
                if child.tail and child.tail.strip():
                    p = etree.Element("p")
                    p.text = child.tail
                    out.append(p)
            continue
        out.append(el)
    return out
