"""The gate without typesetting (gate.py): what `make-book check` runs and what
`build` runs before rendering, so both judge a book alike."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from make_book.check.full import check_static
from make_book.gate import check_manuscript
from make_book.errors import Diagnostics
from tests.conftest import BOOKS, ROOT
from tests.security.bookcase import Expected, write_book

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
       b"\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05\x00\x01\xff"
       b"\x89\x99=\x1d\x00\x00\x00\x00IEND\xaeB`\x82")


def _lines(result, root: Path) -> list[str]:
    return [d.format(relative_to=root) for d in result.diagnostics]


def test_a_clean_book_passes(tmp_path):
    root = write_book(tmp_path / "clean", {"chapters/01.md": "# One\n\nPlain words here.\n"})
    result = check_static(root)
    assert list(result.diagnostics) == []
    assert not result.failed(strict=True)


def test_every_problem_is_found_at_once_at_its_line(tmp_path):
    root = write_book(tmp_path / "bad", {
        "chapters/01.md": "# One\n\nSee [the end](#no-such-place).\n\nA call[^gone] here.\n",
        "chapters/02.md": "# Two\n\nText.\n\n![A caption](../images/none.png)\n",
    })
    lines = _lines(check_static(root), root)
    assert any(line.startswith("chapters/01.md:3: C050 ") for line in lines), lines
    assert any(line.startswith("chapters/01.md:5: C040 ") for line in lines), lines
    assert any(line.startswith("chapters/02.md:5: A0") for line in lines), lines


def test_an_image_without_alt_text_is_named_at_its_line(tmp_path):
    root = write_book(tmp_path / "alt", {
        "images/dot.png": PNG,
        "chapters/01.md": ("# One\n\nDecorative ![](../images/dot.png) is fine.\n\n"
                           'Raw <img src="../images/dot.png"> has none.\n\n'
                           'Again <img src="../images/dot.png" alt="a dot"> described.\n\n'
                           'And <img src="../images/dot.png"> again.\n'),
    })
    result = check_static(root)
    lines = [line for line in _lines(result, root) if " K003 " in line]
    assert [line.split(": K003")[0] for line in lines] == ["chapters/01.md:5",
                                                           "chapters/01.md:9"]
    assert not result.failed(strict=False) and result.failed(strict=True)


def test_each_image_use_keeps_its_source_line(tmp_path):
    root = write_book(tmp_path / "lines", {
        "images/dot.png": PNG,
        "chapters/01.md": ("# One\n\n![First](../images/dot.png)\n\nText.[^n]\n\n"
                           "![Second](../images/dot.png)\n\n[^n]: A note ![x](../images/dot.png)\n"),
    })
    checked = check_manuscript(root, ["epub"], Diagnostics(), glyphs=False)
    assert checked.book.chapters[0].image_lines == (
        ("images/dot.png", 3), ("images/dot.png", 7), ("images/dot.png", 9))


def test_a_missing_glyph_is_found_without_typesetting(tmp_path):
    root = write_book(tmp_path / "glyph", {"chapters/01.md": "# One\n\nA private \ue000 sign.\n"})
    lines = _lines(check_static(root), root)
    assert any(line.startswith("chapters/01.md:3: P001 ") for line in lines), lines


STATIC = sorted(p.parent.parent.name for p in BOOKS.glob("*/expected/result.txt"))


@pytest.mark.parametrize("case", STATIC)
def test_check_finds_what_build_reports_before_rendering(case):
    """The tests/books cases: every diagnostic the build's expected result lists is found by
    the check at the same place, and the verdicts agree."""
    root = BOOKS / case
    expected = Expected.read(root / "expected" / "result.txt")
    result = check_static(root, ["epub"])  # the cases are built as EPUB only
    lines = _lines(result, root)
    for prefix in expected.diagnostics:
        assert any(line.startswith(prefix) for line in lines), (prefix, lines)
    assert result.failed(strict=False) == bool(expected.exit), lines
    assert result.failed(strict=True) == bool(expected.strict), lines


def test_the_check_never_loads_the_typesetter(tmp_path):
    """Without --full nothing imports WeasyPrint: the check answers on a machine without
    Pango, and in seconds."""
    root = write_book(tmp_path / "book", {"chapters/01.md": "# One\n\nWords [x]{.index}.\n"})
    code = ("import sys\nfrom make_book.cli import app\n"
            "try:\n    app(['check', sys.argv[1]])\nexcept SystemExit as e:\n"
            "    assert not e.code, e.code\n"
            "loaded = sorted(m for m in sys.modules if m.split('.')[0] in "
            "('weasyprint', 'pydyf', 'cffi') or m in ('make_book.render.print.renderer', "
            "'make_book.render.epub.renderer'))\n"
            "print('LOADED', loaded)\n")
    done = subprocess.run([sys.executable, "-c", code, str(root)], capture_output=True,
                          text=True, cwd=ROOT, env={"PYTHONPATH": str(ROOT / "src"),
                                                    "PATH": "/usr/bin:/bin"}, timeout=300,
                          check=False)
    assert done.returncode == 0, done.stderr
    assert "LOADED []" in done.stdout, done.stdout
