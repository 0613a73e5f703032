"""Misleading output (issue 13): whatever a book holds, every line make-book prints is one
line of its own, with no raw control character, line separator or bidi control, and no
quoted value longer than a few hundred characters (a 20 MB data URL must not become 20 MB
of log). This holds for diagnostics, hints, file names, `list` and `list --json`, the
release log, internal errors and other libraries' log records."""

from __future__ import annotations

import json
import logging
import re
import subprocess
import sys
import time

import pytest
from typer.testing import CliRunner

from make_book import cli
from make_book.errors import (MESSAGE_LIMIT, QUOTE_LIMIT, Diagnostic, Diagnostics,
                              PrintableLogFormatter, printable_json, shortened)
from make_book.release import command, one_book
from make_book.terminal import build_run
from tests.security.bookcase import BASE_YAML, assert_clean_result, build, write_book

# what must never reach a terminal raw (errors._UNPRINTABLE_RE, without tab and newline,
# which end or separate lines of the output itself)
RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e"
                 "\u2066-\u2069]")
HOSTILE = "evil\x1b[2J\x85\u202e\u2028name\nbook.yaml:1: M999 forged"
CHAPTER = {"chapters/01-one.md": "# One\n\nA short text of our own.\n"}


def assert_plain(text: str) -> None:
    assert not RAW.search(text), repr(RAW.search(text))
    assert not any(line.startswith("book.yaml:1: M999") for line in text.splitlines())


@pytest.mark.claim("S45")
def test_a_huge_data_url_is_cut_in_the_diagnostic(tmp_path):
    url = "data:image/png;base64," + "QUJD" * 750_000  # 3 MB, over the 2 MB data: limit
    book = write_book(tmp_path / "book", {
        "chapters/01-one.md": f"# One\n\n![A figure]({url})\n\nText <img src=\"{url}\">.\n"})
    result = build(book, tmp_path / "out")
    assert_clean_result(result)
    assert result.exit_code == 1
    assert len(result.stderr) < 10_000, len(result.stderr)
    assert f"\u2026 ({len(url):,} characters)" in result.stderr
    assert all(len(line) < MESSAGE_LIMIT + 500 for line in result.stderr.splitlines())


@pytest.mark.claim("S44", "S45")
def test_huge_keys_and_hostile_keys_are_cut_and_escaped(tmp_path):
    key = "k" * 1000
    book = write_book(tmp_path / "book", CHAPTER, BASE_YAML + f"{key}: 1\n"
                      '"bad\\e[31m\\x85\\u202e\\L\\nbook.yaml:1: M999 key": 2\n')
    result = build(book, tmp_path / "out")
    assert_clean_result(result)
    assert result.exit_code == 1
    assert_plain(result.stderr)
    lines = [x for x in result.stderr.splitlines() if " M010 " in x]
    assert len(lines) == 2, result.stderr
    assert f"unknown key '{'k' * QUOTE_LIMIT}\u2026 (1,000 characters)'" in lines[0]
    assert "unknown key 'bad\\x1b[31m\\x85\\u202e\\u2028\\nbook.yaml:1: M999 key'" in lines[1]


@pytest.mark.claim("S44")
def test_a_hostile_chapter_file_name_is_escaped(tmp_path):
    # on disk and found by the default reading order; its note is dangling
    book = write_book(tmp_path / "book", {
        "chapters/01-one.md": "# One\n\nText.\n",
        f"chapters/02-{HOSTILE.replace('/', '_')}.md": "# Two\n\nA dangling note[^x].\n"})
    result = build(book, tmp_path / "out")
    assert_clean_result(result)
    assert result.exit_code == 1
    assert_plain(result.stderr)
    shown = [x for x in result.stderr.splitlines() if x.startswith("chapters/02-evil")]
    assert shown and all("\\x1b[2J\\x85\\u202e\\u2028name\\nbook.yaml:1: M999 forged.md:" in x
                         for x in shown), result.stderr


@pytest.mark.claim("S44")
def test_list_escapes_folder_names_and_titles(tmp_path):
    books = tmp_path / "manuscript"
    write_book(books / HOSTILE.replace("/", "_"), CHAPTER,
               'title: "A \\e[5mtitle\\u202e"\nlang: en\n')
    text = CliRunner().invoke(cli.app, ["list", str(tmp_path)])
    assert_clean_result(text)
    assert_plain(text.stdout)
    assert len(text.stdout.splitlines()) == 1
    as_json = CliRunner().invoke(cli.app, ["list", "--json", str(tmp_path)])
    assert_clean_result(as_json)
    assert_plain(as_json.stdout)
    rows = json.loads(as_json.stdout)  # valid JSON, and the values are the real ones
    assert rows[0]["path"].endswith(HOSTILE.replace("/", "_"))
    assert rows[0]["slug"] == "evil-2j-name-book-yaml-1-m999-forged"


@pytest.mark.claim("S44")
def test_printable_json_keeps_letters_and_escapes_the_rest():
    data = {"t": "Кафка – 東京 \x1b\x85\u202e\u2029\x00", "n": [1, None]}
    text = printable_json(data)
    assert "Кафка – 東京" in text
    assert_plain(text)
    assert json.loads(text) == data


