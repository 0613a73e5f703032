"""book.yaml loading: every problem at once, each as `path:line: CODE message`."""

import datetime as dt
import os
import textwrap

import pytest

from make_book.config.load import load_book_metadata, read_book_metadata
from make_book.errors import MakeBookError
from make_book.config.metadata import Contributor

FILES = ("chapters/01.md", "chapters/02.md", "chapters/03.md", "images/cover.jpg")


def book(tmp_path, yaml_text, files=FILES):
    root = tmp_path / "book"
    for rel in files:
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text("x")
    root.mkdir(exist_ok=True)
    (root / "book.yaml").write_text(textwrap.dedent(yaml_text).lstrip())
    return root


def problems(tmp_path, yaml_text, files=FILES):
    """Every diagnostic, formatted relative to the book folder."""
    root = book(tmp_path, yaml_text, files)
    with pytest.raises(MakeBookError) as exc:
        load_book_metadata(root)
    return [d.format(relative_to=root) for d in exc.value.diagnostics]


def codes(tmp_path, yaml_text, files=FILES):
    return [line.split(": ")[1].split()[0] + "@" + line.split(":")[1]
            for line in problems(tmp_path, yaml_text, files)]


def ok(tmp_path, yaml_text, files=FILES):
    return load_book_metadata(book(tmp_path, yaml_text, files))


MIN = "title: T\nlang: en\n"


def test_minimal_book(tmp_path):
    meta = ok(tmp_path, MIN)
    assert meta.title == "T" and meta.lang == "en" and meta.contents is None
    assert meta.print.trim_size == (432.0, 648.0) and meta.print.bleed_pt == 9.0
    assert meta.print.bleed_auto  # bleed only when something bleeds (KDP's 0.125 in)
    assert meta.print.toc_depth == 2 and meta.notes == "footnotes"
    assert meta.generate.toc and meta.layout == "default"


def test_full_book(tmp_path):
    meta = ok(tmp_path, """
        title: "1937: Stalin's Year of Terror"
        subtitle: Vol. 4
        author: Vadim Z. Rogovin
        translator: [Frederick S. Choate]
        creator:
          - {name: A. Historian, role: aui, file-as: "Historian, A."}
          - {name: Plato, role: aut}
        lang: en-US
        date: 1998-12-01
        publisher: Mehring Books
        place: Oak Park
        source: Moscow, 1996 (Russian original)
        subject: [History / Russia]
        identifier: urn:uuid:0b6f0a6c-3b1e-4a59-9c1c-7d1c6a2d6c11
        isbn: {epub: 978-0-306-40615-7, paperback: 978-1-4028-9462-6}
        series: {title: "Was There an Alternative?", number: 4}
        edition: Second edition
        cover-image: images/cover.jpg
        print: {trim: 156mm 234mm, bleed: 3mm, marks: crop, toc-depth: 1}
        notes: endnotes
        generate: {half-title: false}
        contents:
          - chapters/01.md
          - part: Part One
            contents: [chapters/02.md, chapters/03.md]
        """)
    assert meta.contributors == (
        Contributor("Vadim Z. Rogovin", "aut", "Rogovin, Vadim Z."),
        Contributor("Plato", "aut", None),
        Contributor("Frederick S. Choate", "trl", "Choate, Frederick S."),
        Contributor("A. Historian", "aui", "Historian, A."))
    assert meta.date_value == dt.date(1998, 12, 1)
    assert meta.source == ("Moscow, 1996 (Russian original)",)
    assert meta.isbn.epub.digits == "9780306406157"
    assert meta.isbn.epub.display == "978-0-306-40615-7"
    assert meta.series.number == 4
    assert meta.print.trim_size == pytest.approx((442.205, 663.307), abs=1e-3)
    assert meta.print.bleed_pt == pytest.approx(8.504, abs=1e-3)
    assert not meta.print.bleed_auto
    assert meta.contents[0] == "chapters/01.md"
    assert meta.contents[1].part == "Part One"
    assert meta.contents_paths == ("chapters/01.md", "chapters/02.md", "chapters/03.md")
    assert meta.generate.half_title is False and meta.generate.toc is True


def test_unknown_key_with_line_and_hint(tmp_path):
    assert problems(tmp_path, MIN + "isbnn: {epub: 978-0-306-40615-7}\n") == [
        "book.yaml:3: M010 unknown key 'isbnn' (hint: did you mean 'isbn'?)"]


