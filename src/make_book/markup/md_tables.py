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

This module finds the tables in a Markdown block, reads pipe tables and captions and
writes the HTML; grid tables (:mod:`~make_book.markup.md_grid_tables`) and simple and
multiline tables (:mod:`~make_book.markup.md_dashed_tables`) are read beside it into one
:mod:`~make_book.markup.md_table_model`.
"""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET

from markdown.blockprocessors import BlockProcessor
from markdown.extensions.attr_list import get_attrs_and_remainder

from make_book.markup.md_dashed_tables import _is_column_rule, parse_multiline, parse_simple
from make_book.markup.md_grid_tables import _GRID_RULE_RE, parse_grid
from make_book.markup.md_table_model import COLUMNS, Cell, Table

_PIPE_RULE_RE = re.compile(r"^[ ]{0,3}\|?(?:[ ]*:?-+:?[ ]*\|)*[ ]*:?-+:?[ ]*\|?[ ]*$")
_CAPTION_RE = re.compile(r"^[ ]{0,3}(?:Table)?:[ ]+\S|^[ ]{0,3}Table:\s*$")
_CAPTION_ATTRS_RE = re.compile(r"\{([^{}]*)\}\s*$")


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


# --------------------------------------------------------------------------- simple and multiline


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
