"""YAML with lines: every key and item located, and the traps PyYAML stays quiet about."""

import datetime as dt
from pathlib import Path

from make_book.config.yaml_lines import load_yaml

P = Path("book.yaml")


def _fmt(diags):
    return [d.format() for d in diags]


def test_lines_for_keys_and_items():
    data, lines, diags = load_yaml(
        "title: T\nisbn:\n  epub: 978-0-306-40615-7\ncontents:\n  - a.md\n  - part: P\n"
        "    contents: [b.md,\n      c.md]\n", P)
    assert diags == []
    assert lines.get(("title",)) == 1
    assert lines.get(("isbn", "epub")) == 3
    assert lines.get(("contents", 0)) == 5
    assert lines.get(("contents", 1, "part")) == 6
    assert lines.get(("contents", 1, "contents", 1)) == 8
    assert lines.line_for(("isbn", "epub", "nonexistent")) == 3  # nearest parent
    assert lines.line_for(("nothing",)) == 1


def test_line_offset_for_front_matter():
    _, lines, _ = load_yaml("title: x\nkind: chapter\n", Path("c.md"), line_offset=1)
    assert lines.get(("kind",)) == 3


def test_tabs_reported_with_line_and_hint():
    data, _, diags = load_yaml("title: x\nisbn:\n\tepub: 1\n", P)
    assert data is None
    assert _fmt(diags) == ["book.yaml:3: M001 YAML syntax error: found character '\\t' that "
                           "cannot start any token (hint: indent with spaces: YAML does not "
                           "allow tabs)"]


def test_unclosed_quote_points_at_the_opening_quote():
    _, _, diags = load_yaml("lang: en\ntitle: \"abc\nauthor: x\nsubtitle: y\n", P)
    assert [(d.code, d.line) for d in diags] == [("M001", 2)]
    assert "quoted value is not closed" in diags[0].message


def test_bad_indentation():
    _, _, diags = load_yaml("title: x\n  lang: en\n", P)
    assert [(d.code, d.line) for d in diags] == [("M001", 2)]
    assert "indentation" in diags[0].hint


def test_flow_mapping_question_mark_hint():
    _, _, diags = load_yaml("series: {title: Was There an Alternative?, number: 4}\n", P)
    assert diags[0].code == "M001" and "quote" in diags[0].hint


def test_duplicate_key_reported_and_last_wins():
    data, lines, diags = load_yaml("title: a\nlang: en\ntitle: b\n", P)
    assert _fmt(diags) == ["book.yaml:3: M002 duplicate key 'title' (first at line 1) "
                           "(hint: remove one of them)"]
    assert data["title"] == "b" and lines.get(("title",)) == 3


def test_duplicate_key_in_nested_mapping():
    _, _, diags = load_yaml("isbn:\n  epub: 1\n  epub: 2\n", P)
    assert [(d.code, d.line) for d in diags] == [("M002", 3)]


def test_not_a_mapping_and_empty():
    assert [d.code for d in load_yaml("- a\n- b\n", P)[2]] == ["M003"]
    assert [d.code for d in load_yaml("just text\n", P)[2]] == ["M003"]
    _, _, diags = load_yaml("# only a comment\n", P)
    assert _fmt(diags) == ["book.yaml: M004 book.yaml is empty"]
    assert [d.code for d in load_yaml("", P)[2]] == ["M004"]


def test_two_documents_refused():
    _, _, diags = load_yaml("a: 1\n---\nb: 2\n", P)
    assert [(d.code, d.line) for d in diags] == [("M001", 2)]


def test_unknown_tag_is_a_diagnostic_not_a_crash():
    assert [d.code for d in load_yaml("a: !!python/name:os.system x\n", P)[2]] == ["M001"]
    assert [d.code for d in load_yaml("a: !!int abc\n", P)[2]] == ["M001"]


def test_dates_and_scalars():
    data, _, diags = load_yaml(
        "a: 2017-10-19\nb: '2017-10-19'\nc: 2017-13-45\nd: no\ne: true\nf: 0306406152\n"
        "g: 4\nh: 1.10\ni: 9780306406157\nj: 1:20\n", P)
    assert diags == []
    assert data == {"a": dt.date(2017, 10, 19), "b": "2017-10-19", "c": "2017-13-45",
                    "d": "no", "e": True, "f": "0306406152", "g": 4, "h": "1.10",
                    "i": 9780306406157, "j": "1:20"}


def test_anchors_and_merges():
    data, lines, diags = load_yaml("base: &b {x: 1}\nother:\n  <<: *b\n  y: 2\n", P)
    assert diags == [] and data["other"] == {"x": 1, "y": 2}
    assert lines.get(("other", "y")) == 4
