"""Figures of a chapter as the lists of illustrations need them (EPUB loi nav, print LOI)."""

from __future__ import annotations

from make_book.model import Chapter
from make_book.render.xhtml import parse_fragment


def chapter_figures(chapter: Chapter) -> list[tuple[str, str]]:
    """(id, caption text) of each figure with an id, in reading order."""
    if "<figure" not in chapter.body:
        return []
    out = []
    for figure in parse_fragment(chapter.body).iter("figure"):
        caption = figure.find("figcaption")
        if figure.get("id") and caption is not None:
            out.append((figure.get("id"), " ".join("".join(caption.itertext()).split())))
    return out
