"""citeproc-py's HTML output made into the book's XHTML, with the text's typography."""

from __future__ import annotations

from lxml import etree

from make_book.markup.typography import smarten_tree
from make_book.xhtml import parse_fragment


def fragment(html: str) -> etree._Element:
    """citeproc-py's HTML as XHTML the book may hold (in a wrapper ``div``): its ``<l>``
    (light) is a span, its small capitals a class, as Pandoc's ``[text]{.smallcaps}``."""
    root = parse_fragment(html)
    for el in root.iter():
        if el.tag == "l":
            el.tag = "span"
        style = el.attrib.pop("style", None)
        if style and "small-caps" in style:
            el.set("class", "smallcaps")
    return root


def fill(target: etree._Element, html: str, lang: str) -> None:
    """``target``'s content becomes ``html``, smartened in ``lang`` as the text around it
    (quotes, dashes, a language's no-break spaces)."""
    content = fragment(html)
    for child in list(target):
        target.remove(child)
    target.text = content.text
    for child in content:
        target.append(child)
    smarten_tree(target, lang)
