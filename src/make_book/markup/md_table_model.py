"""A table as Pandoc's readers leave it, whatever its syntax: rows of cells with their
alignment, spans and blocks, the column widths and the caption. Each syntax's reader
(:mod:`~make_book.markup.md_tables`, :mod:`~make_book.markup.md_grid_tables`,
:mod:`~make_book.markup.md_dashed_tables`) returns one, and one builder writes its HTML.
"""

from __future__ import annotations

import dataclasses

COLUMNS = 72  # Pandoc's --columns default: wider source lines make widths apply
ALIGN = {"l": "left", "r": "right", "c": "center", "d": None}


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
