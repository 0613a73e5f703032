"""book.yaml strings are Markdown as Pandoc reads YAML metadata, typeset in the book's
language: inline XHTML for the generated pages, plain text everywhere else."""

from __future__ import annotations

import copy
import pickle
import uuid

import pytest
from markupsafe import Markup
from pydantic import ValidationError

from make_book.config.meta_text import MetaText, typeset, typeset_markup
from make_book.config.metadata import BookMetadata
from make_book.manuscript.book import book_identifier
from make_book.xhtml import Body


def meta(**values) -> BookMetadata:
    return BookMetadata.model_validate({"title": "T", "lang": "en", **values})


def test_emphasis_link_quotes_and_apostrophe():
    text, problems = typeset('The *Iliad*\'s "song" -- [CC BY](https://example.org/l)', "en")
    assert problems == []
    assert text == "The Iliad’s “song” – CC BY"
    assert text.html == ('The <em>Iliad</em>’s “song” – '
                         '<a href="https://example.org/l">CC BY</a>')
    assert text.source == 'The *Iliad*\'s "song" -- [CC BY](https://example.org/l)'


def test_plain_values_take_the_same_typography_as_marked_up_ones():
    fast, _ = typeset('Flannery O\'Connor\'s "Stories" ... 1950--1960', "en")
    slow, _ = typeset('Flannery O\'Connor\'s "Stories" ... 1950--1960 *x*', "en")
    assert fast == "Flannery O’Connor’s “Stories” … 1950–1960"
    assert slow == fast + " x"


def test_quotes_follow_the_language():
    assert typeset('Das "Kapital"', "de")[0] == "Das „Kapital“"
    assert typeset('Le "Capital"', "fr")[0] == "Le «\u202fCapital\u202f»"
    assert typeset('"Капитал"', "ru")[0] == "«Капитал»"


def test_html_is_escaped_text_when_there_is_no_markup():
    text, _ = typeset("Smith & Sons 4 < 5", "en")
    assert text == "Smith & Sons 4 < 5"
    assert text.html == "Smith &amp; Sons 4 &lt; 5"


def test_raw_html_is_sanitized_like_a_chapter():
    text, problems = typeset('Free <b onclick="x()">now</b><script>alert(1)</script>', "en")
    assert text.html == "Free <b>now</b>"
    assert {(d.code, d.is_error) for d in problems} == {("C032", True), ("C030", True)}


def test_blocks_and_images_are_reduced_to_text_with_a_warning():
    text, problems = typeset("- one\n- two", "en")
    assert text == "one two" and text.html == "one two"
    assert [(d.code, d.is_error) for d in problems] == [("M040", False)]
    text, problems = typeset("A ![logo](images/logo.png) press", "en")
    assert text == "A logo press" and "<img" not in text.html
    assert [d.code for d in problems] == ["M041"]


def test_ids_are_dropped_as_a_value_prints_on_several_pages():
    text, _ = typeset("[Name]{#who .smallcaps}", "en")
    assert text.html == '<span class="smallcaps">Name</span>'


def test_paragraphs_stay_apart():
    text, _ = typeset("First *one*.\n\nSecond one.", "en")
    assert text.paragraphs == ("First <em>one</em>.", "Second one.")
    assert text == "First one.\n\nSecond one."


# values whose serialised form differs from their tree in white space, quotes, attributes,
# nesting, line breaks and paragraphs: the tree must be what ``.html`` parses to
MARKED = [
    "The *Iliad*", 'The *Iliad*\'s "song" -- [CC BY](https://example.org/l)',
    "  *lead*  and   trail  ", "A `co  de`  span and *em\tand\ttab*",
    '<span title="a   b  c">spaced</span> *x*', "Line one  \nline *two*",
    "Soft\nline  break *x*",
    "Hard\\\nbreak *x*", "First *one*.\n\nSecond \"one\".\n\n*Third*",
    "- one *a*\n- two", "<b> bold  </b>  tail  ", "*x*", "[Name]{#who .smallcaps}",
    "A ![logo](images/logo.png) *press*", "R&amp;D <i>and</i> 4 &lt; 5", "'*It's*'",
    "Free <b onclick=\"x()\">now</b><script>alert(1)</script>", "H~2~O and E=mc^2^ *x*",
]


@pytest.mark.parametrize("source", MARKED)
def test_the_markup_tree_is_the_html_as_a_parser_reads_it(source):
    text, markup, problems = typeset_markup(source, "en")
    alone, alone_problems = typeset(source, "en")
    assert (text, text.html, text.paragraphs) == (alone, alone.html, alone.paragraphs)
    assert problems == alone_problems
    if text.html == Markup.escape(text.plain):  # a list reduced to its text: no markup
        assert markup is None
    else:
        assert markup is not None and markup.xml == Body.parse(str(text.html)).xml


def test_a_plain_value_has_no_markup_tree():
    for source in ("Don't", "Smith & Sons 4 < 5", "a\\*b"):
        text, markup, _ = typeset_markup(source, "en")
        assert markup is None and text.html == str(Markup.escape(text.plain))


def test_the_model_typesets_every_reader_facing_value_once():
    m = meta(title="The *Iliad*", subtitle="Homer's", author=["Ann O'Neil"],
             rights="It's [free](https://example.org)", lang="en",
             series={"title": "*S*", "volumes": [{"title": "V's"}]},
             creator=[{"name": "Jo's", "role": "trl"}], source=["From 'x'"])
    assert (m.title, m.title.html) == ("The Iliad", "The <em>Iliad</em>")
    assert m.subtitle == "Homer’s" and m.author == ("Ann O’Neil",)
    assert m.rights.html == 'It’s <a href="https://example.org">free</a>'
    assert m.series.title.html == "<em>S</em>" and m.series.volumes[0].title == "V’s"
    assert m.creator[0].name == "Jo’s" and m.source == ("From ‘x’",)
    assert [c.name for c in m.contributors] == ["Ann O’Neil", "Jo’s"]
    assert m.text_problems == ()
    # validated again (a model in a model, a copy): never typeset twice
    again = BookMetadata.model_validate({"title": m.title, "lang": "en"})
    assert again.title.html == "The <em>Iliad</em>"


def test_problems_are_kept_with_their_key():
    m = meta(rights="<i onclick='x'>x</i>", author=["A", "- B"])
    assert [(loc, d.code) for loc, d in m.text_problems] == [
        (("author", 1), "M040"), (("rights",), "C032")]


def test_numbers_stay_text_and_empty_values_are_refused():
    assert meta(title=1984).title == "1984"
    with pytest.raises(ValidationError):
        meta(title="  ")


def test_pickles_and_copies_keep_the_markup():
    text, _ = typeset("The *Iliad*", "en")
    for clone in (pickle.loads(pickle.dumps(text)), copy.deepcopy(text)):
        assert isinstance(clone, MetaText)
        assert (clone, clone.html, clone.source) == (text, text.html, text.source)


def test_generated_identifier_follows_the_values_as_written():
    # typography must never change a book's identity
    expected = uuid.uuid5(uuid.NAMESPACE_URL, "make-book|slug|Don't|Ann O'Neil")
    assert book_identifier(meta(title="Don't", author="Ann O'Neil"), "slug") == \
        f"urn:uuid:{expected}"
