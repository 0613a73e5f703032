"""Fragment plumbing shared by the transforms and the renderers: parse a model fragment
(a chapter body is serialised XHTML: model.py), serialise it back.

Fragments in the model carry no namespace; EPUB markup needs ``epub:type``. Parsing inside
a wrapper that declares the ``epub`` prefix lets us set ``{OPS}type`` and serialise the
children with the prefix, declared once by the document template.
"""

from __future__ import annotations

from lxml import etree

OPS_NS = "http://www.idpf.org/2007/ops"
EPUB_TYPE = f"{{{OPS_NS}}}type"
_OPEN = f'<div xmlns:epub="{OPS_NS}">'
_PARSER = etree.XMLParser(huge_tree=True, remove_blank_text=False, resolve_entities=False,
                          no_network=True)


def parse_fragment(fragment: str) -> etree._Element:
    return etree.fromstring(f"{_OPEN}{fragment}</div>", _PARSER)


def serialize_fragment(wrapper: etree._Element) -> str:
    text = etree.tostring(wrapper, encoding="unicode", method="xml")
    start = text.index(">") + 1
    if text.endswith("/>"):  # an empty wrapper
        return ""
    return text[start:-len("</div>")]


def plain_text(fragment: str) -> str:
    return "".join(parse_fragment(fragment).itertext())