@pytest.mark.claim("S44")
def test_an_internal_error_is_escaped_and_cut(tmp_path, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("boom\x1b[2J\nbook.yaml:1: M999 forged " + "x" * 1_000_000)
    monkeypatch.setattr(build_run, "build_book", broken)
    book = write_book(tmp_path / "book", CHAPTER)
    result = build(book, tmp_path / "out")
    assert result.exit_code == 1
    assert_plain(result.stderr)
    assert len(result.stderr) < 5_000
    assert "B900 internal error: RuntimeError: boom\\x1b[2J\\nbook.yaml:1: M999" in result.stderr


@pytest.mark.claim("S44")
def test_the_release_log_is_escaped(tmp_path, monkeypatch, capsys):
    def failing(root, staging, *, strict, on_stage=None, epoch=None):
        rel = one_book.BookRelease(root=root, slug="x")
        rel.diagnostics.error("R030", "EPUBCheck says " + "\x1b]0;title\x07" + "y" * 5000,
                              root / "chapters" / "a\nb.md", 3)
        return rel
    monkeypatch.setattr(command, "release_book", failing)
    monkeypatch.setattr(command, "machine_problems", lambda needs: [])
    book = write_book(tmp_path / "manuscript" / HOSTILE.replace("/", "_"), CHAPTER)
    assert command.release([book], tmp_path / "out", "v1", False, None, None, False) == 1
    err = capsys.readouterr().err
    assert_plain(err)
    assert "evil\\x1b[2J\\x85\\u202e\\u2028name\\nbook.yaml:1: M999 forged: releasing" in err
    assert "a\\nb.md:3: R030 EPUBCheck says \\x1b]0;title\\x07" in err
    assert len(err) < 5_000


@pytest.mark.claim("S44")
def test_other_libraries_log_records_are_escaped():
    formatter = PrintableLogFormatter(logging.BASIC_FORMAT)
    record = logging.LogRecord("PIL", logging.ERROR, __file__, 1,
                               "cannot read %s", ("a\x1b[2J\nb" + "z" * 10_000,), None)
    text = formatter.format(record)
    assert_plain(text) and "\n" not in text
    assert text.startswith("ERROR:PIL:cannot read a\\x1b[2J\\nbzzz") and len(text) < 500


@pytest.mark.claim("S44")
def test_the_cli_logging_escapes_log_records_and_python_warnings():
    """What the CLI sets up (a fresh interpreter: the test runner has its own logging)."""
    script = ("import logging, warnings\n"
              "from make_book.errors import log_printably\n"
              "log_printably()\n"
              "warnings.warn('bad \\x1b[2J value\\nbook.yaml:1: M999 forged')\n"
              "logging.getLogger('PIL').error('x\\x1b' + 'y' * 5000)\n"
              "logging.getLogger('PIL').warning('below the level')\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=60, check=True)
    assert_plain(done.stderr)
    lines = done.stderr.splitlines()
    assert len(lines) == 2, done.stderr
    assert "UserWarning: bad \\x1b[2J value\\nbook.yaml:1: M999 forged" in lines[0]
    assert lines[1].startswith("ERROR:PIL:x\\x1byyy") and len(lines[1]) < 500


@pytest.mark.claim("S45")
def test_shortened_cuts_quoted_values_and_long_runs_only():
    assert shortened("short 'value'") == "short 'value'"
    for quote, end in (("'", "'"), ('"', '"'), ("`", "`"), ("\u201c", "\u201d"),
                       ("\u00ab", "\u00bb")):
        text = shortened(f"title {quote}{'word ' * 100}{end} is too long")
        assert text.endswith(f"\u2026 (500 characters){end} is too long"), text
    assert shortened("x=" + "y" * 300 + " end").endswith("\u2026 (302 characters) end")
    sentence = " ".join(["word"] * 1000)  # no quotes, no long runs: only the overall cap
    assert shortened(sentence) == sentence[:MESSAGE_LIMIT] + "\u2026 (4,999 characters)"
    d = Diagnostic("C001", "a\x1b" * 1000, hint="h" * 300)
    assert len(d.message) < MESSAGE_LIMIT + 40 and d.hint.endswith("(300 characters)")


@pytest.mark.claim("S45")
def test_shortening_and_collecting_stay_fast():
    started = time.perf_counter()
    for text in ("'" + "a" * 20_000_000 + "'", "'a" * 5_000_000, ("x" * 199 + " ") * 50_000,
                 "data:" + "A" * 20_000_000):
        assert len(shortened(text)) < MESSAGE_LIMIT + 40
    diagnostics = Diagnostics()
    for n in range(20_000):  # a hostile book's diagnostics; repeats still dropped
        diagnostics.error("C035", f"control character {n}", None, n)
        diagnostics.error("C035", f"control character {n}", None, n)
    assert len(diagnostics) == 20_000
    assert time.perf_counter() - started < 20
