"""The HTML -> Pandoc Markdown writer: what Pandoc reads back is the text written out."""

from __future__ import annotations

import lxml.html
import pytest

from make_book.importer.markdown_writer import NOTEREF, ChapterWriter, NoteNumbers

pypandoc = pytest.importorskip("pypandoc")

BLOCKS = "self::p or self::h1 or self::h2 or self::h3 or self::li or self::td or self::th"


def write(html: str, notes: dict | None = None, targets: set | None = None) -> str:
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    return ChapterWriter(notes or {}, NoteNumbers(), targets or set()).chapter(list(root))


def texts(html: str) -> list[str]:
    """The text of each leaf block, white space collapsed: what a reader sees."""
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    return [" ".join(el.text_content().split()) for el in root.xpath(f"//*[{BLOCKS}]")
            if not el.xpath(f".//*[{BLOCKS}]")]


def pandoc(md: str) -> str:
    # smart typography (quotes, dashes) is the build's, as for hand-written Markdown
    return pypandoc.convert_text(md, "html5", format="markdown-smart",
                                 extra_args=["--wrap=none"])


TRICKY = [
    r"1. not a list, nor A. this one, (iv) nor this, #3 nor # this",
    r"Prices: $5 and $6, 2^10 and H~2~O, a*b*c, snake_case_name, `tick`",
    r"[not a link](x) and [^1] and [@cite] and @cite and {.class} and <b>tag</b>",
    r"A backslash \ at the end \\ and &amp; an entity &copy; and a | bar",
    r"- dash first", r"+ plus first", r"> not a quote", r": not a definition",
    r"Table: not a caption", r"% not a title", r"=== not a rule", r"~~~ not a fence",
    "Смешанный text with ünïcödé and a no-break\u00a0space",
]


@pytest.mark.parametrize("text", TRICKY)
def test_special_characters_read_back_as_the_same_text(text):
    from html import escape
    html = f"<p>{escape(text)}</p>"
    md = write(html)
    assert texts(pandoc(md)) == [" ".join(text.split())], md


def test_inline_formatting_is_pandoc_markup():
    md = write('<p>An <em>italic </em>word, <strong>bold</strong>, '
               '<span class="smallcaps">small caps</span>, <span lang="de">Haus</span>, '
               'x<sup>2</sup>, H<sub>2</sub>O, <s>gone</s>, <a href="https://x.org/a b">a link</a>'
               '</p>')
    assert md.strip() == ("An *italic* word, **bold**, [small caps]{.smallcaps}, "
                          "[Haus]{lang=de}, x^2^, H~2~O, ~~gone~~, "
                          "[a link](https://x.org/a%20b)")
    html = pandoc(md)
    assert '<span class="smallcaps">small caps</span>' in html
    assert '<span lang="de">Haus</span>' in html and "<sup>2</sup>" in html


def test_lists_nest_by_four_spaces_and_read_back_nested():
    md = write("<ol><li>one<ul><li>a</li><li>b</li></ul></li><li>two</li></ol>")
    assert md == "1.  one\n    -   a\n    -   b\n2.  two\n"
    root = lxml.html.fragment_fromstring(pandoc(md), create_parent="div")
    assert [li.text.strip() for li in root.xpath("./ol/li/ul/li")] == ["a", "b"]


def test_simple_tables_are_pipe_tables_and_block_cells_grid_tables():
    pipe = write("<table><tr><th>A|B</th><th>C</th></tr><tr><td><p>1</p></td>"
                 "<td><p>2</p></td></tr></table>")
    assert pipe.splitlines()[:2] == [r"| A\|B | C |", "|---|---|"]
    assert texts(pandoc(pipe)) == ["A|B", "C", "1", "2"]
    grid = write("<table><tr><td><p>one</p><p>two</p></td><td><ul><li>x</li></ul></td>"
                 "</tr></table>")
    assert grid.startswith("+") and "+-" in grid
    html = pandoc(grid)
    assert "<li>x</li>" in html and "<p>two</p>" in html


def test_notes_are_defined_after_the_chapter_that_calls_them():
    note = lxml.html.fragment_fromstring("<div><p>The *note*.</p><p>Second.</p></div>")
    md = write(f"<p>Text<{NOTEREF} key='n1'/> here.</p>", notes={"n1": note})
    assert md == "Text[^1] here.\n\n[^1]: The \\*note\\*.\n\n    Second.\n"
    html = pandoc(md)
    assert "The *note*." in html and "Second." in html


def test_only_linked_ids_are_written():
    md = write('<h2 id="a">Linked</h2><h2 id="b">Not</h2><p><a href="#a">see</a> '
               '<a href="#gone">gone</a></p>', targets={"a"})
    assert "## Linked {#a}" in md and "## Not\n" in md
    assert "[see](#a) gone" in md


SPANS = ('<table><tr><th>H1</th><th>H2</th><th>H3</th></tr><tr><td colspan="2">wide</td>'
         '<td rowspan="2">tall</td></tr><tr><td>a</td><td><p>b</p><p>c</p></td></tr>'
         '<tr><td colspan="2" rowspan="2">big</td><td>z</td></tr><tr><td>y</td></tr></table>')


def test_spanning_cells_are_a_grid_table_both_readers_span():
    from make_book.markup.markdown import to_html
    md = write(SPANS)
    assert "| wide" in md and "+-----+" in md
    for html in (pandoc(md), to_html(md)):
        root = lxml.html.fragment_fromstring(html, create_parent="div")
        spans = [(td.text_content().strip(), td.get("colspan"), td.get("rowspan"))
                 for td in root.xpath("//td[@colspan or @rowspan]")]
        assert spans == [("wide", "2", None), ("tall", None, "2"), ("big", "2", "2")], html
