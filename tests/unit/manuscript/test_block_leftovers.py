"""Block syntax printed as text is reported with its line (leftovers.PATTERNS, C100)."""

from pathlib import Path

from make_book.errors import Diagnostics
from make_book.manuscript.chapter import load_chapter


def found(tmp_path: Path, text: str) -> list[tuple[str, int, str]]:
    path = tmp_path / "01-one.md"
    path.write_text("# Title\n\n" + text, encoding="utf-8")
    diagnostics = Diagnostics()
    load_chapter(path, "01-one.md", "one", "en", diagnostics, tmp_path)
    return [(d.code, d.line, d.message) for d in diagnostics.items]


def test_ragged_grid_table_and_glued_line_block_are_reported(tmp_path):
    reports = found(tmp_path, "+---+---+\n| a | b c |\n+---+---+\n\nProse\n| glued\n| lines\n")
    assert any(line == 3 and "grid table rule" in m for _, line, m in reports)
    assert any(line == 8 and "line block" in m for _, line, m in reports)
    assert {code for code, _, _ in reports} == {"C100"}


def test_unclosed_fence_and_stray_div_marker(tmp_path):
    reports = found(tmp_path, "Text.\n\n```\nnever closed\n\n::: {\n")
    assert any(line == 5 and "code fence" in m for _, line, m in reports)
    assert any(line == 8 and "fenced div" in m for _, line, m in reports)


def test_pipe_rule_without_its_header_row(tmp_path):
    reports = found(tmp_path, "Some text\n|---|---|\n| a | b |\n")
    assert any(line == 4 and "pipe table rule" in m for _, line, m in reports)


def test_recognised_blocks_and_code_are_not_reported(tmp_path):
    assert found(tmp_path, "| verse\n| lines\n\n```\n| in code\n+---+\n```\n\n"
                 "A *b* | c\n\n| a | b |\n|---|---|\n| 1 | 2 |\n") == []
