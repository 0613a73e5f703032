"""`make-book import` of EPUBs: one Pandoc makes in the test (notes, an image), and one
make-book built from a sample (skipped without /work/shared): chapters, notes, text kept."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
import yaml
from lxml import etree

from make_book.build import build_book
from make_book.importer.command import import_book

pypandoc = pytest.importorskip("pypandoc")
SAMPLES = Path("/work/shared/samples")
XHTML = "{http://www.w3.org/1999/xhtml}"

PANDOC_BOOK = """---
title: "A Pandoc *Book*"
author: [Ann Author, Bob Author]
lang: de-DE
---

# Erstes Kapitel

Ein Satz mit einer Fußnote.[^a] Und *kursiv* mit $5 und 1. Mai.

![Ein blaues Feld](blue.png)

[^a]: Die Fußnote, mit **fett**.

    Ihr zweiter Absatz.

# Zweites Kapitel

Noch eine.[^b] Ein [Verweis](#erstes-kapitel).

[^b]: Zweite Fußnote.
"""


def test_an_epub_made_by_pandoc(tmp_path):
    from PIL import Image
    Image.new("RGB", (60, 40), (0, 90, 200)).save(tmp_path / "blue.png")
    epub = tmp_path / "pandoc.epub"
    pypandoc.convert_text(PANDOC_BOOK, "epub3", format="markdown", outputfile=str(epub),
                          extra_args=[f"--resource-path={tmp_path}"])
    root, problems = import_book(epub, tmp_path / "book")
    assert root is not None and not problems, [d.format() for d in problems]
    meta = yaml.safe_load((root / "book.yaml").read_text("utf-8"))
    assert meta["title"] == "A Pandoc Book" and meta["lang"] == "de-DE"
    assert meta["author"] == ["Ann Author", "Bob Author"]
    files = sorted(p.name for p in (root / "chapters").iterdir())
    assert files == ["01-erstes-kapitel.md", "02-zweites-kapitel.md"]  # no title page, nav
    one = (root / "chapters" / files[0]).read_text("utf-8")
    two = (root / "chapters" / files[1]).read_text("utf-8")
    heading = re.match(r"# Erstes Kapitel \{#([\w-]+)\}\n\n", one)
    assert heading, one  # with its id, since a link points to it
    assert one[heading.end():].startswith(
        "Ein Satz mit einer Fußnote.[^1] Und *kursiv* mit \\$5 und 1. Mai.")
    assert "[^1]: Die Fußnote, mit **fett**.\n\n    Ihr zweiter Absatz.\n" in one
    assert f"Noch eine.[^2] Ein [Verweis](#{heading.group(1)})." in two
    assert "[^2]: Zweite Fußnote." in two
    [image] = list((root / "images").iterdir())
    assert f"![Ein blaues Feld](images/{image.name})" in one  # Pandoc's figure: a caption
    assert image.read_bytes() == (tmp_path / "blue.png").read_bytes()
    built = build_book(root, ["epub"], tmp_path / "out", strict=True)
    assert built.ok and not built.diagnostics, [d.format() for d in built.diagnostics]


def _chapter_texts(epub: Path) -> list[str]:
    """The text of each chapter of a make-book EPUB (notes included), spaces collapsed."""
    texts = []
    with zipfile.ZipFile(epub) as z:
        for name in sorted(n for n in z.namelist() if re.search(r"/ch-[^/]*\.xhtml$", n)):
            body = etree.fromstring(z.read(name)).find(f"{XHTML}body")
            for sup in body.iter(f"{XHTML}sup"):  # note numbers: renumbered on import
                sup.text = ""
                for child in sup:
                    child.text = ""
            for back in body.xpath(".//*[@role='doc-backlink']"):
                back.text = ""
            texts.append(" ".join("".join(body.itertext()).split()))
    return texts


def _parts(epub: Path) -> list[str]:
    with zipfile.ZipFile(epub) as z:
        return sorted(n for n in z.namelist() if re.search(r"/part-[^/]*\.xhtml$", n))


@pytest.mark.skipif(not SAMPLES.is_dir(), reason="the shared samples are not here")
@pytest.mark.parametrize("name", ["the-communist-manifesto", "flatland"])
def test_a_make_book_epub_of_a_sample_comes_back_with_its_text(tmp_path, name):
    """Notes (the manifesto), parts, a dedication and SVG figures (Flatland): the import
    builds back to the same chapters, parts and text."""
    sample = SAMPLES / name
    first = build_book(sample, ["epub"], tmp_path / "first")
    assert first.ok, [d.format() for d in first.diagnostics]
    epub = next((tmp_path / "first").rglob("*.epub"))
    root, problems = import_book(epub, tmp_path / name)
    assert root is not None and not problems, [d.format() for d in problems]
    chapters = sorted((root / "chapters").iterdir())
    assert chapters[0].name in ("01-preface.md", "01-dedication.md")  # kinds named
    assert len(chapters) == len(list((sample / "chapters").glob("*.md")))
    notes = sum(len(re.findall(r"^\[\^[^\]]+\]:", p.read_text("utf-8"), re.MULTILINE))
                for p in (sample / "chapters").glob("*.md"))
    assert sum(len(re.findall(r"^\[\^\d+\]:", p.read_text("utf-8"), re.MULTILINE))
               for p in chapters) == notes
    again = build_book(root, ["epub"], tmp_path / "again", strict=True)
    assert again.ok and not again.diagnostics, [d.format() for d in again.diagnostics]
    rebuilt = next((tmp_path / "again").rglob("*.epub"))
    assert len(_parts(rebuilt)) == len(_parts(epub))  # parts come back as parts
    for old, new in zip(_chapter_texts(epub), _chapter_texts(rebuilt), strict=True):
        at = next((n for n, (a, b) in enumerate(zip(old, new)) if a != b), None)
        assert old == new, (at, old[max(0, (at or 0) - 80):(at or 0) + 80],
                            new[max(0, (at or 0) - 80):(at or 0) + 80])


def test_an_encrypted_epub_is_refused(tmp_path):
    epub = tmp_path / "drm.epub"
    with zipfile.ZipFile(epub, "w") as z:
        z.writestr("mimetype", "application/epub+zip")
        z.writestr("META-INF/container.xml", "<container/>")
        z.writestr("META-INF/encryption.xml",
                   '<encryption xmlns="urn:oasis:names:tc:opendocument:xmlns:container" '
                   'xmlns:enc="http://www.w3.org/2001/04/xmlenc#"><enc:EncryptedData>'
                   '<enc:EncryptionMethod Algorithm="http://www.w3.org/2001/04/xmlenc#aes128-cbc"/>'
                   '</enc:EncryptedData></encryption>')
    root, problems = import_book(epub, tmp_path / "book")
    assert root is None and [d.code for d in problems] == ["I003"]
    assert problems[0].path == epub and not (tmp_path / "book").exists()


def test_a_broken_epub_is_a_diagnostic(tmp_path):
    epub = tmp_path / "broken.epub"
    with zipfile.ZipFile(epub, "w") as z:
        z.writestr("mimetype", "application/epub+zip")
        z.writestr("META-INF/container.xml", "<container><not-closed></container>")
    root, problems = import_book(epub, tmp_path / "book")
    assert root is None and [d.code for d in problems] == ["I004"], problems


def _calibre_style_epub(path: Path) -> Path:
    """Notes as Calibre leaves them: a notes page of paragraphs whose number links back to
    the call, which links to it; XHTML declared text/html; roles and an ISBN in the OPF."""
    from ebooklib import epub
    book = epub.EpubBook()
    book.set_identifier("backlist-0042")
    book.set_title("Old Backlist: A *Study*")
    book.set_language("en")
    book.add_author("Ann Writer", role="aut", uid="a1")
    book.add_author("Tom Turner", role="trl", uid="t1")
    book.add_metadata("DC", "identifier", "urn:isbn:978-0-306-40615-7", {"id": "isbn"})
    book.add_metadata("DC", "publisher", "Backlist & Sons")
    book.add_metadata("DC", "date", "1999-05-01T00:00:00Z")
    pages = {
        "part0001": '<h2 class="calibre3">Chapter One</h2><p class="calibre1">It began'
                    '<a id="ftnref1" href="part0003.html#ftn1"><sup>[1]</sup></a> here, see '
                    '<a href="part0002.html">the next</a>.</p>',
        "part0002": '<div class="c"><h2>Chapter Two</h2><p>More<a id="ftnref2" '
                    'href="part0003.html#ftn2">[2]</a> text.</p></div>',
        "part0003": '<h2>Notes</h2><p><a id="ftn1" href="part0001.html#ftnref1">[1]</a> The '
                    'first note.</p><div id="ftn2"><p><a href="part0002.html#ftnref2">[2]</a>'
                    ' The second note.</p></div>',
    }
    items = []
    for name, body in pages.items():
        item = epub.EpubHtml(title=name, file_name=f"text/{name}.html", lang="en")
        item.content = f"<html><body>{body}</body></html>"
        book.add_item(item)
        items.append(item)
    book.toc = items[:2]
    book.add_item(epub.EpubNcx())
    book.add_item(epub.EpubNav())
    book.spine = ["nav", *items]
    epub.write_epub(str(path), book)
    return path


def test_calibre_style_notes_roles_and_isbn(tmp_path):
    epub = _calibre_style_epub(tmp_path / "calibre.epub")
    root, problems = import_book(epub, tmp_path / "book")
    assert root is not None and not problems, [d.format() for d in problems]
    files = sorted(p.name for p in (root / "chapters").iterdir())
    assert files == ["01-chapter-one.md", "02-chapter-two.md"]  # the emptied notes page goes
    one, two = ((root / "chapters" / f).read_text("utf-8") for f in files)
    # top entries of the contents: level 1 headings, whatever level the pages used
    heading = re.search(r"^# Chapter Two \{#([\w-]+)\}", two)
    assert heading, two
    assert one == ("# Chapter One\n\nIt began[^1] here, see [the next]"
                   f"(#{heading.group(1)}).\n\n[^1]: The first note.\n")
    assert two.endswith("More[^2] text.\n\n[^2]: The second note.\n")
    meta = yaml.safe_load((root / "book.yaml").read_text("utf-8"))
    assert meta["title"] == "Old Backlist: A \\*Study\\*"
    assert meta["author"] == "Ann Writer" and meta["translator"] == "Tom Turner"
    assert meta["isbn"] == {"epub": "9780306406157"} and meta["identifier"] == "backlist-0042"
    assert meta["date"] == "1999-05-01" and meta["publisher"] == "Backlist & Sons"
    built = build_book(root, ["epub"], tmp_path / "out", strict=True)
    assert built.ok and not built.diagnostics, [d.format() for d in built.diagnostics]
