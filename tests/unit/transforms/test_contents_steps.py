"""The contents and the list of illustrations as each format's steps on format-neutral data
(transforms.contents_view, transforms.contents_steps; fragments "contents" and
"illustrations"): the view's entries, the EPUB's labels and file links, print's numbers,
"#id" links, left-out display pages and folios."""

from __future__ import annotations

import shutil
from pathlib import Path

from make_book import transforms
from make_book.errors import Diagnostics
from make_book.layouts import load_layout
from make_book.manuscript.book import load_book
from make_book.transforms import contents_steps as steps
from make_book.transforms.contents_entries import NavEntry, TocEntry
from make_book.transforms.contents_view import contents_view, illustrations_view
from make_book.transforms.folios import PLACEHOLDER, PageMap
from make_book.transforms.format_context import ContentsContext

MILL = Path(__file__).parents[2] / "books" / "apparatus" / "images" / "mill.png"
STRINGS = {"part": "Part", "appendix": "Appendix", "notes": "Notes", "index": "Index"}
YAML = """title: T
author: A. Writer
lang: en
{extra}contents:
  - chapters/00-dedication.md
  - chapters/01-preface.md
  - part: The First
    contents: [chapters/02-one.md]
  - chapters/03-appendix.md
"""
CHAPTERS = {
    "00-dedication.md": "---\ntitle: Dedication\nkind: dedication\n---\n\nFor N.\n",
    "01-preface.md": "---\nkind: preface\n---\n\n# Preface\n\nWhy.\n\n"
                     "![A preface figure.](images/mill.png){#fig-pre alt=\"A mill\"}\n",
    "02-one.md": "# One\n\nText [Alpha]{.index}.\n\n## First Section\n\nMore.\n\n"
                 "![The mill.](images/mill.png){#fig-mill alt=\"A mill\"}\n\n"
                 "### Deeper\n\nText.\n",
    "03-appendix.md": "---\nkind: appendix\n---\n\n# Sources\n\n## Letters\n\nText.\n",
}


def book(tmp_path: Path, extra: str = "generate: {list-of-illustrations: true}\n"):
    root = tmp_path / "book"
    (root / "chapters").mkdir(parents=True)
    (root / "images").mkdir()
    shutil.copy(MILL, root / "images" / "mill.png")
    (root / "book.yaml").write_text(YAML.format(extra=extra))
    for name, text in CHAPTERS.items():
        (root / "chapters" / name).write_text(text, encoding="utf-8")
    diagnostics = Diagnostics()
    b = transforms.run(load_book(root, diagnostics), diagnostics)
    assert not diagnostics.errors, diagnostics.errors
    return b


def files(b) -> dict[str, str]:
    out = {c.file_id: f"{c.file_id}.xhtml" for c in b.chapters}
    out.update({p.id: f"{p.id}.xhtml" for p in b.parts})
    return out


def shape(entries, name=lambda e: e.label) -> list:
    return [(name(e), e.href, shape(e.children, name)) for e in entries]


def test_the_view_lists_every_part_chapter_h2_and_index_in_reading_order(tmp_path):
    b = book(tmp_path)
    view = contents_view(b)
    assert [(i.kind, i.target, i.file_id) for i in view] == [
        ("chapter", b.chapters[0].file_id, b.chapters[0].file_id),  # no heading: its file
        ("chapter", "preface", b.chapters[1].file_id),
        ("part", b.parts[0].id, b.parts[0].id),
        ("chapter", "sources", b.chapters[3].file_id),
        ("index", "mb-index-index", None)]
    part = view[2]
    assert [(i.kind, i.target) for i in part.children] == [("chapter", "one")]
    assert [(i.kind, i.target) for i in part.children[0].children] == [
        ("section", "first-section")]  # h2 only: the h3 is not a contents entry


def test_epub_labels_and_links_into_files(tmp_path):
    b = book(tmp_path)
    ctx = ContentsContext(b, STRINGS, files=files(b), note_files={"x": "notes.xhtml"},
                          index_files={"index": "genindex.xhtml"})
    out = transforms.for_format("contents", "epub", ctx, contents_view(b))
    one, pre, ded, app = (f"{c.file_id}.xhtml" for c in
                          (b.chapters[2], b.chapters[1], b.chapters[0], b.chapters[3]))
    part = f"{b.parts[0].id}.xhtml"
    assert all(isinstance(e, NavEntry) for e in out)
    assert shape(out) == [  # toc-depth 2 by default: h2 sections too
        ("Dedication", ded, []),
        ("Preface", pre, []),
        ("Part I: The First", part, [("1. One", one, [("First Section",
                                                        f"{one}#first-section", [])])]),
        ("Appendix A: Sources", app, [("Letters", f"{app}#letters", [])]),
        ("Notes", "notes.xhtml", []),
        ("Index", "genindex.xhtml", [])]


