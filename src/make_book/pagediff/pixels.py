"""Rendering pages (pypdfium2), finding the areas that differ (a pixel diff, boxed), and
the side-by-side image of a changed page with those areas outlined (Pillow).

The boxes come from a grid: a cell is changed when any of its pixels differ by more than
anti-aliasing noise, and neighbouring changed cells merge into one box. That outlines a
corrected word or a redrawn figure without marking every glyph edge.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageChops, ImageDraw

THRESHOLD = 48  # grey levels: below is anti-aliasing noise
CELL = 6  # px of the grid the boxes are made of (at the detection resolution)
GAP = 24  # px between the two pages of the side-by-side image
HIGHLIGHT = (220, 30, 30)

Box = tuple[int, int, int, int]  # left, top, right, bottom; in points from the top left


class Renderer:
    """One open PDF, its pages rendered on demand at a scale (pixels per point)."""

    def __init__(self, path: Path):
        import pypdfium2 as pdfium
        self.pdf = pdfium.PdfDocument(str(path))

    def image(self, number: int, scale: float) -> Image.Image:
        page = self.pdf[number - 1]
        try:
            return page.render(scale=scale).to_pil().convert("RGB")
        finally:
            page.close()

    def close(self) -> None:
        self.pdf.close()


def _same_size(a: Image.Image, b: Image.Image) -> tuple[Image.Image, Image.Image]:
    """Both on one canvas of the larger size (a changed trim still compares)."""
    if a.size == b.size:
        return a, b
    size = (max(a.width, b.width), max(a.height, b.height))
    out = []
    for im in (a, b):
        canvas = Image.new("RGB", size, "white")
        canvas.paste(im, (0, 0))
        out.append(canvas)
    return out[0], out[1]


def changed_boxes(a: Image.Image, b: Image.Image, scale: float) -> list[Box]:
    """The areas where two renderings differ, in points, merged from grid cells."""
    a, b = _same_size(a, b)
    diff = ImageChops.difference(a.convert("L"), b.convert("L")).point(
        lambda v: 255 if v > THRESHOLD else 0)
    if diff.getbbox() is None:
        return []
    cols, rows = -(-diff.width // CELL), -(-diff.height // CELL)
    # a cell is changed when its maximum is: reduce by max over each cell
    grid = diff.resize((cols, rows), Image.Resampling.BOX, reducing_gap=None)
    cells = {(x, y) for y in range(rows) for x in range(cols) if grid.getpixel((x, y)) > 0}
    boxes: list[Box] = []
    while cells:  # connected groups (8-neighbours), each one box
        stack = [cells.pop()]
        x0 = x1 = stack[0][0]
        y0 = y1 = stack[0][1]
        while stack:
            x, y = stack.pop()
            x0, x1, y0, y1 = min(x0, x), max(x1, x), min(y0, y), max(y1, y)
            for nx in (x - 1, x, x + 1):
                for ny in (y - 1, y, y + 1):
                    if (nx, ny) in cells:
                        cells.remove((nx, ny))
                        stack.append((nx, ny))
        boxes.append(tuple(round(v * CELL / scale) for v in (x0, y0, x1 + 1, y1 + 1)))
    return sorted(boxes, key=lambda b: (b[1], b[0]))


def side_by_side(old: Image.Image | None, new: Image.Image | None, boxes: list[Box],
                 scale: float, titles: tuple[str, str]) -> Image.Image:
    """Old page left, new page right, the changed areas outlined on both; a missing side
    (an added or removed page) is left blank."""
    blank = Image.new("RGB", (new or old).size, (235, 235, 235))
    left, right = old or blank, new or blank
    head = 28
    width = left.width + GAP + right.width
    canvas = Image.new("RGB", (width, max(left.height, right.height) + head), "white")
    canvas.paste(left, (0, head))
    canvas.paste(right, (left.width + GAP, head))
    draw = ImageDraw.Draw(canvas)
    draw.text((4, 6), titles[0], fill=(0, 0, 0))
    draw.text((left.width + GAP + 4, 6), titles[1], fill=(0, 0, 0))
    for x0, y0, x1, y1 in boxes:
        for dx, side in ((0, old), (left.width + GAP, new)):
            if side is None:
                continue
            draw.rectangle((dx + x0 * scale - 2, head + y0 * scale - 2,
                            dx + x1 * scale + 2, head + y1 * scale + 2),
                           outline=HIGHLIGHT, width=2)
    return canvas
