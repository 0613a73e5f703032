"""The laid-out lines of a print book, read back for what a typesetter rejects first: a
line of justified text that ends short in mid-paragraph (the paragraph then continues
flush left on the next line).

A justified line is stretched to the measure; one that is not (it holds one word, or its
words were set apart by a layout bug) ends short. The last line of a paragraph, a line
ended by ``<br>`` and a line the paragraph continues from on the next page are allowed to
end short; any other line that ends more than :data:`SHORT_BY` em from the measure is
broken.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from itertools import pairwise

from weasyprint.formatting_structure import boxes

__all__ = ["SHORT_BY", "BrokenLine", "HyphenBreak", "broken_lines", "hyphen_breaks",
           "justified_lines", "line_text", "lines_of", "right_edge"]

SHORT_BY = 0.5  # em: a justified line ending farther than this from the measure is short


@dataclass(frozen=True)
class BrokenLine:
    page: int  # 1-based index in the document
    text: str  # the short line
    next_text: str  # the line the paragraph continues with
    short_by: float  # px between the line's end and the measure


def line_text(line) -> str:
    return "".join(box.text for box in line.descendants()
                   if isinstance(box, boxes.TextBox)).strip()


def _forced_end(line) -> bool:
    """Whether the line ends at a ``<br>`` (a br box can only end a line)."""
    return any(box.element_tag in ("br", "br::before") for box in line.descendants())


def right_edge(line) -> float:
    edge = line.position_x
    for box in line.descendants():
        if isinstance(box, (boxes.TextBox, boxes.AtomicInlineLevelBox)):
            edge = max(edge, box.position_x + box.margin_width())
    return edge


def _containers(box) -> Iterator:
    """Every box whose children are lines (paragraphs, anonymous blocks, cells)."""
    if not isinstance(box, boxes.ParentBox):
        return
    if any(isinstance(child, boxes.LineBox) for child in box.children):
        yield box
    for child in box.children:
        if not isinstance(child, boxes.LineBox):
            yield from _containers(child)


def lines_of(document) -> list:
    """Every line box of the document, in page order."""
    return [box for page in document.pages for box in page._page_box.descendants()
            if isinstance(box, boxes.LineBox)]


def broken_lines(document) -> list[BrokenLine]:
    """The lines of justified text in ``document`` (a rendered WeasyPrint document) that
    end short although their paragraph goes on after them on the same page."""
    found = []
    for number, page in enumerate(document.pages, 1):
        for container in _containers(page._page_box):
            if container.style["text_align_all"] != "justify":
                continue
            measure = container.content_box_x() + container.width
            lines = [child for child in container.children if isinstance(child, boxes.LineBox)]
            for line, following in pairwise(lines):
                short = measure - right_edge(line)
                if short > SHORT_BY * line.style["font_size"] and not _forced_end(line):
                    found.append(BrokenLine(number, line_text(line), line_text(following),
                                            short))
    return found


@dataclass(frozen=True)
class HyphenBreak:
    page: int  # 1-based index in the document
    before: str  # the word's part ending the line, hyphen left out
    after: str  # the first word of the next line
    lang: str | None = None  # the language of the word's text


def _hyphenated_text(line):
    """The line's last text box when the line ends with the hyphen hyphenation adds
    (``hyphenate-character``, not a hyphen of the text's own), else None."""
    last = None
    for box in line.descendants():
        if isinstance(box, boxes.TextBox) and box.text.strip():
            last = box
    if last is not None and last.text.rstrip().endswith(last.style["hyphenate_character"]):
        return last
    return None


def _justified(document) -> list[tuple[int, object, object]]:
    """(page number, line, the element of its block) for every line of justified text."""
    return [(number, line, container.element) for number, page in enumerate(document.pages, 1)
            for container in _containers(page._page_box)
            if container.style["text_align_all"] == "justify"
            for line in container.children if isinstance(line, boxes.LineBox)]


def justified_lines(document) -> list[tuple[int, object]]:
    """(page number, line) for every line of justified text, in page order."""
    return [(number, line) for number, line, _ in _justified(document)]


def hyphen_breaks(document) -> list[HyphenBreak]:
    """Every word hyphenation split at a line end in justified text; ``after`` is the first
    word of the same paragraph's next line (on the next page for a page's last line, not
    the first line of the page's footnotes)."""
    lines = _justified(document)
    found = []
    for i, (number, line, element) in enumerate(lines):
        box = _hyphenated_text(line)
        if box is None:
            continue
        text = line_text(line)
        before = text.split()[-1][:-1] if text.split() else ""
        following = next((other for _, other, el in lines[i + 1:] if el is element), None)
        words = line_text(following).split() if following is not None else []
        found.append(HyphenBreak(number, before, words[0] if words else "", box.style["lang"]))
    return found
