"""Pandoc's grid tables: ``+---+`` rules, ``+===+`` under the header and above a footer,
colons in a rule for alignment, cells that hold blocks and span rows or columns. Split
from :mod:`make_book.markup.md_tables`: the only syntax with spans and block cells.
"""

from __future__ import annotations

import re
import textwrap

from make_book.markup.md_table_model import COLUMNS, Cell, Table

_GRID_RULE_RE = re.compile(r"^\+(?:[-=:]+\+)+$")


def parse_grid(lines: list[str]) -> Table | None:
    """A grid table without row or column spans (every row's cells end at the rule's
    column boundaries); None when the lines are no such table."""
    lines = [line.rstrip() for line in lines]
    if len(lines) < 3 or not _GRID_RULE_RE.match(lines[0]) or not _GRID_RULE_RE.match(
            lines[-1]):
        return None
    cuts = [i for i, ch in enumerate(lines[0]) if ch == "+"]
    width = cuts[-1] + 1
    rules: list[int] = []
    for n, line in enumerate(lines):
        if len(line) != width:
            return None
        if line.startswith("+"):
            if not _GRID_RULE_RE.match(line) or [i for i, ch in enumerate(line)
                                                 if ch == "+"] != cuts:
                return parse_grid_spans(lines)
            rules.append(n)
        elif not line.startswith("|") or any(line[c] != "|" for c in cuts):
            return parse_grid_spans(lines)
    heavy = [n for n in rules if "=" in lines[n]]
    spec_line = lines[heavy[0]] if heavy and heavy[0] != len(lines) - 1 else lines[0]
    aligns = []
    for a, b in zip(cuts, cuts[1:]):
        seg = spec_line[a + 1:b]
        left, right = seg.startswith(":"), seg.endswith(":")
        aligns.append("center" if left and right else "left" if left else
                      "right" if right else None)
    rows: list[tuple[int, list[Cell]]] = []  # (index of the rule above, cells)
    for top, bottom in zip(rules, rules[1:]):
        if bottom == top + 1:
            return None
        cells = []
        for a, b in zip(cuts, cuts[1:]):
            text = "\n".join(line[a + 1:b].rstrip() for line in lines[top + 1:bottom])
            cells.append(Cell(textwrap.dedent(text).strip("\n"), blocks=True))
        rows.append((top, cells))
    head: list[list[Cell]] = []
    foot: list[list[Cell]] = []
    body = [cells for _, cells in rows]
    last = len(lines) - 1
    inner = [n for n in heavy if n not in (0, last)]
    if inner:  # the first heavy rule inside the table ends the header
        head = [cells for top, cells in rows if top < inner[0]]
        body = [cells for top, cells in rows if top >= inner[0]]
    if last in heavy and inner:  # a heavy last rule closes a footer after the one before
        foot = [cells for top, cells in rows if top >= inner[-1]]
        body = [cells for cells in body if not any(cells is f for f in foot)]
    sizes = [b - a for a, b in zip(cuts, cuts[1:])]  # dashes plus one separator
    norm = max(sum(sizes) + len(sizes) - 2, COLUMNS)
    return Table(aligns, [s / norm for s in sizes], head, body, foot)


def _grid_cell(lines: list[str], top: int, left: int) -> tuple[int, int] | None:
    """(bottom, right) of the cell whose top-left corner is the ``+`` at (top, left): its
    right edge is the first ``+`` on the top rule with a border going down, its bottom the
    first ``+`` down that edge where a rule closes the cell back to ``left``."""
    line, height = lines[top], len(lines)
    for right in range(left + 1, len(line)):
        if line[right] == "|":
            return None
        if line[right] != "+" or lines[top + 1][right] not in "|+":
            continue
        for bottom in range(top + 1, height):
            ch = lines[bottom][right]
            if ch == "+":
                if (lines[bottom][left] == "+"
                        and all(c in "-=:+" for c in lines[bottom][left + 1:right])
                        and all(lines[k][left] in "|+" for k in range(top + 1, bottom))):
                    return bottom, right
            elif ch != "|":
                break
    return None


def parse_grid_spans(lines: list[str]) -> Table | None:
    """A grid table whose cells span rows or columns (Pandoc 3's grid tables): cells are
    found as rectangles from corner to corner; None when they do not tile the grid."""
    height, width = len(lines), len(lines[0])
    if any(len(line) != width or line[0] not in "|+" or line[-1] not in "|+"
           for line in lines):
        return None
    found: dict[tuple[int, int], tuple[int, int]] = {}
    todo = [(0, 0)]
    while todo:
        corner = todo.pop()
        if corner in found:
            continue
        top, left = corner
        if lines[top + 1][left] not in "|+" or lines[top][left + 1] not in "-=:":
            # a + on the rule above a cell that spans columns, or where a rule ends at a
            # cell that spans rows (Pandoc's "+----+      |"): no corner
            continue
        cell = _grid_cell(lines, top, left)
        if cell is None:
            return None
        found[corner] = cell
        bottom, right = cell
        if right < width - 1:
            todo.append((top, right))
        if bottom < height - 1:
            todo.append((bottom, left))
    rows_at = sorted({t for t, _ in found} | {b for b, _ in found.values()})
    cuts = sorted({c for _, c in found} | {r for _, r in found.values()})
    covered = sum((rows_at.index(b) - rows_at.index(t)) * (cuts.index(r) - cuts.index(c))
                  for (t, c), (b, r) in found.items())
    if covered != (len(rows_at) - 1) * (len(cuts) - 1):
        return None
    heavy = [n for n in rows_at if "=" in lines[n]]
    last = height - 1
    inner = [n for n in heavy if n not in (0, last)]
    spec_line = lines[inner[0]] if inner else lines[0]
    aligns: list[str | None] = []
    for a, b in zip(cuts, cuts[1:]):
        seg = spec_line[a + 1:b]
        left_colon, right_colon = seg.startswith(":"), seg.endswith(":")
        aligns.append("center" if left_colon and right_colon else "left" if left_colon
                      else "right" if right_colon else None)
    grouped: dict[int, list[Cell]] = {t: [] for t in rows_at[:-1]}
    for (top, left), (bottom, right) in sorted(found.items()):
        text = "\n".join(line[left + 1:right].rstrip() for line in lines[top + 1:bottom])
        grouped[top].append(Cell(textwrap.dedent(text).strip("\n"), blocks=True,
                                 column=cuts.index(left),
                                 rowspan=rows_at.index(bottom) - rows_at.index(top),
                                 colspan=cuts.index(right) - cuts.index(left)))
    head_end = inner[0] if inner else 0
    foot_start = inner[-1] if last in heavy and inner else height
    head = [cells for top, cells in grouped.items() if top < head_end]
    foot = [cells for top, cells in grouped.items() if top >= foot_start]
    body = [cells for top, cells in grouped.items() if head_end <= top < foot_start]
    sizes = [b - a for a, b in zip(cuts, cuts[1:])]
    norm = max(sum(sizes) + len(sizes) - 2, COLUMNS)
    return Table(aligns, [size / norm for size in sizes], head, body, foot)
