"""Page geometry of the print interior: sheet, bleed, marks and mirrored margins, as data.

Geometry comes from the model (``book.meta.print``) and the page count, never from the
stylesheet: :func:`page_css` turns a :class:`Geometry` into the ``@page`` rules, so
``print.css`` stays presentation only (margin-box content, type, spacing).

The margin rule
---------------
House margins scale with the trim (6 x 9 in gives inside 0.875 in, outside 0.7 in, top
0.8 in, bottom about 1 in: a 4.425 x 7.125 in text block, 38 lines of 13.5 pt).
The inside (gutter) margin is::

    inside = max(house inside, KDP minimum for the page count + 0.25 in)

with KDP Print's minimums (TYPOGRAPHY.md): 24-150 pages 0.375 in, 151-300 0.5 in,
301-500 0.625 in, 501-700 0.75 in, 701 and more 0.875 in. The 0.25 in on top of KDP's
figure is the "nothing important within 0.25 in of trim" safety, counted from the spine
fold where the binding also eats paper. What the gutter gains is taken from the outside
margin, down to 0.5 in (0.375 in with bleed, plus 0.125 in), so the measure, and with it
the page count, does not change: a second render with the wider gutter then lands in the
same band. Only when the outside margin is at its floor does the text block narrow.

The sheet
---------
We follow **KDP Print** (Kindle Direct Publishing, "Paperback manuscript: bleed"): an
interior with bleed is 0.125 in wider and 0.25 in taller than the trim (6.125 x 9.25 in for
6 x 9 in): bleed on the top, bottom and outside edges only, as the pages are bound on the
spine side and trimmed on the other three; every page of the file the same size. KDP's rule
is the explicit one, and its upload check rejects any other page size; IngramSpark asks for
the same 0.125 in bleed, and both refuse printer's marks in an interior. So:

- a recto (odd page) has bleed right, top and bottom; a verso left, top and bottom;
  ``TrimBox`` the trim, ``BleedBox`` trim + bleed on those three edges;
- with ``bleed: auto`` (the default) a book where nothing bleeds has no bleed at all (the
  file is the trim, KDP's "no bleed" option); one figure that bleeds gives every page the
  three-edge bleed, since the printer wants one page size;
- crop marks (``marks: crop``, for an offset printer, never for KDP or IngramSpark) are
  drawn in a slug outside the bleed, so that trimming through the bleed never shows them.

WeasyPrint can only add its ``bleed`` on all four sides and draws its marks inside it, so
it renders with the bleed all round and no marks, and :mod:`pdf_post` sets the boxes per
page and draws the marks.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

PT_PER_IN = 72.0
PX_PER_PT = 96.0 / 72.0  # WeasyPrint's CSS pixels

# (last page of the band, KDP minimum inside margin in inches); beyond the last band the
# last figure holds (KDP prints at most 828 pages; other printers go further).
KDP_GUTTER_BANDS: tuple[tuple[int, float], ...] = (
    (150, 0.375), (300, 0.5), (500, 0.625), (700, 0.75), (828, 0.875))
GUTTER_SAFETY_IN = 0.25
OUTSIDE_FLOOR_IN = 0.5

# House margins at the reference trim (6 x 9 in); other trims scale them.
REF_W_IN, REF_H_IN = 6.0, 9.0
HOUSE_INSIDE_IN = 0.875
HOUSE_OUTSIDE_IN = 0.7
HOUSE_TOP_IN = 0.8
HOUSE_BOTTOM_MIN_IN = 0.95
LEADING_PT = 13.5  # body leading of print.css: the text block holds whole lines of it

# Crop marks: hairlines 0.25 in long, starting 3 pt beyond the bleed (at least 0.125 in
# from the trim), in a slug of 0.5 in round the trim.
MARK_LENGTH_PT = 18.0
MARK_GAP_PT = 3.0
MARK_MIN_OFFSET_PT = 9.0
MARK_WEIGHT_PT = 0.25
SLUG_PT = 36.0


# KDP Print's paperback trims: its standard sizes all lie in the range it accepts as a
# custom trim, 4 to 8.5 in wide and 6 to 11.69 in high.
KDP_TRIM_RANGE_IN = ((4.0, 8.5), (6.0, 11.69))


def kdp_trim_problem(trim_w: float, trim_h: float) -> str | None:
    """Why KDP Print would refuse a trim (in points), or None."""
    (w_min, w_max), (h_min, h_max) = KDP_TRIM_RANGE_IN
    w, h = trim_w / PT_PER_IN, trim_h / PT_PER_IN
    if w_min - 0.005 <= w <= w_max + 0.005 and h_min - 0.005 <= h <= h_max + 0.005:
        return None
    return (f"the trim {w:.3g} x {h:.3g} in is outside what KDP Print binds as a paperback "
            f"({w_min:g}-{w_max:g} in wide, {h_min:g}-{h_max:g} in high)")


def kdp_min_gutter_in(pages: int) -> float:
    for last, inches in KDP_GUTTER_BANDS:
        if pages <= last:
            return inches
    return KDP_GUTTER_BANDS[-1][1]


def gutter_band(pages: int) -> int:
    """Index of the KDP band a page count falls in (for tests and messages)."""
    for i, (last, _) in enumerate(KDP_GUTTER_BANDS):
        if pages <= last:
            return i
    return len(KDP_GUTTER_BANDS) - 1


@dataclass(frozen=True)
class Geometry:
    """All lengths in PDF points. ``inside``/``outside`` are the mirrored side margins;
    ``bleed`` is the bleed on each of the three outer edges (0: none)."""

    trim_w: float
    trim_h: float
    bleed: float
    marks: str  # "none" | "crop"
    top: float
    bottom: float
    inside: float
    outside: float
    pages: int | None = None  # the page count the gutter was chosen for

    @property
    def text_width(self) -> float:
        return self.trim_w - self.inside - self.outside

    @property
    def text_height(self) -> float:
        return self.trim_h - self.top - self.bottom

    @property
    def rendered_w(self) -> float:
        """Width of WeasyPrint's page: its bleed is on both sides."""
        return self.trim_w + 2 * self.bleed

    @property
    def rendered_h(self) -> float:
        return self.trim_h + 2 * self.bleed

    @property
    def slug(self) -> float:
        """Paper round the trim for the crop marks (0 without marks)."""
        return max(SLUG_PT, self.mark_offset + MARK_LENGTH_PT + MARK_GAP_PT) \
            if self.marks == "crop" else 0.0

    @property
    def mark_offset(self) -> float:
        """Distance from the trim to where a crop mark starts: beyond the bleed."""
        return max(self.bleed, MARK_MIN_OFFSET_PT) + MARK_GAP_PT

    @property
    def media_w(self) -> float:
        """Width of the finished PDF page: the trim, the outside bleed, or the slug."""
        return self.trim_w + (2 * self.slug if self.slug else self.bleed)

    @property
    def media_h(self) -> float:
        return self.trim_h + 2 * (self.slug or self.bleed)

    def for_pages(self, pages: int) -> Geometry:
        """The same page with the gutter the page count asks for (see module docstring)."""
        sx = self.trim_w / (REF_W_IN * PT_PER_IN)
        house_inside = HOUSE_INSIDE_IN * sx * PT_PER_IN
        house_outside = HOUSE_OUTSIDE_IN * sx * PT_PER_IN
        inside = max(house_inside, (kdp_min_gutter_in(pages) + GUTTER_SAFETY_IN) * PT_PER_IN)
        gained = inside - house_inside
        outside = max(min(house_outside, OUTSIDE_FLOOR_IN * PT_PER_IN),
                      house_outside - gained)
        return replace(self, inside=round(inside, 3), outside=round(outside, 3), pages=pages)


