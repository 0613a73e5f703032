"""Pandoc grid tables with row and column spans, from an HTML table's cells.

A grid table is what holds a cell of several blocks (paragraphs, a list) or a merged cell
of Word; the rules are drawn as Pandoc draws them, a rule that meets a cell spanning rows
ending in ``|``, so Pandoc and make-book read the same spans back.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree


def _tag(el) -> str:
    return el.tag if isinstance(el.tag, str) else ""


@dataclass(eq=False)
class Cell:
    el: etree._Element
    row: int
    col: int
    rows: int = 1
    cols: int = 1
    lines: list[str] = field(default_factory=list)


def _span(value: str | None) -> int:
    return max(1, min(int(value), 1000)) if value and value.isdigit() else 1


def table_cells(rows: list[etree._Element]) -> tuple[list[Cell], dict[tuple[int, int], Cell]]:
    """The table's cells and the slots each covers, as HTML lays out row- and colspans."""
    cells: list[Cell] = []
    slots: dict[tuple[int, int], Cell] = {}
    for r, tr in enumerate(rows):
        c = 0
        for el in tr:
            if _tag(el) not in ("td", "th"):
                continue
            while (r, c) in slots:
                c += 1
            cell = Cell(el, r, c, min(_span(el.get("rowspan")), len(rows) - r),
                         _span(el.get("colspan")))
            cells.append(cell)
            for dr in range(cell.rows):
                for dc in range(cell.cols):
                    slots[(r + dr, c + dc)] = cell
            c += cell.cols
    return cells, slots


def grid_table(cells: list[Cell], slots: dict[tuple[int, int], Cell], n_rows: int,
          width: int, head_n: int) -> str:
    """A Pandoc grid table; spanning cells leave out the rules they cover. A cell's lines
    are written in its first row, which is made tall enough for them."""
    widths = [3] * width
    for cell in sorted(cells, key=lambda c: c.cols):
        need = max(len(line) for line in cell.lines)
        have = sum(widths[cell.col:cell.col + cell.cols]) + 3 * (cell.cols - 1)
        if need > have:
            widths[cell.col + cell.cols - 1] += need - have
    heights = [1] * n_rows
    for cell in cells:
        heights[cell.row] = max(heights[cell.row], len(cell.lines))

    def at(r: int, c: int) -> Cell | None:
        return slots.get((r, c))

    def rule(r: int) -> str:  # the rule below row r (r = -1: the top)
        last = r == n_rows - 1 or r < 0
        ch = "=" if head_n and r == head_n - 1 and not last else "-"
        # a segment is blank where a cell goes on below it; a junction is "+" where a rule
        # meets it, else "|" where cells on either side differ (as Pandoc writes them)
        ruled = [last or at(r, c) is None or at(r, c) is not at(r + 1, c)
                 for c in range(width)]
        out = "+" if ruled[0] else "|"
        for c in range(width):
            out += (ch if ruled[c] else " ") * (widths[c] + 2)
            if c == width - 1:
                out += "+" if ruled[c] else "|"
            elif ruled[c] or ruled[c + 1]:
                out += "+"
            else:
                out += " " if at(r, c) is at(r, c + 1) else "|"
        return out

    def lines(r: int) -> list[str]:
        out = []
        for i in range(heights[r]):
            line, c = "|", 0
            while c < width:
                cell = at(r, c)
                cols = cell.cols - (c - cell.col) if cell is not None else 1
                w = sum(widths[c:c + cols]) + 3 * (cols - 1)
                text = cell.lines[i] if cell is not None and cell.row == r \
                    and i < len(cell.lines) else ""
                line += f" {text.ljust(w)} |"
                c += cols
            out.append(line)
        return out
    table = [rule(-1)]
    for r in range(n_rows):
        table += lines(r)
        table.append(rule(r))
    return "\n".join(table)
