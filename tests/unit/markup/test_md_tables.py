"""Pipe, simple, multiline and grid tables; captions; widths as Pandoc computes them."""

from lxml import etree

from make_book.markup.markdown import to_html
from make_book.markup.md_grid_tables import parse_grid
from make_book.markup.md_tables import parse_pipe, split_pipe_row


def tree(md: str) -> etree._Element:
    return etree.fromstring(f"<div>{to_html(md)}</div>")


def texts(row: etree._Element) -> list[str]:
    return ["".join(c.itertext()) for c in row]


def test_pipe_row_split_keeps_escaped_bars_and_code():
    assert split_pipe_row(r"| a \| b | `x|y` | c |") == ["a | b", "`x|y`", "c"]


def test_pipe_table_alignment_and_headerless_table():
    root = tree("| R | L |\n|--:|:--|\n| 1 | 2 |\n\n|   |   |\n|---|---|\n| a | b |\n")
    first, second = root.findall("table")
    assert [th.get("style") for th in first.findall("thead/tr/th")] == [
        "text-align: right;", "text-align: left;"]
    assert second.find("thead") is None and texts(second.find("tbody/tr")) == ["a", "b"]


def test_pipe_widths_only_when_a_line_is_longer_than_72_columns():
    short = parse_pipe(["| a | b |", "|--|------|", "| 1 | 2 |"])
    long = parse_pipe(["| a | b |", "|--|------|", "| " + "x" * 80 + " | y |"])
    assert short.widths == [] and long.widths == [0.25, 0.75]


def test_grid_table_with_header_footer_and_block_cells():
    table = parse_grid([
        "+-------+------------+",
        "| Name  | Notes      |",
        "+=======+============+",
        "| A     | - one      |",
        "|       | - two      |",
        "+=======+============+",
        "| Total | 2          |",
        "+=======+============+"])
    assert [c.text for c in table.head[0]] == ["Name", "Notes"]
    assert table.body[0][1].text == "- one\n- two" and [c.text for c in table.foot[0]] == [
        "Total", "2"]
    root = tree("+-------+------------+\n| Name  | Notes      |\n+=======+============+\n"
                "| A     | - one      |\n|       | - two      |\n+=======+============+\n"
                "| Total | 2          |\n+=======+============+\n")
    table_el = root.find("table")
    assert [c.get("style") for c in table_el.findall("colgroup/col")] == [
        "width: 11%", "width: 18%"]
    assert table_el.find("tbody/tr/td/ul") is not None
    assert texts(table_el.find("tfoot/tr")) == ["Total", "2"]


def test_ragged_grid_table_is_not_read_as_one():
    assert parse_grid(["+---+---+", "| a | b c |", "+---+---+"]) is None
    assert parse_grid(["+---+---+", "| a | b |", "+---+", "| c | d |", "+---+---+"]) is None


def test_grid_cells_spanning_rows_and_columns():
    table = parse_grid([
        "+-----------+-----+",
        "| wide      | x   |",
        "+=====+=====+=====+",
        "| tall| p   | q   |",
        "|     +-----+-----+",
        "|     | r   | s   |",
        "+-----+-----+-----+"])
    assert [(c.text, c.colspan) for c in table.head[0]] == [("wide", 2), ("x", 1)]
    assert [(c.text, c.rowspan) for c in table.body[0]] == [("tall", 2), ("p", 1), ("q", 1)]
    assert [(c.text, c.column) for c in table.body[1]] == [("r", 1), ("s", 2)]


def test_simple_table_alignment_from_the_header_position():
    root = tree("  Right     Left     Center\n-------     ------ ----------\n"
                "     12     12        12\n")
    assert [th.get("style") for th in root.findall("table/thead/tr/th")] == [
        "text-align: right;", "text-align: left;", "text-align: center;"]


def test_multiline_table_rows_span_lines_and_blank_lines_separate_rows():
    root = tree("------------------\nKey    Value\n-----  -----------\na      first\n"
                "       line\n\nb      second\n------------------\n")
    rows = root.findall("table/tbody/tr")
    assert [texts(r) for r in rows] == [["a", "first\nline"], ["b", "second"]]
    assert len(root.findall("table/colgroup/col")) == 2


def test_caption_before_or_after_with_table_attributes():
    root = tree("Table: Before.\n\n| a |\n|---|\n| 1 |\n\n| b |\n|---|\n| 2 |\n\n"
                ": After {#t2 .wide}\n")
    first, second = root.findall("table")
    assert first.find("caption").text == "Before."
    assert second.find("caption").text == "After"
    assert second.get("id") == "t2" and second.get("class") == "wide"


def test_grid_table_row_span_as_pandoc_writes_it():
    """Pandoc ends a rule at a cell that spans rows with "|": "+----+      |"."""
    from make_book.markup.markdown import to_html
    html = to_html("+----+------+\n| H1 | H3   |\n+====+======+\n| x  | tall |\n"
                   "+----+      |\n| a  |      |\n+----+------+\n")
    assert '<td rowspan="2">tall</td>' in html and "<td>a</td>" in html
