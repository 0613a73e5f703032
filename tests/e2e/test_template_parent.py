"""A layout override wraps the template it replaces: ``{% extends "@default/..." %}`` takes
the house layout's own file (as Pelican's ``!theme/``), so a press changes one block of a
page without copying the rest of it."""

from __future__ import annotations

import zipfile

from tests.security.bookcase import build, write_book

CHAPTER = "# One\n\nA short chapter of plain text.\n"
WRAPPER = ('{% extends "@default/epub/titlepage.xhtml" %}'
           '{% block content %}{{ super() }}<p class="imprint-extra">Set in Libertinus.</p>'
           '{% endblock %}')


def test_override_extends_the_template_it_replaces(tmp_path):
    book = write_book(tmp_path / "wrapped", {
        "chapters/01-one.md": CHAPTER,
        "layout/templates/epub/titlepage.xhtml": WRAPPER,
    })
    out = tmp_path / "out"
    result = build(book, out)
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(out / "wrapped" / "wrapped.epub") as z:
        page = next(z.read(n).decode() for n in z.namelist() if "titlepage" in n)
    # the house template's title page, then the override's own line, once each
    assert page.count('class="title"') == 1
    assert page.index('class="title"') < page.index('<p class="imprint-extra">')


def test_unknown_layout_name_is_a_diagnostic_naming_the_chain(tmp_path):
    book = write_book(tmp_path / "astray", {
        "chapters/01-one.md": CHAPTER,
        "layout/templates/epub/titlepage.xhtml":
            WRAPPER.replace("@default/", "@house/"),
    })
    result = build(book, tmp_path / "out")
    assert result.exit_code != 0
    assert "Traceback" not in result.output
    assert "L021" in result.output and "no layout named 'house'" in result.output
    assert "@default/" in result.output
