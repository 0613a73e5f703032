"""The book's tree from contents: and heading levels across files (Pandoc's --split-level)."""

from __future__ import annotations

import textwrap

import pytest

from make_book.errors import Diagnostics, MakeBookError
from make_book.manuscript.book import load_book
from make_book.model import Chapter, Part

QUOTE = "> Patience is a slow and quiet art.\n>\n> A. Proverb\n"


def write_book(tmp_path, files: dict[str, str], yaml_extra: str = "", lang: str = "en"):
    root = tmp_path / "book"
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(textwrap.dedent(text).lstrip("\n"))
    (root / "book.yaml").write_text(f"title: Test\nlang: {lang}\n" + textwrap.dedent(yaml_extra))
    return root


def load(tmp_path, files, yaml_extra="", lang="en"):
    diagnostics = Diagnostics()
    book = load_book(write_book(tmp_path, files, yaml_extra, lang), diagnostics)
    return book, [d.format(relative_to=book.root) for d in diagnostics]


def outline(items) -> list:
    """(kind or 'part', title, [children]) for a compact comparison."""
    out = []
    for item in items:
        if isinstance(item, Part):
            out.append(("part", item.title, outline(item.items)))
        else:
            out.append((item.kind, item.title))
    return out


def test_a_shallower_file_opens_a_part_holding_the_deeper_files_after_it(tmp_path):
    book, diags = load(tmp_path, {
        "chapters/01-dedication.md": "To my teachers,\\\nwho were patient.\n",
        "chapters/02-preface.md": "# Preface\n\nWhy this book.\n",
        "chapters/03-part-1.md": "# Part One: The Plain\n\n" + QUOTE,
        "chapters/04.md": "## I: The Square\n\nText.\n",
        "chapters/05.md": "## II: The Line\n\nText.\n",
        "chapters/06-part-2.md": "# Part Two: The Sphere\n",
        "chapters/07.md": "## III: The Visit\n\nText.\n",
    })
    assert diags == []
    assert outline(book.items) == [
        ("dedication", "Dedication"), ("preface", "Preface"),
        ("part", "Part One: The Plain", [("chapter", "I: The Square"),
                                        ("chapter", "II: The Line")]),
        ("part", "Part Two: The Sphere", [("chapter", "III: The Visit")])]
    part = book.items[2]
    assert part.depth == 1 and part.id == "part-one-the-plain"
    # the epigraph under the part's heading is the part's opening page, not a chapter
    assert part.opening is not None and "<blockquote>" in part.opening.body.xml
    assert part.opening.kind == "part" and part.opening in book.chapters
    assert book.items[3].opening is None  # a heading alone: nothing to print under it
    first = part.items[0]
    assert (first.part_id, first.depth, first.numbered) == (part.id, 1, False)
    assert book.chapters[0].matter == "front" and book.chapters[1].matter == "front"


def test_nested_part_entries_keep_the_book_levels_of_their_files(tmp_path):
    book, diags = load(tmp_path, {
        "c/00-epigraph.md": QUOTE,
        "c/01.md": "### I: Arrival\n\nText.\n\n#### A Scene\n\nMore.\n",
        "c/02.md": "### II: Departure\n\nText.\n",
        "c/03.md": "### I: The Trial\n\nText.\n",
        "c/04.md": "## I: Afterwards\n\nText.\n",
    }, """\
        contents:
          - c/00-epigraph.md
          - part: Part I
            contents:
              - part: "Book I: The Town"
                contents: [c/01.md, c/02.md]
              - part: "Book II: The Court"
                contents: [c/03.md]
          - part: Epilogue
            contents: [c/04.md]
        """)
    assert diags == []
    assert outline(book.items) == [
        ("epigraph", "Epigraph"),
        ("part", "Part I", [
            ("part", "Book I: The Town", [("chapter", "I: Arrival"),
                                          ("chapter", "II: Departure")]),
            ("part", "Book II: The Court", [("chapter", "I: The Trial")])]),
        ("part", "Epilogue", [("chapter", "I: Afterwards")])]
    arrival = book.items[1].items[0].items[0]
    assert arrival.depth == 2 and arrival.part_id == "part-book-i-the-town"
    # ### is this book's chapter level: its #### is a section (h2), not a sub-sub-section
    assert [h.level for h in arrival.headings] == [1, 2]
    assert "<h2" in arrival.body.xml and "<h4" not in arrival.body.xml
    assert [p.depth for p in book.parts] == [1, 2, 2, 1]


