"""A Word file (.docx) read into a :class:`Source`: mammoth for the body, the XML for the rest.

mammoth turns Word's styles into plain HTML (headings, lists, tables, notes, images), and
the style map below adds what a book needs: small caps, block quotes, no Word contents
or title paragraphs. Two things mammoth does not keep are read from the package itself:
the language of runs (``w:lang``), marked in the XML before mammoth reads it and turned
into ``<span lang>`` after, and the document's properties (docProps/core.xml), for
book.yaml.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections import Counter
from collections.abc import Callable

import lxml.html
from lxml import etree

from make_book.importer.markdown_writer import replace_call
from make_book.importer.source import Creator, Metadata, Source

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_PARTS_WITH_TEXT = ("word/document.xml", "word/footnotes.xml", "word/endnotes.xml")
_XML = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)

# Marks around a run's text in another language; private-use characters survive mammoth.
_OPEN, _MID, _CLOSE = "\ue000", "\ue001", "\ue002"
_MARKED = re.compile(f"{_OPEN}([^{_MID}]*){_MID}([^{_CLOSE}]*){_CLOSE}")

STYLE_MAP = "\n".join([
    "small-caps => span.smallcaps",
    "r[style-name='Emphasis'] => em",
    "r[style-name='Strong'] => strong",
    *(f"p[style-name='{name}'] => blockquote > p:fresh"
      for name in ("Quote", "Intense Quote", "Block Text", "Block Quote", "Quotation")),
    # the title and subtitle go to book.yaml, Word's own contents are made again by the build
    "p[style-name='Title'] => !",
    "p[style-name='Subtitle'] => !",
    "p[style-name='TOC Heading'] => !",
    *(f"p[style-name='{case} {n}'] => !" for case in ("toc", "TOC") for n in range(1, 10)),
])

IMAGE_TYPES = {"image/png": "png", "image/jpeg": "jpg", "image/gif": "gif",
               "image/svg+xml": "svg", "image/webp": "webp"}


class DocxError(Exception):
    """The file cannot be read as a Word document; the message says why."""


def _primary(tag: str | None) -> str:
    return (tag or "").split("-")[0].lower()


def _main_language(package: zipfile.ZipFile) -> str | None:
    """The book's language, which runs are marked against: the core properties' language,
    else that of the default run properties (styles.xml), else the commonest run's."""
    if core := _core(package, "dc:language"):
        return core
    try:
        root = etree.fromstring(package.read("word/styles.xml"), _XML)
        lang = root.find(f"{{{W}}}docDefaults/{{{W}}}rPrDefault/{{{W}}}rPr/{{{W}}}lang")
        if lang is not None and lang.get(f"{{{W}}}val"):
            return lang.get(f"{{{W}}}val")
        body = etree.fromstring(package.read("word/document.xml"), _XML)
    except (KeyError, etree.XMLSyntaxError):
        return None
    counts = Counter(el.get(f"{{{W}}}val") for el in body.iter(f"{{{W}}}lang")
                     if el.get(f"{{{W}}}val"))
    return counts.most_common(1)[0][0] if counts else None


def _mark_part(xml: bytes, main: str | None) -> bytes:
    root = etree.fromstring(xml, _XML)
    for run in root.iter(f"{{{W}}}r"):
        lang = run.find(f"{{{W}}}rPr/{{{W}}}lang")
        value = lang.get(f"{{{W}}}val") if lang is not None else None
        if not value or _primary(value) == _primary(main):
            continue
        for text in run.iter(f"{{{W}}}t"):
            if text.text:
                text.text = f"{_OPEN}{value}{_MID}{text.text}{_CLOSE}"
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _with_languages_marked(data: bytes, main: str | None) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            body = source.read(info)
            if info.filename in _PARTS_WITH_TEXT:
                body = _mark_part(body, main)
            target.writestr(info, body)
    return out.getvalue()


