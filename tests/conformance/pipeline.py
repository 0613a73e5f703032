"""Both renderings of one conformance case: make-book's chapter pipeline and Pandoc's HTML5.

make-book's side runs :func:`make_book.manuscript.chapter.load_chapter`, the code a build
runs on every chapter file (limits, Markdown, sanitizer, notes, typography), on the case
written to a temporary book folder. Image files the case names are created there (one
pixel, PNG whatever the suffix): a missing image is unwrapped, and what is compared is the
text's structure, not the files.
"""

from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from make_book.errors import Diagnostics
from make_book.manuscript.chapter import load_chapter
from tests.conformance.normalize import make_book_canonical, pandoc_canonical

# The title h1 a build takes out of the body: every case gets one, so a case's own first
# heading stays in the body as it does in Pandoc's output.
TITLE = "# Conformance case\n\n"
# Pandoc's options beyond `markdown -> html5`: no syntax highlighting (its token spans say
# nothing about the Markdown's structure) and MathML, whose TeX annotation the normalizer
# compares (the default plain-HTML math is an approximation of the formula, not its source).
PANDOC_ARGS = ["--syntax-highlighting=none", "--mathml"]
_IMAGE_RE = re.compile(r"[\w./-]+\.(?:png|jpe?g|gif|webp)\b", re.IGNORECASE)


@dataclass(frozen=True)
class MakeBookResult:
    body: str                    # the chapter body, XHTML fragment
    notes: tuple[str, ...]       # note bodies, XHTML fragments, in note-number order
    diagnostics: tuple[str, ...]


def make_book_render(markdown: str) -> MakeBookResult:
    with tempfile.TemporaryDirectory(prefix="mb-conformance-") as tmp:
        root = Path(tmp)
        for name in set(_IMAGE_RE.findall(markdown)):
            target = root / name.lstrip("/")
            if ".." in Path(name).parts:
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            Image.new("RGB", (1, 1)).save(target, format="PNG")
        path = root / "case.md"
        path.write_text(TITLE + markdown, encoding="utf-8")
        diagnostics = Diagnostics()
        chapter = load_chapter(path, "case.md", "case", "en", diagnostics, root)
        messages = tuple(d.format(root) for d in diagnostics.items)
        if chapter is None:
            raise AssertionError("make-book refused the case:\n" + "\n".join(messages))
        return MakeBookResult(chapter.body.xml, tuple(n.body.xml for n in chapter.notes), messages)


def pandoc_render(markdown: str) -> str:
    import pypandoc

    return pypandoc.convert_text(markdown, "html5", format="markdown",
                                 extra_args=PANDOC_ARGS)


def compare(markdown: str) -> tuple[list[str], list[str], tuple[str, ...]]:
    """(make-book's canonical lines, Pandoc's canonical lines, make-book's diagnostics)."""
    ours = make_book_render(markdown)
    return (make_book_canonical(ours.body, ours.notes),
            pandoc_canonical(pandoc_render(markdown)), ours.diagnostics)
