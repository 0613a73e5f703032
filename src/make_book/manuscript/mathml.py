"""TeX math placeholders (``span.mb-math``, from :mod:`md_math`) -> MathML, after the
sanitizer: the MathML is ours, built by latex2mathml, so raw ``<math>`` from an author
stays refused while ``$x$`` works.

Each ``<math>`` keeps its TeX source as an ``annotation`` (as Pandoc's ``--mathml`` does):
screen readers and the print fallback (WeasyPrint has no MathML) read it from there.
"""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from make_book.errors import Diagnostics
from make_book.markup.md_math import MATH_CLASS

MATHML_NS = "http://www.w3.org/1998/Math/MathML"
TEX_ENCODING = "application/x-tex"
_M = f"{{{MATHML_NS}}}"


def tex_to_mathml(tex: str, display: str) -> etree._Element:
    """``<math display>`` with ``semantics``: the formula, then its TeX annotation.
    Raises on TeX that latex2mathml cannot read."""
    from latex2mathml.converter import convert  # 0.1 s to import: only for books with math

    math = etree.fromstring(convert(tex, display=display))
    semantics = etree.Element(_M + "semantics")
    children = list(math)
    if len(children) == 1:
        body = children[0]
    else:  # semantics holds one presentation element
        body = etree.Element(_M + "mrow")
        body.extend(children)
    semantics.append(body)
    annotation = etree.SubElement(semantics, _M + "annotation", encoding=TEX_ENCODING)
    annotation.text = tex
    math.append(semantics)
    return math


def tex_source(math: etree._Element) -> str:
    """The TeX a ``<math>`` element was made from ('' when it has no annotation)."""
    for el in math.iter(_M + "annotation"):
        if el.get("encoding") == TEX_ENCODING:
            return el.text or ""
    return ""


def render_math(section: etree._Element, path: Path, line_of,
                diagnostics: Diagnostics) -> int:
    """Replace every math placeholder under ``section``; return how many became MathML."""
    count = 0
    for span in list(section.iter("span")):
        if span.get("class") != MATH_CLASS:
            continue
        tex, display = span.text or "", span.get("data-display", "inline")
        try:
            math = tex_to_mathml(tex, display)
        except Exception as exc:  # noqa: BLE001 (latex2mathml raises many kinds)
            diagnostics.warning("C104", f"TeX math ${tex[:40]}$ cannot be converted to MathML "
                                f"({type(exc).__name__}); its TeX source is printed",
                                path, line_of(tex[:40]),
                                hint="check the formula; latex2mathml reads most LaTeX math")
            span.set("class", f"math {display}")
            del span.attrib["data-display"]
            continue
        math.tail = span.tail
        span.getparent().replace(span, math)
        count += 1
    return count
