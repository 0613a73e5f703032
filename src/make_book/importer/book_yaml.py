"""book.yaml for an imported book, commented like the one ``make-book new`` writes.

Every value is a YAML double-quoted scalar (a JSON string), so a title with a colon, a
quote or a leading ``*`` stays a string; text values are Markdown in book.yaml, so they
are Markdown-escaped first. What the source does not say is left as a commented line to
fill in, never guessed. An ISBN whose check digit fails stays commented, with the reason.
"""

from __future__ import annotations

import uuid

from make_book.config.isbn import check_isbn
from make_book.importer.markdown_escape import escape_inline, yaml_scalar
from make_book.importer.source import Metadata

SHORTHANDS = {"aut": "author", "trl": "translator", "edt": "editor", "aui": "introduction-by",
              "ill": "illustrator"}


def _text(value: str) -> str:
    return yaml_scalar(escape_inline(" ".join(value.split())))


def _list(key: str, values: list[str], markdown: bool = True) -> list[str]:
    quote = _text if markdown else yaml_scalar
    if len(values) == 1:
        return [f"{key}: {quote(values[0])}"]
    return [f"{key}:", *(f"  - {quote(v)}" for v in values)]


def book_yaml(meta: Metadata, files: list[str], origin: str, fallback_lang: str) -> str:
    """The text of book.yaml; ``origin`` names the imported file in the header comment."""
    title = meta.title or "Untitled"
    lines = [f"# {' '.join(title.split())}: imported from {origin} by make-book import.",
             ("# Every key is explained in docs/manuscript.md of make-book; text values are "
              "Markdown."),
             f"title: {_text(title)}" + ("" if meta.title else
                                          "   # the source has no title: set it")]
    lines.append(f"subtitle: {_text(meta.subtitle)}" if meta.subtitle else '# subtitle: ""')
    by_role: dict[str, list[str]] = {}
    full = []
    for c in meta.creators:
        if c.role in SHORTHANDS and not c.file_as:
            by_role.setdefault(SHORTHANDS[c.role], []).append(c.name)
        else:
            full.append(c)
    if "author" not in by_role and not any(c.role == "aut" for c in full):
        lines.append('# author: ["First Author", "Second Author"]')
    for key, names in by_role.items():
        lines.extend(_list(key, names))
    if full:
        lines.append("creator:")
        for c in full:
            entry = f"  - {{name: {_text(c.name)}, role: {yaml_scalar(c.role)}"
            entry += f", file-as: {yaml_scalar(c.file_as)}}}" if c.file_as else "}"
            lines.append(entry)
    if meta.lang:
        lines.append(f"lang: {yaml_scalar(meta.lang)}              # BCP 47")
    else:
        lines.append(f"lang: {yaml_scalar(fallback_lang)}   # the source names no language: "
                     "check it (BCP 47: en, en-GB, de, ru...)")
    if meta.date:
        note = f"   # {meta.date_note}" if meta.date_note else ""
        lines.append(f"date: {yaml_scalar(meta.date)}{note}")
    else:
        lines.append("# date: YYYY-MM-DD")
    identifier = meta.identifier or f"urn:uuid:{uuid.uuid4()}"
    lines.append(f"identifier: {yaml_scalar(identifier)}   # keep it: readers' devices know "
                 "the book by it")
    if meta.isbn and check_isbn(meta.isbn) is None:
        lines += ["isbn:", f"  epub: {yaml_scalar(meta.isbn)}"]
    elif meta.isbn:
        lines += [(f"# isbn:   # the source's ISBN {meta.isbn} does not check: "
                   f"{check_isbn(meta.isbn)}"), f"#   epub: {meta.isbn}"]
    else:
        lines += ["# isbn:", "#   epub: 978-..."]
    lines.append(f"publisher: {_text(meta.publisher)}" if meta.publisher
                 else '# publisher: ""')
    lines.append(f"rights: {_text(meta.rights)}" if meta.rights
                 else '# rights: "© YEAR ... All rights reserved."')
    if meta.description:
        lines.append(f"description: {_text(meta.description)}")
    else:
        lines += ["# description: >-", "#   A paragraph for the back cover, the EPUB and ONIX."]
    lines.extend(_list("subject", meta.subjects, markdown=False) if meta.subjects
                 else ['# subject: ["History / Russia"]'])
    if meta.keywords:
        lines.extend(_list("keywords", meta.keywords, markdown=False))
    if meta.sources:
        lines.extend(_list("source", meta.sources))
    lines.append(f"cover-image: {yaml_scalar('images/' + meta.cover_image)}"
                 if meta.cover_image else "# cover-image: images/cover.jpg")
    lines += ["# notes: footnotes   # or endnotes", "#",
              ("# The reading order, as imported (parts nest: `- part: Title` with "
               "`contents:` below)."), "contents:"]
    lines += [f"  - {f}" for f in files]
    return "\n".join(lines) + "\n"
