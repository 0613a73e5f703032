"""`make-book import` of Word files the tests make, one feature each: the Markdown it
writes, what Pandoc reads back from it, and a strict build of the imported tree."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from make_book.build import build_book
from make_book.cli import app
from make_book.importer.command import import_book

from .word_files import WordFile, png_bytes

runner = CliRunner()


def imported(tmp_path: Path, word: WordFile, split_level: int = 1) -> tuple[Path, dict]:
    docx_path = word.save(tmp_path / "book.docx")
    root, problems = import_book(docx_path, tmp_path / "book", split_level)
    assert root is not None, [d.format() for d in problems]
    assert not problems, [d.format() for d in problems]
    chapters = {p.name: p.read_text("utf-8") for p in sorted((root / "chapters").iterdir())}
    return root, chapters


def builds(root: Path, tmp_path: Path, formats=("epub",)) -> None:
    built = build_book(root, list(formats), tmp_path / "out", strict=True)
    assert built.ok, [d.format() for d in built.diagnostics]
    assert not built.diagnostics, [d.format() for d in built.diagnostics]


def chapter_one(title: str = "Chapter One") -> WordFile:
    word = WordFile()
    word.doc.core_properties.title = "A Test Book"
    word.doc.core_properties.comments = ""
    word.doc.add_heading(title, 1)
    return word


FEATURES = {
    "italics": ([("slanted", {"italic": True}), " words"], "*slanted* words"),
    "bold": (["some ", ("heavy", {"bold": True})], "some **heavy**"),
    "small caps": ([("Mr Smith", {"small_caps": True}), " came"],
                   "[Mr Smith]{.smallcaps} came"),
    "german run": (["the ", ("Weltanschauung", {"lang": "de-DE"}), " of"],
                   "the [Weltanschauung]{lang=de-DE} of"),
    "russian run": (["the word ", ("правда", {"lang": "ru-RU", "italic": True})],
                    "the word *[правда]{lang=ru-RU}*"),
    "footnote": (["A claim", ("", {"footnote": "The source of it."}), " made."],
                 "A claim[^1] made.\n\n[^1]: The source of it."),
    "endnote": (["Later", ("", {"endnote": "An endnote's text."})],
                "Later[^1]\n\n[^1]: An endnote's text."),
    "special characters": (["1. $5 *not* [a] <b> @x ~y~ ^z^ a_b | \\"],
                           r"1\. \$5 \*not\* \[a\] \<b\> \@x \~y\~ \^z\^ a\_b \| \\"),
}


@pytest.mark.parametrize("feature", FEATURES)
def test_each_inline_feature_is_imported_and_builds(feature, tmp_path):
    runs, expected = FEATURES[feature]
    word = chapter_one()
    word.para(*runs)
    root, chapters = imported(tmp_path, word)
    assert chapters["01-chapter-one.md"] == f"# Chapter One\n\n{expected}\n"
    builds(root, tmp_path)


def test_lists_nested_and_numbered(tmp_path):
    word = chapter_one()
    word.list_item("first")
    word.list_item("inner", level=1)
    word.list_item("innermost", level=2)
    word.list_item("second")
    word.para("Between.")
    word.list_item("one", ordered=True)
    word.list_item("two", ordered=True)
    root, chapters = imported(tmp_path, word)
    assert chapters["01-chapter-one.md"] == (
        "# Chapter One\n\n-   first\n    -   inner\n        -   innermost\n-   second\n\n"
        "Between.\n\n1.  one\n2.  two\n")
    builds(root, tmp_path)


def test_block_quote(tmp_path):
    word = chapter_one()
    word.para("Said before.")
    word.para("A quoted paragraph.", style="Quote")
    word.para("Another, quoted.", style="Intense Quote")
    root, chapters = imported(tmp_path, word)
    # consecutive quoted paragraphs are one quotation (mammoth's blockquote > p)
    assert "Said before.\n\n> A quoted paragraph.\n>\n> Another, quoted.\n" \
        in chapters["01-chapter-one.md"]
    builds(root, tmp_path)


def test_tables_pipe_for_plain_cells(tmp_path):
    word = chapter_one()
    table = word.doc.add_table(rows=2, cols=2)
    for (r, c), text in {(0, 0): "Year", (0, 1): "Copies | sold", (1, 0): "1848",
                         (1, 1): "*many*"}.items():
        table.cell(r, c).text = text
    root, chapters = imported(tmp_path, word)
    assert "|  |  |\n|---|---|\n| Year | Copies \\| sold |\n| 1848 | \\*many\\* |" \
        in chapters["01-chapter-one.md"]
    builds(root, tmp_path)


def test_image_into_images_with_its_alt_text(tmp_path):
    word = chapter_one()
    word.para("Before the figure.")
    word.doc.add_picture(io.BytesIO(png_bytes()))
    word.doc.inline_shapes[0]._inline.docPr.set("descr", "A red field")
    root, chapters = imported(tmp_path, word)
    # Word's alt text describes the image; it is no caption
    assert '![](images/image-1.png){alt="A red field"}' in chapters["01-chapter-one.md"]
    assert (root / "images" / "image-1.png").read_bytes() == png_bytes()
    builds(root, tmp_path)


def test_headings_split_at_the_chosen_level_and_kinds_named(tmp_path):
    word = WordFile()
    word.doc.core_properties.title = "Levels"
    word.doc.add_heading("Preface", 1)
    word.para("Why.")
    word.doc.add_heading("Part One", 1)
    word.doc.add_heading("The First Chapter", 2)
    word.para("Text one.")
    word.doc.add_heading("A section", 3)
    word.para("Text two.")
    word.doc.add_heading("Appendix", 1)
    word.para("More.")
    _, by_one = imported(tmp_path / "one", word) if (tmp_path / "one").mkdir() is None else ()
    assert list(by_one) == ["01-preface.md", "02-part-one.md", "03-appendix.md"]
    assert "## The First Chapter" in by_one["02-part-one.md"]
    root, by_two = imported(tmp_path, word, split_level=2)
    assert list(by_two) == ["01-preface.md", "02-part-one.md", "03-the-first-chapter.md",
                            "04-appendix.md"]
    assert by_two["03-the-first-chapter.md"].startswith(
        "## The First Chapter\n\nText one.\n\n### A section")
    builds(root, tmp_path)


def test_properties_to_book_yaml(tmp_path):
    word = WordFile(lang="de-DE")
    props = word.doc.core_properties
    props.title = 'Das "Kapital": Band *1*'
    props.author = "Karl Marx; Friedrich Engels"
    props.subject = "Economics"
    props.keywords = "capital, labour"
    props.comments = "A critique of political economy."
    word.doc.add_heading("Vorwort", 1)
    word.para("Text.")
    root, _ = imported(tmp_path, word)
    meta = yaml.safe_load((root / "book.yaml").read_text("utf-8"))
    assert meta["title"] == 'Das "Kapital": Band \\*1\\*'  # Markdown: the stars are text
    assert meta["author"] == ["Karl Marx", "Friedrich Engels"]
    assert meta["lang"] == "de-DE" and meta["subject"] == "Economics"
    assert meta["keywords"] == ["capital", "labour"]
    assert meta["description"] == "A critique of political economy."
    assert meta["contents"] == ["chapters/01-preface.md"]  # "Vorwort" says preface in German
    text = (root / "book.yaml").read_text("utf-8")
    assert "# publisher:" in text and "# isbn:" in text  # left to fill in, never guessed
    builds(root, tmp_path)


def test_every_feature_in_one_file_builds_in_both_formats(tmp_path):
    word = WordFile()
    word.doc.core_properties.title = "Everything"
    word.doc.core_properties.author = "A. Writer"
    word.doc.add_heading("Introduction", 1)
    word.para("Plain, ", ("italic", {"italic": True}), ", ", ("bold", {"bold": True}), ", ",
              ("caps", {"small_caps": True}), ", ", ("Haus", {"lang": "de-DE"}), ", ",
              ("дом", {"lang": "ru-RU"}), ".", ("", {"footnote": "A footnote."}))
    word.doc.add_heading("The Chapter", 1)
    word.list_item("one")
    word.list_item("nested", level=1)
    word.para("A quotation.", style="Quote")
    word.para("Closing", ("", {"endnote": "An endnote."}))
    root, chapters = imported(tmp_path, word)
    assert list(chapters) == ["01-introduction.md", "02-the-chapter.md"]
    builds(root, tmp_path, ("epub", "pdf"))


# -- what is refused ------------------------------------------------------------------

def test_refuses_a_non_empty_folder_and_leaves_it_alone(tmp_path):
    source = chapter_one().save(tmp_path / "a.docx")
    into = tmp_path / "book"
    into.mkdir()
    (into / "keep.md").write_text("mine", encoding="utf-8")
    result = runner.invoke(app, ["import", str(source), "--into", str(into)])
    assert result.exit_code == 1 and "I005" in result.output
    assert sorted(p.name for p in into.iterdir()) == ["keep.md"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.docx", "book"]  # no scratch


def test_an_empty_folder_is_filled(tmp_path):
    source = chapter_one().save(tmp_path / "a.docx")
    (tmp_path / "book").mkdir()
    result = runner.invoke(app, ["import", str(source), "--into", str(tmp_path / "book")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "book" / "book.yaml").is_file()


@pytest.mark.parametrize("content, code", [
    (b"just some text, not a document", "I002"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "I003"),  # encrypted / .doc
    (b"PK\x03\x04 broken", "I002"),
])
def test_bad_input_is_a_diagnostic_naming_the_file(tmp_path, content, code):
    bad = tmp_path / "bad.docx"
    bad.write_bytes(content)
    result = runner.invoke(app, ["import", str(bad), "--into", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert f"bad.docx: {code} " in result.output and "Traceback" not in result.output
    assert not (tmp_path / "out").exists()


def test_a_broken_word_package_is_a_diagnostic(tmp_path):
    source = chapter_one().save(tmp_path / "a.docx")
    data = io.BytesIO()
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(data, "w") as new:
        for info in old.infolist():
            body = old.read(info)
            new.writestr(info, body[:40] if info.filename == "word/document.xml" else body)
    source.write_bytes(data.getvalue())
    result = runner.invoke(app, ["import", str(source), "--into", str(tmp_path / "out")])
    assert result.exit_code == 1 and "a.docx: I004 " in result.output, result.output
    assert "Traceback" not in result.output and not (tmp_path / "out").exists()


def test_a_missing_file(tmp_path):
    result = runner.invoke(app, ["import", str(tmp_path / "none.docx"),
                                 "--into", str(tmp_path / "out")])
    assert result.exit_code == 1 and "I001" in result.output


@pytest.mark.parametrize("opening, kind", [("To my teachers.", "dedication"),
                                           ("For my teachers.", "epigraph")])
def test_text_before_the_first_heading_is_a_piece_of_its_own(tmp_path, opening, kind):
    word = WordFile()
    word.doc.core_properties.title = "Front"
    word.para(opening)
    word.doc.add_heading("Chapter One", 1)
    word.para("Text.")
    root, chapters = imported(tmp_path, word)
    assert list(chapters) == [f"01-{kind}.md", "02-chapter-one.md"]
    # an address is a dedication, as the build infers; else an epigraph, said to be checked
    assert f"kind: {kind}\n---\n\n{opening}\n" in chapters[f"01-{kind}.md"]
    builds(root, tmp_path)


def test_merged_cells_are_a_grid_table_with_spans(tmp_path):
    word = chapter_one()
    table = word.doc.add_table(rows=3, cols=3)
    table.cell(0, 0).merge(table.cell(0, 1)).text = "across two"
    table.cell(1, 2).merge(table.cell(2, 2)).text = "down two"
    for r, c in ((0, 2), (1, 0), (1, 1), (2, 0), (2, 1)):
        table.cell(r, c).text = f"r{r}c{c}"
    root, chapters = imported(tmp_path, word)
    text = chapters["01-chapter-one.md"]
    assert "| across two " in text and "+-" in text
    assert pypandoc_spans(text) == [("across two", "2", None), ("down two", None, "2")]
    builds(root, tmp_path)


def pypandoc_spans(md: str) -> list[tuple]:
    pypandoc = pytest.importorskip("pypandoc")
    import lxml.html
    html = pypandoc.convert_text(md, "html5", format="markdown")
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    return [(td.text_content().strip(), td.get("colspan"), td.get("rowspan"))
            for td in root.xpath("//td[@colspan or @rowspan]")]


def test_title_and_subtitle_paragraphs_when_the_properties_have_none(tmp_path):
    word = WordFile(lang=None)
    word.doc.core_properties.title = ""
    word.doc.core_properties.comments = ""
    word.doc.add_paragraph("The Paragraph Title", style="Title")
    word.doc.add_paragraph("and its subtitle", style="Subtitle")
    word.doc.add_heading("Chapter One", 1)
    word.para("Text.")
    docx_path = word.save(tmp_path / "t.docx")
    root, problems = import_book(docx_path, tmp_path / "book", lang="fr")
    assert root is not None and not problems
    meta = yaml.safe_load((root / "book.yaml").read_text("utf-8"))
    assert meta["title"] == "The Paragraph Title" and meta["subtitle"] == "and its subtitle"
    chapter = (root / "chapters" / "01-chapter-one.md").read_text("utf-8")
    assert chapter == "# Chapter One\n\nText.\n"  # the title is not text of the book


def test_an_image_of_an_unusable_type_is_left_out_with_a_warning(tmp_path):
    word = chapter_one()
    word.para("Before.")
    word.doc.add_picture(io.BytesIO(png_bytes()))
    source = word.save(tmp_path / "emf.docx")
    data = io.BytesIO()
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(data, "w") as new:
        for info in old.infolist():  # the picture declared as a Windows metafile
            body = old.read(info)
            name = info.filename
            if name.endswith(".png"):
                name = name[:-4] + ".emf"
            elif name in ("word/_rels/document.xml.rels", "[Content_Types].xml"):
                body = body.replace(b".png", b".emf").replace(
                    b'Extension="png" ContentType="image/png"',
                    b'Extension="emf" ContentType="image/x-emf"')
            new.writestr(name, body)
    source.write_bytes(data.getvalue())
    root, problems = import_book(source, tmp_path / "book")
    assert root is not None
    assert [(d.code, d.is_error) for d in problems] == [("I020", False)]
    assert "image/x-emf" in problems[0].message
    assert not list((root / "images").iterdir())
    assert "![" not in (root / "chapters" / "01-chapter-one.md").read_text("utf-8")


def test_runs_are_marked_against_the_books_language(tmp_path):
    """A German book whose Word template defaults to English: German runs are the book's
    language, English ones are marked."""
    word = WordFile(lang="de-DE")
    word.doc.core_properties.title = "Buch"
    word.doc.add_heading("Kapitel", 1)
    word.para(("Das Haus", {"lang": "de-DE"}), " und ", ("the house", {"lang": "en-GB"}))
    _, chapters = imported(tmp_path, word)
    assert chapters["01-kapitel.md"] == "# Kapitel\n\nDas Haus und [the house]{lang=en-GB}\n"


def test_a_file_without_headings_is_one_chapter_titled_as_the_book(tmp_path):
    word = WordFile()
    word.doc.core_properties.title = "No Headings: A *Draft*"
    word.para("First paragraph.")
    word.para("Second paragraph.")
    source = word.save(tmp_path / "flat.docx")
    root, problems = import_book(source, tmp_path / "book")
    assert root is not None and [d.code for d in problems] == ["I024"]
    text = (root / "chapters" / "01-no-headings-a-draft.md").read_text("utf-8")
    assert 'title: "No Headings: A \\\\*Draft\\\\*"\n---\n\nFirst paragraph.' in text
    builds(root, tmp_path)
