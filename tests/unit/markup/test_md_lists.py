"""Pandoc's list rules: markers, start numbers, content columns, tight and loose."""

from lxml import etree

from make_book.markup.markdown import to_html
from make_book.markup.md_lists import parse_marker


def tree(md: str) -> etree._Element:
    return etree.fromstring(f"<div>{to_html(md)}</div>")


def test_markers_styles_numbers_and_content_columns():
    assert parse_marker("a. apple").kind == "lower-alpha"
    assert parse_marker("(ii) two").number == 2
    assert parse_marker("i. one").kind == "lower-roman"
    assert parse_marker("v. five", parse_marker("iv. four")).number == 5
    assert parse_marker("v. vee").kind == "lower-alpha"
    assert parse_marker("10) ten").width == 4
    assert parse_marker("B. Russell wrote") is None  # an initial
    assert parse_marker("B.  Russell wrote").kind == "upper-alpha"
    assert parse_marker("* * *") is None  # a rule


def test_fancy_list_attributes():
    root = tree("c. third\nd. fourth\n\ntext\n\n#. one\n#. two\n\ntext\n\n3. three\n")
    first, hashed, third = root.findall("ol")
    assert (first.get("type"), first.get("start")) == ("a", "3")
    assert hashed.get("type") is None and third.get("start") == "3"


def test_sub_list_and_paragraph_indented_to_the_item_text():
    root = tree("1. first\n\n   continued\n   - a\n   - b\n2. second\n")
    li = root.find("ol/li")
    assert [p.text for p in li.findall("p")] == ["first", "continued"]
    assert len(li.findall("ul/li")) == 2


def test_tight_list_items_are_bare_text_and_a_blank_line_makes_it_loose():
    tight = tree("- one\n- two\n").find("ul")
    assert [li.text for li in tight] == ["one", "two"] and tight.find(".//p") is None
    loose = tree("- one\n\n- two\n- three\n").find("ul")
    assert [li.find("p").text for li in loose] == ["one", "two", "three"]


def test_a_change_of_marker_style_starts_a_new_list():
    root = tree("(1) one\n(2) two\n1. other\n")
    assert [len(ol) for ol in root.findall("ol")] == [2, 1]


def test_example_lists_number_through_the_document_and_resolve_labels():
    root = tree("(@) first\n(@good) second\n\nAs (@good) shows.\n\n(@) third\n")
    first, second = root.findall("ol")
    assert first.get("class") == "example" and second.get("start") == "3"
    assert root.find("p").text == "As (2) shows."