def test_unknown_nested_key(tmp_path):
    assert problems(tmp_path, MIN + "print:\n  trim: a5\n  blead: 3mm\n") == [
        "book.yaml:5: M010 unknown key 'blead' in print (hint: did you mean 'bleed'?)"]


def test_snake_case_key_is_unknown_in_yaml(tmp_path):
    assert problems(tmp_path, MIN + "short_title: S\n") == [
        "book.yaml:3: M010 unknown key 'short_title' (hint: did you mean 'short-title'?)"]


def test_two_problems_reported_at_once(tmp_path):
    assert problems(tmp_path, """
        title: T
        lang: english
        date: 2017-13-45
        """) == [
        "book.yaml:2: M013 lang 'english' is not a valid BCP 47 language tag "
        "(hint: e.g. en, en-GB, fr, de-CH, ru-Latn)",
        "book.yaml:3: M014 date '2017-13-45' is not a valid date "
        "(hint: write YYYY-MM-DD, YYYY-MM or YYYY, e.g. 2017-10-19)"]


def test_missing_required_keys(tmp_path):
    assert problems(tmp_path, "subtitle: S\n") == [
        "book.yaml:1: M011 missing required key 'title'",
        "book.yaml:1: M011 missing required key 'lang'"]


def test_missing_nested_required_key(tmp_path):
    assert problems(tmp_path, MIN + "series:\n  number: 2\n") == [
        "book.yaml:3: M011 missing required key 'title' in series"]


def test_empty_title_and_wrong_type(tmp_path):
    assert problems(tmp_path, "title: ''\nlang: en\nauthor: {name: x}\nprint: 6in\n") == [
        "book.yaml:1: M020 title must not be empty",
        "book.yaml:3: M017 author should be a text or a list of texts, not a mapping",
        "book.yaml:4: M017 print should be a mapping of keys to values, not '6in'"]


def test_wrong_isbn13_check_digit(tmp_path):
    assert problems(tmp_path, MIN + "isbn:\n  epub: 978-0-00-000000-1\n") == [
        "book.yaml:4: M012 isbn.epub 978-0-00-000000-1 has a wrong check digit (expected 2)"]


def test_wrong_isbn10_check_digit(tmp_path):
    assert problems(tmp_path, MIN + "isbn: {paperback: 0-306-40615-3}\n") == [
        "book.yaml:3: M012 isbn.paperback 0-306-40615-3 has a wrong check digit (expected 2)"]


def test_good_isbns(tmp_path):
    meta = ok(tmp_path, MIN + "isbn:\n  epub: 978-0-306-40615-7\n  hardcover: 0-8044-2957-X\n"
                              "  pdf: 9781402894626\n")
    assert meta.isbn.hardcover.digits == "080442957X"
    assert meta.isbn.hardcover.isbn13 == "9780804429573"
    assert meta.isbn.pdf.display == "9781402894626"
    assert meta.isbn.epub.urn == "urn:isbn:9780306406157"


def test_unquoted_isbn10_with_leading_zero(tmp_path):
    assert ok(tmp_path, MIN + "isbn: {epub: 0306406152}\n").isbn.epub.digits == "0306406152"


def test_same_isbn_for_two_formats(tmp_path):
    assert problems(tmp_path, MIN + "isbn:\n  epub: 978-0-306-40615-7\n"
                                    "  paperback: 0-306-40615-2\n") == [
        "book.yaml:5: M023 isbn.paperback 0-306-40615-2 is also the epub ISBN (first at line 4) "
        "(hint: each format needs its own ISBN)"]


@pytest.mark.parametrize("tag, stored", [("ru-Latn", "ru-Latn"), ("en-GB", "en-GB"),
                                         ("en-gb", "en-GB"), ("sr-latn-rs", "sr-Latn-RS"),
                                         ("no", "no"), ("de-CH-1996", "de-CH-1996")])
def test_good_lang(tmp_path, tag, stored):
    assert ok(tmp_path, f"title: T\nlang: {tag}\n").lang == stored


def test_underscore_lang(tmp_path):
    assert problems(tmp_path, "title: T\nlang: en_US\n") == [
        "book.yaml:2: M013 lang 'en_US' is not a BCP 47 language tag (hint: use hyphens: en-US)"]


