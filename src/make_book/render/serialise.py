"""One serialiser for a converted tree, whatever the format: the children of the wrapper
as markup for a template. The format steps (:mod:`make_book.transforms`) made the tree what
the format needs; what is left to differ is the syntax: the EPUB's content documents are
XHTML (``epub:`` prefix declared by the template, ``<a/>`` allowed), WeasyPrint reads HTML
(``<a></a>``: its parser is an HTML parser)."""

from __future__ import annotations

from lxml import etree
from markupsafe import Markup

from make_book.model import Part
from make_book.xhtml import serialize_fragment

XML_FORMATS = frozenset({"epub"})


def serialise(root: etree._Element, fmt: str) -> str:
    """The children (and leading text) of ``root`` as ``fmt``'s markup."""
    if fmt in XML_FORMATS:
        return serialize_fragment(root)
    return inner_html(root)


def inner_html(el: etree._Element) -> str:
    """Children of ``el`` serialised as HTML."""
    out = [_escape_text(el.text or "")]
    for child in el:
        out.append(etree.tostring(child, encoding="unicode", method="html", with_tail=True))
    return "".join(out)


def _escape_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def part_title_html(part: Part, fmt: str) -> Markup:
    """A part's title as its page prints it when no opening text converts it (a part
    book.yaml's ``contents`` names): its inline markup written as book.yaml's other values
    are, else its text."""
    if part.title_markup is None:
        return Markup.escape(part.title)
    return Markup(serialise(part.title_markup.edit(), fmt))
