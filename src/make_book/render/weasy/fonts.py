"""A WeasyPrint font configuration in which every face of the layout is drawn as itself.

Pango asks fontconfig for the faces of the CSS stack, and fontconfig ranks a family above
a style: when the bold italic face lacks a character, the family's italic face sets it
before the next family in the stack is tried. fontconfig then marks that italic face for
synthetic emboldening and calls it bold (the system's ``90-synthetic.conf``), and WeasyPrint
(70), which keys the PDF fonts it writes by that description, takes it for the real bold
italic face: the italic's glyph numbers are drawn with the bold italic's outlines, and the
page shows wrong letters (an IPA ``ɮ`` printed as a Greek ``η``) while the text layer
reads right. WeasyPrint draws no synthetic bold or slant anyway, so the rules below give
each face of the layout back its own weight and slant, matched by PostScript name: the
fallback prints as the face it is (an upright or lighter letter among bold italic ones,
never a wrong one), and the glyph check (glyphs.Chain) counts on that order.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from xml.sax.saxutils import escape

from fontTools.ttLib import TTFont
from weasyprint.text.ffi import ffi, fontconfig, pangoft2
from weasyprint.text.fonts import FontConfiguration

from make_book.layouts.chain import FontFace, Layout
from make_book.render.weasy.reliance import Reliance, has, reads

FC_ROMAN, FC_ITALIC = 0, 100  # fontconfig's FC_SLANT_* values
# fontconfig's FcWeightFromOpenType table (fcweight.c): OpenType weight -> FC_WEIGHT
_WEIGHTS = ((0, 0), (100, 0), (200, 40), (300, 50), (350, 55), (380, 75), (400, 80),
            (500, 100), (600, 180), (700, 200), (800, 205), (900, 210), (1000, 215))


def fc_weight(weight: int) -> int:
    """fontconfig's weight for an OpenType (CSS) weight, interpolated as fontconfig does."""
    for (lo, flo), (hi, fhi) in zip(_WEIGHTS, _WEIGHTS[1:]):
        if lo <= weight <= hi:
            return round(flo + (fhi - flo) * (weight - lo) / (hi - lo))
    return _WEIGHTS[-1][1]


@lru_cache(maxsize=64)
def postscript_name(path: Path) -> str | None:
    font = TTFont(str(path), lazy=True, fontNumber=0)
    try:
        return font["name"].getDebugName(6)
    finally:
        font.close()


def _rule(face: FontFace) -> str:
    name = postscript_name(face.path)
    if not name:
        return ""
    weight = fc_weight(face.weight)
    slant = FC_ITALIC if face.style == "italic" else FC_ROMAN
    return (
        '<match target="font">'
        f'<test name="postscriptname"><string>{escape(name)}</string></test>'
        f'<edit name="weight" mode="assign"><int>{weight}</int></edit>'
        f'<edit name="slant" mode="assign"><int>{slant}</int></edit>'
        '<edit name="embolden" mode="assign"><bool>false</bool></edit>'
        '<edit name="matrix" mode="assign"><matrix><double>1</double><double>0</double>'
        '<double>0</double><double>1</double></matrix></edit>'
        '</match>')


def rules_xml(layout: Layout) -> bytes:
    """The fontconfig rules for the layout's faces (a configuration file's text)."""
    rules = "".join(_rule(face) for face in layout.fonts)
    return ('<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">'
            f"\n<fontconfig>{rules}</fontconfig>").encode("utf-8")


def font_configuration(layout: Layout) -> FontConfiguration:
    """A fresh FontConfiguration (one per document set, as WeasyPrint wants) that draws
    the layout's faces as themselves."""
    config = FontConfiguration()
    if layout.fonts:
        fontconfig.FcConfigParseAndLoadFromMemory(config._config, rules_xml(layout), True)
        pangoft2.pango_fc_font_map_config_changed(
            ffi.cast("PangoFcFontMap *", config.font_map))
    return config


__all__ = ["fc_weight", "font_configuration", "postscript_name", "rules_xml"]


RELIES_ON = (
    Reliance("FontConfiguration keeps its fontconfig configuration in `_config` and its Pango "
             "font map in `font_map`",
             lambda: reads(FontConfiguration.__init__, "self._config = ", "self.font_map = ")),
    Reliance("WeasyPrint's ffi binds FcConfigParseAndLoadFromMemory and "
             "pango_fc_font_map_config_changed",
             lambda: has(fontconfig, "FcConfigParseAndLoadFromMemory")
             and has(pangoft2, "pango_fc_font_map_config_changed")),
)
