"""A chapter's notes taken out of its tree: Python-Markdown's footnotes and ``^[inline
notes]`` become numbered placeholders in the text and note bodies (:class:`Note`), each
remembering how the manuscript writes it for messages."""

from __future__ import annotations

import re
from pathlib import Path

from lxml import etree

from make_book.errors import Diagnostics
from make_book.manuscript.tree import body_of, drop_keeping_tail, in_code
from make_book.model import Note


UNDEFINED_NOTE_RE = re.compile(r"\[\^([^\]\s]+)\]")


_SOURCE_ATTR, _LINE_ATTR = "data-mb-source", "data-mb-line"


def note_source(body: etree._Element, source: str, line: int | None) -> None:
    """Remember on a note body how the manuscript writes the note, for messages."""
    body.set(_SOURCE_ATTR, source)
    if line is not None:
        body.set(_LINE_ATTR, str(line))


def note_of(number: int, file_id: str, body: etree._Element) -> Note:
    source = body.attrib.pop(_SOURCE_ATTR, "")
    line = body.attrib.pop(_LINE_ATTR, None)
    return Note(number, f"{file_id}-note-{number}", f"{file_id}-noteref-{number}",
                body_of(body), source, int(line) if line else None)


def extract_notes(section: etree._Element, file_id: str, path: Path, line_of,
                  diagnostics: Diagnostics,
                  unused: set[str] | None = None) -> list[etree._Element]:
    """Python-Markdown's footnotes and our ``^[inline notes]`` -> placeholders + note
    bodies numbered by first call.

    The model keeps one note source; each renderer decides between pop-up notes, page-foot
    notes and endnotes (DESIGN.md section 3, after Sphinx)."""
    definitions: dict[str, etree._Element] = {}
    for container in section.xpath(".//div[@class='footnote']"):
        for li in container.xpath("./ol/li[@id]"):
            label = li.get("id").partition(":")[2]
            for back in li.xpath(".//a[contains(@class, 'footnote-backref')]"):
                holder = back.getparent()
                drop_keeping_tail(back)
                if (holder.tag == "p" and not len(holder)  # the extension's own <p> after a
                        and not (holder.text or "").strip("\u00a0 \n")):  # table or list
                    holder.getparent().remove(holder)
            for p in li.xpath(".//p"):  # the extension leaves a no-break space before backrefs
                if p.text and not len(p):
                    p.text = p.text.rstrip("\u00a0")
                elif len(p) and p[-1].tail:
                    p[-1].tail = p[-1].tail.rstrip("\u00a0")
            definitions[label] = li
        drop_keeping_tail(container)
    numbers: dict[str, int] = {}
    bodies: list[etree._Element] = []
    calls = ".//sup[starts-with(@id, 'fnref')] | .//span[@class='mb-inline-note']"
    for sup in section.xpath(calls):
        if sup.tag == "span":  # ^[inline note]: its own text is the note's
            label = f"^[{len(numbers)}]"
            numbers[label] = len(numbers) + 1
            body = etree.SubElement(etree.Element("div"), "p")
            body.text, sup.text = sup.text, None
            for child in list(sup):
                body.append(child)
            bodies.append(body.getparent())
            text = " ".join("".join(body.itertext()).split())
            shown = text if len(text) <= 20 else text[:20].rstrip() + "\u2026"
            note_source(body.getparent(), f"^[{shown}]",
                         line_of(text[:30]) if text else None)
            call = etree.Element("a", {"class": "mb-noteref",
                                       "data-note": str(numbers[label])})
            call.tail = sup.tail
            sup.getparent().replace(sup, call)
            continue
        label = sup.get("id").partition(":")[2]
        if label not in definitions:
            # not Python-Markdown's call (raw HTML reusing its id form), or its note was
            # swallowed by unbalanced raw HTML: text, not a note
            del sup.attrib["id"]
            diagnostics.error("C040", f"note [^{label}] is called but its text cannot be "
                              "found", path, line_of(f"[^{label}]") or line_of("fnref"),
                              hint="check the raw HTML before the note's definition")
            continue
        if label not in numbers:
            numbers[label] = len(numbers) + 1
            li = definitions[label]
            body = etree.Element("div")
            body.text, li.text = li.text, None
            for child in list(li):
                body.append(child)
            bodies.append(body)
            note_source(body, f"[^{label}]", line_of(f"[^{label}]:"))
        call = etree.Element("a", {"class": "mb-noteref", "data-note": str(numbers[label])})
        call.tail = sup.tail
        sup.getparent().replace(sup, call)
    for label in definitions:
        if label not in numbers and unused is not None:
            unused.add(label)
        elif label not in numbers:
            diagnostics.warning("C041", f"note [^{label}] is defined but never called",
                                path, line_of(f"[^{label}]:"))
    for node in section.iter():
        # node.text is inside node, its tail inside the parent: text in code is code
        for text, owner in ((node.text, node), (node.tail, node.getparent())):
            if text and "[^" in text and not in_code(owner):
                for m in UNDEFINED_NOTE_RE.finditer(text):
                    diagnostics.error("C040", f"note [^{m.group(1)}] is called but never "
                                      "defined", path, line_of(m.group(0)))
    return bodies
