"""The normalizer puts Pandoc's and make-book's house markup into one form, and no more."""

from __future__ import annotations

from tests.conformance.normalize import make_book_canonical, pandoc_canonical

PANDOC_NOTE = (
    '<p>Text<a href="#fn1" class="footnote-ref" id="fnref1" role="doc-noteref"><sup>1</sup>'
    '</a> end.</p>\n<section id="footnotes" class="footnotes footnotes-end-of-document" '
    'role="doc-endnotes">\n<hr />\n<ol>\n<li id="fn1"><p>The note.<a href="#fnref1" '
    'class="footnote-back" role="doc-backlink">↩︎</a></p></li>\n</ol>\n</section>\n')


def test_notes_of_both_writers_have_one_form():
    ours = make_book_canonical('<p>Text<a class="mb-noteref" data-note="1"/> end.</p>',
                               ("<p>The note.</p>",))
    assert ours == pandoc_canonical(PANDOC_NOTE)
    assert ours == ["body", "  p", "    'Text'", '    noteref n="1"', "    ' end.'",
                    "  notes", '    note n="1"', "      p", "        'The note.'"]


def test_spaces_and_invisible_characters_are_typography():
    ours = make_book_canonical("<p>a\u00a0b\u2060\u2014c \n</p>", ())
    assert ours == pandoc_canonical("<p>a b—c</p>")


def test_text_and_markup_differences_still_show():
    assert pandoc_canonical("<p>a <em>b</em></p>") != pandoc_canonical("<p>a b</p>")
    assert pandoc_canonical("<p>a b</p>") != pandoc_canonical("<p>a  c</p>")
    assert (pandoc_canonical('<p><span class="x">a</span></p>')
            != pandoc_canonical('<p><span class="y">a</span></p>'))


def test_math_compares_its_tex_source_and_display():
    pandoc = ('<p><math display="inline" xmlns="http://www.w3.org/1998/Math/MathML">'
              '<semantics><mi>x</mi><annotation encoding="application/x-tex">x</annotation>'
              '</semantics></math></p>')
    ours = ('<p><math xmlns="http://www.w3.org/1998/Math/MathML" display="inline"><semantics>'
            '<mrow><mi>x</mi></mrow><annotation encoding="application/x-tex">x</annotation>'
            '</semantics></math></p>')
    assert make_book_canonical(ours, ()) == pandoc_canonical(pandoc)
    assert pandoc_canonical(pandoc.replace('"inline"', '"block"')) != pandoc_canonical(pandoc)


def test_ids_are_kept_headings_too():
    """make-book makes Pandoc's auto identifiers: a heading's id is compared."""
    assert pandoc_canonical('<h2 id="a">T</h2>') != pandoc_canonical('<h2 id="b">T</h2>')
    assert pandoc_canonical('<p id="a">T</p>') != pandoc_canonical('<p id="b">T</p>')
