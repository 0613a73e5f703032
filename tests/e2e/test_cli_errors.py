"""Failing books through the CLI (issue 2 "Done means", issue 5): each bad book.yaml or
manuscript gives its `path:line: CODE` diagnostic and exit 1 (or a warning: exit 0, and 1
under --strict), never a traceback, and leaves an earlier artifact byte-identical.

Static cases live in tests/books/<case>/ with expected/result.txt; cases that are large,
binary, hostile to git (symlinks out of the tree, control characters) or need a live port
are generated here."""

from __future__ import annotations

import contextlib
import os
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from make_book.cli import app
from tests.conftest import BOOKS
from tests.epubcheck_run import epubcheck_messages
from tests.security.bookcase import (
    BASE_YAML,
    Expected,
    assert_clean_result,
    build,
    check_book,
    diagnostic_lines,
    png_header,
    runner,
    write_book,
)

STATIC = sorted(p.parent.parent.name for p in BOOKS.glob("*/expected/result.txt"))


@pytest.mark.claim("S33")
@pytest.mark.parametrize("case", STATIC)
def test_static_case(case, book_copy, tmp_path):
    book = book_copy(case)
    check_book(book, tmp_path / "out", Expected.read(book / "expected" / "result.txt"))


def one(body: str) -> dict[str, str | bytes]:
    return {"chapters/01-one.md": "# One\n\n" + body}


def nested_list(levels: int) -> str:
    return "".join("    " * i + "- item\n" for i in range(levels))


# name -> (files, book.yaml, Expected); a callable gets the book folder to finish it
GENERATED: dict[str, tuple] = {
    "image-bomb": ({**one("![A bomb](images/bomb.png)\n"),
                    "images/bomb.png": png_header(30_000, 30_000)}, BASE_YAML,
                   Expected(1, 1, ["chapters/01-one.md:3: A005 image images/bomb.png is too "
                                   "large"])),
    "image-bomb-cover": ({**one("Text.\n"), "images/cover.png": png_header(30_000, 30_000)},
                         BASE_YAML + "cover-image: images/cover.png\n",
                         Expected(1, 1, ["book.yaml: A005 image images/cover.png is too large"])),
    "nested-lists": (one(nested_list(1000)), BASE_YAML,
                     Expected(1, 1, ["chapters/01-one.md:1002: C005 lists, quotes or divs "
                                     "nested 999 levels deep; the limit is 100"])),
    "nested-quotes": (one("> " * 1000 + "deep\n"), BASE_YAML,
                      Expected(1, 1, ["chapters/01-one.md:3: C005 lists, quotes or divs "
                                      "nested 1000 levels deep"])),
    "nested-quote-lines": (one("".join(">" * i + f" level {i}\n" for i in range(1, 1001))),
                           BASE_YAML, Expected(1, 1, ["chapters/01-one.md:1002: C005 "])),
    "nested-fenced-divs": (one("".join(f"::: level{i}\n" for i in range(1000)) + "deep\n"
                               + ":::\n" * 1000), BASE_YAML,
                           Expected(1, 1, ["chapters/01-one.md:1002: C005 lists, quotes or "
                                           "divs nested 1000 levels deep"])),
    "nested-raw-html": (one("<div>" * 1000 + "deep" + "</div>" * 1000 + "\n"), BASE_YAML,
                        Expected(1, 1, ["chapters/01-one.md:3: C005 elements nested 1000 "
                                        "levels deep; the limit is 200"])),
    "nested-emphasis": (one("*" * 1000 + "deep" + "*" * 1000 + "\n"), BASE_YAML,
                        Expected(1, 1, ["chapters/01-one.md:3: C005 elements nested"])),
    "paragraph-5mb": (one("word " * 1_000_000 + "\n"), BASE_YAML, Expected(0, 0)),
    "paragraph-5mb-brackets": (one("[" * 5_000_000 + "\n"), BASE_YAML,
                               Expected(1, 1, ["chapters/01-one.md:3: C006 paragraph of "
                                               "5,000,001 characters is too costly"])),
    "note-called-too-often": (one("Call[^n]. " * 1000 + "\n\n[^n]: The note.\n"), BASE_YAML,
                              Expected(1, 1, ["chapters/01-one.md:3: C006 note [^n] is called "
                                              "1,000 times"])),
    "control-characters": ({"chapters/01-one.md": "---\ntitle: \"One\x07\"\n---\n\nNUL\x00 "
                            "and BEL\x07 and ESC\x1b.\n\nPython-Markdown's own placeholder "
                            "\x02wzxhzdk:0\x03, DEL\x7f and C1\x85.\n"}, BASE_YAML,
                           Expected(0, 1, [f"chapters/01-one.md:{line}: C035 warning: removed "
                                           f"control character U+{code:04X}"
                                           for line, code in ((2, 7), (5, 0), (5, 0x1B),
                                                              (7, 2), (7, 3), (7, 0x7F),
                                                              (7, 0x85))])),
    "yaml-control-character": (one("Text.\n"), BASE_YAML + "subtitle: \"bell\x07\"\n",
                               Expected(1, 1, ["book.yaml:4: M001 YAML syntax error: control "
                                               "character U+0007"])),
    "remote-images": (one("![](http://127.0.0.1:9/pixel.png)\n\n"
                          "<img src=\"https://127.0.0.1:9/pixel.png\" alt=\"pixel\">\n"),
                      BASE_YAML,
                      Expected(0, 1, ["chapters/01-one.md:3: C034 warning: removed remote "
                                      "image http://127.0.0.1:9/pixel.png",
                                      "chapters/01-one.md:5: C034 warning: removed remote "
                                      "image https://127.0.0.1:9/pixel.png"])),
    "image-parent-path-existing": (one("![A figure](../secret.png)\n"), BASE_YAML,
                                   Expected(1, 1, ["chapters/01-one.md:3: A003 image path "
                                                   "../secret.png leaves the book folder"])),
    "image-symlink-out": (one("![A figure](images/link.png)\n"), BASE_YAML,
                          Expected(1, 1, ["chapters/01-one.md:3: A003 image path "
                                          "images/link.png leaves the book folder"])),
    "chapter-symlink-out": (one("Text.\n"), BASE_YAML,
                            Expected(1, 1, ["book.yaml: C004 chapters/02-passwd.md "
                                            "is a link to a place outside the book folder"])),
    "contents-symlink-out": (one("Text.\n"), BASE_YAML + "contents: [chapters/01-one.md, "
                             "chapters/02-passwd.md]\n",
                             Expected(1, 1, ["book.yaml:4: M016 "])),
}


