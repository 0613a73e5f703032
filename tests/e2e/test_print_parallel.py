"""Print laid out in worker processes and joined (``--jobs``), and kept piece by piece in
the build cache: the same bytes whatever the number of jobs, a warm rebuild after an edit
lays out only the edited chapter and gives the bytes of a cold build, and the joined PDF
keeps its links, destinations, outline and page labels."""

from __future__ import annotations

import io
import shutil
import subprocess
from datetime import datetime, timezone
from pathlib import Path

import pikepdf
import pytest

from make_book import transforms
from make_book.cache import Cache
from make_book.errors import Diagnostics
from make_book.layouts import load_layout
from make_book.manuscript.book import load_book
from make_book.render.print.renderer import render_print

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None,
                                reason="poppler-utils not installed")

WHEN = datetime(2024, 5, 1, tzinfo=timezone.utc)
WORDS = ("the ferry left the harbour before dawn and the keeper wrote the weather in his "
         "ledger while gulls argued over the nets drying on the quay stones").split()


def _paragraph(seed: int, words: int = 90) -> str:
    text = " ".join(WORDS[(seed * 7 + i * 3) % len(WORDS)] for i in range(words))
    return text[0].upper() + text[1:] + "."


def _book(root: Path) -> Path:
    (root / "chapters").mkdir(parents=True)
    (root / "book.yaml").write_text(
        "title: The Harbour Ledger\nauthor: A. Keeper\nlang: en-GB\ndate: 2024-01-01\n"
        "contents:\n  - chapters/01-preface.md\n  - part: Part One\n"
        "    contents: [chapters/02-dawn.md, chapters/03-tide.md]\n"
        "  - chapters/04-storm.md\n", encoding="utf-8")
    chapters = {
        "01-preface.md": ("Preface", "preface"),
        "02-dawn.md": ("Dawn", "dawn"),
        "03-tide.md": ("Tide", "tide"),
        "04-storm.md": ("Storm", "storm"),
    }
    for n, (name, (title, ident)) in enumerate(chapters.items()):
        body = [f"# {title} {{#{ident}}}", ""]
        for k in range(9):
            text = _paragraph(n * 10 + k)
            if k == 2:
                text += f"[^n{k}] See [the storm](#storm), page [](#storm){{.pageref}}."
            if k == 4:
                text = f"The [ledger]{{.index}} of {title.lower()}: " + text
            body += [text, ""]
        body += [f"[^n2]: A note on {title.lower()}: {_paragraph(n, 30)}", ""]
        (root / "chapters" / name).write_text("\n".join(body), encoding="utf-8")
    return root


def _print(root: Path, jobs: int | None, cache: Path | None = None):
    d = Diagnostics()
    book = transforms.run(load_book(root, d), d)
    layout = load_layout(book.root, book.meta.layout)
    result = render_print(book, layout, source_date=WHEN, diagnostics=d, jobs=jobs,
                          cache=Cache(cache) if cache else None)
    assert not d.errors, [x.format() for x in d.errors]
    return result


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = _book(tmp_path_factory.mktemp("parallel") / "harbour")
    cache = root.parent / "cache"
    return root, cache, {
        "whole": _print(root, None),
        "one": _print(root, 1, cache),
        "two": _print(root, 2),
    }


def test_same_bytes_whatever_the_jobs(built):
    _, _, out = built
    assert out["one"].pdf == out["two"].pdf
    assert out["one"].pieces > 0


def test_same_pages_and_qa_as_one_document(built):
    _, _, out = built
    whole, joined = out["whole"], out["two"]
    assert len(joined.document.pages) == len(whole.document.pages)
    assert sorted(map(repr, joined.qa)) == sorted(map(repr, whole.qa))
    assert joined.page_map.pages == whole.page_map.pages
    assert joined.page_breaks == whole.page_breaks


