"""The citations transform on small books: note-style citations become notes numbered
with the chapter's others, author-date ones text; the bibliography goes to ::: {#refs} or
a chapter of its own; missing keys and a book without bibliography are reported."""

from __future__ import annotations

import json
from pathlib import Path

from make_book.errors import Diagnostics
from make_book.manuscript.book import load_book
from make_book.model import Book
from make_book.transforms import run
from make_book.xhtml import parse_fragment

RECORDS = [
    {"id": "smith", "type": "book", "title": "A History of Bridges",
     "author": [{"family": "Smith", "given": "Jane"}], "publisher": "River Press",
     "publisher-place": "London", "issued": {"date-parts": [[1999]]}},
    {"id": "doe", "type": "article-journal", "title": "On Rivers",
     "author": [{"family": "Doe", "given": "John"}], "container-title": "Journal of Water",
     "volume": "12", "page": "45-67", "issued": {"date-parts": [[2004]]}},
]


def load(tmp_path: Path, text: str, yaml: str = "bibliography: refs.json\n",
         more: dict[str, str] | None = None, lang: str = "en-US") -> tuple[Book, Diagnostics]:
    root = tmp_path / "book"
    (root / "chapters").mkdir(parents=True)
    (root / "refs.json").write_text(json.dumps(RECORDS), encoding="utf-8")
    (root / "book.yaml").write_text(f"title: T\nlang: {lang}\n" + yaml, encoding="utf-8")
    (root / "chapters" / "01.md").write_text(text, encoding="utf-8")
    for name, content in (more or {}).items():
        (root / name).write_text(content, encoding="utf-8")
    d = Diagnostics()
    book = load_book(root, d, keep_going=True)
    return run(book, d), d


def text_of(fragment: str) -> str:
    return " ".join("".join(parse_fragment(fragment).itertext()).split())


def test_note_style_citations_become_notes_in_order_with_the_others(tmp_path):
    book, d = load(tmp_path, "# One\n\nFirst [@smith, p. 3]. A note.[^n] Then @doe [p. 50] "
                   "says so.\n\n[^n]: The note cites [@smith, p. 4] inside.\n")
    assert not list(d), [x.format() for x in d]
    chapter = book.chapters[0]
    assert [n.number for n in chapter.notes] == [1, 2, 3]
    assert [text_of(n.body.xml) for n in chapter.notes] == [
        "Jane Smith, A History of Bridges (London: River Press, 1999), 3.",
        "The note cites (ibid., 4) inside.",  # right after note 1's citation of it
        "“On Rivers,” Journal of Water 12 (2004): 50.",
    ]
    assert [n.id for n in chapter.notes] == [f"ch-01-note-{k}" for k in (1, 2, 3)]
    assert chapter.notes[0].source == "[@smith, p. 3]" and chapter.notes[0].line == 3
    body = parse_fragment(chapter.body.xml)
    assert [a.get("data-note") for a in body.iter("a")] == ["1", "2", "3"]
    # the space before the call goes, the full stop comes before it (Pandoc's placement)
    assert text_of(chapter.body.xml) == "First. A note. Then John Doe says so."
    assert 'First.<a class="mb-noteref" data-note="1"/>' in chapter.body.xml


def test_author_date_citations_stay_in_the_text(tmp_path):
    book, d = load(tmp_path, "# One\n\nFirst [@smith, p. 3]; then @doe [p. 50] and "
                   "[-@smith].\n", "bibliography: refs.json\n"
                   "csl: chicago-author-date-16th-edition\n")
    assert not list(d)
    chapter = book.chapters[0]
    assert chapter.notes == ()
    assert text_of(chapter.body.xml) == ("First (Smith 1999, 3); then Doe (2004, 50) and (1999).")


def test_bibliography_is_a_back_matter_chapter_at_the_end(tmp_path):
    book, _ = load(tmp_path, "# One\n\nText [@smith; @doe].\n")
    last = book.chapters[-1]
    assert (last.kind, last.title, last.file_id, last.numbered) == (
        "bibliography", "Bibliography", "bibliography", False)
    tree = parse_fragment(last.body.xml)
    ids = [e.get("id") for e in tree.iter("div") if e.get("class") == "csl-entry"]
    assert ids == ["ref-doe", "ref-smith"] and set(ids) <= last.ids
    assert "Smith, Jane. A History of Bridges. London: River Press, 1999." in text_of(last.body.xml)