@pytest.mark.parametrize("text, value", [("1998-12-01", dt.date(1998, 12, 1)),
                                         ("'1998-12-01'", dt.date(1998, 12, 1)),
                                         ("1998", dt.date(1998, 1, 1)),
                                         ("'1998-12'", dt.date(1998, 12, 1)),
                                         ("2017-10-19T10:00:00Z", dt.date(2017, 10, 19))])
def test_good_dates(tmp_path, text, value):
    assert ok(tmp_path, MIN + f"date: {text}\n").date_value == value


def test_quoted_bad_date(tmp_path):
    assert codes(tmp_path, MIN + "date: '2017-02-30'\n") == ["M014@3"]


def test_missing_cover_file(tmp_path):
    assert problems(tmp_path, MIN + "cover-image: images/covr.jpg\n") == [
        "book.yaml:3: M015 cover-image images/covr.jpg does not exist "
        "(hint: did you mean images/cover.jpg?)"]


def test_cover_escaping_the_book(tmp_path):
    (tmp_path / "x.jpg").write_text("x")
    assert problems(tmp_path, MIN + "cover-image: ../x.jpg\n") == [
        "book.yaml:3: M016 cover-image ../x.jpg points outside the book folder "
        "(hint: keep every file the book uses inside its folder)"]


@pytest.mark.claim("S8")
def test_cover_absolute_and_symlink_out(tmp_path):
    root = book(tmp_path, MIN)
    (tmp_path / "x.jpg").write_text("x")
    os.symlink(tmp_path / "x.jpg", root / "images" / "link.jpg")
    assert codes(tmp_path, MIN + "cover-image: images/link.jpg\n") == ["M016@3"]
    assert codes(tmp_path, MIN + f"cover-image: {tmp_path / 'x.jpg'}\n") == ["M016@3"]


def test_contents_parts_nest_in_parts(tmp_path):
    meta = ok(tmp_path, MIN + """
        contents:
          - part: One
            contents:
              - chapters/01.md
              - part: Inner
                contents: [chapters/02.md]
        """.replace("\n        ", "\n"))
    assert meta.contents_paths == ("chapters/01.md", "chapters/02.md")


def test_contents_parts_nested_too_deep_refused(tmp_path):
    nested = "chapters/01.md"
    for depth in range(5, 0, -1):
        nested = f"{{part: P{depth}, contents: [{nested}]}}"
    assert problems(tmp_path, MIN + f"contents: [{nested}]\n") == [
        "book.yaml:3: M021 contents[0].contents[0].contents[0].contents[0].contents[0] is a "
        "part nested 5 deep; parts nest at most 4 deep (hint: heading levels 1-6 must hold "
        "the parts, the chapters and their sections)"]


def test_contents_path_listed_twice(tmp_path):
    assert problems(tmp_path, MIN + """
        contents:
          - chapters/01.md
          - part: One
            contents: [chapters/02.md, ./chapters/01.md]
        """.replace("\n        ", "\n")) == [
        "book.yaml:7: M018 contents[1].contents[1] ./chapters/01.md is listed twice in contents "
        "(first at line 5)"]


def test_contents_problems_all_at_once(tmp_path):
    assert codes(tmp_path, MIN + """
        contents:
          - chapters/01.md
          - chapters/09.md
          - notes.txt
          - ../outside.md
          - chapters/01.md
          - part: ''
            contents: []
        """.replace("\n        ", "\n")) == [
        "M015@6", "M024@7", "M016@8", "M018@9", "M020@10", "M020@11"]


def test_bad_contributor_role(tmp_path):
    lines = problems(tmp_path, MIN + "creator:\n  - name: X\n    role: xyz\n")
    assert len(lines) == 1
    assert lines[0].startswith(
        "book.yaml:5: M019 creator[0].role 'xyz' is not a known MARC relator code (hint: use "
        "one of aut (author), trl (translator)")


def test_print_settings_checked(tmp_path):
    assert codes(tmp_path, MIN + "print:\n  trim: letter\n  bleed: 3\n  toc-depth: 4\n"
                                 "  running-head-verso: chapter\n  tagged: maybe\n") == [
        "M020@4", "M020@5", "M020@6", "M020@7", "M017@8"]
    assert ok(tmp_path, MIN + "print: {tagged: true}\n").print.tagged
    assert not ok(tmp_path, MIN + "print: {trim: a5}\n").print.tagged