def _spans(parts: str) -> list[str | etree._Element]:
    """Text with language marks as text and ``<span lang>`` elements, in order."""
    out: list[str | etree._Element] = []
    pos = 0
    for m in _MARKED.finditer(parts):
        out.append(parts[pos:m.start()])
        span = etree.Element("span", lang=m.group(1))
        span.text = m.group(2)
        out.append(span)
        pos = m.end()
    out.append(parts[pos:])
    return out


def _place_language_spans(root: etree._Element) -> None:
    for el in list(root.iter()):
        if el.text and _OPEN in el.text:
            pieces = _spans(el.text)
            el.text = pieces[0]
            for n, piece in enumerate(pieces[1::2]):
                piece.tail = pieces[2 + 2 * n]
                el.insert(n, piece)
        for child in list(el):
            if child.tail and _OPEN in child.tail:
                pieces = _spans(child.tail)
                child.tail = pieces[0]
                anchor = child
                for n, piece in enumerate(pieces[1::2]):
                    piece.tail = pieces[2 + 2 * n]
                    anchor.addnext(piece)
                    anchor = piece
    for el in root.iter():  # marks that did not pair (a broken run) are dropped
        for attr in ("text", "tail"):
            value = getattr(el, attr)
            if value and any(c in value for c in (_OPEN, _MID, _CLOSE)):
                setattr(el, attr, re.sub(f"[{_OPEN}{_MID}{_CLOSE}]", "", value))


def _take_notes(root: etree._Element, source: Source) -> None:
    """mammoth's note list (``<li id="footnote-1">``) -> source.notes; calls -> noterefs."""
    for li in root.xpath("//li[starts-with(@id, 'footnote-') or starts-with(@id, 'endnote-')]"):
        for back in li.xpath(".//a[starts-with(@href, '#footnote-ref-') or "
                             "starts-with(@href, '#endnote-ref-')]"):
            _remove_keeping_tail(back)
        note = etree.Element("div")
        note.text = li.text
        note.extend(list(li))
        source.notes[li.get("id")] = note
        parent = li.getparent()
        parent.remove(li)
        if parent.tag == "ol" and len(parent) == 0 and parent.getparent() is not None:
            parent.getparent().remove(parent)
    for a in root.xpath("//a[starts-with(@href, '#')]"):
        key = a.get("href")[1:]
        if key not in source.notes:
            continue
        replace_call(a, key)


def _remove_keeping_tail(el: etree._Element) -> None:
    parent = el.getparent()
    prev = el.getprevious()
    tail = (el.tail or "")
    if prev is not None:
        prev.tail = ((prev.tail or "") + tail).rstrip() if not tail.strip() \
            else (prev.tail or "") + tail
    else:
        parent.text = ((parent.text or "") + tail).rstrip() if not tail.strip() \
            else (parent.text or "") + tail
    parent.remove(el)


_CORE = {"dc": "http://purl.org/dc/elements/1.1/", "dcterms": "http://purl.org/dc/terms/",
         "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"}


def _core(package: zipfile.ZipFile, name: str) -> str | None:
    try:
        root = etree.fromstring(package.read("docProps/core.xml"), _XML)
    except (KeyError, etree.XMLSyntaxError):
        return None
    el = root.find(name, _CORE)
    text = " ".join((el.text or "").split()) if el is not None else ""
    return text or None


def _styled_paragraph(package: zipfile.ZipFile, style_name: str) -> str | None:
    """The text of the first paragraph of style ``style_name`` (Title, Subtitle)."""
    try:
        styles = etree.fromstring(package.read("word/styles.xml"), _XML)
        body = etree.fromstring(package.read("word/document.xml"), _XML)
    except (KeyError, etree.XMLSyntaxError):
        return None
    ids = {s.get(f"{{{W}}}styleId") for s in styles.iter(f"{{{W}}}style")
           if (n := s.find(f"{{{W}}}name")) is not None and n.get(f"{{{W}}}val") == style_name}
    for p in body.iter(f"{{{W}}}p"):
        style = p.find(f"{{{W}}}pPr/{{{W}}}pStyle")
        if style is not None and style.get(f"{{{W}}}val") in ids:
            text = " ".join("".join(t.text or "" for t in p.iter(f"{{{W}}}t")).split())
            if text:
                return text
    return None