def geometry_for(print_meta, pages: int = 0, bleeds: bool = False) -> Geometry:
    """Geometry from ``book.meta.print`` (``trim_size`` in points, ``bleed_pt``,
    ``bleed_auto``, ``marks``). ``bleeds``: something in the book bleeds, which is what
    ``bleed: auto`` waits for."""
    trim_w, trim_h = (float(v) for v in print_meta.trim_size)
    bleed = float(getattr(print_meta, "bleed_pt", 9.0) or 0.0)
    if getattr(print_meta, "bleed_auto", False) and not bleeds:
        bleed = 0.0
    marks = getattr(print_meta, "marks", "none") or "none"
    sy = trim_h / (REF_H_IN * PT_PER_IN)
    top = round(HOUSE_TOP_IN * sy * PT_PER_IN, 3)
    room = trim_h - top - HOUSE_BOTTOM_MIN_IN * sy * PT_PER_IN
    lines = max(int(room // LEADING_PT), 10)
    bottom = round(trim_h - top - lines * LEADING_PT, 3)
    base = Geometry(trim_w, trim_h, bleed, marks, top, bottom, 0.0, 0.0)
    return base.for_pages(pages)


def _pt(v: float) -> str:
    return f"{v:.3f}".rstrip("0").rstrip(".") + "pt"


def page_css(g: Geometry) -> str:
    """The ``@page`` rules for a geometry: sheet, bleed, mirrored margins.

    ``size`` is the trim; WeasyPrint adds ``bleed`` on every side (pdf_post keeps the
    outer three). Its ``marks`` would sit inside the bleed: pdf_post draws them outside.
    A page that bleeds (``@page mb-bleed``, a full-page figure) has no margins."""
    return (
        "@page {\n"
        f"  size: {_pt(g.trim_w)} {_pt(g.trim_h)};\n"
        f"  bleed: {_pt(g.bleed)};\n"
        "  marks: none;\n"
        f"  margin-top: {_pt(g.top)};\n"
        f"  margin-bottom: {_pt(g.bottom)};\n"
        "}\n"
        f"@page :left {{ margin-left: {_pt(g.outside)}; margin-right: {_pt(g.inside)}; }}\n"
        f"@page :right {{ margin-left: {_pt(g.inside)}; margin-right: {_pt(g.outside)}; }}\n"
        "@page mb-bleed, mb-bleed:left, mb-bleed:right { margin: 0; }\n"
        + (bleed_figure_css(g) if g.bleed else "")
    )


def bleed_figure_css(g: Geometry) -> str:
    """A figure that bleeds fills a page of its own: the image covers the trim and the
    bleed round it (WeasyPrint's, on four sides; pdf_post cuts the spine side away)."""
    return (
        ".mb-bleed { page: mb-bleed; break-before: page; break-after: page; margin: 0;"
        f" padding: 0; position: relative; height: {_pt(g.trim_h - 0.5)}; }}\n"
        f".mb-bleed img {{ position: absolute; left: {_pt(-g.bleed)}; top: {_pt(-g.bleed)};"
        f" width: {_pt(g.trim_w + 2 * g.bleed)}; height: {_pt(g.trim_h + 2 * g.bleed)};"
        " max-width: none; margin: 0; object-fit: cover; }\n"
    )
