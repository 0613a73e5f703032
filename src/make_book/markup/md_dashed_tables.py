"""Pandoc's simple and multiline tables: columns given by groups of dashes under the header,
alignment read from where the header text sits over its dashes, multiline rows separated
by blank lines. Split from :mod:`make_book.markup.md_tables`: the two syntaxes share the
column finding.
"""

from __future__ import annotations

import re

from make_book.markup.md_table_model import COLUMNS, Cell, Table

_DASHES_RE = re.compile(r"-+")


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
