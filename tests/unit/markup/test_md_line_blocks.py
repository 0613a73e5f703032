"""Line blocks: breaks, kept indentation, continuation lines, inside quotes."""

from lxml import etree

from make_book.markup.markdown import to_html
from make_book.markup.md_line_blocks import split_line_block


def tree(md: str) -> etree._Element:
    return etree.fromstring(f"<div>{to_html(md)}</div>")


def test_lines_keep_breaks_and_leading_spaces_as_no_break_spaces():
    root = tree("| The rain on the roof\n|    and the wind\n")
    block = root.find("div[@class='line-block']")
    assert block.text == "The rain on the roof"
    assert block[0].tag == "br" and block[0].tail.strip("\n") == "\u00a0" * 3 + "and the wind"


def test_continuation_line_joins_the_line_before():
    lines, rest = split_line_block("| a long line\n  wrapped here\n| next")
    assert lines == ["a long line wrapped here", "next"] and rest == ""


def test_a_bar_alone_is_an_empty_line_and_other_text_ends_the_block():
    lines, rest = split_line_block("| one\n|\n| two\nafter")
    assert lines == ["one", "", "two"] and rest == "after"


def test_line_block_inside_a_block_quote():
    root = tree("> | Glory to the morning,\n> | glory to the night.\n")
    block = root.find("blockquote/div[@class='line-block']")
    assert block is not None and len(block.findall("br")) == 1


def test_emphasis_does_not_cross_a_line():
    root = tree("| a *b\n| c* d\n")
    assert root.find(".//em") is None


def test_a_pipe_table_is_not_a_line_block():
    root = tree("| a | b |\n|---|---|\n| 1 | 2 |\n")
    assert root.find("table") is not None and root.find("div") is None
