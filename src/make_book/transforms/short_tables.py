"""Tables as print sets them: a short table is kept whole on one page.

A table of a few rows split over two pages (six rows here, two there) is harder to read
than a page that runs a little short; a typesetter breaks only a long table, and repeats
its header on each page (``thead``, print.css). CSS cannot count rows, so short tables
are marked here and the layout's stylesheet keeps them whole (``break-inside: avoid``);
one that then does not fit at the foot of a page is floated on (render/print/floats.py).
"""

from __future__ import annotations

from lxml import etree

SHORT_TABLE_ROWS = 10  # body rows a table may have and still be kept whole
SHORT_CLASS = "mb-table-short"


def body_rows(table: etree._Element) -> int:
    """Rows outside the table's header and footer (not those of tables inside it)."""
    rows = 0
    for child in table:
        if child.tag == "tr":
            rows += 1
        elif child.tag == "tbody":
            rows += sum(1 for row in child if row.tag == "tr")
    return rows


def mark_short_tables(root: etree._Element, context=None) -> None:
    for table in root.iter("table"):
        if body_rows(table) <= SHORT_TABLE_ROWS:
            table.set("class", " ".join(filter(None, [table.get("class"), SHORT_CLASS])))