def test_bibliography_heading_follows_the_language_or_the_book(tmp_path):
    book, _ = load(tmp_path / "ru", "# Один\n\nТекст [@smith].\n", lang="ru")
    assert book.chapters[-1].title == "Библиография"
    book, _ = load(tmp_path / "own", "# One\n\nText [@smith].\n",
                   "bibliography: refs.json\nreference-section-title: Works Cited\n")
    assert book.chapters[-1].title == "Works Cited"


def test_refs_div_receives_the_bibliography(tmp_path):
    book, d = load(tmp_path, "# One\n\nText [@doe].\n\n## Sources\n\n::: {#refs}\n:::\n\n"
                   "After.\n")
    assert not list(d)
    assert [c.kind for c in book.chapters] == ["chapter"]
    tree = parse_fragment(book.chapters[0].body.xml)
    refs = next(e for e in tree.iter("div") if e.get("id") == "refs")
    assert "references" in refs.get("class").split()
    assert text_of(refs.get("id") and book.chapters[0].body.xml).endswith(
        "Doe, John. “On Rivers.” Journal of Water 12 (2004): 45–67. After.")


def test_missing_keys_are_errors_at_their_lines_all_at_once(tmp_path):
    _, d = load(tmp_path, "# One\n\nText [@nobody, p. 3].\n\nMore [@smith;\n@ghost].\n\n"
                "Again @nobody.\n")
    assert [(x.code, x.line) for x in d] == [("M075", 3), ("M075", 6), ("M075", 8)]
    assert all(x.is_error for x in d) and "@ghost" in list(d)[1].message


def test_without_bibliography_citations_stay_and_warn(tmp_path):
    book, d = load(tmp_path, "# One\n\nText [@smith, p. 3].\n\n[^1] x\n\n[^1]: See @doe.\n",
                   yaml="")
    assert [(x.code, x.line) for x in d] == [("C101", 3), ("C101", 7)]
    assert "[@smith, p. 3]" in book.chapters[0].body.xml
    assert [c.kind for c in book.chapters] == ["chapter"]


def test_style_by_path_and_unknown_or_broken_styles(tmp_path):
    style = (Path(__file__).parents[3] / "layouts" / "default" / "csl"
             / "chicago-author-date-16th-edition.csl").read_text(encoding="utf-8")
    book, d = load(tmp_path / "a", "# One\n\nText [@smith].\n",
                   "bibliography: refs.json\ncsl: mine.csl\n", {"mine.csl": style})
    assert not list(d) and "(Smith 1999)" in text_of(book.chapters[0].body.xml)
    _, d = load(tmp_path / "b", "# One\n\nText [@smith].\n",
                "bibliography: refs.json\ncsl: no-such-style\n")
    assert [x.code for x in d] == ["M073"] and "chicago-author-date" in next(iter(d)).hint
    _, d = load(tmp_path / "c", "# One\n\nText [@smith].\n",
                "bibliography: refs.json\ncsl: bad.csl\n", {"bad.csl": "<style"})
    assert [(x.code, x.path.name) for x in d] == [("M074", "bad.csl")]


def test_citations_in_headings_leave_the_contents_clean(tmp_path):
    book, d = load(tmp_path, "# Bridges [@smith]\n\nText [@doe].\n\n## Rivers [@doe, 4]\n\n"
                   "More.\n")
    assert not list(d)
    chapter = book.chapters[0]
    assert chapter.title == "Bridges" and [h.text for h in chapter.headings] == [
        "Bridges", "Rivers"]
    # the title's note is the chapter's first: it comes before the text
    assert [n.number for n in chapter.notes] == [1, 2, 3]
    assert chapter.title_markup.xml == 'Bridges<a class="mb-noteref" data-note="1"/>'
    assert text_of(chapter.notes[0].body.xml).startswith("Jane Smith, A History of Bridges")