@pytest.mark.parametrize("trim, size", [("us-trade", (432, 648)), ("digest", (396, 612)),
                                        ("a5", (419.53, 595.28)), ("6in 9in", (432, 648))])
def test_trim_sizes(tmp_path, trim, size):
    assert ok(tmp_path, MIN + f"print: {{trim: {trim}}}\n").print.trim_size == \
        pytest.approx(size, abs=0.01)


def test_series_number(tmp_path):
    assert ok(tmp_path, MIN + "series: {title: S, number: 2a}\n").series.number == "2a"
    assert codes(tmp_path, MIN + "series: {title: S, number: 0}\n") == ["M020@3"]
    assert codes(tmp_path, MIN + "series: {title: S, issn: 0317-8472}\n") == ["M012@3"]


def test_identifier_without_spaces(tmp_path):
    assert codes(tmp_path, MIN + "identifier: urn:uuid:abc def\n") == ["M020@3"]


def test_notes_choice(tmp_path):
    assert problems(tmp_path, MIN + "notes: sidenotes\n") == [
        "book.yaml:3: M020 notes should be 'footnotes' or 'endnotes', not 'sidenotes'"]


def test_missing_and_empty_book_yaml(tmp_path):
    root = tmp_path / "nobook"
    root.mkdir()
    with pytest.raises(MakeBookError) as exc:
        load_book_metadata(root)
    assert [d.format(relative_to=root) for d in exc.value.diagnostics] == [
        "book.yaml: M015 book.yaml not found (hint: every book folder needs a book.yaml)"]
    assert problems(tmp_path, "# nothing yet\n") == ["book.yaml: M004 book.yaml is empty"]


def test_yaml_and_schema_errors_together(tmp_path):
    assert codes(tmp_path, "title: T\nlang: en\ntitle: U\nisbnn: 1\n") == ["M002@3", "M010@4"]


def test_tabs_in_book_yaml(tmp_path):
    assert codes(tmp_path, "title: T\nlang: en\nprint:\n\ttrim: a5\n") == ["M001@4"]


def test_contents_file_entries_give_a_title(tmp_path):
    meta = ok(tmp_path, MIN + "contents:\n  - {file: chapters/01.md, title: Dedication}\n"
              "  - part: One\n    contents: [{file: chapters/02.md}]\n")
    assert meta.contents[0].title == "Dedication"
    assert meta.contents_paths == ("chapters/01.md", "chapters/02.md")
    assert codes(tmp_path / "x", MIN + "contents:\n  - {file: chapters/09.md}\n") == ["M015@4"]


def test_contents_titles_are_markdown_typeset_with_their_markup(tmp_path):
    """A part's and a file's title in ``contents`` are typeset as the book's other values
    are, their inline markup kept as a tree from the same parse; a block in one is reduced
    to its text and said at its line of book.yaml (M040), as for a front matter title."""
    meta = ok(tmp_path, MIN + "contents:\n  - {file: chapters/01.md, title: \"It's *one*\"}\n"
              "  - part: 'A -- \"*Two*\"'\n    contents: [chapters/02.md]\n"
              "  - part: Plain\n    contents: [chapters/03.md]\n")
    title, part, plain = meta.contents[0].title, meta.contents[1].part, meta.contents[2].part
    assert (title, title.html, title.markup.xml) == (
        "It\u2019s one", "It\u2019s <em>one</em>", "It\u2019s <em>one</em>")
    assert (part, part.markup.xml) == ("A \u2013 \u201cTwo\u201d",
                                        "A \u2013 \u201c<em>Two</em>\u201d")
    assert (plain, plain.markup, part.source) == ("Plain", None, 'A -- "*Two*"')
    read = read_book_metadata(book(tmp_path / "b", MIN + "contents:\n  - chapters/01.md\n"
                                   "  - part: '# Two'\n    contents: [chapters/02.md]\n"))
    assert [(d.code, d.line, d.is_error) for d in read.diagnostics] == [("M040", 5, False)]
    assert "contents[1].part: holds a heading" in read.diagnostics[0].message
    assert read.meta.contents[1].part == "Two"


def test_bleed_is_auto_or_a_length(tmp_path):
    assert ok(tmp_path, MIN + "print: {bleed: AUTO}\n").print.bleed_auto
    assert ok(tmp_path, MIN + "print: {bleed: 0}\n").print.bleed_pt == 0
    assert codes(tmp_path, MIN + "print: {bleed: some}\n") == ["M020@3"]
