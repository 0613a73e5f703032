"""Pandoc's four table syntaxes and table captions, read as Pandoc reads them.

- ``pipe_tables``: ``| a | b |`` over ``|:--|--:|``; an empty header row means no header
  (Pandoc's headerless table); column widths from the dashes only when a line is longer
  than Pandoc's 72 columns (else the browser sizes them).
- ``simple_tables``: a header line over dashes grouped by columns; alignment from where the
  header text sits over its dashes; no header when the table starts with dashes.
- ``multiline_tables``: a full-width dashed line, header, column dashes, rows separated by
  blank lines, a closing dashed line; widths from the dashes.
- ``grid_tables``: ``+---+`` rules, ``+===+`` under the header and above a footer, colons in
  a rule for alignment, cells holding blocks (lists, paragraphs) and spanning rows or
  columns (``rowspan``/``colspan``); widths from the dashes.
- ``table_captions``: a paragraph ``Table: text`` or ``: text`` just before or after.

The HTML is Pandoc's HTML5: ``<caption>``, ``<colgroup><col style="width: 30%" />`` when
widths apply (with the table's own width when the columns add up to less than the page),
``<thead>``, ``<tbody>``, ``<tfoot>``, ``style="text-align: right;"`` on aligned cells.
A cell of one paragraph holds its text alone, as Pandoc's ``Plain``.
"""

from __future__ import annotations

import dataclasses
import math
import re
import textwrap
import xml.etree.ElementTree as ET

from markdown.blockprocessors import BlockProcessor
from markdown.extensions.attr_list import get_attrs_and_remainder

COLUMNS = 72  # Pandoc's --columns default: wider source lines make widths apply
ALIGN = {"l": "left", "r": "right", "c": "center", "d": None}

_PIPE_RULE_RE = re.compile(r"^[ ]{0,3}\|?(?:[ ]*:?-+:?[ ]*\|)*[ ]*:?-+:?[ ]*\|?[ ]*$")
_CAPTION_RE = re.compile(r"^[ ]{0,3}(?:Table)?:[ ]+\S|^[ ]{0,3}Table:\s*$")
_GRID_RULE_RE = re.compile(r"^\+(?:[-=:]+\+)+$")
_DASHES_RE = re.compile(r"-+")
_CAPTION_ATTRS_RE = re.compile(r"\{([^{}]*)\}\s*$")


@dataclasses.dataclass
class Cell:
    text: str
    blocks: bool = False  # grid cells hold blocks; other cells hold inline text
    column: int | None = None  # the first column, when a row's cells span columns
    rowspan: int = 1
    colspan: int = 1


@dataclasses.dataclass
class Table:
    aligns: list[str | None]
    widths: list[float]  # empty: the browser sizes the columns
    head: list[list[Cell]]
    body: list[list[Cell]]
    foot: list[list[Cell]] = dataclasses.field(default_factory=list)
    caption: str | None = None
    attrs: list[tuple[str, str]] = dataclasses.field(default_factory=list)


# --------------------------------------------------------------------------- pipe tables


def split_pipe_row(line: str) -> list[str]:
    """Cells of a pipe table row: ``|`` separates, but not escaped (``\\|``) or in code."""
    line = line.strip()
    cells, current, i, n = [], [], 0, len(line)
    while i < n:
        ch = line[i]
        if ch == "\\" and i + 1 < n:
            current.append(line[i:i + 2] if line[i + 1] != "|" else "|")
            i += 2
            continue
        if ch == "`":
            run = len(line[i:]) - len(line[i:].lstrip("`"))
            close = line.find("`" * run, i + run)
            if close > 0:
                current.append(line[i:close + run])
                i = close + run
                continue
        if ch == "|":
            cells.append("".join(current))
            current = []
        else:
            current.append(ch)
        i += 1
    cells.append("".join(current))
    if line.startswith("|"):
        cells = cells[1:]
    if line.endswith("|") and not line.endswith("\\|") and cells:
        cells = cells[:-1]
    return [c.strip() for c in cells]


def _rule_align(cell: str) -> str | None:
    cell = cell.strip()
    left, right = cell.startswith(":"), cell.endswith(":")
    return "center" if left and right else "left" if left else "right" if right else None


def parse_pipe(lines: list[str]) -> Table | None:
    if len(lines) < 2 or "|" not in lines[0] or "|" not in lines[1]:
        return None
    if not _PIPE_RULE_RE.match(lines[1]) or "-" not in lines[1]:
        return None
    rule = split_pipe_row(lines[1])
    aligns = [_rule_align(c) for c in rule]
    ncols = len(aligns)

    def row(line: str) -> list[Cell]:
        cells = split_pipe_row(line)[:ncols]
        return [Cell(c) for c in cells + [""] * (ncols - len(cells))]

    head = row(lines[0])
    body = [row(line) for line in lines[2:]]
    widths: list[float] = []
    if max(len(line) for line in lines) > COLUMNS:
        dashes = [len(c.strip().strip(":")) + c.strip().count(":") for c in rule]
        total = sum(dashes)
        widths = [d / total for d in dashes]
    heads = [head] if any(c.text for c in head) else []
    return Table(aligns, widths, heads, body)


