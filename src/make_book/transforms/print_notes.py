"""Where print sets a note: a footnote carried inline at its call (``float: footnote``
spans, block elements as ``span.mb-<tag>``), or, with ``notes: endnotes`` and for the notes
the renderer could not set at the foot of one page, an endnote call linking to the notes at
the chapter's end. A second call of a note links to it either way."""

from __future__ import annotations

from lxml import etree

from make_book.model import Note
from make_book.transforms.format_context import PrintContext
from make_book.transforms.print_steps import math_as_tex, print_math
from make_book.xhtml import Body, add_class, replace_keep_tail

# Block-level elements a note may hold; inside a footnote span they become spans.
BLOCK_TAGS = frozenset({
    "p", "div", "blockquote", "ul", "ol", "li", "dl", "dt", "dd", "pre", "figure",
    "figcaption", "table", "thead", "tbody", "tfoot", "tr", "td", "th", "caption", "h1", "h2",
    "h3", "h4", "h5", "h6", "section", "aside", "header", "footer", "hr", "address"})


def note_inline(note: Body) -> etree._Element:
    """A note's block content (a copy) as inline markup for a footnote span: the first
    paragraph is unwrapped (its text follows the marker), later paragraphs and other blocks
    become ``span.mb-<tag>`` (``display: block`` in print.css)."""
    root = note.edit()
    span = etree.Element("span")
    span.text = root.text
    children = list(root)
    if children and children[0].tag == "p" and not (root.text or "").strip():
        first = children.pop(0)
        span.text = first.text
        for child in list(first):
            span.append(child)
        if first.tail and first.tail.strip():
            if len(span):
                span[-1].tail = (span[-1].tail or "") + first.tail
            else:
                span.text = (span.text or "") + first.tail
    for child in children:
        span.append(child)
    for el in list(span.iter()):
        if el is not span and isinstance(el.tag, str) and el.tag in BLOCK_TAGS:
            cls = f"mb-{el.tag}"
            el.tag = "span"
            add_class(el, cls)
            # white space between blocks would become an empty line in WeasyPrint
            if el.tail is not None and not el.tail.strip():
                el.tail = None
            if el.text is not None and not el.text.strip() and len(el):
                el.text = None
            prev = el.getprevious()
            if prev is not None and prev.tail is not None and not prev.tail.strip():
                prev.tail = None
    return span


def footnote_text(note) -> etree._Element:
    """A note as its footnote sets it (inline markup, math as TeX): what a split note's
    offsets count in."""
    span = note_inline(note.body)
    print_math(span)
    return span


def place_notes(root: etree._Element, ctx: PrintContext) -> None:
    """Each call a footnote (an empty anchor marks the call's place, the span floats away)
    or an endnote call; a footnote the renderer split is cut into its parts there."""
    for call in root.xpath(".//a[@class='mb-noteref']"):
        number = int(call.get("data-note"))
        if not 1 <= number <= len(ctx.chapter.notes):
            continue
        note = ctx.chapter.notes[number - 1]
        seen = ctx.calls.get(number, 0)
        ctx.calls[number] = seen + 1
        if seen or ctx.is_endnote(number):
            if not seen and number not in ctx.endnotes:
                ctx.endnotes.append(number)
            a = etree.Element("a", {"class": "mb-noteref", "href": f"#{note.id}"})
            if not seen:
                a.set("id", note.ref_id)
            a.text = str(number)
            replace_keep_tail(call, a)
            continue
        anchor = etree.Element("span", {"class": "mb-noteanchor", "id": note.ref_id})
        span = note_inline(note.body)
        math_as_tex(span, ctx)
        span.tag = "span"
        span.attrib.clear()
        span.set("class", "mb-footnote")
        span.set("id", note.id)
        span.set("data-n", str(number))
        if ctx.repairs is not None:
            span = ctx.repairs.cut_footnote(note.id, span)
        parent = call.getparent()
        idx = parent.index(call)
        anchor.tail = None
        span.tail = call.tail
        parent.remove(call)
        parent.insert(idx, anchor)
        parent.insert(idx + 1, span)
        ctx.note_calls[note.id] = (note.ref_id, ctx.chapter.file_id)


def hang_continuations(root: etree._Element, ctx: PrintContext) -> None:
    """The continuations of split footnotes on the lines their pages open with (the
    renderer's repair: it knows the pages)."""
    if ctx.repairs is not None:
        ctx.repairs.hang_continuations(root)


def endnote_backlink(root: etree._Element, ctx: PrintContext) -> None:
    """An endnote's number, a link back to its call, leading its first paragraph (the
    phrasing before its first block drawn into that paragraph)."""
    note: Note = ctx.note
    back = etree.Element("a", {"class": "mb-endnote-number", "href": f"#{note.ref_id}"})
    back.text = f"{note.number}."
    first = root[0] if len(root) and root[0].tag == "p" and not (
        root.text or "").strip() else None
    if first is None:
        first = etree.Element("p")
        first.text, root.text = root.text, None
        for child in list(root):
            if child.tag in BLOCK_TAGS:
                break
            first.append(child)
        root.insert(0, first)
    back.tail = " " + (first.text or "")
    first.text = None
    first.insert(0, back)
