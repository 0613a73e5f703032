"""Diagnostics reach the terminal as written: no console markup, emoji codes or
highlighting, and control characters from the manuscript shown as escapes so a file name,
key or value cannot forge a diagnostic line or send an ANSI sequence to the terminal."""

from __future__ import annotations

import pytest

from make_book.errors import Diagnostic, printable
from tests.security.bookcase import BASE_YAML, assert_clean_result, build, write_book


@pytest.mark.claim("S43")
def test_markup_and_emoji_codes_print_verbatim(tmp_path):
    book = write_book(tmp_path / "book", {"chapters/01-one.md": "# One\n\nText.\n"},
                      BASE_YAML + "colour: '[bold]red[/bold] :100: :smile:'\n")
    result = build(book, tmp_path / "out")
    assert_clean_result(result)
    assert result.exit_code == 1
    line = next(x for x in result.stderr.splitlines() if " M010 " in x)
    assert line == "book.yaml:4: M010 unknown key 'colour' (hint: known keys: " + \
        line.split("known keys: ", 1)[1]
    # the key is quoted back, not interpreted: a value never reaches the message, a key does
    key_book = write_book(tmp_path / "key", {"chapters/01-one.md": "# One\n\nText.\n"},
                          BASE_YAML + "'[bold]x[/bold] :100:': 1\n")
    result = build(key_book, tmp_path / "out")
    assert_clean_result(result)
    assert "book.yaml:4: M010 unknown key '[bold]x[/bold] :100:'" in result.stderr
    assert "\N{HUNDRED POINTS SYMBOL}" not in result.stderr


@pytest.mark.claim("S44")
def test_control_characters_in_a_file_name_are_escaped(tmp_path):
    # YAML's escapes \e (ESC) and \n put the characters into the listed path
    book = write_book(tmp_path / "book", {"chapters/01-one.md": "# One\n\nText.\n"},
                      BASE_YAML + 'contents: [chapters/01-one.md, '
                      '"chapters/bad\\e[2J\\nbook.yaml:1: M999 forged.md"]\n')
    result = build(book, tmp_path / "out")
    assert_clean_result(result)
    assert result.exit_code == 1
    assert "\x1b" not in result.stderr
    lines = result.stderr.splitlines()
    assert not any(x.startswith("book.yaml:1: M999") for x in lines), result.stderr
    m015 = [x for x in lines if " M015 " in x]
    assert len(m015) == 1, result.stderr
    assert "bad\\x1b[2J\\nbook.yaml:1: M999 forged.md" in m015[0]


def test_printable_escapes_only_what_cannot_be_shown():
    assert printable("Zürich – «Кафка» 東京") == "Zürich – «Кафка» 東京"
    assert printable("a\x1b[31mb\r\nc\td\x9b\u202ee\u2028") == \
        "a\\x1b[31mb\\r\\nc\\td\\x9b\\u202ee\\u2028"
    d = Diagnostic("C001", "message\nforged.md:1: C999 fake", hint="x\x07")
    assert d.format() == "make-book: C001 message\\nforged.md:1: C999 fake (hint: x\\x07)"
