"""Placeholder links for undefined references (manuscript/heading_refs.py): resolved to a
heading, or undone into exactly the text Python-Markdown would have left."""

from __future__ import annotations

from make_book.markup import heading_refs
from make_book.markup.markdown import to_html
from make_book.xhtml import parse_fragment, serialize_fragment


def resolved(markdown: str, headings: dict[str, str], final: bool = True) -> str:
    root = parse_fragment(to_html(markdown))
    heading_refs.resolve(root, headings, final)
    return serialize_fragment(root)


def test_headings_record_their_source_key():
    html = to_html("## The *New* Mills {#mills}\n\nSetext\n------\n")
    assert 'data-mb-heading="the *new* mills"' in html
    assert 'data-mb-heading="setext"' in html


def test_undefined_references_are_undone_into_their_text():
    html = resolved("A [*marked* word] and [text][label] and [text][] and [x]y.", {})
    assert html == "<p>A [<em>marked</em> word] and [text][label] and [text][] and [x]y.</p>"


def test_known_headings_are_linked_and_others_wait_until_final():
    html = resolved("See [Mills] and [Later].", {"mills": "mills"}, final=False)
    assert '<a href="#mills">Mills</a>' in html
    assert 'data-mb-ref="later"' in html


def test_notes_citations_and_defined_references_are_left_alone():
    html = to_html("A[^1] and [@doe] and [Site].\n\n[^1]: N.\n\n[site]: https://example.org\n")
    assert heading_refs.KEY_ATTR not in html
    assert '<a href="https://example.org">Site</a>' in html


def test_only_labels_that_may_name_a_heading_become_placeholders_and_at_most_so_many():
    html = to_html("[Mills] and [sic].", heading_keys={"mills"})
    assert 'data-mb-ref="mills"' in html and "[sic]" in html
    many = to_html("[a] " * (heading_refs.MAX_PLACEHOLDERS + 5), heading_keys={"a"})
    assert many.count(heading_refs.KEY_ATTR) == heading_refs.MAX_PLACEHOLDERS