def finish(name: str, book: Path) -> None:
    """What a dict of files cannot say: files outside the book and symlinks to them."""
    secret = book.parent / "secret.png"
    secret.write_bytes(png_header(8, 8))
    if name == "image-symlink-out":
        (book / "images").mkdir()
        os.symlink(secret, book / "images" / "link.png")
    if name in ("chapter-symlink-out", "contents-symlink-out"):
        outside = book.parent / "passwd"
        outside.write_text("root:x:0:0:root:/root:/bin/sh\n")
        os.symlink(outside, book / "chapters" / "02-passwd.md")


@pytest.mark.claim("S8", "S9", "S33")
@pytest.mark.parametrize("name", sorted(GENERATED))
def test_generated_case(name, tmp_path):
    files, yaml, expected = GENERATED[name]
    book = write_book(tmp_path / name, files, yaml)
    finish(name, book)
    check_book(book, tmp_path / "out", expected)


@pytest.mark.claim("S9")
def test_symlinked_chapter_is_never_read(tmp_path):
    """The refused file's content must not reach any output or message."""
    files, yaml, _ = GENERATED["chapter-symlink-out"]
    book = write_book(tmp_path / "leak", files, yaml)
    finish("chapter-symlink-out", book)
    result = build(book, tmp_path / "out")
    assert "root:x:0:0" not in result.output