# --------------------------------------------------------------------------- grid tables


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


# --------------------------------------------------------------------------- simple and multiline


def _columns(rule: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _DASHES_RE.finditer(rule)]


def _is_column_rule(line: str) -> bool:
    return bool(line.strip()) and set(line.strip()) <= {"-", " "} and "-" in line


def _regions(line: str, cols: list[tuple[int, int]]) -> list[str]:
    """A line cut at the column starts, as Pandoc cuts it: the first column from the left
    margin, each column up to where the next one's dashes start, the last to the end."""
    starts = [0] + [a for a, _ in cols[1:]]
    ends = starts[1:] + [None]
    return [line[a:b] if b is not None else line[a:] for a, b in zip(starts, ends)]


def _cut(line: str, cols: list[tuple[int, int]]) -> list[str]:
    return [c.strip() for c in _regions(line, cols)]


def _simple_align(lines: list[str], cols: list[tuple[int, int]]) -> list[str | None]:
    """Pandoc's alignment of a column from its longest header line (or first row's):
    space on its left only -> right, short of the dashes' end only -> left, both ->
    center, neither -> default."""
    cut = [_regions(line, cols) for line in lines]
    aligns: list[str | None] = []
    for i, (a, b) in enumerate(cols):
        texts = [parts[i].rstrip() for parts in cut if parts[i].strip()]
        if not texts:
            aligns.append(None)
            continue
        longest = max(texts, key=len)
        left_space = longest.startswith(" ")
        right_space = (0 if i == 0 else a) + len(longest) < b
        aligns.append({(True, False): "right", (False, True): "left",
                       (True, True): "center"}.get((left_space, right_space)))
    return aligns


def parse_simple(lines: list[str]) -> Table | None:
    """One block (no blank line inside): a header line over column dashes, or dashes
    first (headerless, then closed by dashes); rows of one line each."""
    if len(lines) < 2:
        return None
    if _is_column_rule(lines[0]):  # headerless
        if len(lines) < 3 or not _is_column_rule(lines[-1]):
            return None
        cols = _columns(lines[0])
        rows = lines[1:-1]
        if len(cols) < 2 and len(rows) < 1:
            return None
        aligns = _simple_align(rows[:1], cols)
        return Table(aligns, [], [], [[Cell(c) for c in _cut(r, cols)] for r in rows])
    if not _is_column_rule(lines[1]) or not lines[0].strip():
        return None
    cols = _columns(lines[1])
    if len(cols) < 2:
        return None  # one column of dashes under text is a setext heading
    body = lines[2:]
    if body and _is_column_rule(body[-1]):
        body = body[:-1]
    if not body:
        return None
    aligns = _simple_align([lines[0]], cols)
    head = [Cell(c) for c in _cut(lines[0], cols)]
    return Table(aligns, [], [head], [[Cell(c) for c in _cut(r, cols)] for r in body])


def _multiline_widths(rule: str, cols: list[tuple[int, int]]) -> list[float]:
    """Pandoc's widths for multiline tables: each column runs from its dashes to the next
    column's start (the last one a character past its dashes), over 72 columns or over
    the table's width when it is wider."""
    ends = [cols[i + 1][0] for i in range(len(cols) - 1)] + [cols[-1][1] + 1]
    lengths = [e - s for s, e in zip([cols[0][0]] + ends[:-1], ends)]
    total = sum(lengths)
    quotient = max(total, COLUMNS)
    return [n / quotient for n in lengths]


def parse_multiline(lines: list[str]) -> Table | None:
    """``lines`` runs from the opening dashed line to the closing one, blank lines kept."""
    if len(lines) < 3 or not _is_column_rule(lines[0]) or not _is_column_rule(lines[-1]):
        return None
    inner = lines[1:-1]
    rule_at = next((i for i, line in enumerate(inner) if _is_column_rule(line)), None)
    top_full = len(_columns(lines[0])) == 1
    if rule_at is not None and top_full and rule_at > 0:
        header_lines, body_lines, rule = inner[:rule_at], inner[rule_at + 1:], inner[rule_at]
    elif rule_at is None and not top_full:
        header_lines, body_lines, rule = [], inner, lines[0]
    else:
        return None
    if "" not in [line.strip() for line in body_lines] and not header_lines:
        return None  # no blank line: a simple table
    cols = _columns(rule)
    chunks: list[list[str]] = [[]]
    for line in body_lines:
        if line.strip():
            chunks[-1].append(line)
        elif chunks[-1]:
            chunks.append([])
    chunks = [c for c in chunks if c]
    if not chunks:
        return None

    def row(chunk: list[str]) -> list[Cell]:
        parts = [_cut(line, cols) for line in chunk]
        return [Cell("\n".join(p[i] for p in parts if p[i]).strip())
                for i in range(len(cols))]

    aligns = _simple_align(header_lines or chunks[0][:1], cols)
    head = [row(header_lines)] if header_lines else []
    return Table(aligns, _multiline_widths(rule, cols), head, [row(c) for c in chunks])


# --------------------------------------------------------------------------- HTML


