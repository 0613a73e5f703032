"""Issue 13, class "Crashes": no input ends in "internal error" (B900) or a traceback;
each failure is a diagnostic naming the file, and its line where there is one."""

from __future__ import annotations

import os

import pytest

from tests.security.bookcase import (
    BASE_YAML,
    assert_clean_result,
    build,
    diagnostic_lines,
    write_book,
)

CHAPTER = "# One\n\nSome text.\n"


def outcome(book, tmp_path, *extra: str) -> tuple[int, list[str]]:
    result = build(book, tmp_path / "out", *extra)
    assert_clean_result(result)
    return result.exit_code, diagnostic_lines(result)


def assert_refused(book, tmp_path, code: str, where: str, line: int | None = None) -> None:
    exit_code, lines = outcome(book, tmp_path)
    assert exit_code == 1, lines
    found = [ln for ln in lines if f": {code} " in ln]
    assert found, (code, lines)
    prefix = where + (f":{line}" if line else "")
    assert any(ln.startswith(prefix + ":") or ln.startswith(prefix + " ") for ln in found), \
        (prefix, found)


# -- deep structures -------------------------------------------------------------------------

@pytest.mark.parametrize("value, line", [
    ("[" * 5000 + "]" * 5000, 4),                                  # flow sequences
    ("{a: " * 3000 + "1" + "}" * 3000, 4),                         # flow mappings
    ("".join("\n" + "  " * i + "- " for i in range(1, 200)) + "x", None),  # block ones
])
@pytest.mark.claim("S37", "S42")
def test_deep_yaml_nesting_is_refused(tmp_path, value, line):
    book = write_book(tmp_path / "b", {"chapters/01.md": CHAPTER},
                      yaml=BASE_YAML + "subject: " + value + "\n")
    assert_refused(book, tmp_path, "M060", "book.yaml", line)


@pytest.mark.claim("S42")
def test_deep_front_matter_is_refused_at_its_line(tmp_path):
    front = "---\nkind: chapter\ntitle: " + "[" * 2000 + "]" * 2000 + "\n---\n"
    book = write_book(tmp_path / "b", {"chapters/01.md": front + CHAPTER})
    assert_refused(book, tmp_path, "M060", "chapters/01.md", 3)


def test_ordinary_nesting_in_yaml_passes(tmp_path):
    yaml = BASE_YAML + ("contents:\n  - part: One\n    contents:\n      - part: Two\n"
                        "        contents: [chapters/01.md]\n")
    book = write_book(tmp_path / "b", {"chapters/01.md": CHAPTER}, yaml=yaml)
    assert outcome(book, tmp_path)[0] == 0


@pytest.mark.claim("S42")
@pytest.mark.parametrize("levels", [7, 5000])
def test_deep_index_sub_entries_are_refused(tmp_path, levels):
    term = "!".join(f"level {i}" for i in range(levels))
    book = write_book(tmp_path / "b", {"chapters/01.md": f'# One\n\n[x]{{index="{term}"}}\n'})
    assert_refused(book, tmp_path, "C111", "chapters/01.md", 3)


def test_six_levels_of_index_sub_entries_pass(tmp_path):
    term = "!".join(f"level {i}" for i in range(6))
    book = write_book(tmp_path / "b", {"chapters/01.md": f'# One\n\n[x]{{index="{term}"}}\n'})
    assert outcome(book, tmp_path)[0] == 0


@pytest.mark.parametrize("body", [
    "".join("    " * i + "- x\n" for i in range(99)),       # lists just under the limit
    "> " * 99 + "quote\n",                                  # quotes
    "".join(f"::: d{i}\n" for i in range(99)) + "x\n" + ":::\n" * 99,  # divs
    "<span>" * 190 + "x" + "</span>" * 190 + "\n",          # raw inline HTML
    "<div>" * 190 + "x" + "</div>" * 190 + "\n",            # raw block HTML
    "*a " * 150 + "x" + " a*" * 150 + "\n",                 # emphasis
])
@pytest.mark.claim("S42")
def test_nesting_just_under_the_limits_builds_or_is_refused_plainly(tmp_path, body):
    book = write_book(tmp_path / "b", {"chapters/01.md": "# One\n\n" + body})
    exit_code, lines = outcome(book, tmp_path)
    assert exit_code == 0 or any(" C005 " in ln for ln in lines), lines


# -- paths -------------------------------------------------------------------------------

@pytest.mark.claim("S42")
def test_a_symlink_loop_as_a_chapter_is_a_diagnostic(tmp_path):
    book = write_book(tmp_path / "b", {"chapters/01.md": CHAPTER})
    os.symlink("loop-b.md", book / "chapters" / "loop-a.md")
    os.symlink("loop-a.md", book / "chapters" / "loop-b.md")
    exit_code, lines = outcome(book, tmp_path)
    assert exit_code == 1 and any("loop-a.md" in ln for ln in lines), lines


@pytest.mark.claim("S42")
def test_a_symlink_loop_listed_in_contents_is_a_diagnostic(tmp_path):
    book = write_book(tmp_path / "b", {"chapters/01.md": CHAPTER},
                      yaml=BASE_YAML + "contents: [chapters/01.md, chapters/loop.md]\n")
    os.symlink("loop.md", book / "chapters" / "loop.md")
    exit_code, lines = outcome(book, tmp_path)
    assert exit_code == 1 and any("loop.md" in ln for ln in lines), lines


