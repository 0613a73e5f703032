"""Every problem that can be found before layout is found in one run: errors in book.yaml
do not stop the chapters from being read, nor a chapter's errors the book-wide checks
(links across files), nor either the layout's checks."""

from __future__ import annotations

from tests.security.bookcase import (
    BASE_YAML,
    assert_clean_result,
    build,
    diagnostic_lines,
    write_book,
)

ONE = ("# One {#one}\n\nA note[^missing], ![A figure](images/none.png)\n\n"
       "and a [link](#nowhere).\n")
TWO = "# Two {#two}\n\nBack to [one](#one).\n"


def codes(result) -> list[str]:
    return [line.split(" ")[1] for line in diagnostic_lines(result)]


def test_bad_isbn_missing_image_undefined_note_and_broken_link_in_one_run(tmp_path):
    book = write_book(tmp_path / "book", {"chapters/01-one.md": ONE, "chapters/02-two.md": TWO},
                      BASE_YAML + "isbn: {epub: 978-0-306-40615-8}\n")
    result = build(book, tmp_path / "out")
    assert_clean_result(result)
    assert result.exit_code == 1
    lines = diagnostic_lines(result)
    assert lines[0].startswith("book.yaml:4: M012 isbn.epub 978-0-306-40615-8 has a wrong "
                               "check digit")
    assert any(x.startswith("chapters/01-one.md:3: C040 note [^missing]") for x in lines)
    assert any(x.startswith("chapters/01-one.md:3: A008 image images/none.png not found")
               for x in lines)
    assert any(x.startswith("chapters/01-one.md:5: C050 link to #nowhere") for x in lines)
    assert len(lines) == 4, result.stderr


def test_a_contents_error_does_not_hide_the_other_chapters(tmp_path):
    yaml = BASE_YAML + ("contents:\n  - chapters/01-one.md\n  - chapters/gone.md\n"
                        "  - part: Part Two\n    contents: [chapters/02-two.md, notes.txt]\n")
    two = "# Two\n\nA note[^none] here.\n"
    book = write_book(tmp_path / "book", {"chapters/01-one.md": "# One\n\nFine.\n",
                                          "chapters/02-two.md": two}, yaml)
    result = build(book, tmp_path / "out")
    assert_clean_result(result)
    assert result.exit_code == 1
    assert codes(result) == ["M015", "M024", "C040"], result.stderr
    assert "chapters/02-two.md:3: C040 note [^none]" in result.stderr


def test_a_missing_title_and_bad_lang_do_not_hide_chapter_errors(tmp_path):
    book = write_book(tmp_path / "book", {"chapters/01-one.md": "# One\n\nA[^x].\n"},
                      "author: A. Writer\nlang: en_GB\n")
    result = build(book, tmp_path / "out")
    assert_clean_result(result)
    assert result.exit_code == 1
    assert sorted(codes(result)) == ["C040", "M011", "M013"], result.stderr


def test_without_a_known_reading_order_no_chapter_is_guessed(tmp_path):
    # `contents` of the wrong type: reading every .md file instead would report on drafts
    book = write_book(tmp_path / "book", {"chapters/01-one.md": "# One\n\nA[^x].\n",
                                          "drafts/old.md": "# Old\n\nB[^y].\n"},
                      BASE_YAML + "contents: 5\n")
    result = build(book, tmp_path / "out")
    assert_clean_result(result)
    assert result.exit_code == 1
    assert codes(result) == ["M017"], result.stderr


def test_layout_problems_join_the_chapters(tmp_path):
    book = write_book(tmp_path / "book", {"chapters/01-one.md": "# One\n\nA[^x].\n",
                                          "layout/layout.yaml": "- not a mapping\n"},
                      BASE_YAML)
    result = build(book, tmp_path / "out")
    assert_clean_result(result)
    assert result.exit_code == 1
    assert sorted(codes(result)) == ["C040", "L002"], result.stderr


def test_metadata_markup_problems_are_reported_at_their_key(tmp_path):
    yaml = BASE_YAML + "rights: 'Free <b onclick=\"x()\">now</b>'\nsubtitle: '- a list'\n"
    book = write_book(tmp_path / "book", {"chapters/01-one.md": "# One\n\nFine.\n"}, yaml)
    result = build(book, tmp_path / "out")
    assert_clean_result(result)
    assert result.exit_code == 1
    lines = diagnostic_lines(result)
    assert lines == [
        "book.yaml:4: C032 rights: removed event handler onclick on <b> (hint: raw HTML may "
        "not run scripts)",
        "book.yaml:5: M040 warning: subtitle: holds a list: it is printed as a line, so only "
        "its text is kept (hint: write the value as one paragraph of text, or escape the "
        "character that starts the block (\\#, \\-, 1\\.))"], result.stderr


def test_template_and_stylesheet_faults_are_found_before_layout(tmp_path):
    broken = ('{% extends "epub/base.xhtml" %}\n{% block content %}\n'
              "<p>{{ meta.title }</p>\n{% endblock %}\n")
    book = write_book(tmp_path / "book", {
        "chapters/01-one.md": "# One\n\nA[^x].\n",
        "layout/templates/epub/titlepage.xhtml": broken,
        "layout/css/epub.css": "body { background: url(https://tracker.example/p.png); }\n",
    }, BASE_YAML)
    result = build(book, tmp_path / "out")
    assert_clean_result(result)
    assert result.exit_code == 1
    lines = diagnostic_lines(result)
    assert "layout/templates/epub/titlepage.xhtml:3: E030 template epub/titlepage.xhtml does " \
        "not compile: unexpected '}'" in "\n".join(lines), result.stderr
    assert sorted(codes(result)) == ["C040", "E010", "E030"], result.stderr


def test_links_into_a_chapter_left_out_of_contents_are_not_reported(tmp_path):
    # the part lacks its title: it is left out with its chapter, which holds #two
    yaml = BASE_YAML + ("contents:\n  - chapters/01-one.md\n"
                        "  - contents: [chapters/02-two.md]\n")
    book = write_book(tmp_path / "book", {
        "chapters/01-one.md": "# One\n\nSee [two](#two) and a[^x].\n",
        "chapters/02-two.md": "# Two {#two}\n\nText.\n"}, yaml)
    result = build(book, tmp_path / "out")
    assert_clean_result(result)
    assert result.exit_code == 1
    assert codes(result) == ["M011", "C040"], result.stderr
