"""Pandoc's auto identifiers and reference keys (manuscript/identifiers.py), rule by rule."""

from __future__ import annotations

import pytest

from make_book.markup.identifiers import (
    BookIds,
    heading_candidates,
    heading_key,
    identifier,
    reference_key,
)


@pytest.mark.parametrize(("text", "expected"), [
    # the User's Guide's table (its input before smart punctuation)
    ("Heading identifiers in HTML", "heading-identifiers-in-html"),
    ("Maître d'hôtel", "maître-dhôtel"),
    ("Dogs?--in my house?", "dogs--in-my-house"),
    ("HTML, S5, or RTF?", "html-s5-or-rtf"),
    ("3. Applications", "applications"),
    ("33", ""),
    # each rule alone
    ("Under_score, dash-ed and v2.1", "under_score-dash-ed-and-v2.1"),
    ("  Wide \t gaps\u00a0here ", "wide-gaps-here"),       # runs of white space, NBSP too
    ("1.5 \u2013 rates", "rates"),                        # up to the first letter
    ("Глава первая", "глава-первая"),                     # non-ASCII letters kept
    ("第一章 开始", "第一章-开始"),
    ("“Quoted” words…", "quoted-words"),                  # typographic marks are punctuation
    ("a\u2060b", "ab"),                                   # format characters removed
    ("?!", ""),
])
def test_identifier_rules(text, expected):
    assert identifier(text) == expected


def test_duplicates_take_the_first_free_suffix_in_order():
    ids = BookIds()
    assert [ids.unique(t) for t in ("Table 1", "Table", "Table", "12", "1921")] == [
        "table-1", "table", "table-2", "section", "section-1"]


def test_an_explicit_id_already_used_is_skipped():
    ids = BookIds(used={"summary"})
    assert ids.unique("Summary") == "summary-1"


def test_the_first_heading_of_a_key_wins():
    ids = BookIds()
    ids.heading("remarks", "remarks")
    ids.heading("remarks", "remarks-1")
    assert ids.headings == {"remarks": "remarks"}


def test_keys_ignore_case_spacing_and_the_attribute_block():
    assert reference_key("Town  WATER\nSupply") == "town water supply"
    assert heading_key("Early *findings* {#early .x}") == "early *findings*"
    assert heading_key("Sets {1, 2}") == "sets {1, 2}"  # not an attribute block


def test_ids_of_page_break_markers_are_never_given_to_a_heading():
    ids = BookIds()
    assert [ids.unique("Page 12"), ids.unique("Page xii"), ids.unique("Page One")] == [
        "page-12-1", "page-xii-1", "page-one"]


def test_french_typography_does_not_change_an_id(tmp_path):
    """Ids come from the text before smart typography, which adds French spaces; Pandoc's
    own smart dashes and ellipsis are dropped as it drops them."""
    from make_book.errors import Diagnostics
    from make_book.manuscript.chapter import load_chapter

    (tmp_path / "c.md").write_text("# T\n\n## Salaires ?--enfin... « oui » : 1845--1850\n")
    chapter = load_chapter(tmp_path / "c.md", "c.md", "c", "fr", Diagnostics(), tmp_path)
    assert chapter.headings[1].id == "salaires-enfin-oui-18451850"  # as Pandoc


def test_heading_candidates_are_the_lines_that_may_be_headings():
    text = ("# Title {#t}\n\nText [x].\n\n> ## Quoted ##\n\n- ### In a list\n\n"
            "Setext *one*\n=====\n\n#Tight\n")
    assert heading_candidates(text) >= {"title", "quoted", "in a list", "setext *one*",
                                        "tight"}
    assert "text [x]." not in heading_candidates(text)