def test_chapter_files_under_a_part_entry_may_start_with_a_level_one_heading(tmp_path):
    book, diags = load(tmp_path, {
        "c/01.md": "# The Trials\n\n## The First\n\nText.\n",
        "c/02.md": "# The Opposition\n\nText.\n",
    }, "contents:\n  - part: Part One\n    contents: [c/01.md, c/02.md]\n")
    assert diags == []
    assert outline(book.items) == [("part", "Part One", [("chapter", "The Trials"),
                                                          ("chapter", "The Opposition")])]
    trials = book.items[0].items[0]
    assert [h.level for h in trials.headings] == [1, 2] and trials.label is None


def test_a_file_may_hold_several_chapters_each_numbering_its_own_notes(tmp_path):
    book, diags = load(tmp_path, {
        "c/01-part.md": "# Part One\n",
        "c/02-two.md": """
            ## The First

            Text with a note.[^a]

            ### A Section

            More.

            ## The Second

            Another note.[^b] And again.[^a]

            [^a]: Shared.
            [^b]: Only here.
            [^c]: Never called.
            """,
    })
    first, second = book.items[0].items
    assert (first.title, second.title) == ("The First", "The Second")
    assert first.file_id != second.file_id
    assert [h.text for h in first.headings] == ["The First", "A Section"]
    assert [n.number for n in first.notes] == [1] and [n.number for n in second.notes] == [1, 2]
    assert "Only here" in second.notes[0].body.xml
    # defined in the file but called by none of its chapters: reported once
    assert [d for d in diags if "C041" in d] == [
        "c/02-two.md:15: C041 warning: note [^c] is defined but never called"]


def test_one_chapter_with_its_sections_stays_one_chapter(tmp_path):
    book, diags = load(tmp_path, {"c/01.md": "# One\n\n## A\n\nText.\n\n## B\n\nText.\n",
                                  "c/02.md": "# Two\n\nText.\n"})
    assert outline(book.items) == [("chapter", "One"), ("chapter", "Two")]
    assert [h.text for h in book.items[0].headings] == ["One", "A", "B"]


@pytest.mark.parametrize(("lang", "title", "kind"), [
    ("en", "Preface to the Second Edition, 1884", "preface"),
    ("en", "Epilogue", "epilogue"),
    ("en", "Appendix A: Sources", "appendix"),
    ("en", "Acknowledgements", "acknowledgments"),
    ("de", "Vorwort", "preface"),
    ("de", "Nachwort", "afterword"),
    ("fr", "Avant-propos", "foreword"),
    ("ru", "Предисловие", "preface"),
    ("en", "The Looms", "chapter"),
])
def test_kind_inferred_from_the_title_in_the_book_language(tmp_path, lang, title, kind):
    book, _ = load(tmp_path, {"c/01.md": f"# {title}\n\nText.\n"}, lang=lang)
    assert book.chapters[0].kind == kind


def test_a_yaml_kind_wins_over_the_title(tmp_path):
    book, _ = load(tmp_path, {"c/01.md": "---\nkind: chapter\n---\n# Preface\n\nText.\n"})
    assert book.chapters[0].kind == "chapter"


def test_front_matter_and_numbered_titles_get_no_chapter_number(tmp_path):
    from make_book.transforms import run
    book, _ = load(tmp_path, {
        "c/01.md": "# Introduction\n\nText.\n",
        "c/02.md": "# The Looms\n\nText.\n",
        "c/03.md": "# Chapter 2\n\nText.\n",
        "c/04.md": "# 3. The Trials\n\nText.\n",
        "c/05.md": "# The Strike\n\nText.\n",
        "c/06.md": "# Appendix A: Sources\n\nText.\n",
        "c/07.md": "# Glossary\n\nText.\n",
    })
    book = run(book, Diagnostics())
    assert [c.label for c in book.chapters] == [None, "1", None, None, "2", None, None]


def test_a_translators_note_after_the_text_is_back_matter(tmp_path):
    book, _ = load(tmp_path, {"c/01.md": "# Translator’s Note\n\nText.\n",
                              "c/02.md": "# The Looms\n\nText.\n",
                              "c/03.md": "# Translator’s Note\n\nText.\n"})
    assert [c.matter for c in book.chapters] == ["front", "body", "back"]


def test_an_unnamed_long_text_after_the_first_chapter_needs_a_title(tmp_path):
    with pytest.raises(MakeBookError) as exc:
        load(tmp_path, {"c/01.md": "# One\n\nText.\n", "c/02.md": "Words without a heading.\n"})
    assert [d.code for d in exc.value.diagnostics] == ["C010"]


