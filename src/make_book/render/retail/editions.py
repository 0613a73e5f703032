"""The retailer editions a build can ask for, each the main EPUB with its list of changes,
and the Kindle edition checked against the Kindle rules before it is written."""

from __future__ import annotations

from pathlib import Path

from make_book.errors import Diagnostics
from make_book.render.retail import Change, derive
from make_book.render.retail.kindle import KINDLE_CHANGES
from make_book.render.retail.kindle_rules import kindle_rules
from make_book.render.retail.kobo import KOBO_CHANGES

EDITIONS: dict[str, tuple[Change, ...]] = {"kepub": KOBO_CHANGES, "kindle": KINDLE_CHANGES}


def render_retail(fmt: str, epub: bytes, diagnostics: Diagnostics, name: str) -> bytes:
    """The ``fmt`` edition of the main EPUB ``epub``; ``name`` (its file name) places the
    Kindle rules' findings, which go to ``diagnostics``."""
    data = derive(epub, EDITIONS[fmt])
    if fmt == "kindle":
        diagnostics.extend(kindle_rules(data, Path(name)))
    return data
