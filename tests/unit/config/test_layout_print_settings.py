"""Print settings a layout gives in layout.yaml (``print:``), read most specific first."""

from __future__ import annotations

import pytest

from make_book.errors import MakeBookError
from make_book.layouts import load_layout


def book_with(tmp_path, manifest: str | None):
    root = tmp_path / "book"
    root.mkdir(parents=True)
    (root / "book.yaml").write_text("title: T\n", encoding="utf-8")
    if manifest is not None:
        (root / "layout").mkdir()
        (root / "layout" / "layout.yaml").write_text(manifest, encoding="utf-8")
    return root


def test_the_default_house_style_allows_two_hyphenated_lines(tmp_path):
    layout = load_layout(book_with(tmp_path, None))
    assert layout.hyphenate_limit_lines == 2
    assert layout.avoid_recto_foot_hyphen


def test_a_book_layout_may_allow_a_hyphen_at_the_foot_of_a_recto(tmp_path):
    layout = load_layout(book_with(tmp_path, "print:\n  recto-foot-hyphen: allow\n"))
    assert not layout.avoid_recto_foot_hyphen
    assert layout.hyphenate_limit_lines == 2  # the rest from the layout it extends


@pytest.mark.parametrize(("text", "limit"), [
    ("print:\n  hyphenate-limit-lines: 3\n", 3),
    ("print:\n  hyphenate-limit-lines: none\n", None),
    ("print:\n  hyphenate-limit-lines: null\n", None),
    ("print: {}\n", 2),  # silent: the layout it extends decides
])
def test_a_book_layout_overrides_the_limit(tmp_path, text, limit):
    assert load_layout(book_with(tmp_path, text)).hyphenate_limit_lines == limit


@pytest.mark.parametrize("text", [
    "print:\n  hyphenate-limit-lines: two\n",
    "print:\n  hyphenate-limit-lines: 0\n",
    "print:\n  hyphenate-limit-lines: true\n",
    "print:\n  hyphenate-limit-lines: 1.5\n",
    "print: 2\n",
    "print:\n  recto-foot-hyphen: never\n",
])
def test_a_bad_setting_is_an_error_naming_the_manifest(tmp_path, text):
    """Found when layout.yaml is read (its schema: layouts/manifest.py), at its line."""
    root = book_with(tmp_path, text)
    with pytest.raises(MakeBookError) as exc:
        load_layout(root)
    [problem] = exc.value.diagnostics
    assert problem.code == "L006"
    assert problem.path == root / "layout" / "layout.yaml"
    assert problem.line == text.count("\n")  # the setting's own line (print's, for print: 2)


def test_the_contents_list_chapters_unless_a_layout_asks_for_sections(tmp_path):
    assert load_layout(book_with(tmp_path / "a", None)).contents_depth == 1
    assert load_layout(book_with(tmp_path / "b", "print:\n  contents-depth: 2\n")
                       ).contents_depth == 2


@pytest.mark.parametrize("value", ["0", "4", "two", "true"])
def test_a_bad_contents_depth_is_an_error(tmp_path, value):
    root = book_with(tmp_path, f"print:\n  contents-depth: {value}\n")
    with pytest.raises(MakeBookError) as exc:
        _ = load_layout(root).contents_depth
    assert [d.code for d in exc.value.diagnostics] == ["L006"]


@pytest.mark.parametrize(("text", "limit"), [
    (None, 200),  # the default house style
    ("print:\n  max-word-spacing: 150\n", 150),
    ("print:\n  max-word-spacing: 133.3\n", 133.3),
])
def test_the_loose_line_limit_of_the_print_qa(tmp_path, text, limit):
    assert load_layout(book_with(tmp_path, text)).max_word_spacing == limit


@pytest.mark.parametrize("value", ["90", "wide", "true"])
def test_a_loose_line_limit_must_be_a_percentage_over_100(tmp_path, value):
    with pytest.raises(MakeBookError) as caught:
        load_layout(book_with(tmp_path, f"print:\n  max-word-spacing: {value}\n"))
    assert caught.value.diagnostics[0].code == "L006"


def test_bad_print_settings_are_reported_when_read_all_at_once_in_line_order(tmp_path):
    with pytest.raises(MakeBookError) as caught:
        load_layout(book_with(tmp_path, "print:\n  max-word-spacing: 50\n"
                                        "  recto-foot-hyphen: never\n"))
    assert [(d.code, d.line) for d in caught.value.diagnostics] == [("L006", 2), ("L006", 3)]


@pytest.mark.claim("S42")
@pytest.mark.parametrize(("text", "line", "hint"), [
    ("stylesheet:\n  print: [css/x.css]\n", 1, "did you mean 'stylesheets'?"),
    ("print:\n  hyphenate-limit-line: 3\n", 2, "did you mean 'hyphenate-limit-lines'?"),
    ("name: x\nstrings:\n  en: [Chapter]\n", 3, None),
    ("stylesheets:\n  audio: [css/audio.css]\n", 2, None),  # not a target
])
def test_unknown_keys_and_wrong_shapes_are_errors_at_their_lines(tmp_path, text, line, hint):
    """A misspelt key would silently drop what it holds (a layout's whole CSS): the
    schema refuses it, with the keys it may have meant."""
    with pytest.raises(MakeBookError) as caught:
        load_layout(book_with(tmp_path, text))
    [problem] = caught.value.diagnostics
    assert problem.code in ("L006", "L040") and problem.line == line
    if hint:
        assert problem.hint == hint
