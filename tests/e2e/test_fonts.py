"""Every script the house style promises, set in its own fonts; a character no font has
stops the print build before anything is laid out."""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from make_book.build import build_book
from make_book.layouts import load_layout
from make_book.render.print import piece_layout
from make_book.render.glyphs import Run, coverage
from tests.conftest import BOOKS

SPECIMEN = BOOKS / "fonts-every-script"
SAMPLES = Path("/work/shared/samples")
EVERY_FAMILY = {"LibertinusSerif", "GentiumPlus", "LibertinusMath", "NotoSansSymbols2",
                "NotoSansMono"}


def pdffonts(path: Path) -> list[list[str]]:
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True,
                         check=True).stdout.splitlines()[2:]
    return [line.split() for line in out]


@pytest.fixture(scope="module")
def specimen(tmp_path_factory):
    root = tmp_path_factory.mktemp("fonts")
    book = shutil.copytree(SPECIMEN, root / "fonts-every-script")
    result = build_book(book, ["pdf", "epub"], root / "out", strict=True)
    assert result.ok, [d.format() for d in result.diagnostics]
    return result


def test_specimen_prints_every_script_in_the_layouts_embedded_fonts(specimen):
    pdf = next(a.path for a in specimen.artifacts if a.format == "pdf")
    rows = pdffonts(pdf)
    assert rows and all(row[-5] == "yes" for row in rows), rows  # emb column
    names = {row[0].split("+", 1)[-1].replace("-", "").replace(",", "") for row in rows}
    for family in EVERY_FAMILY:
        assert any(n.startswith(family) for n in names), (family, names)
    assert not specimen.diagnostics.items  # strict: not even a warning
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    for sample in ("Ἐν ἀρχῇ", "Съешь", "Tiếng Việt", "[ɬ]", "⸺", "⸻", "⟶", "✗",
                   "Γειά σου"):
        assert sample in text, sample


def test_specimen_epub_embeds_the_faces_it_needs(specimen):
    epub = next(a.path for a in specimen.artifacts if a.format == "epub")
    with zipfile.ZipFile(epub) as z:
        fonts = {Path(n).name for n in z.namelist() if n.endswith((".otf", ".ttf"))}
    # the main family whole; of the fallbacks, the faces that set something: the specimen
    # needs Gentium Plus (upright: the em dashes, IPA) but no Noto Sans Symbols (the first)
    assert {f"LibertinusSerif-{s}.otf" for s in ("Regular", "Italic", "Bold", "BoldItalic")
            } <= fonts, fonts
    assert {"GentiumPlus-Regular.ttf", "NotoSansMono-Regular.ttf", "NotoSansMono-Bold.ttf",
            "NotoSansSymbols2-Regular.ttf", "LibertinusMath-Regular.otf"} <= fonts, fonts
    assert "NotoSansSymbols-Regular.ttf" not in fonts, fonts


def test_a_character_in_no_font_stops_print_before_layout(tmp_path, monkeypatch):
    book = tmp_path / "linear-b"
    (book / "chapters").mkdir(parents=True)
    (book / "book.yaml").write_text("title: Tablets\nauthor: A. Scribe\nlang: en\n",
                                    encoding="utf-8")
    (book / "chapters" / "01-one.md").write_text(
        "# One\n\nPlain words.\n\nThe sign \U00010000 reads *a*; again \U00010000,\n"
        "and a private mark \ue000 in `code \ue000`.\n", encoding="utf-8")

    def no_layout(*args, **kwargs):
        raise AssertionError("laid out despite a missing glyph")

    monkeypatch.setattr(piece_layout, "lay_out_piece", no_layout)
    result = build_book(book, ["pdf"], tmp_path / "out")
    assert not result.ok and not result.artifacts
    lines = sorted(d.format(book) for d in result.diagnostics)
    assert lines == [
        "chapters/01-one.md:5: P001 character U+10000 LINEAR B SYLLABLE B008 A (\U00010000) "
        "is in no font of the layout's text chain (Libertinus Serif, Gentium Plus, "
        "Libertinus Math, Noto Sans Symbols, Noto Sans Symbols 2): used 2 times, first "
        "here (hint: replace it, or add a font that has it to the layout's fonts.text "
        "chain)",
        "chapters/01-one.md:6: P001 character U+E000 unnamed character is in no font of "
        "the layout's text chain (Libertinus Serif, Gentium Plus, Libertinus Math, Noto "
        "Sans Symbols, Noto Sans Symbols 2): used 2 times, first here (hint: replace it, "
        "or add a font that has it to the layout's fonts.text chain)",
    ], lines


@pytest.mark.skipif(not SAMPLES.is_dir(), reason="needs the sample books in /work/shared")
@pytest.mark.parametrize("name", sorted(p.name for p in SAMPLES.glob("*")
                                        if (p / "book.yaml").is_file())
                         if SAMPLES.is_dir() else [])
def test_sample_books_have_no_missing_glyph(name, tmp_path):
    """Every character of the sample's files (a superset of what it prints: the Markdown
    is read as text, not parsed), in each of the four styles."""
    root = SAMPLES / name
    files = [root / "book.yaml", *sorted((root / "chapters").rglob("*.md"))]
    runs = [Run(path.read_text(encoding="utf-8"), path, italic, bold)
            for path in files for italic in (False, True) for bold in (False, True)]
    found = coverage(runs, load_layout(tmp_path, "default"))
    assert found.missing == {}, {f"U+{ord(c):04X}": m.count for c, m in found.missing.items()}
