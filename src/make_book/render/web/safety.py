"""The web edition's last check, as the EPUB's (render/active_content.py): whatever the
templates (a book's own override among them) wrote, no page may run code or fetch anything
from elsewhere (``E050``, the site is not written). The one script a page may carry is
our JSON-LD, which browsers never run: it is data."""

from __future__ import annotations

import io
from pathlib import Path

from lxml import etree

from make_book.errors import Diagnostics
from make_book.render import active_content

DATA_SCRIPT = "application/ld+json"


def check_page(data: bytes, name: str, diagnostics: Diagnostics, where: Path | None) -> bool:
    root = etree.parse(io.BytesIO(data), etree.HTMLParser(no_network=True, huge_tree=True,
                                                          encoding="utf-8")).getroot()
    if root is None:
        return True
    for script in root.iter("script"):
        if (script.get("type") or "").strip().lower() == DATA_SCRIPT and not script.get("src"):
            script.getparent().remove(script)
    items = active_content.findings(root)
    if items:
        active_content._report(items, where, f"the web edition's {name}", diagnostics)
    return not items


def check_stylesheet(text: str, name: str, diagnostics: Diagnostics,
                     where: Path | None) -> bool:
    items = [f"a stylesheet url {url[:80]} ({reason})"
             for url in active_content.css_urls(text)
             if (reason := active_content.refused(url)) is not None]
    if items:
        active_content._report(items, where, f"the web edition's {name}", diagnostics)
    return not items
