"""Citations in a part's title, and book.yaml's ``nocite``."""

from __future__ import annotations

from test_citations import load, text_of

from make_book.xhtml import parse_fragment

AUTHOR_DATE = "bibliography: refs.json\ncsl: chicago-author-date-16th-edition\n"
PART = {"chapters/02.md": "## A Chapter\n\nText [@smith, 5].\n"}


def _entries(book) -> list[str]:
    bib = next(c for c in book.chapters if c.kind == "bibliography")
    return [" ".join("".join(e.itertext()).split()) for e in parse_fragment(bib.body.xml).iter("div")
            if e.get("class") == "csl-entry"]


def test_a_note_style_citation_in_a_part_title_is_a_note_of_the_part_page(tmp_path):
    book, d = load(tmp_path, "# Bridges [@smith, p. 3]\n", more=PART)
    assert not list(d), [x.format() for x in d]
    part = book.parts[0]
    assert part.title == "Bridges" and "citation" not in part.title_markup.xml
    assert 'class="mb-noteref"' in part.title_markup.xml
    assert part.opening is not None and part.opening.title_markup.xml == part.title_markup.xml
    assert [text_of(n.body.xml) for n in part.opening.notes] == [
        "Jane Smith, A History of Bridges (London: River Press, 1999), 3."]
    # in reading order: the chapter's next citation of the work follows it (ibid.)
    chapter = next(c for c in book.chapters if c.kind == "chapter")
    assert [text_of(n.body.xml) for n in chapter.notes] == ["Ibid., 5."]


def test_an_author_date_citation_in_a_part_title_stays_in_it(tmp_path):
    book, d = load(tmp_path, "# Bridges [@smith, p. 3]\n", AUTHOR_DATE, more=PART)
    assert not list(d), [x.format() for x in d]
    part = book.parts[0]
    assert part.title == "Bridges (Smith 1999, 3)"
    assert part.opening is not None and not part.opening.notes


def test_a_part_title_without_citation_keeps_no_empty_opening(tmp_path):
    book, _ = load(tmp_path, "# Bridges\n", more=PART)
    assert book.parts[0].opening is None


def test_nocite_keys_join_the_bibliography_uncited(tmp_path):
    book, d = load(tmp_path, "# One\n\nText.\n", "bibliography: refs.json\nnocite: ['@doe']\n")
    assert not list(d), [x.format() for x in d]
    assert [e.split()[0] for e in _entries(book)] == ["Doe,"]


def test_nocite_star_takes_every_reference(tmp_path):
    book, d = load(tmp_path, "# One\n\nText [@smith].\n",
                   "bibliography: refs.json\nnocite: '@*'\n")
    assert not list(d), [x.format() for x in d]
    assert [e.split()[0] for e in _entries(book)] == ["Doe,", "Smith,"]


def test_nocite_unknown_key_is_a_warning_and_a_value_without_key_an_error(tmp_path):
    _, d = load(tmp_path, "# One\n\nText [@smith].\n",
                "bibliography: refs.json\nnocite: ['@smith', '@nobody']\n")
    assert [(x.code, x.line) for x in d] == [("M076", 4)]
    assert "@nobody" in next(iter(d)).format()
    _, d = load(tmp_path / "b", "# One\n", "bibliography: refs.json\nnocite: smith\n")
    assert [x.code for x in d.errors], [x.format() for x in d]
