"""Short tables are marked to be kept whole in print (transforms/short_tables.py)."""

from __future__ import annotations

from lxml import etree

from make_book.transforms.short_tables import SHORT_CLASS, SHORT_TABLE_ROWS, body_rows, mark_short_tables


def table(rows: int, header: bool = True) -> str:
    head = "<thead><tr><th>A</th></tr></thead>" if header else ""
    body = "".join(f"<tr><td>{r}</td></tr>" for r in range(rows))
    return f'<table class="x"><caption>C</caption>{head}<tbody>{body}</tbody></table>'


def test_header_rows_do_not_count():
    assert body_rows(etree.fromstring(table(3))) == 3
    assert body_rows(etree.fromstring("<table><tr><td>1</td></tr><tr><td>2</td></tr>"
                                      "</table>")) == 2


def test_only_tables_of_up_to_ten_body_rows_are_marked():
    root = etree.fromstring(f"<div>{table(SHORT_TABLE_ROWS)}{table(SHORT_TABLE_ROWS + 1)}"
                            f"{table(2, header=False)}</div>")
    mark_short_tables(root)
    assert [t.get("class") for t in root.iter("table")] == [
        f"x {SHORT_CLASS}", "x", f"x {SHORT_CLASS}"]