@pytest.mark.parametrize("text, code", [
    ("# One\n\n![x](images/a/p.png)\n", "A004"),          # a folder linked to itself
    ("# One\n\n[see](images/a/p.md)\n", None),              # a link into it: a warning
])
@pytest.mark.claim("S42")
def test_a_folder_loop_is_a_diagnostic(tmp_path, text, code):
    book = write_book(tmp_path / "b", {"chapters/01.md": text})
    (book / "images").mkdir()
    os.symlink("a", book / "images" / "a")
    exit_code, lines = outcome(book, tmp_path)
    if code:
        assert_refused(book, tmp_path, code, "chapters/01.md", 3)
    else:
        assert exit_code == 0, lines


@pytest.mark.parametrize("text", [
    "# One\n\n![x](images/" + "x" * 300 + "/p.png)\n",
    "# One\n\n![x](" + "/".join(["y" * 250] * 30) + ".png)\n",
    "# One\n\n[a link](" + "z" * 5000 + ".md)\n",
    "# One\n\n[a link](" + "q" * 300 + "/x.md#frag)\n",
])
@pytest.mark.claim("S42")
def test_an_over_long_name_is_a_diagnostic(tmp_path, text):
    book = write_book(tmp_path / "b", {"chapters/01.md": text})
    outcome(book, tmp_path)  # a diagnostic or a build, never B900


# -- values ------------------------------------------------------------------------------

@pytest.mark.claim("S42")
@pytest.mark.parametrize("amount", ["1e999999", "1e308", "9" * 400, "-1e999999"])
def test_an_absurd_price_is_a_diagnostic(tmp_path, amount):
    book = write_book(tmp_path / "b", {"chapters/01.md": CHAPTER},
                      yaml=BASE_YAML + f"price:\n  epub: {{USD: {amount}}}\n")
    assert_refused(book, tmp_path, "M020", "book.yaml", 5)


@pytest.mark.parametrize("printing, exit_code", [
    ("\"²\"", 0), ("\"10 9 8 7 6 5 4 3 2 ¹\"", 0), ("\"٣\"", 0), ("1000000000000", 1),
])
@pytest.mark.claim("S42")
def test_a_printing_line_is_text_or_a_bounded_number(tmp_path, printing, exit_code):
    book = write_book(tmp_path / "b", {"chapters/01.md": CHAPTER},
                      yaml=BASE_YAML + f"printing: {printing}\n")
    got, lines = outcome(book, tmp_path)
    assert got == exit_code, lines
    if exit_code:
        assert any(ln.startswith("book.yaml:4: M020") for ln in lines), lines


def test_printing_line_of_a_number():
    from types import SimpleNamespace

    from make_book.render.credits import printing_line
    book = lambda value: SimpleNamespace(meta=SimpleNamespace(printing=value))  # noqa: E731
    assert printing_line(book("3")) == "10 9 8 7 6 5 4 3"
    assert printing_line(book("²")) == "²"


@pytest.mark.parametrize("manifest, code", [
    ("extends: [1, 2]\n", "L040"),
    ("stylesheets: 5\n", "L040"),
    ("stylesheets: {epub: css/x.css}\n", "L040"),
    ("stylesheets: {epub: [1]}\n", "L040"),
    ("stylesheets: {screen: [css/x.css]}\n", "L040"),
    ("strings: [a, b]\n", "L040"),
    ("strings: {en: 5}\n", "L040"),
    ("strings: {en: {chapter: [a]}}\n", "L040"),
    ("print: 12\n", None),  # L006 when a renderer reads it (tests/unit/config)
    ("fonts: [1]\n", "L040"),
    ("fonts: {faces: 3}\n", "L010"),
    ("fonts: {faces: [{family: X, file: f.otf, style: [1]}]}\n", "L010"),
    ("- a list\n", "L002"),
    ("name: [unclosed\n", "L002"),
    ("a: " + "[" * 100 + "]" * 100 + "\n", "L041"),
    ("name: \"\\0\"\n", None),
])
@pytest.mark.claim("S42")
def test_a_layout_yaml_with_wrong_types_is_a_diagnostic(tmp_path, manifest, code):
    book = write_book(tmp_path / "b", {"chapters/01.md": CHAPTER,
                                       "layout/layout.yaml": manifest})
    exit_code, lines = outcome(book, tmp_path)
    if code is not None:
        assert exit_code == 1, lines
        assert any(ln.startswith("layout/layout.yaml") and f" {code} " in ln
                   for ln in lines), lines


@pytest.mark.claim("S42")
def test_a_refused_print_stylesheet_is_a_diagnostic(tmp_path):
    pytest.importorskip("weasyprint")
    book = write_book(tmp_path / "b", {"chapters/01.md": CHAPTER,
                                       "layout/layout.yaml": "stylesheets:\n  print: [css/p.css]\n"})
    (book / "layout" / "css").mkdir()
    secret = tmp_path / "secret.css"
    secret.write_text("body { color: red }\n")
    os.symlink(secret, book / "layout" / "css" / "p.css")
    result = build(book, tmp_path / "out", "--format", "pdf")
    assert_clean_result(result)
    assert result.exit_code == 1
    # refused before layout by the one file resolver (L020), or by the fetcher (P006)
    assert any(" L020 " in ln or " P006 " in ln for ln in diagnostic_lines(result)), \
        result.output


@pytest.mark.parametrize("key", ["contents: [chapters/01.md, chapters/{name}.md]",
                                 "cover-image: images/{name}.png"])
@pytest.mark.claim("S42")
def test_an_over_long_name_in_book_yaml_is_a_diagnostic(tmp_path, key):
    book = write_book(tmp_path / "b", {"chapters/01.md": CHAPTER},
                      yaml=BASE_YAML + key.format(name="n" * 300) + "\n")
    assert_refused(book, tmp_path, "M015", "book.yaml", 4)
