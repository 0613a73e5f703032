"""Issue 13, class "Unbounded": every input has a bound in size, count, depth and time,
with a diagnostic when passed. Special files (FIFOs, devices, sockets) are refused before
anything opens them; YAML aliases cannot expand without end; table spans are capped;
notes per file are counted; images in notes and headings get the checks of any image."""

from __future__ import annotations

import os
import signal
import socket
import zipfile

import pytest
from lxml import etree

from make_book import plain_files
from tests.security.bookcase import (
    BASE_YAML,
    assert_clean_result,
    build,
    diagnostic_lines,
    png_header,
    write_book,
)

CHAPTER = "# One\n\nSome text.\n"


@pytest.fixture(autouse=True)
def no_hang():
    """A regression would block on a FIFO for ever: fail after 60 s instead."""
    def expire(*_):
        raise TimeoutError("the build hung")
    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(60)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


def refused(book, tmp_path, *codes: str, exit_code: int = 1) -> list[str]:
    result = build(book, tmp_path / "out")
    assert_clean_result(result)
    assert result.exit_code == exit_code, result.output
    lines = diagnostic_lines(result)
    for code in codes:
        assert any(f": {code} " in line for line in lines), (code, result.output)
    return lines


# -- special files -------------------------------------------------------------------------

@pytest.mark.parametrize("where, code", [
    ("chapters/02.md", "C001"), ("layout/layout.yaml", "L042"),
    ("layout/templates/chapter.xhtml", "L042"), ("layout/css/epub.css", "L042"),
])
@pytest.mark.claim("S36")
def test_a_fifo_is_refused_not_read(tmp_path, where, code):
    book = write_book(tmp_path / "b", {"chapters/01.md": CHAPTER})
    (book / where).parent.mkdir(parents=True, exist_ok=True)
    os.mkfifo(book / where)
    lines = refused(book, tmp_path, code)
    assert any("named pipe (FIFO)" in line for line in lines)


@pytest.mark.claim("S36")
def test_a_fifo_image_is_refused(tmp_path):
    book = write_book(tmp_path / "b", {"chapters/01.md": "# One\n\n![a](images/p.png)\n"})
    (book / "images").mkdir()
    os.mkfifo(book / "images" / "p.png")
    lines = refused(book, tmp_path, "A004")
    assert any("named pipe" in line for line in lines)


@pytest.mark.claim("S36")
def test_a_device_or_socket_in_the_layout_folder_is_refused(tmp_path):
    book = write_book(tmp_path / "b", {"chapters/01.md": CHAPTER, "layout/css/x.css": ""})
    os.symlink("/dev/zero", book / "layout" / "fonts.otf")
    sock = socket.socket(socket.AF_UNIX)
    path = book / "layout" / "s"
    try:
        sock.bind(str(path))
    except OSError:  # some sandboxes forbid it: the device alone still tells
        pass
    try:
        lines = refused(book, tmp_path, "L042")
        assert any("character device" in line for line in lines)
    finally:
        sock.close()


@pytest.mark.claim("S36")
def test_plain_files_reads_only_regular_files_within_the_limit(tmp_path):
    good = tmp_path / "a.txt"
    good.write_bytes(b"x" * 100)
    assert plain_files.read_bytes(good, 100) == b"x" * 100
    with pytest.raises(plain_files.FileRefused, match="larger than the limit"):
        plain_files.read_bytes(good, 99)
    with pytest.raises(plain_files.FileRefused, match="character device"):
        plain_files.read_bytes("/dev/zero")
    with pytest.raises(plain_files.FileRefused, match="folder"):
        plain_files.read_bytes(tmp_path)
    os.mkfifo(tmp_path / "p")
    with pytest.raises(plain_files.FileRefused, match="FIFO"):
        plain_files.read_bytes(tmp_path / "p")
    with pytest.raises(plain_files.FileRefused, match="FIFO"):
        plain_files.open_regular(tmp_path / "p")
    os.symlink("loop", tmp_path / "loop")
    with pytest.raises(OSError):
        plain_files.read_bytes(tmp_path / "loop")
    with pytest.raises(OSError):
        plain_files.resolved(tmp_path / "loop")


@pytest.mark.claim("S36")
def test_a_book_yaml_beyond_its_size_is_refused(tmp_path):
    big = BASE_YAML + "# " + "x" * (4 * 1024 * 1024) + "\n"
    book = write_book(tmp_path / "b", {"chapters/01.md": CHAPTER}, yaml=big)
    lines = refused(book, tmp_path)
    assert any("book.yaml" in line and "larger than the limit" in line for line in lines)


# -- YAML ------------------------------------------------------------------------------------

def alias_bomb(levels: int = 9, key: str = "subject") -> str:
    text = 'a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n'
    for i in range(1, levels):
        text += f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]\n"
    return text + f"{key}: *a{levels - 1}\n"


