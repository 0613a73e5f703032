"""Hostile cases of our own for each class of issue 13, beyond the issue's examples: what a
renderer reads is confined when it reads it (a file swapped after the layout was loaded, a
stylesheet that is not UTF-8, a font that is no font), git's configuration included from
elsewhere, parsers that could fetch a DTD, rare image formats, a FIFO as book.yaml, a
terminal escape in a layout's file name and two folders that transliterate alike."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from make_book import plain_files
from make_book.catalogue import slug_clashes
from make_book.config.paths import PathError, read_confined
from make_book.errors import MakeBookError
from make_book.layouts import load_layout
from make_book.release import versioning
from tests.security.bookcase import (
    BASE_YAML,
    assert_clean_result,
    build,
    diagnostic_lines,
    write_book,
)

ROOT = Path(__file__).resolve().parents[2]
SECRET = "MB-OWN-SECRET-7f3a"
CHAPTER = {"chapters/01-one.md": "# One\n\nA line of our own text.\n"}
FACE = ("fonts:\n  text: [Odd]\n  faces:\n"
        "    - {{family: Odd, file: '{}', weight: 400, style: normal}}\n")
REAL_FONT = ROOT / "layouts" / "default" / "fonts" / "LibertinusSerif-Regular.otf"


def _secret(tmp_path: Path) -> Path:
    secret = tmp_path / "private" / "secret.css"
    secret.parent.mkdir(parents=True, exist_ok=True)
    secret.write_text(f"body::after {{ content: '{SECRET}' }}\n")
    return secret


def _refused(book: Path, out: Path, code: str) -> list[str]:
    result = build(book, out)
    assert_clean_result(result)
    assert result.exit_code == 1, result.output
    lines = diagnostic_lines(result)
    assert any(f" {code} " in line for line in lines), result.output
    assert SECRET not in result.output
    return lines


# -- files read into the book: read when used, through the one resolver ------------------

@pytest.mark.claim("S21", "S56")
def test_a_stylesheet_swapped_after_the_layout_was_loaded_is_refused(tmp_path):
    """The chain is confined when loaded; the renderer reads later. A stylesheet replaced
    in between by a symlink out of the book, or by a FIFO, is refused when read."""
    secret = _secret(tmp_path)
    book = write_book(tmp_path / "b", {**CHAPTER, "layout/css/epub.css": "p { margin: 0 }"})
    layout = load_layout(book)
    [sheet] = [p for p in layout.stylesheets("epub") if p.is_relative_to(book)]
    assert layout.read_text(sheet, "stylesheet") == "p { margin: 0 }"
    sheet.unlink()
    sheet.symlink_to(secret)
    with pytest.raises(MakeBookError) as refused:
        layout.read(sheet, "stylesheet")
    [diagnostic] = refused.value.diagnostics
    assert diagnostic.code == "L020" and "outside the book" in diagnostic.message
    sheet.unlink()
    os.mkfifo(sheet)  # would block a plain read forever
    with pytest.raises(MakeBookError, match="not a regular file"):
        layout.read(sheet, "stylesheet")


@pytest.mark.claim("S56")
def test_read_confined_reads_inside_and_never_follows_a_last_minute_link(tmp_path):
    root = tmp_path / "root"
    root.mkdir()
    (root / "a.css").write_text("p {}")
    found = read_confined(root / "a.css", [root.resolve()])
    assert not isinstance(found, PathError) and found.data == b"p {}"
    assert isinstance(read_confined(root / "a.css", [root.resolve()], limit=2), PathError)
    secret = _secret(tmp_path)
    (root / "b.css").symlink_to(secret)
    assert read_confined(root / "b.css", [root.resolve()]).reason == "escape"
    # what read_confined does once the path is resolved: a link there now is not followed
    with pytest.raises(OSError):
        plain_files.read_bytes(root / "b.css", follow=False)


@pytest.mark.claim("S56")
def test_a_stylesheet_that_is_not_utf8_is_a_diagnostic(tmp_path):
    book = write_book(tmp_path / "b", {**CHAPTER,
                                       "layout/css/epub.css": b"p { color: red }\n\xff\xfe"})
    lines = _refused(book, tmp_path / "out", "L050")
    assert any("epub.css" in line and "byte 17" in line for line in lines)


@pytest.mark.claim("S56")
@pytest.mark.parametrize("data", [
    b"", b"just some words in a file called .otf\n", b"\x00\x01\x00\x00" + b"\xff" * 40,
    "truncated", "zeroed-tables",
])
def test_a_font_that_is_no_font_is_a_diagnostic_at_the_manifest(tmp_path, data):
    if data == "truncated":
        data = REAL_FONT.read_bytes()[:600]
    elif data == "zeroed-tables":  # a real table directory over tables of zeros
        real = REAL_FONT.read_bytes()
        data = real[:400] + bytes(len(real) - 400)
    book = write_book(tmp_path / "b", {**CHAPTER, "layout/layout.yaml": FACE.format(
        "fonts/odd.otf"), "layout/fonts/odd.otf": data})
    lines = _refused(book, tmp_path / "out", "L012")
    assert any(line.startswith("layout/layout.yaml: L012 fonts.faces[0]: font file "
                               "fonts/odd.otf") for line in lines), lines


# -- misleading output: a file name that drives the terminal ------------------------------

@pytest.mark.claim("S44", "S56")
def test_a_terminal_escape_in_a_layout_file_name_is_shown_escaped(tmp_path):
    book = write_book(tmp_path / "b", {**CHAPTER, "layout/layout.yaml": FACE.format(
        "fonts/\\e[2J\\e[31mred\\nb.otf").replace("'", '"')})
    result = build(book, tmp_path / "out")
    assert_clean_result(result)
    assert result.exit_code == 1
    assert "\x1b" not in result.output and "\\x1b[2J" in result.output
    assert all(line.startswith(("layout/", "b:", "  ")) or not line.strip()
               or "not built" in line or "hint" in line
               for line in result.stderr.splitlines()), result.stderr


# -- code execution: git configuration included from elsewhere ----------------------------

needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


@pytest.mark.claim("S16")
@needs_git
def test_git_config_included_from_another_file_runs_nothing(tmp_path):
    """``[include]`` and ``[includeIf]`` pull keys from a file the manuscript also ships
    (and could place anywhere in the tree): the build's ``-c`` overrides still win."""
    repo, marker = tmp_path / "book", tmp_path / "ran.txt"
    repo.mkdir()
    git = ["git", "-c", "user.name=T", "-c", "user.email=t@example.org"]
    subprocess.run([*git, "init", "-q"], cwd=repo, check=True)
    (repo / "book.yaml").write_text(BASE_YAML)
    subprocess.run([*git, "add", "book.yaml"], cwd=repo, check=True)
    subprocess.run([*git, "commit", "-qm", "one"], cwd=repo, check=True)
    evil = tmp_path / "evil.sh"
    evil.write_text(f"#!/bin/sh\necho ran >> {marker}\n")
    evil.chmod(0o755)
    (repo / "extra.gitconfig").write_text(
        f"[core]\n\tfsmonitor = {evil}\n\tpager = {evil}\n[log]\n\tshowSignature = true\n"
        f"[gpg]\n\tprogram = {evil}\n[alias]\n\tlog = !{evil}\n")
    with (repo / ".git" / "config").open("a") as config:
        config.write(f"[include]\n\tpath = ../extra.gitconfig\n"
                     f"[includeIf \"gitdir:{repo}/\"]\n\tpath = {repo / 'extra.gitconfig'}\n")
    subprocess.run(["git", "status"], cwd=repo, capture_output=True)  # the instrument works
    assert marker.exists()
    marker.unlink()
    assert versioning.commit_epoch(repo) is not None
    assert versioning.release_version(None, repo)
    assert not marker.exists()