def _percent(value: float) -> int:
    return math.floor(value * 100 + 1e-9)


def build_table(parent: ET.Element, table: Table, parse_blocks) -> ET.Element:
    """Pandoc's HTML5 for ``table``; ``parse_blocks(el, text)`` parses a grid cell."""
    el = ET.SubElement(parent, "table")
    for key, value in table.attrs:
        el.set(key, value)
    if table.widths and 0 < sum(table.widths) < 1:
        el.set("style", f"width:{round(sum(table.widths) * 100)}%;")
    if table.caption is not None:
        ET.SubElement(el, "caption").text = table.caption
    if table.widths:
        colgroup = ET.SubElement(el, "colgroup")
        for w in table.widths:
            ET.SubElement(colgroup, "col", {"style": f"width: {_percent(w)}%"})

    def rows(section: str, cell_tag: str, rows_: list[list[Cell]]) -> None:
        group = ET.SubElement(el, section)
        for cells in rows_:
            tr = ET.SubElement(group, "tr")
            for n, cell in enumerate(cells):
                td = ET.SubElement(tr, cell_tag)
                column = n if cell.column is None else cell.column
                align = table.aligns[column] if column < len(table.aligns) else None
                if align:
                    td.set("style", f"text-align: {align};")
                if cell.rowspan > 1:
                    td.set("rowspan", str(cell.rowspan))
                if cell.colspan > 1:
                    td.set("colspan", str(cell.colspan))
                if cell.blocks and cell.text:
                    parse_blocks(td, cell.text)
                    if len(td) == 1 and td[0].tag == "p":  # one paragraph: Pandoc's Plain
                        p = td[0]
                        td.text, td[:] = p.text, list(p)
                else:
                    td.text = cell.text

    if table.head:
        rows("thead", "th", table.head)
    rows("tbody", "td", table.body)
    if table.foot:
        rows("tfoot", "td", table.foot)
    return el


# --------------------------------------------------------------------------- processor


def caption_text(block: str) -> tuple[str, list[tuple[str, str]]] | None:
    """The caption of a ``Table: ...`` or ``: ...`` paragraph and the table's attributes
    from a trailing ``{#id .class}`` (Pandoc 3), else None."""
    if not _CAPTION_RE.match(block):
        return None
    rest = block.lstrip().partition(":")[2]
    text = " ".join(line.strip() for line in rest.split("\n")).strip()
    attrs: list[tuple[str, str]] = []
    m = _CAPTION_ATTRS_RE.search(text)
    if m:
        parsed, remainder = get_attrs_and_remainder(m.group(1))
        if parsed and not remainder.strip():
            classes = [v for k, v in parsed if k == "." and v]
            attrs = [("id" if k == "#" else k, v) for k, v in parsed
                     if k not in (".", "class") and v is not None]
            if classes:
                attrs.append(("class", " ".join(classes)))
            text = text[:m.start()].rstrip()
    return text, attrs


class TableProcessor(BlockProcessor):
    """Every table syntax; a caption paragraph before or after is taken along."""

    def test(self, parent: ET.Element, block: str) -> bool:
        lines = block.split("\n")
        return bool(_CAPTION_RE.match(block) or _GRID_RULE_RE.match(lines[0].rstrip())
                    or (len(lines) > 1 and "|" in lines[1] and _PIPE_RULE_RE.match(lines[1]))
                    or _is_column_rule(lines[0])
                    or (len(lines) > 1 and _is_column_rule(lines[1])))

    def run(self, parent: ET.Element, blocks: list[str]) -> bool:
        caption = caption_text(blocks[0])
        if caption is not None:  # a caption before its table
            if len(blocks) < 2:
                return False
            found = self._table(blocks[1:])
            if found is None:
                return False
            table, used = found
            del blocks[:used + 1]
        else:
            found = self._table(blocks)
            if found is None:
                return False
            table, used = found
            del blocks[:used]
            if blocks and (caption := caption_text(blocks[0])) is not None:
                del blocks[0]
        if caption is not None:
            table.caption, table.attrs = caption
        build_table(parent, table, self.parser.parseChunk)
        return True

    def _table(self, blocks: list[str]) -> tuple[Table, int] | None:
        """The table at the start of ``blocks`` and how many blocks it takes."""
        lines = blocks[0].split("\n")
        first = lines[0].rstrip()
        if _GRID_RULE_RE.match(first):
            table = parse_grid(lines)
            return (table, 1) if table else None
        if _is_column_rule(first):  # multiline (spans blank lines) or headerless simple
            joined: list[str] = []
            for count, block in enumerate(blocks, start=1):
                block_lines = block.split("\n")
                joined.extend(([""] if count > 1 else []) + block_lines)
                if len(joined) > 1 and _is_column_rule(block_lines[-1]):
                    # the first dashed line that ends a block closes a multiline table
                    table = parse_multiline(joined)
                    if table:
                        return table, count
                    break
            table = parse_simple(lines)
            return (table, 1) if table else None
        table = parse_pipe(lines)
        if table:
            return table, 1
        table = parse_simple(lines)
        return (table, 1) if table else None
