"""An EPUB's package metadata, as book.yaml wants it.

Creators keep their MARC roles from EPUB 3's ``refines`` or EPUB 2's ``opf:role`` (book.yaml
has shorthands for authors, translators, editors...); an ISBN among the identifiers goes
to ``isbn``, and the book's own identifier (a UUID first) is kept, since readers' devices
know the book by it; a date keeps its ISO 8601 day, month or year.
"""

from __future__ import annotations

import re

from make_book.importer.source import Creator, Metadata

_OPF = "http://www.idpf.org/2007/opf"
_MARC = re.compile(r"^[a-z]{3}$")


def _first(book, name: str) -> str | None:
    values = [v for v, _ in book.get_metadata("DC", name) if v and v.strip()]
    return " ".join(values[0].split()) if values else None


def metadata(book) -> Metadata:
    """book.yaml's values from the package metadata of ebooklib's ``book``."""
    meta = Metadata(title=_first(book, "title"), lang=_first(book, "language"),
                    publisher=_first(book, "publisher"), rights=_first(book, "rights"),
                    description=_first(book, "description"))
    refines: dict[str, dict[str, str]] = {}
    for value, attrs in book.get_metadata("OPF", "meta"):
        if attrs.get("refines") and value:
            refines.setdefault(attrs["refines"].lstrip("#"), {})[attrs.get("property", "")] \
                = value.strip()
    for name, default_role in (("creator", "aut"), ("contributor", "ctb")):
        for value, attrs in book.get_metadata("DC", name):
            if not value or not value.strip():
                continue
            more = refines.get(attrs.get("id", ""), {})
            role = more.get("role") or attrs.get(f"{{{_OPF}}}role") or default_role
            role = role if _MARC.match(role) else default_role
            file_as = more.get("file-as") or attrs.get(f"{{{_OPF}}}file-as")
            meta.creators.append(Creator(" ".join(value.split()), role,
                                         file_as if file_as and role not in
                                         ("aut", "trl", "edt") else None))
    date = _first(book, "date")
    if date and (m := re.match(r"\d{4}(?:-\d{2}(?:-\d{2})?)?", date)):
        meta.date = m.group()
    meta.subjects = [" ".join(v.split()) for v, _ in book.get_metadata("DC", "subject")
                     if v and v.strip()]
    meta.sources = [" ".join(v.split()) for v, _ in book.get_metadata("DC", "source")
                    if v and v.strip()]
    uuids: list[str] = []
    for value, attrs in book.get_metadata("DC", "identifier"):
        value = (value or "").strip()
        digits = re.sub(r"[-\s]", "", re.sub(r"(?i)^(urn:isbn:|isbn:?)", "", value))
        scheme = (attrs.get(f"{{{_OPF}}}scheme") or "").lower()
        if (scheme == "isbn" or value.lower().startswith(("urn:isbn:", "isbn"))
                or re.fullmatch(r"97[89]\d{10}", digits)) and not meta.isbn \
                and re.fullmatch(r"\d{9}[\dX]|\d{13}", digits):
            meta.isbn = digits
        elif re.match(r"(?i)urn:uuid:[0-9a-f-]{36}$", value):
            uuids.append(value.lower())  # a UUID is the best identifier to keep
        elif value and not re.search(r"\s", value) and not meta.identifier:
            meta.identifier = value  # the book's own id, which readers' devices know
    meta.identifier = (uuids or [meta.identifier])[0]
    return meta