# -- network: no parser fetches a DTD or an include ---------------------------------------

@pytest.mark.claim("S7")
def test_no_parser_is_allowed_the_network():
    """lxml's parsers default to ``no_network=True``; no module of the build turns it off
    or resolves entities (which would fetch an external DTD's or entity's URL)."""
    offending = []
    for path in sorted((ROOT / "src" / "make_book").rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        for needle in ("no_network=False", "resolve_entities=True", "load_dtd=True",
                       "xinclude(", "XInclude("):
            if needle in text:
                offending.append(f"{path.relative_to(ROOT)}: {needle}")
    assert offending == []


@pytest.mark.claim("S7")
def test_a_figure_naming_a_remote_dtd_or_include_makes_no_request(tmp_path, http_server):
    dtd = http_server.url("figure.dtd")
    svg = (f'<?xml version="1.0"?>\n<!DOCTYPE svg SYSTEM "{dtd}">\n'
           '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xi="http://www.w3.org/2001/XInclude"'
           ' viewBox="0 0 10 10"><title>A square</title>'
           f'<xi:include href="{http_server.url("part.svg")}"/>'
           '<rect width="10" height="10"/></svg>')
    book = write_book(tmp_path / "b", {
        "chapters/01-one.md": "# One\n\n![A square](images/sq.svg)\n\n"
                              f'<p><span>raw <!DOCTYPE x SYSTEM "{dtd}"> text</span></p>\n',
        "images/sq.svg": svg})
    result = build(book, tmp_path / "out")
    assert_clean_result(result)
    assert http_server.requests == []


# -- code execution through a decoder: only the common raster formats are opened ----------

@pytest.mark.claim("S28")
@pytest.mark.parametrize("fmt", ["SPIDER", "PDF", "EPS"])
def test_a_rare_image_format_is_never_handed_to_its_decoder(tmp_path, fmt):
    """Formats Pillow reads but make-book does not (raster.OPENED): refused by their
    header, the decoder never runs (EPS would start Ghostscript)."""
    if fmt == "EPS":  # the header is what a decoder would be chosen by
        data = b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 10 10\nshowpage\n"
    else:
        from PIL import Image
        buffer = io.BytesIO()
        Image.new("L", (8, 8), 40).save(buffer, fmt)
        data = buffer.getvalue()
    book = write_book(tmp_path / "b", {"chapters/01-one.md": "# One\n\n![A](images/a.png)\n",
                                       "images/a.png": data})
    lines = _refused(book, tmp_path / "out", "A004")
    assert any("images/a.png cannot be read" in line for line in lines), lines


# -- unbounded: book.yaml itself a FIFO ---------------------------------------------------

@pytest.mark.claim("S36")
def test_a_fifo_as_book_yaml_is_refused_without_hanging(tmp_path):
    book = write_book(tmp_path / "b", CHAPTER, yaml=None)
    os.mkfifo(book / "book.yaml")
    result = build(book, tmp_path / "out")
    assert_clean_result(result)
    assert result.exit_code == 2, result.output  # no book here: a FIFO is not a file
    assert "book.yaml" in result.output


# -- another book's artifact: names that only transliterate alike --------------------------

@pytest.mark.claim("S47")
def test_folders_that_only_transliterate_alike_clash(tmp_path):
    books = tmp_path / "manuscript"
    for name in ("Ærø Tales", "aero-tales", "Аэро"):  # the last is another slug
        write_book(books / name, CHAPTER)
    clashes = slug_clashes(sorted(books.iterdir()))
    assert set(clashes) == {(books / n).resolve() for n in ("Ærø Tales", "aero-tales")}


# -- active content from a template: forms the issue did not name -------------------------

TEMPLATE_ACTIVE = {
    "svg feImage": '<svg xmlns="http://www.w3.org/2000/svg"><filter id="f"><feImage '
                   'href="http://127.0.0.1:9/x.png"/></filter></svg>',
    "ping": '<a href="https://example.org/" ping="http://127.0.0.1:9/ping">a link</a>',
    "srcset": '<img alt="" src="../images/none.png" srcset="http://127.0.0.1:9/x.png 2x"/>',
    "track": '<video><track src="http://127.0.0.1:9/t.vtt"/></video>',
    "MathML href": '<math xmlns="http://www.w3.org/1998/Math/MathML"><mi '
                   'href="javascript:x()">x</mi></math>',
    "svg style import": '<svg xmlns="http://www.w3.org/2000/svg"><style>@import '
                        '"http://127.0.0.1:9/x.css";</style></svg>',
    "data: HTML frame": '<iframe src="data:text/html,x"></iframe>',
    "xml-stylesheet inside": '<?xml-stylesheet type="text/xsl" href="data:text/xsl,x"?>',
}


def _epub_with_template(tmp_path: Path, name: str, text: str):
    from make_book.build import build_book
    book = write_book(tmp_path / "b", {**CHAPTER, f"layout/templates/epub/{name}": text})
    return build_book(book, ["epub"], tmp_path / "out")


@pytest.mark.claim("S24")
@pytest.mark.parametrize("case", sorted(TEMPLATE_ACTIVE))
def test_active_content_a_template_writes_is_refused_in_the_finished_epub(tmp_path, case):
    chapter = (ROOT / "layouts/default/templates/epub/chapter.xhtml").read_text()
    text = chapter.replace("{{ body }}", "{{ body }}{% raw %}" + TEMPLATE_ACTIVE[case]
                           + "{% endraw %}")
    result = _epub_with_template(tmp_path, "chapter.xhtml", text)
    assert not result.ok and not list((tmp_path / "out").rglob("*.epub"))
    assert {d.code for d in result.diagnostics.errors} == {"E050"}


@pytest.mark.claim("S24")
def test_an_xml_stylesheet_before_the_root_element_is_refused(tmp_path):
    """A browser engine applies ``<?xml-stylesheet?>`` from an XML document's prolog (and
    runs it when it is XSLT): a base template that writes one fails every document."""
    first, rest = (ROOT / "layouts/default/templates/epub/base.xhtml").read_text().split("\n", 1)
    result = _epub_with_template(tmp_path, "base.xhtml", first + '\n<?xml-stylesheet '
                                 'type="text/xsl" href="http://127.0.0.1:9/x.xsl"?>\n' + rest)
    assert not result.ok
    assert any("<?xml-stylesheet?>" in d.message and d.code == "E050"
               for d in result.diagnostics.errors)


# -- unbounded: a layout file as large as the disk allows ----------------------------------

@pytest.mark.claim("S21")
def test_an_oversized_stylesheet_is_refused_unread(tmp_path):
    """A sparse file of 5 MB (a stylesheet is tens of kilobytes): refused by its size before
    a byte is read or parsed."""
    book = write_book(tmp_path / "b", CHAPTER)
    sheet = book / "layout" / "css" / "epub.css"
    sheet.parent.mkdir(parents=True)
    with sheet.open("wb") as handle:
        handle.truncate(5 * 1024 * 1024)
    lines = _refused(book, tmp_path / "out", "L020")
    assert any("epub.css" in line and "larger than 4 MB" in line for line in lines), lines


# -- another book's artifact: book.yaml has no say in where outputs go ---------------------

@pytest.mark.claim("S46")
def test_book_yaml_cannot_steer_the_output_path(tmp_path):
    yaml = ('title: "../../../escaped"\nlang: en\nidentifier: "../../other-book"\n'
            'edition: "/tmp/x"\n')
    book = write_book(tmp_path / "my-book", CHAPTER, yaml=yaml)
    result = build(book, tmp_path / "out")
    assert_clean_result(result)
    assert result.exit_code == 0, result.output
    made = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*.epub"))
    assert made == ["out/my-book/my-book.epub"]


# -- invisible debris: control characters written as YAML escapes -------------------------

@pytest.mark.claim("S35")
@pytest.mark.parametrize("escape, code_point", [
    ("\\x1b[31m", "U+001B"), ("\\a", "U+0007"), ("\\u0085", "U+0085"), ("\\uFFFE", "U+FFFE"),
    ("\\x7f", "U+007F"), ("\\0", "U+0000"),
])
def test_a_control_character_written_as_a_yaml_escape_is_an_error(tmp_path, escape,
                                                                   code_point):
    """A title must not change silently, so an escape YAML turns into a control character
    is M020 at its line, in book.yaml as in a key nested in a list."""
    yaml = (f'title: "A title"\nlang: en\nsubject: ["fine", "B{escape}ad"]\n'
            f'description: "Some{escape} text"\n')
    book = write_book(tmp_path / "b", CHAPTER, yaml=yaml)
    lines = _refused(book, tmp_path / "out", "M020")
    assert any(line.startswith("book.yaml:3: M020") and code_point in line for line in lines)
    assert any(line.startswith("book.yaml:4: M020") for line in lines), lines
    assert "\x1b" not in "".join(lines) and "\x07" not in "".join(lines)


# -- floods and crashes from a damaged font -------------------------------------------------

def _damaged(tag: str) -> bytes:
    """The real font with its ``tag`` table overwritten: the table directory still holds."""
    from fontTools.ttLib import TTFont
    real = REAL_FONT.read_bytes()
    entry = TTFont(io.BytesIO(real), lazy=True).reader.tables[tag]
    return real[:entry.offset] + b"\xab" * entry.length + real[entry.offset + entry.length:]


@pytest.mark.claim("S45", "S56")
def test_a_font_with_a_damaged_name_table_is_refused_in_a_few_lines(tmp_path):
    """fontTools skips each broken name record with a log line (tens of thousands here)
    rather than raising: the face is L012, and the terminal gets a few lines."""
    book = write_book(tmp_path / "b", {**CHAPTER, "layout/layout.yaml": FACE.format(
        "fonts/odd.otf"), "layout/fonts/odd.otf": _damaged("name")})
    result = build(book, tmp_path / "out")
    assert_clean_result(result)
    assert result.exit_code == 1
    assert any(" L012 " in line and "damaged" in line for line in diagnostic_lines(result))
    assert len(result.output.splitlines()) < 20, result.output[:2000]


@pytest.mark.claim("S42")
def test_a_damaged_substitution_table_leaves_superiors_to_the_fallback(tmp_path):
    """The print renderer reads a face's ``sups`` feature; a damaged GSUB table (which
    fontTools decompiles while it is walked) means no superiors, not an internal error."""
    from make_book.layouts.superiors import font_superiors
    font = tmp_path / "odd.otf"
    font.write_bytes(_damaged("GSUB"))
    assert font_superiors(font) == frozenset()


@pytest.mark.claim("S45")
def test_other_libraries_records_are_bounded_per_kind_and_in_all():
    import logging

    from make_book.errors import FloodFilter
    flood = FloodFilter()
    passed = [r for n in range(10_000) if flood.filter(r := logging.LogRecord(
        "fontTools.x", logging.ERROR, __file__, 1, "skipping record #%i", (n,), None))]
    assert len(passed) == FloodFilter.per_kind
    assert passed[-1].getMessage() == "skipping record #4 (further records like this are " \
                                      "not shown)"
    distinct = sum(flood.filter(logging.LogRecord("lib", logging.ERROR, __file__, 1,
                                                  f"message {n}", None, None))
                   for n in range(1_000))
    assert distinct + len(passed) == FloodFilter.total
