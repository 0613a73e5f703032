"""A book's own ``layout/`` override is data from outside the press (issue 13): its files are
read only from inside the book and layout folders, through one resolver, in both formats;
its templates are rendered in a sandbox that shows them data, never paths or methods."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import pytest

from make_book.config.paths import PathError, confine
from make_book.layouts import load_layout
from make_book.layouts.templates import REFUSED, DataOnlySandbox, View, is_data, plain
from tests.security.bookcase import (
    PREVIOUS,
    Expected,
    assert_clean_result,
    build,
    diagnostic_lines,
    plant_artifact,
    write_book,
)

SECRET = "MB-SECRET-4d1c0e"
CHAPTER = "# One\n\nA short chapter of plain text.\n"
DEFAULT = Path(__file__).resolve().parents[2] / "layouts" / "default"


def _secret(tmp_path: Path) -> Path:
    """A file outside the book that must never reach an output or a log."""
    secret = tmp_path / "private" / "secret.txt"
    secret.parent.mkdir(parents=True, exist_ok=True)
    secret.write_text(f"body::after {{ content: '{SECRET}' }}\n/* {SECRET} */\n")
    return secret


def _book(tmp_path: Path, layout_files: dict[str, str], links: dict[str, Path]) -> Path:
    book = write_book(tmp_path / "hostile", {"chapters/01-one.md": CHAPTER,
                                             **{f"layout/{k}": v for k, v in
                                                layout_files.items()}})
    for rel, target in links.items():
        link = book / "layout" / rel
        link.parent.mkdir(parents=True, exist_ok=True)
        link.symlink_to(target)
    return book


def _cases(secret: Path) -> dict[str, tuple[dict[str, str], dict[str, Path]]]:
    """name -> (layout files, symlinks), each reaching for ``secret`` another way."""
    rel_out = os.path.relpath(secret, secret.parents[1] / "hostile" / "layout")
    face = "fonts:\n  faces:\n    - {{family: Evil, file: '{}'}}\n"
    sheet = "stylesheets:\n  epub: ['{0}']\n  print: ['{0}']\n"
    return {
        "css-absolute": ({"layout.yaml": sheet.format(secret)}, {}),
        "css-dotdot": ({"layout.yaml": sheet.format(rel_out)}, {}),
        "css-symlink": ({}, {"css/epub.css": secret, "css/print.css": secret}),
        "css-symlinked-folder": ({"layout.yaml": sheet.format(f"css/{secret.name}")},
                                 {"css": secret.parent}),
        "font-absolute": ({"layout.yaml": face.format(secret)}, {}),
        "font-dotdot": ({"layout.yaml": face.format(rel_out)}, {}),
        "font-symlink": ({"layout.yaml": face.format("fonts/evil.ttf")},
                         {"fonts/evil.ttf": secret}),
        "template-symlink": ({}, {"templates/epub/chapter.xhtml": secret,
                                  "templates/print/chapter.html": secret}),
        "template-include-dotdot": ({
            "templates/epub/chapter.xhtml": f'{{% include "../../../private/{secret.name}" %}}',
            "templates/print/chapter.html": f'{{% include "../../../private/{secret.name}" %}}',
        }, {}),
        "template-include-absolute": ({
            "templates/epub/chapter.xhtml": f'{{% include "{secret}" %}}',
            "templates/print/chapter.html": f'{{% include "{secret}" %}}'}, {}),
        "template-include-symlink": ({
            "templates/epub/chapter.xhtml": '{% include "epub/leak.xhtml" %}',
            "templates/print/chapter.html": '{% include "print/leak.html" %}'},
            {"templates/epub/leak.xhtml": secret, "templates/print/leak.html": secret}),
        "manifest-symlink": ({}, {"layout.yaml": secret}),
    }


CASES = list(_cases(Path("/x/private/secret.txt")))


def _no_secret_anywhere(out: Path, result) -> None:
    assert SECRET not in result.output
    for path in out.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert SECRET.encode() not in data, path
            if zipfile.is_zipfile(path):
                with zipfile.ZipFile(path) as z:
                    for name in z.namelist():
                        assert SECRET.encode() not in z.read(name), (path, name)


@pytest.mark.claim("S2", "S21", "S22")
@pytest.mark.parametrize("fmt", ["epub", "pdf"])
@pytest.mark.parametrize("case", CASES)
def test_override_files_outside_the_book_are_refused(tmp_path, case, fmt):
    secret = _secret(tmp_path)
    files, links = _cases(secret)[case]
    book = _book(tmp_path, files, links)
    out = tmp_path / "out"
    artifact = plant_artifact(out, "hostile", fmt)
    result = build(book, out, "--format", fmt)
    assert_clean_result(result)
    assert result.exit_code == 1, result.output
    lines = diagnostic_lines(result)
    assert any(code in line for line in lines for code in (" L020 ", " L021 ")), \
        result.output
    assert artifact.read_bytes() == PREVIOUS
    _no_secret_anywhere(out, result)


@pytest.mark.claim("S21", "S22")
def test_a_symlinked_override_folder_is_refused(tmp_path):
    elsewhere = tmp_path / "elsewhere"
    (elsewhere / "css").mkdir(parents=True)
    (elsewhere / "css" / "epub.css").write_text(f"/* {SECRET} */")
    book = write_book(tmp_path / "hostile", {"chapters/01-one.md": CHAPTER})
    (book / "layout").symlink_to(elsewhere)
    out = tmp_path / "out"
    result = build(book, out)
    assert_clean_result(result)
    assert result.exit_code == 1
    assert any(" L020 " in line and "outside the book folder" in line
               for line in diagnostic_lines(result)), result.output
    _no_secret_anywhere(out, result)


@pytest.mark.claim("S21")
def test_a_fifo_among_the_templates_is_refused_without_hanging(tmp_path):
    book = write_book(tmp_path / "hostile", {"chapters/01-one.md": CHAPTER})
    (book / "layout" / "templates" / "epub").mkdir(parents=True)
    os.mkfifo(book / "layout" / "templates" / "epub" / "chapter.xhtml")
    result = build(book, tmp_path / "out")
    assert_clean_result(result)
    assert result.exit_code == 1
    # the layout folder's special files are refused before any of its files is read
    # (L042); the file resolver would refuse it too (L020)
    assert any((" L042 " in line and "named pipe" in line)
               or (" L020 " in line and "not a regular file" in line)
               for line in diagnostic_lines(result)), result.output


def test_override_inside_the_book_still_works(tmp_path):
    """Confinement takes nothing from a well-behaved override: its own CSS, a template of
    its own that extends the house one, a stylesheet symlinked from inside the book."""
    book = write_book(tmp_path / "fine", {
        "chapters/01-one.md": CHAPTER,
        "shared/extra.css": "p { text-indent: 2em; }\n",
        "layout/css/epub.css": "h1 { color: #333; }\n",
        "layout/templates/epub/chapter.xhtml":
            (DEFAULT / "templates/epub/chapter.xhtml").read_text()
            .replace("{{ body }}", '{{ body }}<p class="house-note">{{ meta.title }} '
                     '{{ chapter.title | upper }} {{ strings.notes }}'
                     ' {% for c in book.chapters %}{{ loop.index }}{% endfor %}</p>'),
    })
    (book / "layout" / "css" / "more.css").symlink_to(book / "shared" / "extra.css")
    (book / "layout" / "layout.yaml").write_text(
        "stylesheets:\n  epub: [css/epub.css, css/more.css]\n")
    out = tmp_path / "out"
    result = build(book, out)
    assert_clean_result(result)
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(out / "fine" / "fine.epub") as z:
        chapter = next(z.read(n).decode() for n in z.namelist() if "chapter" in n
                       or n.endswith("01-one.xhtml"))
        css = z.read("EPUB/css/book.css").decode()
    assert '<p class="house-note">A Test Book ONE Notes 1</p>' in chapter
    assert "text-indent: 2em" in css and "color: #333" in css


# ------------------------------------------------------------------ the sandbox

ESCAPES = {
    "path attribute": "{{ book.root }}",
    "path method": "{{ book.root.read_text() }}",
    "chapter source": "{{ chapter.source.read_text() }}",
    "image bytes from disk": "{{ book.chapters[0].images.__class__ }}",
    "model method": "{{ chapter.images.count }}{{ book.evolve() }}",
    "pydantic api": "{{ meta.model_dump() }}",
    "pydantic fields": "{{ meta.model_fields }}",
    "class of a string": "{{ ''.__class__.__mro__ }}",
    "globals of a helper": "{{ cycler.__init__.__globals__.os.environ.MB_SECRET }}",
    "lipsum globals": "{{ lipsum.__globals__['os'].environ }}",
    "namespace init": "{{ namespace.__init__ }}",
    "format escape": "{{ '{0.__class__.__init__.__globals__}'.format(meta) }}",
    "mutate a list": "{% set _ = book.chapters.append(1) %}{{ book.chapters }}",
    "mutate a dict": "{% set _ = strings.update({'notes': 'x'}) %}{{ strings }}",
    "self context": "{{ self._TemplateReference__context }}",
    "attr filter": "{{ book | attr('root') }}",
    "unknown name": "{{ os.environ }}",
    "config object": "{{ config }}",
    "template globals": "{{ range.__globals__ }}",
    "endless recursion": "{% macro m() %}{{ m() }}{% endmacro %}{{ m() }}",
}


@pytest.mark.claim("S2", "S18", "S20")
@pytest.mark.parametrize("name", list(ESCAPES))
def test_a_template_cannot_reach_paths_methods_or_the_environment(tmp_path, monkeypatch,
                                                                   name):
    monkeypatch.setenv("MB_SECRET", SECRET)
    book = write_book(tmp_path / "hostile", {
        "chapters/01-one.md": CHAPTER,
        "layout/templates/epub/chapter.xhtml":
            '{% extends "epub/base.xhtml" %}{% block content %}<p>'
            + ESCAPES[name] + "</p>{% endblock %}"})
    out = tmp_path / "out"
    artifact = plant_artifact(out, "hostile")
    result = build(book, out)
    assert_clean_result(result)
    assert result.exit_code == 1, result.output
    lines = diagnostic_lines(result)
    assert any(" L021 " in line and "chapter.xhtml:1:" in line for line in lines), \
        result.output
    assert artifact.read_bytes() == PREVIOUS
    assert SECRET not in result.output and str(tmp_path) not in " ".join(
        line.split(": ", 1)[1] for line in lines)


@pytest.mark.claim("S18")
def test_sandbox_policy_on_values(tmp_path):
    assert is_data("text") and is_data([1, 2]) and is_data({"a": 1}) and is_data(None)
    assert not is_data(Path("/etc/passwd")) and not is_data(os) and not is_data(str)
    assert not is_data(print) and not is_data(lambda: 0)
    record = Expected(7, 0, [str(tmp_path)])  # any dataclass holding a path of the machine
    assert isinstance(plain(record), View) and str(plain(record)) == "<Expected>"
    assert plain({"p": Path("/etc/passwd"), "n": [1, record]})["p"] is REFUSED
    assert plain(print) is REFUSED and plain(os) is REFUSED and plain(str) is REFUSED
    env = DataOnlySandbox()
    assert env.from_string("{{ r }} {{ r | string }} {{ r ~ '' }} {{ [r] | join }} {{ r.exit }}"
                           ).render(r=record) == "<Expected> <Expected> <Expected> <Expected> 7"
    assert env.from_string("{{ 'a b'.split() | join('-') }} {{ {'k': 1}.items() | list }}"
                           ).render() == "a-b [('k', 1)]"
    # what a house template may use stays usable: loop helpers, namespace, cycler, format
    template = ('{% set ns = namespace(n=0) %}{% for x in items %}{{ loop.cycle("a", "b") }}'
                '{% if loop.changed(x) %}c{% endif %}{% set ns.n = ns.n + x %}{% endfor %}'
                '{{ ns.n }} {{ "%s-%d" | format("x", 3) }} {{ "{}!".format("hi") }} '
                '{{ d.get("k") }} {% set c = cycler(1, 2) %}{{ c.next() }}')
    assert env.from_string(template).render(items=[1, 2, 3], d={"k": "v"}) == \
        "acbcac6 x-3 hi! v 1"


@pytest.mark.claim("S18")
def test_templates_of_the_house_layout_render_in_the_sandbox(tmp_path):
    layout = load_layout(tmp_path, "default")
    assert isinstance(layout.env, DataOnlySandbox)
    assert "epub/chapter.xhtml" in layout.env.list_templates()


@pytest.mark.claim("S21")
def test_the_one_resolver(tmp_path):
    root = tmp_path / "book"
    (root / "css").mkdir(parents=True)
    inside = root / "css" / "a.css"
    inside.write_text("p {}")
    outside = tmp_path / "secret.txt"
    outside.write_text(SECRET)
    (root / "css" / "out.css").symlink_to(outside)
    (root / "css" / "in.css").symlink_to(inside)
    (root / "loop").symlink_to(root / "loop")
    os.mkfifo(root / "css" / "pipe.css")
    roots = (root.resolve(),)
    assert confine(inside, roots) == inside.resolve()
    assert confine(root / "css" / "in.css", roots) == inside.resolve()
    assert confine(root / "css" / ".." / ".." / "secret.txt", roots).reason == "escape"
    assert confine(outside, roots).reason == "escape"
    assert confine(root / "css" / "out.css", roots).reason == "escape"
    assert confine(root / "css" / "pipe.css", roots).reason == "not-a-file"
    assert confine(root / "css", roots).reason == "not-a-file"
    assert isinstance(confine(root / "loop", roots), PathError)
    assert confine(root / "css" / "none.css", roots).reason == "missing"
    assert "larger than" in confine(inside, roots, limit=1).message