def test_epub_contents_depth_one_has_no_sections(tmp_path):
    b = book(tmp_path, "print: {toc-depth: 1}\n")
    ctx = ContentsContext(b, STRINGS, files=files(b), index_files={"index": "i.xhtml"})
    out = transforms.for_format("contents", "epub", ctx, contents_view(b))
    assert [e.label for e in out] == ["Dedication", "Preface", "Part I: The First",
                                      "Appendix A: Sources", "Index"]  # no notes file
    assert not out[2].children[0].children and not out[3].children


def printed(b, depth: int = 1, page_map=None, after=None, display=None) -> list[TocEntry]:
    layout = load_layout(b.root)
    object.__setattr__(layout, "contents_depth", depth)  # the layout's contents-depth
    ctx = ContentsContext(b, STRINGS, layout=layout, page_map=page_map,
                          after_contents=frozenset(after or [b.chapters[1].file_id]),
                          display=frozenset(display or [b.chapters[0].file_id]))
    return transforms.for_format("contents", "print", ctx, contents_view(b))


def test_print_numbers_apart_ids_and_display_pages_left_out(tmp_path):
    b = book(tmp_path)
    out = printed(b)
    rows = [(e.kind, e.number, e.title, e.href, e.roman, e.page) for e in out]
    assert rows == [
        ("chapter", None, "Preface", "#preface", True, None),
        ("part", None, "Part I: The First", f"#{b.parts[0].id}", False, None),
        ("chapter", None, "Appendix A: Sources", "#sources", False, None),
        ("chapter", None, "Index", "#mb-index-index", False, None)]
    chapter = out[1].children[0]
    assert (chapter.number, chapter.title, chapter.href, chapter.children) == (
        "1", "One", "#one", [])  # the layout's depth 1: no sections
    # a front-matter chapter not after the contents is left out too
    assert [e.title for e in printed(b, after=["none"])][0] == "Part I: The First"


def test_print_depth_is_the_books_when_it_sets_one_else_the_layouts(tmp_path):
    b = book(tmp_path)
    assert printed(b, depth=2)[1].children[0].children[0].href == "#first-section"
    b = book(tmp_path / "b", "print: {toc-depth: 1}\n")
    assert not printed(b, depth=2)[1].children[0].children
    assert steps.print_depth(ContentsContext(b, STRINGS)) == 1


def test_print_folios_from_the_page_map(tmp_path):
    b = book(tmp_path)
    pages = PageMap({"preface": 4, "one": 12, "first-section": 13}, 10)
    out = printed(b, depth=2, page_map=pages)
    assert [e.page for e in out] == ["v", PLACEHOLDER, PLACEHOLDER, PLACEHOLDER]
    one = out[1].children[0]
    assert (one.page, one.children[0].page) == ("3", "4")


def test_the_list_of_illustrations_in_each_format(tmp_path):
    b = book(tmp_path)
    pre, one = b.chapters[1].file_id, b.chapters[2].file_id
    assert [(f.target, f.caption, f.file_id, f.matter) for f in illustrations_view(b)] == [
        ("fig-pre", "A preface figure.", pre, "front"),
        ("fig-mill", "The mill.", one, "body")]
    epub = transforms.for_format("illustrations", "epub",
                                 ContentsContext(b, STRINGS, files=files(b)),
                                 illustrations_view(b))
    assert shape(epub) == [("A preface figure.", f"{pre}.xhtml#fig-pre", []),
                           ("The mill.", f"{one}.xhtml#fig-mill", [])]
    ctx = ContentsContext(b, STRINGS)
    assert transforms.for_format("illustrations", "print", ctx, illustrations_view(b)) == [
        {"id": "fig-pre", "caption": "A preface figure.", "roman": True, "page": None},
        {"id": "fig-mill", "caption": "The mill.", "roman": False, "page": None}]
    ctx = ContentsContext(b, STRINGS, page_map=PageMap({"fig-mill": 14}, 10))
    assert [f["page"] for f in transforms.for_format(
        "illustrations", "print", ctx, illustrations_view(b))] == [PLACEHOLDER, "5"]


def test_no_list_of_illustrations_unless_the_book_asks(tmp_path):
    b = book(tmp_path, "")
    assert illustrations_view(b) == []
