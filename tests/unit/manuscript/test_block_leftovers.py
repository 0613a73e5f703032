"""Block syntax printed as text is reported with its line (C140-C144)."""

from pathlib import Path

from make_book.errors import Diagnostics
from make_book.manuscript.chapter import load_chapter


def codes(tmp_path: Path, text: str) -> list[tuple[str, int]]:
    path = tmp_path / "01-one.md"
    path.write_text("# Title\n\n" + text, encoding="utf-8")
    diagnostics = Diagnostics()
    load_chapter(path, "01-one.md", "one", "en", diagnostics, tmp_path)
    return [(d.code, d.line) for d in diagnostics.items]


def test_ragged_grid_table_and_glued_line_block_are_reported(tmp_path):
    found = codes(tmp_path, "+---+---+\n| a | b c |\n+---+---+\n\nProse\n| glued\n| lines\n")
    assert ("C140", 3) in found and ("C142", 8) in found
    assert [c for c, _ in found].count("C142") == 2  # the ragged row, and the glued block


def test_unclosed_fence_and_stray_div_marker(tmp_path):
    found = codes(tmp_path, "Text.\n\n```\nnever closed\n\n::: {\n")
    assert ("C143", 5) in found and ("C144", 8) in found


def test_recognised_blocks_and_code_are_not_reported(tmp_path):
    assert codes(tmp_path, "| verse\n| lines\n\n```\n| in code\n+---+\n```\n\n"
                 "A *b* | c\n") == []