@pytest.mark.claim("S37")
def test_an_alias_bomb_in_book_yaml_is_refused(tmp_path):
    book = write_book(tmp_path / "b", {"chapters/01.md": CHAPTER},
                      yaml=BASE_YAML + alias_bomb())
    refused(book, tmp_path, "M061")


@pytest.mark.claim("S37")
def test_an_alias_bomb_in_front_matter_is_refused(tmp_path):
    book = write_book(tmp_path / "b", {"chapters/01.md": "---\n" + alias_bomb(7, "title")
                                       + "---\n\n# One\n\ntext\n"})
    refused(book, tmp_path, "M061")


@pytest.mark.claim("S37")
def test_an_alias_bomb_in_layout_yaml_is_refused(tmp_path):
    book = write_book(tmp_path / "b", {"chapters/01.md": CHAPTER,
                                       "layout/layout.yaml": alias_bomb(8, "strings")})
    refused(book, tmp_path, "L041")


def test_a_few_aliases_pass(tmp_path):
    book = write_book(tmp_path / "b", {"chapters/01.md": CHAPTER},
                      yaml=BASE_YAML + "translator: &t [A. Translator]\neditor: *t\n")
    refused(book, tmp_path, exit_code=0)


@pytest.mark.parametrize("value", [
    "'" + " " * 3_000_000 + "T'",       # trimmed, it is one letter, but 3 MB were read
    "'" + "Title " * 10_000 + "'",      # 60,000 characters of words
    "|\n  " + "x" * 60_000,              # a block scalar
])
@pytest.mark.claim("S37")
def test_a_huge_value_is_refused(tmp_path, value):
    book = write_book(tmp_path / "b", {"chapters/01.md": CHAPTER},
                      yaml=f"lang: en\ntitle: {value}\n")
    refused(book, tmp_path, "M062")


# -- tables, notes, images ------------------------------------------------------------------

@pytest.mark.parametrize("html, attr, expected", [
    ('<td colspan="1000000000">x</td>', "colspan", "1000"),
    ('<td rowspan="99999999999999999999">x</td>', "rowspan", "65534"),
    ('<th colspan="+4000">x</th>', "colspan", "1000"),
])
@pytest.mark.claim("S38")
def test_table_spans_are_capped_at_htmls_limits(tmp_path, html, attr, expected):
    book = write_book(tmp_path / "b", {
        "chapters/01.md": f"# One\n\n<table><tr>{html}</tr><tr><td>y</td></tr></table>\n"})
    refused(book, tmp_path, "C112", exit_code=0)
    with zipfile.ZipFile(tmp_path / "out" / "b" / "b.epub") as z:
        xhtml = next(n for n in z.namelist() if n.endswith(".xhtml") and "01" in n)
        root = etree.fromstring(z.read(xhtml))
    cells = root.xpath(f"//*[@{attr}]")
    assert [c.get(attr) for c in cells] == [expected]


@pytest.mark.claim("S38")
def test_a_column_group_span_is_capped_and_a_non_number_removed(tmp_path):
    book = write_book(tmp_path / "b", {"chapters/01.md": (
        '# One\n\n<table><colgroup span="123456789"></colgroup>'
        '<tr><td colspan="wide">x</td></tr></table>\n')})
    lines = refused(book, tmp_path, "C112", exit_code=0)
    assert any("set to 1000" in line for line in lines)
    assert any("not a number" in line for line in lines)


