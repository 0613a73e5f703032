"""Chapter front matter: split from the body, errors at their line in the .md file."""

from pathlib import Path

from make_book.config.load import load_chapter_meta
from make_book.config.metadata import ChapterMeta

P = Path("chapters/01.md")


def test_no_block_gives_defaults():
    meta, body, start, diags = load_chapter_meta("# Title\n\nText.\n", P)
    assert meta == ChapterMeta() and meta.kind == "chapter" and meta.numbered is None
    assert body == "# Title\n\nText.\n" and start == 1 and diags == []


def test_block_is_split_from_body():
    text = "---\ntitle: Preface\nkind: preface\nlang: ru-latn\nnumbered: false\nid: pref\n---\n# Hi\n"
    meta, body, start, diags = load_chapter_meta(text, P)
    assert diags == []
    assert (meta.title, meta.kind, meta.lang, meta.numbered, meta.id) == \
        ("Preface", "preface", "ru-Latn", False, "pref")
    assert body == "# Hi\n" and start == 8


def test_dots_close_the_block_and_bom_is_ignored():
    meta, body, start, _ = load_chapter_meta("\ufeff---\nshort-title: S\n...\nBody\n", P)
    assert meta.short_title == "S" and body == "Body\n" and start == 4


def test_bad_kind_reports_line_in_md_file():
    text = "---\ntitle: Intro\n\nkind: prefase\n---\nBody\n"
    meta, body, start, diags = load_chapter_meta(text, P)
    assert [d.format() for d in diags] == [
        "chapters/01.md:4: M022 kind 'prefase' is not a chapter kind (hint: did you mean "
        "preface? kinds: dedication, epigraph, foreword, preface, acknowledgments, "
        "introduction, prologue, chapter, epilogue, afterword, conclusion, appendix, "
        "chronology, glossary, bibliography, colophon, notes)"]
    assert meta.title == "Intro" and meta.kind == "chapter"  # the valid keys are kept
    assert body == "Body\n" and start == 6


def test_several_problems_with_lines():
    text = "---\ntitel: X\nlang: english\nnumbered: perhaps\nid: 1st\n---\n"
    _, _, _, diags = load_chapter_meta(text, P)
    assert [(d.code, d.line) for d in diags] == [
        ("M010", 2), ("M013", 3), ("M017", 4), ("M025", 5)]
    assert diags[0].message == "unknown key 'titel'" and diags[0].hint == "did you mean 'title'?"


def test_yaml_errors_inside_the_block():
    _, _, _, diags = load_chapter_meta("---\ntitle: a\ntitle: b\n---\n", P)
    assert [(d.code, d.line) for d in diags] == [("M002", 3)]
    _, _, _, diags = load_chapter_meta("---\ntitle: x\n\tkind: chapter\n---\n", P)
    assert [(d.code, d.line) for d in diags] == [("M001", 3)]


def test_unclosed_block():
    meta, body, start, diags = load_chapter_meta("---\ntitle: x\n\nText\n", P)
    assert [d.format() for d in diags] == [
        "chapters/01.md:1: M005 the front matter opened at line 1 is not closed "
        "(hint: end it with a line holding only ---)"]


def test_empty_or_comment_only_block():
    for text in ("---\n---\nBody\n", "---\n# just a note\n---\nBody\n"):
        meta, body, start, diags = load_chapter_meta(text, P)
        assert meta == ChapterMeta() and diags == [] and body == "Body\n"
