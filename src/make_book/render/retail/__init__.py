"""Retailer EPUBs: the main EPUB with a short, named list of changes a retailer's reader or
converter asks for (:data:`kobo.KOBO_CHANGES`, :data:`kindle.KINDLE_CHANGES`).

Each change is a function of the opened EPUB (:class:`package.EpubPackage`) whose
docstring names the retailer rule it answers; docs/retail.md is generated from them
(:mod:`explain`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from make_book.render.retail.package import EpubPackage

Change = Callable[[EpubPackage], None]


def derive(epub: bytes, changes: Sequence[Change]) -> bytes:
    """The main EPUB's bytes with ``changes`` applied, in order."""
    package = EpubPackage(epub)
    for change in changes:
        change(package)
    return package.to_bytes()
