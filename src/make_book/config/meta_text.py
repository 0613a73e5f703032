"""Metadata strings read as Pandoc reads YAML metadata: as Markdown, typeset in the book's
language.

``title: "The *Iliad*"`` or ``rights: "Licensed [CC BY](https://...)"`` carries emphasis and
links to the pages make-book generates (title page, copyright page), and plain text to the
places that hold no markup (OPF, ONIX, nav, PDF info and outline, running heads). Both are
computed once, when :class:`~make_book.config.metadata.BookMetadata` is validated, and a
:class:`MetaText` carries both: it *is* its plain text (a ``str``), so code that wants text
gets text, and ``.html`` is the inline XHTML for templates, which never typeset. A chapter's
front matter ``title`` is typeset the same way (:func:`typeset_markup`), and its markup
goes into the model as a tree cut from that one parse.

The Markdown goes through the same parser, raw-HTML sanitizer and typography as a chapter
(curly quotes and apostrophes of the book's language, dashes, ellipses). What a one-line
slot cannot show is reduced to its text with a warning, never printed as literal markup:

- ``M040`` a block (list, heading, quotation, table...) in a value meant as a line
- ``M041`` an image in a value (nothing would carry the file into the book)
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from lxml import etree
from markupsafe import Markup, escape
from pydantic import GetCoreSchemaHandler
from pydantic_core import core_schema

from make_book.errors import Diagnostic, warning
from make_book.markup.markdown import to_html
from make_book.markup.sanitize import sanitize_fragment
from make_book.markup.typography import smarten_text, smarten_tree
from make_book.xhtml import Body

BLOCK_IN_LINE, IMAGE_IN_TEXT = "M040", "M041"

# Markdown's white space, collapsed as a browser would; no-break spaces (French spacing,
# U+00A0 typed on purpose) are characters, not white space to collapse.
_SPACES = re.compile(r"[ \t\n\r\f]+")

# Nothing here can be Markdown or raw HTML, nor open a block: the value is plain text and
# only typography applies (most values: names, places, plain titles). Saves a parser per
# value on every book load.
_MARKUP_CHARS = re.compile(r"[\\`*_\[\]<>&!~^{}|\n]")
_BLOCK_START = re.compile(r"\s*(?:[#>+*-]|\d+[.)](?:\s|$)|[=-]{3,}\s*$)", re.MULTILINE)
_BLOCK_NAMES = {
    "ul": "a list", "ol": "a list", "dl": "a definition list", "blockquote": "a quotation",
    "h1": "a heading", "h2": "a heading", "h3": "a heading", "h4": "a heading",
    "h5": "a heading", "h6": "a heading", "pre": "a code block", "table": "a table",
    "hr": "a rule", "div": "a block", "figure": "a figure",
}


class MetaText(str):
    """A metadata value: the string is its plain, typeset text; ``.html`` the same as
    inline XHTML (``Markup``, safe to print); ``.source`` the value as written (stable
    facts such as a generated identifier derive from it); ``.paragraphs`` one inline
    XHTML line per paragraph (a multi-paragraph ``description``)."""

    source: str
    html: Markup
    paragraphs: tuple[Markup, ...]
    lang: str | None  # the language it was typeset in; None: not yet (during validation)

    def __new__(cls, plain: str, html: str, source: str, lang: str | None,
                paragraphs: tuple[str, ...] | None = None) -> MetaText:
        obj = super().__new__(cls, plain)
        obj.source = source
        obj.html = Markup(html)
        obj.paragraphs = tuple(Markup(p) for p in (paragraphs if paragraphs is not None
                                                   else (html,)))
        obj.lang = lang
        return obj

    def __getnewargs__(self) -> tuple:  # pickle and deepcopy (print pieces in processes)
        return (str(self), str(self.html), self.source, self.lang,
                tuple(str(p) for p in self.paragraphs))

    @property
    def plain(self) -> str:
        return str.__str__(self)

    def __str__(self) -> str:
        return str.__str__(self)

    def __repr__(self) -> str:
        return f"MetaText({str.__repr__(self)}, html={str(self.html)!r})"

    @classmethod
    def untypeset(cls, source: str) -> MetaText:
        """The value as validated, before the book's language is known."""
        return cls(source, str(escape(source)), source, None)

    @classmethod
    def __get_pydantic_core_schema__(cls, _source: Any,
                                     handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
        # Text as any other (stripped, not empty, numbers as text), then wrapped; a MetaText
        # passes as it is so a validated value is never typeset twice.
        def wrap(value: Any, validate: core_schema.ValidatorFunctionWrapHandler) -> MetaText:
            if isinstance(value, MetaText):
                return value
            return cls.untypeset(validate(value))
        return core_schema.no_info_wrap_validator_function(
            wrap, core_schema.str_schema(strip_whitespace=True, min_length=1),
            serialization=core_schema.plain_serializer_function_ser_schema(str))


class TitleText(MetaText):
    """A title book.yaml's ``contents`` gives a part or a file: a :class:`MetaText` whose
    typesetting (:func:`typeset_markup`) keeps its inline markup as a tree too
    (``.markup``, None when it is plain), as a chapter's front matter title does, so the
    loader hands it to the model (``Part.title_markup``, ``Chapter.title_markup``) without
    parsing ``.html`` again."""

    markup: Body | None

    def __new__(cls, plain: str, html: str, source: str, lang: str | None,
                paragraphs: tuple[str, ...] | None = None,
                markup: Body | None = None) -> TitleText:
        obj = super().__new__(cls, plain, html, source, lang, paragraphs)
        obj.markup = markup
        return obj

    def __getnewargs__(self) -> tuple:
        return (*super().__getnewargs__(), self.markup)

    def __repr__(self) -> str:
        return f"TitleText({str.__repr__(self)}, html={str(self.html)!r})"


def typeset_title(source: str, lang: str) -> tuple[TitleText, list[Diagnostic]]:
    """:func:`typeset_markup` as a :class:`TitleText`: the plain text, ``.html`` and the
    tree from one parse; the diagnostics as :func:`typeset`'s."""
    text, markup, found = typeset_markup(source, lang)
    return TitleText(text.plain, str(text.html), source, lang,
                     tuple(str(p) for p in text.paragraphs), markup), found


def typeset(source: str, lang: str) -> tuple[MetaText, list[Diagnostic]]:
    """``source`` read as Pandoc Markdown and typeset in ``lang``, with what was removed
    from it; the diagnostics have no path, line or key: the caller knows where it is."""
    text, _markup, found = _typeset(source, lang, markup=False)
    return text, found


def typeset_markup(source: str, lang: str) -> tuple[MetaText, Body | None, list[Diagnostic]]:
    """:func:`typeset` with the inline markup as a tree too (None when the value is plain
    text), cut from the same parse: what a chapter's front matter ``title`` carries into
    the model (``Chapter.title_markup``), so that no stage parses ``.html`` again. The
    tree is ``.html`` as a parser would read it back."""
    return _typeset(source, lang, markup=True)


def _typeset(source: str, lang: str, markup: bool
             ) -> tuple[MetaText, Body | None, list[Diagnostic]]:
    if not _MARKUP_CHARS.search(source) and not _BLOCK_START.match(source):
        plain = _SPACES.sub(" ", smarten_text(source, lang)).strip(" ")
        return MetaText(plain, str(escape(plain)), source, lang), None, []

    section, problems = sanitize_fragment(to_html(source), path=Path("book.yaml"))
    found = list(problems)
    _strip_ids(section)
    found += _replace_images(section)
    smarten_tree(section, lang)
    lines: list[etree._Element] = []
    blocks: list[str] = []
    for block in section:
        name = block.tag if isinstance(block.tag, str) else ""
        if name == "p":
            lines.append(block)
            continue
        blocks.append(_BLOCK_NAMES.get(name, f"<{name}>"))
        flat = etree.Element("p")
        flat.text = _plain(block)
        lines.append(flat)
    for what in dict.fromkeys(blocks):
        found.append(warning(
            BLOCK_IN_LINE, f"holds {what}: it is printed as a line, so only its text is kept",
            hint="write the value as one paragraph of text, or escape the character that "
            "starts the block (\\#, \\-, 1\\.)"))
    kept = [p for p in lines if _plain(p)]
    paragraphs = [_inner_xml(p) for p in kept]
    # paragraphs stay apart in the plain text too (a description's blank lines)
    plain = "\n\n".join(_plain(p) for p in kept)
    html = "<br/>".join(paragraphs)
    tree = _inline_tree(kept) if markup and html != str(escape(plain)) else None
    return MetaText(plain, html, source, lang, tuple(paragraphs)), tree, found


def _strip_ids(section: etree._Element) -> None:
    """A value is printed on several pages of one document (title and copyright page):
    an id in it would be defined twice."""
    for el in section.iter():
        if isinstance(el.tag, str):
            el.attrib.pop("id", None)


def _replace_images(section: etree._Element) -> list[Diagnostic]:
    found = []
    for img in list(section.iter("img")):
        found.append(warning(IMAGE_IN_TEXT, f"holds the image {img.get('src', '')}: "
                             "a metadata value is text, so only its alt text is kept",
                             hint="put images in chapters; the cover goes in cover-image"))
        parent = img.getparent()
        alt = img.get("alt", "") + (img.tail or "")
        previous = img.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + alt
        else:
            parent.text = (parent.text or "") + alt
        parent.remove(img)
    return found


def _plain(el: etree._Element) -> str:
    return _SPACES.sub(" ", "".join(el.itertext())).strip(" ")


# What the white space collapse of _inner_xml meets as white space in its serialised
# XML: a line's own text is escaped by markupsafe, which leaves every white space
# character as it is (_SPACES applies); lxml writes a carriage return in the text of an element as
# ``&#13;`` and every white space but the space in an attribute as a character reference.
_XML_TEXT_SPACES = re.compile(r"[ \t\n\f]+")
_XML_ATTR_SPACES = re.compile(" +")


def _inline_tree(lines: list[etree._Element]) -> Body:
    """The lines (moved) as one tree, exactly as ``"<br/>".join`` of their
    :func:`_inner_xml` parses: white space collapsed where that collapses it in the
    serialised text, each line stripped of spaces at its ends, ``<br/>`` between lines."""
    root = etree.Element("div")
    for n, line in enumerate(lines):
        for el in line.iterdescendants():
            if isinstance(el.tag, str):
                for name, value in el.attrib.items():
                    el.set(name, _XML_ATTR_SPACES.sub(" ", value))
            if el.text:
                el.text = _XML_TEXT_SPACES.sub(" ", el.text)
            if el.tail:
                el.tail = _XML_TEXT_SPACES.sub(" ", el.tail)
        text = _SPACES.sub(" ", line.text or "").lstrip(" ")
        if len(line):
            line[-1].tail = (line[-1].tail or "").rstrip(" ") or None
        else:
            text = text.rstrip(" ")
        if n:
            etree.SubElement(root, "br").tail = text or None
        else:
            root.text = text or None
        root.extend(list(line))
    return Body(root)


def _inner_xml(el: etree._Element) -> str:
    out = [escape(el.text or "")]
    out.extend(etree.tostring(child, encoding="unicode", method="xml", with_tail=True)
               for child in el)
    return _SPACES.sub(" ", "".join(out)).strip(" ")
