"""A chapter body is a parsed tree carried by the model (xhtml.Body): read in place,
changed only on a copy, serialised once, and picklable for print workers."""

from __future__ import annotations

import pickle
from pathlib import Path

from lxml import etree

from make_book.model import Chapter
from make_book.xhtml import EPUB_TYPE, Body, serialize_fragment

TEXT = 'Lead <p id="a">One <em>two</em></p>\n<figure><img src="x.png" alt=""/></figure>'


def test_parse_keeps_the_fragment_as_written():
    body = Body.parse(TEXT)
    assert body.xml == TEXT
    assert body.text() == "Lead One two\n" and body.text("|") == "Lead |One |two|\n"
    assert body.has("figure") and body.has("table", "img") and not body.has("table")
    assert body.find_attr("src") and not body.find_attr("data-note")


def test_edit_is_a_copy_and_the_original_is_unchanged():
    body = Body.parse(TEXT)
    root = body.edit()
    root.find("p").set("class", "x")
    changed = Body(root)
    assert body.xml == TEXT and 'class="x"' in changed.xml
    assert changed != body and Body.parse(TEXT) == body and hash(Body.parse(TEXT)) == hash(body)


def test_epub_root_declares_the_prefix_once():
    root = Body.parse(TEXT).epub_root()
    root.find("p").set(EPUB_TYPE, "pagebreak")
    assert serialize_fragment(root).startswith('Lead <p id="a" epub:type="pagebreak">')


def test_adopt_moves_the_children_of_a_container():
    section = etree.fromstring('<section>t<p>x</p>tail</section>')
    body = Body.adopt(section)
    assert body.xml == "t<p>x</p>tail" and len(section) == 0


def test_pickles_through_its_text():
    body = Body.parse(TEXT)
    again = pickle.loads(pickle.dumps(body))
    assert again == body and again.root is not body.root


def test_a_chapter_written_with_text_gets_a_parsed_body():
    chapter = Chapter(source=Path("/b/c.md"), rel="c.md", file_id="c", title="C",
                      kind="chapter", lang=None, numbered=True, body="<p>Hi</p>")
    assert isinstance(chapter.body, Body) and chapter.body.xml == "<p>Hi</p>"
    assert chapter.evolve(title="D").body is chapter.body