def test_an_unnamed_file_takes_its_yaml_title(tmp_path):
    book, diags = load(tmp_path, {"c/01.md": "---\ntitle: A Word First\n---\nText.\n",
                                  "c/02.md": "# One\n\nText.\n"})
    assert diags == [] and book.chapters[0].title == "A Word First"


def test_markdown_files_left_out_of_contents_are_warned(tmp_path):
    _, diags = load(tmp_path, {"c/01.md": "# One\n\nText.\n", "c/02.md": "# Two\n",
                               "README.md": "# About\n", "layout/notes.md": "x\n"},
                    "contents: [c/01.md]\n")
    assert diags == ["book.yaml: C072 warning: c/02.md is in the book folder but not in `contents:`; "
                     "it is left out of the book (hint: list it under `contents:`, or move "
                     "it out of the book folder)"]


def test_book_chapters_flatten_nested_parts_in_reading_order(tmp_path):
    book, _ = load(tmp_path, {"c/01.md": "# Part A\n\n" + QUOTE, "c/02.md": "## One\n",
                              "c/03.md": "## Two\n"})
    assert [c.kind for c in book.chapters] == ["part", "chapter", "chapter"]
    assert all(isinstance(c, Chapter) for c in book.chapters)
    assert [p.title for p in book.parts] == ["Part A"]


def test_an_unnamed_file_takes_the_title_of_its_contents_entry(tmp_path):
    book, diags = load(tmp_path, {"c/01.md": "# One\n\nText.\n",
                                  "c/02.md": "Words without a heading.\n"},
                       "contents:\n  - c/01.md\n  - {file: c/02.md, title: Afterword}\n")
    assert diags == []
    assert [(c.title, c.kind) for c in book.chapters] == [("One", "chapter"),
                                                          ("Afterword", "afterword")]


def test_titles_in_contents_are_typeset_with_their_markup(tmp_path):
    """A part entry's title and a file entry's are typeset Markdown: the model gets the
    plain text and the markup's tree; the kind is read from the typeset text, the part's
    id from the title as written (as before titles were typeset)."""
    book, diags = load(tmp_path, {"c/01.md": "# One\n\nText.\n",
                                  "c/02.md": "Words without a heading.\n"},
                       "contents:\n  - part: \"The *Sea's* Part\"\n    contents: [c/01.md]\n"
                       "  - {file: c/02.md, title: \"*Translator's* Note\"}\n")
    assert diags == []
    [part] = book.parts
    assert (part.id, part.title, part.title_markup.xml) == (
        "part-the-sea-s-part", "The Sea\u2019s Part", "The <em>Sea\u2019s</em> Part")
    note = book.chapters[1]
    assert (note.title, note.title_markup.xml, note.kind) == (
        "Translator\u2019s Note", "<em>Translator\u2019s</em> Note", "preface")


def test_an_empty_file_is_no_dedication(tmp_path):
    with pytest.raises(MakeBookError) as exc:
        load(tmp_path, {"c/00.md": "\n", "c/01.md": "# One\n\nText.\n"})
    assert [d.code for d in exc.value.diagnostics] == ["C010"]


def test_a_yaml_titled_file_starting_with_a_section_stays_a_chapter(tmp_path):
    book, diags = load(tmp_path, {
        "c/01.md": "# Counting\n\nText.\n\n## A Section\n\nMore.\n",
        "c/02.md": "---\ntitle: A Note on the Texts\nkind: appendix\n---\n\n## Sources\n\nText.\n"})
    assert diags == []
    assert outline(book.items) == [("chapter", "Counting"), ("appendix", "A Note on the Texts")]
    assert [h.text for h in book.chapters[1].headings] == ["A Note on the Texts", "Sources"]


def test_a_short_piece_addressed_to_someone_before_the_text_is_a_dedication(tmp_path):
    long_text = "They walked to the station in the rain. " * 300
    book, _ = load(tmp_path, {
        "c/01.md": "# Preface\n\nWhy this book.\n",
        "c/02.md": "# To the Weavers of the Valley\n\nTo you I give this book.\n",
        "c/03.md": "# The Mills\n\nText.\n",
        "c/04.md": "# To Moscow\n\nA short chapter after the text began.\n"})
    assert [c.kind for c in book.chapters] == ["preface", "dedication", "chapter", "chapter"]
    assert not book.chapters[1].numbered
    # a long opening chapter called "To Moscow" stays a chapter
    book, _ = load(tmp_path / "novel", {"c/01.md": f"# To Moscow\n\n{long_text}\n"})
    assert book.chapters[0].kind == "chapter"
