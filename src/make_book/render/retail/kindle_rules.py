"""The Kindle Publishing Guidelines' rules a built EPUB can be checked against, each
violation a diagnostic: run on every Kindle EPUB a build makes, so one that Kindle's
converter would change or refuse is never published silently.

Codes: T001 no cover image declared as KDP expects; T002 the cover image is too small;
T003 an HTML cover page repeats the cover; T004 no NCX; T005 the landmarks' toc entry does
not point at the nav's toc; T006 script; T007 a font Kindle does not embed; T010 absolute
or fixed positioning; T011 a negative margin or padding; T012 a negative text-indent not
made up by a left padding or margin; T013 a negative line-height; T014 body text not left
at its defaults; T015 a selector Kindle does not support. Structural faults (T001-T007)
are errors; stylesheet faults (T01x), which the converter overrides, are warnings.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

from PIL import Image

from make_book.errors import Diagnostic, error, warning
from make_book.render.retail import css
from make_book.render.retail.kindle import (
    BODY_PROPERTIES,
    BODY_SELECTORS,
    UNSUPPORTED_PSEUDO,
)
from make_book.render.retail.package import NS, EpubPackage

# KDP Cover Image Guidelines: the minimum cover is 1,000 x 625 pixels (ideal 2,560 x 1,600)
COVER_MIN_LONG, COVER_MIN_SHORT = 1000, 625
FONT_TYPES = {"font/otf", "font/ttf", "application/vnd.ms-opentype", "application/font-sfnt",
              "application/x-font-ttf", "application/x-font-truetype"}
NEGATIVE = re.compile(r"(?<![\w-])-(?:\d|\.\d)")
LENGTH = re.compile(r"^(-?\d*\.?\d+)(em|rem|%|px|pt)?$")


def kindle_rules(data: bytes, where: Path) -> list[Diagnostic]:
    """The rule violations in the EPUB ``data``; ``where`` names it in the diagnostics
    (each found at ``where/<entry>:<line>``)."""
    epub = EpubPackage(data)
    found: list[Diagnostic] = []
    found += _cover(epub, where)
    found += _navigation(epub, where)
    found += _scripts(epub, where)
    found += _fonts(epub, where)
    for name in epub.stylesheets():
        if name in epub.entries:
            found += _stylesheet(epub.text(name), where / name)
    return found


def _cover(epub: EpubPackage, where: Path) -> list[Diagnostic]:
    opf = where / epub.opf_name
    by_property = epub.items_with("cover-image")
    meta = epub.opf.find("opf:metadata/opf:meta[@name='cover']", NS)
    by_meta = epub.item(meta.get("content")) if meta is not None else None
    if not by_property or by_meta is None or by_meta is not by_property[0]:
        return [error("T001", "the cover image is not declared both as the manifest item "
                      "with properties=\"cover-image\" and by <meta name=\"cover\">", opf,
                      hint="Kindle reads the EPUB 2 meta, EPUB 3 readers the property; "
                           "give the book a cover-image in book.yaml")]
    out = []
    name = epub.href(by_property[0].get("href"))
    try:
        with Image.open(io.BytesIO(epub.entries[name])) as image:
            long, short = max(image.size), min(image.size)
    except (KeyError, OSError):
        return [error("T002", "the cover image cannot be read", where / name)]
    if long < COVER_MIN_LONG or short < COVER_MIN_SHORT:
        out.append(error("T002", f"the cover image is {image.size[0]}x{image.size[1]} px; "
                         f"Kindle needs at least {COVER_MIN_LONG} px on the long side and "
                         f"{COVER_MIN_SHORT} on the short one", where / name,
                         hint="ideally 1600x2560 px; do not enlarge a small image"))
    for ref in epub.opf.findall("opf:spine/opf:itemref", NS):
        item = epub.item(ref.get("idref"))
        if item is None or item.get("media-type") != "application/xhtml+xml":
            continue
        doc = epub.href(item.get("href"))
        if epub.tree(doc).getroot().xpath("//x:body//*[@epub:type='cover'][not(ancestor::x:nav)]",
                                          namespaces=NS):
            out.append(error("T003", "an HTML cover page is in the spine: Kindle shows the "
                             "cover image already, so the cover appears twice", where / doc))
    return out


def _navigation(epub: EpubPackage, where: Path) -> list[Diagnostic]:
    out = []
    opf = where / epub.opf_name
    spine = epub.opf.find("opf:spine", NS)
    ncx = epub.item(spine.get("toc") or "") if spine is not None else None
    if ncx is None or ncx.get("media-type") != "application/x-dtbncx+xml" \
            or epub.href(ncx.get("href")) not in epub.entries:
        out.append(error("T004", "no NCX: Kindle builds its table of contents from the NCX "
                         "(spine toc attribute)", opf))
    nav = epub.nav_name()
    if nav is None:
        return [*out, error("T005", "no navigation document", opf)]
    root = epub.tree(nav).getroot()
    links = root.xpath("//x:nav[@epub:type='landmarks']//x:a[@epub:type='toc']/@href",
                       namespaces=NS)
    toc_ids = root.xpath("//x:nav[@epub:type='toc']/@id", namespaces=NS)
    nav_file = nav.rsplit("/", 1)[-1]
    if not links or not any(link.split("#")[0] in ("", nav_file) and "#" in link
                            and link.split("#", 1)[1] in toc_ids for link in links):
        out.append(error("T005", "the landmarks have no toc entry pointing at the nav "
                         "document's toc (nav.xhtml#toc), as Kindle requires",
                         where / nav))
    return out


def _scripts(epub: EpubPackage, where: Path) -> list[Diagnostic]:
    out = []
    for item in epub.manifest():
        if item.get("media-type") not in ("application/xhtml+xml", "image/svg+xml"):
            continue
        name = epub.href(item.get("href"))
        if name not in epub.entries:
            continue
        root = epub.tree(name).getroot()
        scripted = root.xpath("//*[local-name()='script'] | //@*[starts-with(name(), 'on')]"
                              " | //@href[starts-with(normalize-space(.), 'javascript:')]")
        if scripted or "scripted" in (item.get("properties") or "").split():
            line = getattr(scripted[0], "sourceline", None) if scripted else None
            out.append(error("T006", "script: Kindle does not run scripts and strips them "
                             "(KPG: Avoid Using Scripting)", where / name, line))
    return out


def _fonts(epub: EpubPackage, where: Path) -> list[Diagnostic]:
    return [error("T007", f"font {item.get('href')} is {item.get('media-type')}: Kindle "
                  "embeds OpenType (OTF) and TrueType (TTF) fonts only",
                  where / epub.href(item.get("href")))
            for item in epub.manifest()
            if (item.get("media-type") or "").startswith(("font/", "application/font",
                                                          "application/x-font",
                                                          "application/vnd.ms-opentype"))
            and item.get("media-type") not in FONT_TYPES]


def _stylesheet(text: str, path: Path) -> list[Diagnostic]:
    out = []
    for rule in css.style_rules(text):
        declared = {d.name: d for d in rule.declarations}
        for decl in rule.declarations:
            out += _declaration(rule, decl, declared, path)
        bad = [s for s in rule.selectors if UNSUPPORTED_PSEUDO.search(s)]
        if bad:
            out.append(warning("T015", f"selector {bad[0]} uses a pseudo-class Kindle "
                               "does not support; readers drop the whole rule", path,
                               rule.line))
        if rule.selectors and all(s in BODY_SELECTORS for s in rule.selectors):
            for decl in rule.declarations:
                sides = decl.name in ("margin", "padding") and _horizontal(decl.value)
                if decl.name in BODY_PROPERTIES or sides:
                    out.append(warning("T014", f"{', '.join(rule.selectors)} sets "
                                       f"{decl.name}: body text keeps the reader's font size, "
                                       "line height and side margins (KDP Body Text "
                                       "Defaults)", path, decl.line))
    return out


def _declaration(rule: css.Rule, decl: css.Decl, declared: dict[str, css.Decl],
                 path: Path) -> list[Diagnostic]:
    name, value = decl.name, decl.value.lower()
    if name == "position" and value.split()[0] in ("fixed", "absolute"):
        return [warning("T010", f"position: {value} in a reflowable book: Kindle pages the "
                        "text; the KPG positions boxes only in fixed-layout books", path,
                        decl.line)]
    if (name.startswith(("margin", "padding"))) and NEGATIVE.search(value):
        return [warning("T011", f"{name}: {decl.value} is negative: Kindle cuts off content "
                        "placed with negative values (KPG: Avoid Using Negative Values)",
                        path, decl.line)]
    if name == "text-indent" and NEGATIVE.search(value):
        indent = _length(value)
        rooms = [_left(declared[n]) for n in ("padding-left", "padding", "margin-left",
                                                "margin") if n in declared]
        if indent is None or not any(room is not None and room[1] == indent[1]
                                     and room[0] >= -indent[0] for room in rooms):
            return [warning("T012", f"text-indent: {decl.value} without as much left "
                            "padding: Kindle cuts the line's start off (KPG: Avoid Using "
                            "Negative Values)", path, decl.line)]
    if name == "line-height" and NEGATIVE.search(value):
        return [warning("T013", f"line-height: {decl.value}: Kindle does not support a "
                        "negative line height", path, decl.line)]
    return []


def _horizontal(value: str) -> bool:
    """Whether a margin/padding shorthand sets a left or right side other than zero."""
    values = value.split()
    sides = values[1:2] + values[3:4] if len(values) > 1 else values
    return any(v not in ("0", "0px", "0em", "auto") for v in sides)


def _left(decl: css.Decl) -> tuple[float, str] | None:
    """The left side a margin/padding declaration (longhand or shorthand) sets."""
    values = decl.value.split()
    if decl.name.endswith("-left") or len(values) == 1:
        return _length(values[0]) if values else None
    return _length(values[3] if len(values) == 4 else values[1])


def _length(value: str) -> tuple[float, str] | None:
    m = LENGTH.match(value.strip().split()[0]) if value.strip() else None
    return (float(m.group(1)), m.group(2) or "") if m else None
