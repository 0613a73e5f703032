"""XHTML as the templates and the EPUB body converter write it -> HTML5 as browsers read
``.html`` files (``text/html``).

The two differ where it matters: an empty ``<a id="x"/>`` or ``<span/>`` (a page-break
anchor) is an unclosed start tag to the HTML parser and would swallow the text after it;
``epub:type`` and ``xml:lang`` mean nothing in HTML (``role`` and ``lang`` say the same).
So the page is parsed as the XML it is and serialised with lxml's HTML method.
"""

from __future__ import annotations

from lxml import etree

from make_book.xhtml import OPS_NS

XHTML_NS = "http://www.w3.org/1999/xhtml"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_PARSER = etree.XMLParser(huge_tree=True, resolve_entities=False, no_network=True)


def parse(xhtml: bytes | str) -> etree._Element:
    data = xhtml.encode("utf-8") if isinstance(xhtml, str) else xhtml
    return etree.fromstring(data, _PARSER)


def to_html5(xhtml: bytes | str | etree._Element) -> bytes:
    """A whole XHTML document (text, or parsed: it is changed) as an HTML5 document
    (UTF-8, ``<!DOCTYPE html>``)."""
    root = xhtml if isinstance(xhtml, etree._Element) else parse(xhtml)
    for el in root.iter(etree.Element):
        qname = etree.QName(el)
        el.tag = qname.localname  # XHTML, MathML, SVG: the HTML parser puts them back
        for name in list(el.attrib):
            if name == XML_LANG:
                el.set("lang", el.attrib.pop(name))
            elif name.startswith(f"{{{OPS_NS}}}"):
                del el.attrib[name]
    etree.cleanup_namespaces(root)
    body = etree.tostring(root, method="html", encoding="unicode")
    return ("<!DOCTYPE html>\n" + body + "\n").encode("utf-8")
