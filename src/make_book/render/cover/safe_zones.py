"""Every glyph on a printed cover checked against the trim (0.25 in) and the spine folds
(0.0625 in) in the PDF itself (pdfium), so a book's own cover template is held to the same
rules as the default (codes R010-R012). Split from :mod:`.draw`: it reads the finished
sheet, whatever drew it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from make_book.errors import Diagnostics
from make_book.render.cover import spine as spine_mod
from make_book.render.cover.draw import CoverGeometry
from make_book.render.cover.spine import PT_PER_IN


@dataclass(frozen=True)
class Glyph:
    char: str
    left: float  # PDF coordinates relative to the sheet's bottom left corner, points
    bottom: float
    right: float
    top: float


def sheet_glyphs(pdf: bytes) -> list[Glyph]:
    """Every visible glyph of the first page with its box (pdfium's tight char boxes)."""
    import pypdfium2 as pdfium
    doc = pdfium.PdfDocument(pdf)
    try:
        page = doc[0]
        x0, y0 = (float(v) for v in page.get_mediabox()[:2])
        text = page.get_textpage()
        out = []
        for i in range(text.count_chars()):
            ch = text.get_text_range(i, 1)
            if not ch.strip():
                continue
            left, bottom, right, top = text.get_charbox(i, loose=False)
            if right - left <= 0 and top - bottom <= 0:
                continue
            out.append(Glyph(ch, left - x0, bottom - y0, right - x0, top - y0))
        text.close()
        page.close()
    finally:
        doc.close()
    return out


def _runs(items: list[tuple[int, Glyph]]) -> list[str]:
    """Consecutive glyphs as text snippets."""
    runs: list[list[Glyph]] = []
    last = None
    for index, glyph in items:
        if last is not None and index == last + 1:
            runs[-1].append(glyph)
        else:
            runs.append([glyph])
        last = index
    return ["".join(g.char for g in run) for run in runs]


def check_safe_zones(pdf: bytes, g: CoverGeometry, diagnostics: Diagnostics,
                     where: Path | None) -> None:
    """Text at least 0.25 in inside the trim and 0.0625 in from each spine fold."""
    safe = spine_mod.TRIM_SAFE_IN * PT_PER_IN
    fold_safe = spine_mod.SPINE_FOLD_SAFE_IN * PT_PER_IN
    left, bottom, right, top = g.trim_box
    folds = (g.spine_left, g.spine_right) if g.spine > 0 else (g.spine_left,)
    eps = 0.01
    problems: dict[tuple[str, str], list[tuple[int, Glyph]]] = {}
    for i, glyph in enumerate(sheet_glyphs(pdf)):
        found: list[tuple[str, str]] = []
        if (glyph.left < left - eps or glyph.right > right + eps
                or glyph.bottom < bottom - eps or glyph.top > top + eps):
            found.append(("R012", "outside the trim"))
        else:
            gaps = {"left": glyph.left - left, "right": right - glyph.right,
                    "bottom": glyph.bottom - bottom, "top": top - glyph.top}
            for side, gap in gaps.items():
                if gap < safe - eps:
                    found.append(("R010", f"{side} trim"))
        for n, x in enumerate(folds):
            if glyph.left < x - eps < glyph.right - 2 * eps:
                found.append(("R012", "across a spine fold"))
            else:
                gap = min(abs(glyph.left - x), abs(glyph.right - x))
                if gap < fold_safe - eps:
                    found.append(("R011", "spine fold"))
        for key in found:
            problems.setdefault(key, []).append((i, glyph))
    for (code, what), items in sorted(problems.items()):
        snippets = ", ".join(f"\u201c{s}\u201d" for s in _runs(items)[:4])
        if code == "R012":
            diagnostics.error(code, f"print cover: text {what}: {snippets}", where,
                              hint="shorten it or make it smaller in the cover template")
        elif code == "R010":
            diagnostics.warning(code, f"print cover: text within {spine_mod.TRIM_SAFE_IN} in "
                                f"of the {what}: {snippets}", where,
                                hint="printers trim up to 1/8 in either way; keep text "
                                     "0.25 in inside the trim")
        else:
            diagnostics.warning(code, f"print cover: text within "
                                f"{spine_mod.SPINE_FOLD_SAFE_IN} in of a {what}: {snippets}",
                                where, hint="the spine may wrap 1/16 in either way")
