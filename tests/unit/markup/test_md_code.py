"""Fenced and indented code blocks as Pandoc writes them without highlighting."""

from lxml import etree

from make_book.markup.markdown import to_html
from make_book.markup.md_code import code_attributes


def tree(md: str) -> etree._Element:
    return etree.fromstring(f"<div>{to_html(md)}</div>")


def test_language_word_is_the_class_of_pre():
    pre = tree("```python\nx = 1\n```\n").find("pre")
    assert pre.get("class") == "python" and pre.find("code").text == "x = 1"


def test_attribute_block_gives_id_classes_and_lower_case_data_names():
    assert code_attributes("{#c .haskell .numberLines startFrom=10}") == [
        ("id", "c"), ("class", "haskell numberLines"), ("data-startfrom", "10")]
    assert code_attributes("{=html}") is None  # a raw block, not code


def test_code_keeps_markup_blank_lines_and_raw_html_literal():
    code = tree("~~~\n*a* <div>b</div>\n\nc\n~~~\n").find("pre/code")
    assert code.text == "*a* <div>b</div>\n\nc" and len(code) == 0


def test_fence_inside_a_block_quote_and_a_list_item():
    root = tree("> ```\n> q\n>\n> r\n> ```\n\n- item\n\n  ```\n  in list\n  ```\n")
    assert root.find("blockquote/pre/code").text == "q\n\nr"
    assert root.find("ul/li/pre/code").text == "in list"


def test_unclosed_fence_is_text_and_a_longer_fence_holds_a_shorter_one():
    root = tree("````\n```\ninner\n```\n````\n\n~~~\nopen\n")
    assert root.find("pre/code").text == "```\ninner\n```"
    assert root.find("p").text.startswith("~~~")


def test_indented_code_has_no_trailing_newline():
    assert tree("    code\n").find("pre/code").text == "code"