def _structure(data: bytes):
    with pikepdf.open(io.BytesIO(data)) as pdf:
        index = {p.obj.objgen: i for i, p in enumerate(pdf.pages)}
        names = list(pdf.Root.Names.Dests.Names)
        dests = {str(n): index[d[0].objgen] for n, d in zip(names[::2], names[1::2])}
        links = [(i, str(a.Dest)) for i, p in enumerate(pdf.pages)
                 for a in p.obj.get("/Annots", []) if "/Dest" in a]
        outline, item, stack = [], pdf.Root.Outlines.First, []
        while item is not None or stack:
            if item is None:
                item = stack.pop().get("/Next")
                continue
            outline.append((len(stack), str(item.Title), index[item.Dest[0].objgen]))
            if "/First" in item:
                stack.append(item)
                item = item.First
            else:
                item = item.get("/Next")
        return dests, links, outline, repr(pdf.Root.PageLabels)


def test_links_destinations_outline_and_labels_across_pieces(built):
    _, _, out = built
    whole, joined = _structure(out["whole"].pdf), _structure(out["two"].pdf)
    dests, links, outline, labels = joined
    assert links and all(target in dests for _, target in links)
    assert any(target == "storm" for _, target in links)  # links into a later piece
    assert (dests, links, outline, labels) == whole
    assert any(depth == 1 for depth, _, _ in outline)  # chapters nested under the part


def test_warm_rebuild_lays_out_only_the_edited_chapter(built):
    root, cache, out = built
    unchanged = _print(root, 2, cache)
    assert unchanged.pieces == 0  # every piece from the cache (the book is where it was)
    assert unchanged.pdf == out["one"].pdf
    edited = root.parent / "edited"
    shutil.copytree(root, edited)
    _print(edited, 1, cache)  # the book in another folder: its diagnostics name its files
    path = edited / "chapters" / "03-tide.md"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "# Tide {#tide}\n\n", "# Tide {#tide}\n\nA short new paragraph.\n\n"), encoding="utf-8")
    warm = _print(edited, 2, cache)
    cold = _print(edited, 1)
    assert warm.pdf == cold.pdf
    assert 0 < warm.pieces < cold.pieces


def test_torn_cache_entry_is_laid_out_again(built, tmp_path):
    root, cache, out = built
    torn = tmp_path / "cache"
    shutil.copytree(cache, torn)
    for entry in (torn / "print-pieces").rglob("*"):
        if entry.is_file():
            entry.write_bytes(entry.read_bytes()[:200])  # a write cut short
    again = _print(root, 1, torn)
    assert again.pdf == out["one"].pdf
    assert again.pieces > 0


def _fonts(data: bytes) -> tuple[dict[str, int], int]:
    """Font dictionaries per face name, and font programs, on the pages."""
    faces: dict[str, set] = {}
    programs = set()
    with pikepdf.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            for font in page.obj.Resources.get("/Font", {}).values():
                faces.setdefault(str(font.BaseFont), set()).add(font.objgen)
                descriptor = font.DescendantFonts[0].FontDescriptor
                programs |= {descriptor[k].objgen for k in ("/FontFile2", "/FontFile3")
                             if k in descriptor}
    return {name: len(dicts) for name, dicts in faces.items()}, len(programs)


def _text(data: bytes, tmp_path: Path, name: str) -> str:
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True,
                          capture_output=True, text=True).stdout


def test_one_font_per_face_across_pieces(built, tmp_path):
    """The pieces' subsets of a face are merged into one (pdf_font_share): the same faces
    as one document writes, each once, and the same text extracted."""
    _, _, out = built
    whole, joined = out["whole"].pdf, out["two"].pdf
    faces, programs = _fonts(joined)
    assert faces == dict.fromkeys(_fonts(whole)[0], 1)
    assert programs == len(faces) == _fonts(whole)[1]
    assert _text(joined, tmp_path, "joined") == _text(whole, tmp_path, "whole")
    assert len(joined) < 1.2 * len(whole)
