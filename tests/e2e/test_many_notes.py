"""A book with thousands of notes stays valid: book-level EPUB notes split into several files."""

from __future__ import annotations

import zipfile

from make_book.build import build_book
from tests.epubcheck_run import epubcheck_messages


def test_two_thousand_notes_in_split_notes_files(tmp_path):
    book = tmp_path / "notes-heavy"
    (book / "chapters").mkdir(parents=True)
    (book / "book.yaml").write_text("title: Notes\nauthor: A. Scholar\nlang: en\n"
                                    "epub-notes: book\n", encoding="utf-8")
    for c in range(1, 21):
        paras = [f"Paragraph {p} of chapter {c} cites a document.[^{p}]" for p in range(1, 101)]
        notes = [f"[^{p}]: Archive file {c}/{p}, folio {p * 3}." for p in range(1, 101)]
        (book / "chapters" / f"{c:02d}.md").write_text(
            f"# Chapter {c}\n\n" + "\n\n".join(paras) + "\n\n" + "\n".join(notes) + "\n",
            encoding="utf-8")
    result = build_book(book, ["epub"], tmp_path / "out")
    assert result.ok, [d.format() for d in result.diagnostics]
    epub = result.artifacts[0].path
    with zipfile.ZipFile(epub) as z:
        files = [n for n in z.namelist() if n.startswith("EPUB/text/notes-")]
        assert len(files) == 5, files  # 2,000 notes, about 400 per file
        assert z.read(files[-1]).count(b'epub:type="endnote"') == 400
    assert epubcheck_messages(epub) == []