@pytest.mark.claim("S40")
def test_too_many_notes_in_one_file_are_refused_before_parsing(tmp_path):
    from make_book.markup.md_limits import MAX_NOTES, check_limits
    calls = "".join(f"x[^n{i}] " for i in range(MAX_NOTES + 1))
    notes = "".join(f"[^n{i}]: note\n" for i in range(MAX_NOTES + 1))
    assert [r.code for r in check_limits(calls + "\n\n" + notes)] == ["C110"]
    inline = "".join(f"y^[inline {i}] " for i in range(MAX_NOTES // 2 + 1))
    assert [r.code for r in check_limits(inline + "\n\n" + notes[:len(notes) // 2])] \
        == ["C110"]
    assert check_limits(calls + "\n\n" + notes[: notes.index(f"[^n{MAX_NOTES}]")]) == []


@pytest.mark.claim("S40")
def test_thousands_of_notes_build_in_linear_time(tmp_path):
    """2,000 distinct notes: the line lookups once made this quadratic."""
    import time
    n = 2000
    text = ("# One\n\n" + "".join(f"word[^n{i}] " + ("\n\n" if i % 10 == 9 else "")
                                  for i in range(n))
            + "\n\n" + "".join(f"[^n{i}]: The note {i}.\n" for i in range(n)))
    book = write_book(tmp_path / "b", {"chapters/01.md": text})
    start = time.perf_counter()
    refused(book, tmp_path, exit_code=0)
    assert time.perf_counter() - start < 40  # ~3 s here; generous for a loaded runner


BOMB = png_header(100_000, 100_000)


@pytest.mark.parametrize("text", [
    "# One\n\nText[^1].\n\n[^1]: A note ![x](images/bomb.png).\n",          # a note
    "# One\n\nText^[inline ![x](images/bomb.png)].\n",                     # an inline note
    "# One ![x](images/bomb.png)\n\ntext\n",                               # the title
    "# One\n\n## Two <img src=\"images/bomb.png\" alt=\"x\">\n\ntext\n",   # a heading
    "# One\n\n| a | b |\n|---|---|\n| ![x](images/bomb.png) | c |\n",       # a table
    "# One\n\n<div><p><img src=\"images/bomb.png\" alt=\"x\"></p></div>\n",  # raw HTML
    "# One\n\n![A caption with ![x](images/bomb.png)](images/ok.png)\n",    # a caption
])
@pytest.mark.claim("S29", "S41")
def test_an_image_bomb_is_refused_wherever_it_stands(tmp_path, text):
    book = write_book(tmp_path / "b", {"chapters/01.md": text, "images/bomb.png": BOMB,
                                       "images/ok.png": png_header(10, 10)})
    refused(book, tmp_path, "A005")


@pytest.mark.parametrize("title_src, note_src, code", [
    ("/etc/passwd", "/etc/hostname", "A003"), ("../x.png", "../../y.png", "A003"),
    ("images/none.png", "images/gone.png", "A008")])
@pytest.mark.claim("S41")
def test_a_bad_image_path_in_a_note_or_title_is_refused(tmp_path, title_src, note_src, code):
    book = write_book(tmp_path / "b", {"chapters/01.md": (
        f"# One <img src=\"{title_src}\" alt=\"t\">\n\nText[^1].\n\n"
        f"[^1]: See ![n]({note_src}).\n")})
    lines = refused(book, tmp_path, code)
    assert {line.split(":")[1] for line in lines if f" {code} " in line} == {"1", "5"}


@pytest.mark.claim("S39")
def test_a_book_of_too_many_chapter_files_is_refused_before_any_is_read(tmp_path, monkeypatch):
    """Each file has its own bound; the book as a whole has one too (C113), so that
    thousands of small files cannot hold a build for hours."""
    from make_book.errors import Diagnostics, MakeBookError
    from make_book.manuscript import book as book_mod

    monkeypatch.setattr(book_mod, "MAX_BOOK_FILES", 5)
    root = tmp_path / "many"
    (root / "chapters").mkdir(parents=True)
    (root / "book.yaml").write_text("title: Many\nlang: en\n", encoding="utf-8")
    for k in range(6):
        (root / "chapters" / f"{k:02d}.md").write_text(f"# Chapter {k}\n\nText.\n")
    read = []
    monkeypatch.setattr(book_mod, "parse_file", lambda *a, **k: read.append(a) or None)
    with pytest.raises(MakeBookError) as caught:
        book_mod.load_book(root, Diagnostics())
    assert [d.code for d in caught.value.diagnostics] == ["C113"]
    assert "6 Markdown files" in caught.value.diagnostics[0].message
    assert not read


@pytest.mark.claim("S39")
def test_a_book_too_large_as_a_whole_is_refused(tmp_path, monkeypatch):
    from make_book.errors import Diagnostics, MakeBookError
    from make_book.manuscript import book as book_mod

    monkeypatch.setattr(book_mod, "MAX_BOOK_BYTES", 1000)
    root = tmp_path / "large"
    (root / "chapters").mkdir(parents=True)
    (root / "book.yaml").write_text("title: Large\nlang: en\n", encoding="utf-8")
    for k in range(3):
        (root / "chapters" / f"{k:02d}.md").write_text("# C\n\n" + "word " * 100)
    with pytest.raises(MakeBookError) as caught:
        book_mod.load_book(root, Diagnostics())
    assert [d.code for d in caught.value.diagnostics] == ["C114"]


def test_a_book_folder_with_a_very_long_name_builds(tmp_path):
    """A 240-character folder name (the file system allows 255) once ended in an internal
    error when the artifact's temporary name grew past the limit: the slug is cut."""
    from make_book.build import build_book

    root = tmp_path / ("a" * 240)
    (root / "chapters").mkdir(parents=True)
    (root / "book.yaml").write_text("title: Long\nlang: en\n", encoding="utf-8")
    (root / "chapters" / "01.md").write_text("# One\n\nText.\n", encoding="utf-8")
    result = build_book(root, ["epub"], tmp_path / "out")
    assert result.ok, [d.format() for d in result.diagnostics]
    (artifact,) = result.artifacts
    assert len(artifact.path.name) < 100 and artifact.path.is_file()
