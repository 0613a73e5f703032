"""The page diff as a whole: read both PDFs, pair their pages, look for drawing changes on
pages whose text is the same, render the changed pages side by side and write the report.
"""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

from make_book.output import write_atomic
from make_book.pagediff.compare import PageDiff, PagePair, pair_pages
from make_book.pagediff.pages import read_pages
from make_book.pagediff.pixels import Renderer, changed_boxes, side_by_side
from make_book.pagediff.report import report_markdown

DETECT_SCALE = 50 / 72  # 50 dpi: enough to see a changed word, fast on a long book
IMAGE_SCALE = 100 / 72  # the side-by-side images


def image_name(pair: PagePair) -> str:
    if pair.new is not None:
        return f"page-{pair.new.number:04d}.png"
    return f"removed-{pair.old.number:04d}.png"


def diff_pdfs(old: Path, new: Path, out: Path | None = None) -> PageDiff:
    """Compare; with ``out``, write ``report.md`` and one PNG per changed page there.
    Raises MakeBookError (D020) for a file that is not a PDF."""
    old_text, new_text = read_pages(old), read_pages(new)
    pairs = pair_pages(old_text, new_text)
    ro, rn = Renderer(old), Renderer(new)
    try:
        for pair in pairs:
            if pair.kind != "same" or pair.old is None or pair.new is None:
                continue
            boxes = changed_boxes(ro.image(pair.old.number, DETECT_SCALE),
                                  rn.image(pair.new.number, DETECT_SCALE), DETECT_SCALE)
            if boxes:  # the same words, drawn differently: a figure, a rule, a font
                pair.kind, pair.drawing_only = "changed", True
        result = PageDiff(old, new, len(old_text), len(new_text), pairs)
        if out is not None:
            _write(result, ro, rn, out)
    finally:
        ro.close()
        rn.close()
    return result


def _write(result: PageDiff, ro: Renderer, rn: Renderer, out: Path) -> None:
    for pair in result.differences:
        if pair.kind == "moved":
            continue  # the same page elsewhere: the report says where
        a = ro.image(pair.old.number, IMAGE_SCALE) if pair.old else None
        b = rn.image(pair.new.number, IMAGE_SCALE) if pair.new else None
        pair.boxes = changed_boxes(a, b, IMAGE_SCALE) if a is not None and b is not None \
            else []
        titles = (f"old p. {pair.old.label}" if pair.old else "(no page)",
                  f"new p. {pair.new.label}" if pair.new else "(no page)")
        image = side_by_side(a, b, pair.boxes, IMAGE_SCALE, titles)
        data = BytesIO()
        image.save(data, "PNG", optimize=True)
        write_atomic(out / image_name(pair), data.getvalue(), out)
    write_atomic(out / "report.md", report_markdown(result, image_name).encode("utf-8"), out)