def test_rtl_and_combining_text_survive_and_validate(book_copy, tmp_path):
    book = book_copy("text-rtl-combining")
    out = tmp_path / "out"
    result = build(book, out, "--strict")
    assert_clean_result(result)
    assert result.exit_code == 0, result.output
    epub = out / "text-rtl-combining" / "text-rtl-combining.epub"
    with zipfile.ZipFile(epub) as z:
        root = etree.fromstring(z.read("EPUB/text/ch-01-one.xhtml"))
    text = "".join(root.itertext())
    # combining sequences are kept as written, not normalised or stripped
    for expected in ("שָׁלוֹם עֲלֵיכֶם", "السلام عليكم", "e\u0301", "a\u0300\u0301\u0302\u0303",
                     "Z\u0351\u0352\u0353\u0354"):
        assert expected in text
    spans = root.findall(".//{http://www.w3.org/1999/xhtml}span[@dir='rtl']")
    assert {s.get("lang") for s in spans} == {"he", "ar"}
    assert epubcheck_messages(epub) == []


def test_diagnostics_stay_on_one_line_in_a_narrow_terminal(book_copy, tmp_path, monkeypatch):
    monkeypatch.setenv("COLUMNS", "40")
    book = book_copy("html-embedded")
    result = build(book, tmp_path / "out")
    line = next(x for x in result.stderr.splitlines() if x.startswith("chapters/01-one.md:3:"))
    assert line.endswith("put styles in the layout's CSS)")


# --------------------------------------------------------------------------- exit codes

@pytest.mark.claim("S53")
def test_exit_0_on_success(tmp_path):
    book = write_book(tmp_path / "fine", one("A good paragraph.\n"))
    result = build(book, tmp_path / "out")
    assert_clean_result(result)
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / "fine" / "fine.epub").is_file()


@pytest.mark.claim("S53")
def test_exit_1_on_book_errors(tmp_path):
    book = write_book(tmp_path / "bad", one("A call[^x].\n"))
    assert build(book, tmp_path / "out").exit_code == 1


@pytest.mark.parametrize("args", [
    ["build", "--format", "docx"],           # bad option value
    ["build", "--no-such-option"],           # unknown option
    ["build", "no/such/folder"],             # missing path
    ["no-such-command"],
])
@pytest.mark.claim("S53")
def test_exit_2_on_usage_errors(args, tmp_path):
    with contextlib.chdir(tmp_path):
        result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output


def test_exit_2_on_a_folder_without_a_book(tmp_path):
    (tmp_path / "empty").mkdir()
    result = build(tmp_path / "empty", tmp_path / "out")
    assert result.exit_code == 2
    assert "no book.yaml" in result.stderr


def test_warnings_exit_0_and_strict_exit_1(tmp_path):
    book = write_book(tmp_path / "warn", one("Text.\n\n[^n]: Never called.\n"))
    assert build(book, tmp_path / "out").exit_code == 0
    assert build(book, tmp_path / "out", "--strict").exit_code == 1


@pytest.mark.claim("S33")
def test_every_problem_of_a_book_is_reported_in_one_run(tmp_path):
    """Every loading problem at once (book-wide checks such as links run once it loads)."""
    book = write_book(tmp_path / "many", {
        "chapters/01-one.md": "# One\n\n<script>x</script>\n\nA call[^x].\n",
        "chapters/02-two.md": "# Two\n\n![](images/none.png)\n\nA \x00 NUL.\n"})
    result = build(book, tmp_path / "out")
    codes = {line.split(": ")[1].split()[0] for line in diagnostic_lines(result)}
    assert codes == {"C030", "C040", "A008", "C035"}, result.stderr


def test_headings_with_ampersands_give_a_well_formed_ncx(tmp_path):
    """Found by tests/security/test_fuzz.py: "Marx & Engels" as a title made toc.ncx
    ill-formed XML (EPUBCheck fatal)."""
    book = write_book(tmp_path / "amp", {"chapters/01-one.md":
                                         "# Marx & Engels\n\n## Rent < Profit\n\nText.\n"})
    result = build(book, tmp_path / "out")
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(tmp_path / "out" / "amp" / "amp.epub") as z:
        etree.fromstring(z.read("EPUB/toc.ncx"))
