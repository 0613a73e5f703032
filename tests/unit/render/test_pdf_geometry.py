"""Page geometry: KDP gutter bands, mirrored margins, whole lines, the @page rules."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from make_book.render.print.geometry import (
    LEADING_PT,
    MARK_LENGTH_PT,
    geometry_for,
    gutter_band,
    kdp_min_gutter_in,
    kdp_trim_problem,
    page_css,
)


def print_meta(trim=(432.0, 648.0), bleed=9.0, marks="none", auto=False):
    return SimpleNamespace(trim_size=trim, bleed_pt=bleed, marks=marks, bleed_auto=auto)


@pytest.mark.parametrize("pages, inches", [(24, 0.375), (150, 0.375), (151, 0.5), (300, 0.5),
                                           (301, 0.625), (500, 0.625), (501, 0.75),
                                           (700, 0.75), (701, 0.875), (828, 0.875),
                                           (2000, 0.875)])
def test_kdp_minimum_gutter(pages, inches):
    assert kdp_min_gutter_in(pages) == inches


def test_gutter_bands_are_indexed():
    assert gutter_band(100) == 0 and gutter_band(151) == 1 and gutter_band(9999) == 4


def test_house_margins_at_six_by_nine():
    g = geometry_for(print_meta(), 200)
    assert g.inside == pytest.approx(0.875 * 72)
    assert g.outside == pytest.approx(0.7 * 72)
    assert g.inside > g.outside  # the gutter is the wider margin
    assert g.text_width == pytest.approx(4.425 * 72)
    assert g.text_height % LEADING_PT == pytest.approx(0, abs=1e-6)  # whole lines
    assert g.text_height / LEADING_PT == 38


def test_gutter_grows_with_pages_and_keeps_the_measure():
    small = geometry_for(print_meta(), 100)
    big = geometry_for(print_meta(), 600)  # KDP 0.75 in + 0.25 in safety
    huge = geometry_for(print_meta(), 800)
    assert big.inside == pytest.approx(72.0)
    assert huge.inside == pytest.approx(1.125 * 72)
    assert big.text_width == pytest.approx(small.text_width)
    assert huge.outside >= 0.5 * 72  # the outside margin never goes under its floor
    assert huge.text_width < small.text_width  # only then does the block narrow
    assert big.pages == 600


def test_margins_scale_with_the_trim():
    digest = geometry_for(print_meta((5.5 * 72, 8.5 * 72)), 100)
    assert digest.inside < geometry_for(print_meta(), 100).inside
    assert digest.text_height / LEADING_PT == int(digest.text_height / LEADING_PT)


def test_page_css_from_geometry():
    g = geometry_for(print_meta(marks="crop"), 100)
    css = page_css(g)
    assert "size: 432pt 648pt;" in css
    assert "bleed: 9pt;" in css
    assert "marks: none;" in css  # WeasyPrint's marks sit inside the bleed: pdf_post draws them
    assert f"@page :left {{ margin-left: {g.outside:g}pt; margin-right: {g.inside:g}pt; }}" \
        in css.replace(".0pt", "pt")
    assert "marks: none;" in page_css(geometry_for(print_meta(bleed=0.0), 10))
    assert "bleed: 0pt;" in page_css(geometry_for(print_meta(bleed=0.0), 10))


def test_kdp_sheet_bleeds_on_three_edges():
    """KDP Print: 6 x 9 in with bleed is a 6.125 x 9.25 in page (outside, top, bottom)."""
    g = geometry_for(print_meta(), 10)
    assert (g.media_w / 72, g.media_h / 72) == (6.125, 9.25)
    assert (g.rendered_w, g.rendered_h) == (450.0, 666.0)  # WeasyPrint's: all four sides


def test_auto_bleed_only_when_something_bleeds():
    plain = geometry_for(print_meta(auto=True), 10)
    assert plain.bleed == 0 and (plain.media_w, plain.media_h) == (432.0, 648.0)
    assert "bleed: 0pt;" in page_css(plain) and ".mb-bleed" not in page_css(plain)
    bleeding = geometry_for(print_meta(auto=True), 10, bleeds=True)
    assert bleeding.bleed == 9.0 and bleeding.media_w == 441.0
    css = page_css(bleeding)
    assert ".mb-bleed img" in css and "width: 450pt; height: 666pt;" in css
    # a length is a bleed whatever the book holds
    assert geometry_for(print_meta(), 10, bleeds=False).bleed == 9.0


def test_crop_marks_lie_outside_the_bleed():
    g = geometry_for(print_meta(marks="crop"), 10)
    assert g.mark_offset > g.bleed
    assert g.slug >= g.mark_offset + MARK_LENGTH_PT
    assert g.media_w == 432.0 + 2 * g.slug and g.media_h == 648.0 + 2 * g.slug


@pytest.mark.parametrize("inches, ok", [((6, 9), True), ((5.5, 8.5), True), ((8.5, 11), True),
                                        ((148 / 25.4, 210 / 25.4), True), ((4, 6), True),
                                        ((3.5, 5.5), False), ((9, 12), False)])
def test_trims_kdp_prints(inches, ok):
    problem = kdp_trim_problem(inches[0] * 72, inches[1] * 72)
    assert (problem is None) == ok
    if not ok:
        assert "KDP Print" in problem
