"""A chapter's parse kept in the build cache: a warm parse gives the same tree and the
same diagnostics as a cold one, and the key follows exactly what the parse depends on."""

from __future__ import annotations

from lxml import etree

from make_book.cache import Cache
from make_book.errors import Diagnostics
from make_book.manuscript import parse_cache
from make_book.manuscript.parsed_file import parse_file

TEXT = """---
title: Cached
---
# A heading

Text with a note[^n] and a reference to [Another Heading].

<blink>old markup</blink> and <script>alert(1)</script> here.

[^n]: The note.
"""


def parse(path, cache, candidates=None):
    diagnostics = Diagnostics()
    parsed = parse_file(path, path.name, diagnostics, candidates, cache)
    return etree.tostring(parsed.section), [d.format() for d in diagnostics]


def test_a_warm_parse_is_the_cold_one_with_its_diagnostics(tmp_path):
    path = tmp_path / "one.md"
    path.write_text(TEXT, encoding="utf-8")
    cache = Cache(tmp_path / "cache")
    cold = parse(path, cache, {"another heading"})
    assert cache.hits == 0
    assert any(" C031 " in line for line in cold[1])  # the reader's and sanitiser's reports
    assert any(" C030 " in line for line in cold[1])
    warm = parse(path, cache, {"another heading"})
    assert cache.hits == 1
    assert warm == cold
    assert parse(path, None, {"another heading"}) == cold


def test_the_diagnostics_name_the_file_where_it_is_now(tmp_path):
    first, second = tmp_path / "a" / "one.md", tmp_path / "b" / "one.md"
    for path in (first, second):
        path.parent.mkdir()
        path.write_text(TEXT, encoding="utf-8")
    cache = Cache(tmp_path / "cache")
    parse(first, cache)
    _, found = parse(second, cache)
    assert cache.hits == 1
    assert found and all(line.startswith(str(second)) for line in found)


def test_the_key_follows_the_text_the_line_and_the_referenced_headings():
    body = "Text and [Another Heading] and [x]{.smallcaps}.\n"
    key = parse_cache.parse_key(body, 4, {"another heading", "unrelated"})
    # a heading the chapter does not reference comes or goes elsewhere: same entry
    assert parse_cache.parse_key(body, 4, {"another heading", "something new"}) == key
    # the referenced one goes: the reference becomes text, a new entry
    assert parse_cache.parse_key(body, 4, {"unrelated"}) != key
    assert parse_cache.parse_key(body, 5, {"another heading", "unrelated"}) != key
    assert parse_cache.parse_key(body + "More.\n", 4, {"another heading"}) != key
    assert parse_cache.parse_key(body, 4, None) != key


def test_a_label_over_quoted_lines_counts_as_referenced():
    body = "> Text with [Another\n> Heading] over two quoted lines.\n"
    assert parse_cache.referenced_keys(body, {"another heading", "b"}) == ["another heading"]
    assert parse_cache.referenced_keys("[a [b] c]", {"a [b] c", "z"}) == ["a [b] c"]
