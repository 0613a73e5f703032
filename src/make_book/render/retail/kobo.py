"""The Kobo edition (a kepub, ``<slug>.kepub.epub``): the main EPUB with the markup Kobo's
reader expects of a book it sells.

Kobo publishes no kepub specification; the reference is what Kobo's own kepubs carry and
kepubify (github.com/pgaskin/kepubify, kepub/transform.go, "behaviour matches Kobo
(checked with 3 books)") reproduces: the ``kobostylehacks`` style, the ``book-columns`` and
``book-inner`` wrapper divs, and a ``koboSpan`` around every sentence. Without the spans
Kobo's reader cannot keep the reading position inside a chapter, nor count reading
statistics or place highlights. kepubify's other transformations are not needed here:
its OPF cover-image property is already in our package document, and the files it cleans
up (calibre bookmarks, iTunes plists, Word tags, Adobe DRM metas) never get in.
"""

from __future__ import annotations

from lxml import etree

from make_book.render.retail.package import XHTML_NS, EpubPackage
from make_book.render.retail.sentences import sentences

X = f"{{{XHTML_NS}}}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
EPUB_TYPE = "{http://www.idpf.org/2007/ops}type"
KOBO_STYLE = "div#book-inner { margin-top: 0; margin-bottom: 0; }"
# text kept as it is: preformatted or media (as kepubify), and what a span would break:
# ruby (a base and its annotation must stay paired), note calls and back links (a number
# that is a link, not a sentence), the print edition's page-break markers
KEEP = {f"{X}{t}" for t in ("script", "style", "pre", "audio", "video", "ruby")}
KEEP_ROLES = {"doc-pagebreak", "doc-noteref", "doc-backlink"}
# entering one of these begins a new "paragraph" number in the span ids (kepubify's p, ol,
# ul, table; and headings, captions and definition lists, each a block of its own text)
BLOCKS = {f"{X}{t}" for t in ("p", "ol", "ul", "dl", "table", "figcaption",
                              "h1", "h2", "h3", "h4", "h5", "h6")}


def kobo_style_hacks(epub: EpubPackage) -> None:
    """Add the ``kobostylehacks`` style element to every content document's head.

    Kobo's own kepubs carry a ``kobostylehacks`` style for Kobo's reader (kepubify,
    kepub/transform.go, transform2koboStyles, quotes it); kepubify keeps only its harmless
    part, no top or bottom margin on ``div#book-inner``, so a chapter does not open with
    a gap, and so does this change."""
    for name in epub.content_documents():
        head = epub.tree(name).getroot().find(f"{X}head")
        if head is None or head.find(f"{X}style[@class='kobostylehacks']") is not None:
            continue
        style = etree.SubElement(head, f"{X}style", {"type": "text/css",
                                                     "class": "kobostylehacks"})
        style.text = KOBO_STYLE
        style.tail = "\n"


def kobo_wrapper_divs(epub: EpubPackage) -> None:
    """Wrap each content document's body in ``div#book-columns > div#book-inner``.

    Kobo's own kepubs wrap every body in these two divs, which Kobo's reader lays its
    columns out in; kepubify adds them as Kobo's kepubs have them (kepub/transform.go,
    transform2koboDivs)."""
    for name in epub.content_documents():
        body = epub.tree(name).getroot().find(f"{X}body")
        if body is None or body.find(f"{X}div[@id='book-columns']") is not None:
            continue
        columns = etree.Element(f"{X}div", {"id": "book-columns"})
        inner = etree.SubElement(columns, f"{X}div", {"id": "book-inner"})
        inner.text, body.text = body.text, "\n"
        for child in list(body):
            inner.append(child)  # moves it, with its tail
        body.append(columns)
        columns.tail = "\n"


def kobo_spans(epub: EpubPackage) -> None:
    """Put every sentence of the text in ``<span class="koboSpan" id="kobo.P.S">``, and
    every image in a span of its own.

    Kobo's reader keeps the reading position, bookmarks, highlights and reading statistics
    by these spans; without them it remembers the chapter but not the place in it. Numbering as
    kepubify does (kepub/transform.go, transform2koboSpans): P counts the blocks, S the
    segments in one, each text node cut at sentence ends (ICU's rules for its language,
    :mod:`sentences`). Whitespace between elements stays bare, and so do the contents of
    ruby, MathML, SVG, note calls, back links and page-break markers."""
    for name in epub.content_documents():
        root = epub.tree(name).getroot()
        body = root.find(f"{X}body")
        if body is None or root.xpath("//*[@class='koboSpan']"):
            continue  # already a kepub
        lang = root.get(XML_LANG) or root.get("lang") or ""
        _Spanner().walk(body, lang)


class _Spanner:
    def __init__(self) -> None:
        self.para = 0
        self.seg = 0
        self.new_block = False

    def span(self) -> etree._Element:
        if self.new_block:
            self.para, self.seg, self.new_block = self.para + 1, 0, False
        self.seg += 1
        return etree.Element(f"{X}span", {"class": "koboSpan",
                                          "id": f"kobo.{self.para}.{self.seg}"})

    def spans(self, text: str | None, lang: str) -> list[etree._Element]:
        if not text or not text.strip():
            return []
        out = []
        for piece in sentences(text, lang):
            span = self.span()
            span.text = piece
            out.append(span)
        return out

    def walk(self, el: etree._Element, lang: str) -> None:
        lang = el.get(XML_LANG) or el.get("lang") or lang
        if el.tag in BLOCKS:
            self.new_block = True
        children = list(el)  # before the spans of its own text join them
        pieces = self.spans(el.text, lang)
        if pieces:
            el.text = None
            for k, span in enumerate(pieces):
                el.insert(k, span)
        for child in children:
            node = child
            if not isinstance(child.tag, str):  # a comment or processing instruction
                pass
            elif child.tag == f"{X}img":
                node = self.image(child)
            elif (child.tag.startswith(X) and child.tag not in KEEP
                  and child.get("role") not in KEEP_ROLES
                  and child.get(EPUB_TYPE) != "pagebreak"):
                self.walk(child, lang)
            # MathML, SVG and the elements kept are left as they are
            tail = self.spans(node.tail, lang)
            if tail:
                node.tail = None
                at = el.index(node) + 1
                for k, span in enumerate(tail):
                    el.insert(at + k, span)

    def image(self, img: etree._Element) -> etree._Element:
        """An image is a block of its own, in one span (kepubify's order); the span."""
        self.new_block = True
        span = self.span()
        self.new_block = False
        parent = img.getparent()
        parent.replace(img, span)
        span.tail, img.tail = img.tail, None
        span.append(img)
        return span


KOBO_CHANGES = (kobo_style_hacks, kobo_wrapper_divs, kobo_spans)