def _metadata(package: zipfile.ZipFile, main: str | None) -> Metadata:
    """book.yaml's values from the core properties (docProps/core.xml) and the Title and
    Subtitle paragraphs, read with lxml: python-docx would be a dependency for this alone."""
    meta = Metadata(title=_core(package, "dc:title") or _styled_paragraph(package, "Title"),
                    subtitle=_styled_paragraph(package, "Subtitle"))
    names = [n.strip() for n in re.split(r"[;\n]", _core(package, "dc:creator") or "")
             if n.strip()]
    meta.creators = [Creator(name) for name in names]
    meta.lang = main
    created = re.match(r"\d{4}-\d{2}-\d{2}", _core(package, "dcterms:created") or "")
    if created:
        meta.date = created.group()
        meta.date_note = "the Word file's creation date: make it the edition's"
    meta.description = _core(package, "dc:description")
    meta.subjects = [s for s in (_core(package, "dc:subject"), _core(package, "cp:category"))
                     if s]
    meta.keywords = [k.strip() for k in re.split(r"[;,]", _core(package, "cp:keywords") or "")
                     if k.strip()]
    return meta


def read_docx(data: bytes, warn: Callable[[str, str], None]) -> Source:
    """The Word document ``data``; ``warn(code, message)`` hears what is left out."""
    import mammoth  # the body: Word's styles -> plain HTML

    try:
        package = zipfile.ZipFile(io.BytesIO(data))
        if "word/document.xml" not in package.namelist():
            raise DocxError("not a Word document: the package has no word/document.xml")
        main = _main_language(package)
        marked = _with_languages_marked(data, main)
    except (zipfile.BadZipFile, etree.XMLSyntaxError, KeyError, EOFError) as exc:
        raise DocxError(f"a broken Word file: {exc}") from exc

    source = Source()

    def image(img) -> dict[str, str]:
        ext = IMAGE_TYPES.get(img.content_type)
        if ext is None:
            warn("I020", f"an image of type {img.content_type} is left out: convert it to "
                 "PNG, JPEG or SVG in Word and import again")
            return {}
        name = f"image-{len(source.images) + 1}.{ext}"
        with img.open() as stream:
            source.images[name] = stream.read()
        return {"src": f"images/{name}"}

    try:
        result = mammoth.convert_to_html(io.BytesIO(marked), style_map=STYLE_MAP,
                                         convert_image=mammoth.images.img_element(image))
        meta = _metadata(package, main)
    except (DocxError, zipfile.BadZipFile, etree.XMLSyntaxError, KeyError, ValueError) as exc:
        raise DocxError(f"a broken Word file: {exc}") from exc
    for message in result.messages:
        # unmapped styles are Word's many presentational ones; images were reported (I020)
        if message.type == "warning" and "style" not in message.message \
                and not message.message.startswith("Image of type"):
            warn("I021", f"mammoth: {message.message}")
    root = lxml.html.fragment_fromstring(result.value or "<p></p>", create_parent="div")
    _place_language_spans(root)
    _take_notes(root, source)
    for empty in root.xpath("./dl[not(*)]"):
        root.remove(empty)
    source.targets = {a.get("href")[1:] for a in root.xpath("//a[starts-with(@href, '#')]")}
    for note in source.notes.values():
        source.targets |= {a.get("href")[1:] for a in note.xpath(".//a[starts-with(@href, '#')]")}
    source.documents = [list(root)]
    source.metadata = meta
    return source
