"""The editions a book can be made in, by the names ``formats:`` in book.yaml uses.

One registry for the three places that need the list: book.yaml's validation (an unknown
name is an error at its line), ``make-book build`` (which builds the book's ``formats:``
when no ``--format`` is given) and ``make-book release`` (which builds, checksums and lists
each one, and writes an ONIX product for each that is sold under its own ISBN).

Whether this make-book can render a name is what :data:`make_book.build.Format` lists: the
renderers are added there one by one, and a name the registry knows but the build does not
yet render is reported by the release rather than silently skipped.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Edition:
    """One format a book may be released in.

    ``isbn_keys``: the ``isbn:`` entries whose ISBN sells this artifact (one ONIX product
    each, in this order); empty for an edition that is not sold (the web edition).
    ``delivers``: the product it is a delivery of, when it is the same book under the same
    ISBN in a retailer's wrapping (kepub and kindle are the EPUB product).
    """

    name: str
    what: str
    isbn_keys: tuple[str, ...] = ()
    delivers: str | None = None


EDITIONS: dict[str, Edition] = {e.name: e for e in (
    Edition("epub", "the EPUB 3 e-book", ("epub",)),
    Edition("pdf", "the print interior PDF (paperback and hardcover)",
            ("paperback", "hardcover")),
    Edition("screen", "the screen PDF e-book", ("pdf",)),
    Edition("web", "the web edition (a static site); not sold, no ONIX product"),
    Edition("kepub", "the Kobo EPUB, a delivery of the EPUB product (same ISBN)",
            delivers="epub"),
    Edition("kindle", "the Kindle EPUB, a delivery of the EPUB product (same ISBN)",
            delivers="epub"),
)}

DEFAULT_FORMATS: tuple[str, ...] = ("epub", "pdf")


def known(name: str) -> bool:
    return name in EDITIONS


def sold_formats(formats: tuple[str, ...] | list[str]) -> list[str]:
    """The ``isbn:`` keys that get an ONIX product, for the editions in ``formats``."""
    keys: list[str] = []
    for name in formats:
        for key in EDITIONS[name].isbn_keys if name in EDITIONS else ():
            if key not in keys:
                keys.append(key)
    return keys
