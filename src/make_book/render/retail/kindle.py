"""The Kindle edition (``<slug>-kindle.epub``): the main EPUB as Kindle's converter (Send to
Kindle, KDP) takes it without changing it, by Amazon's Kindle Publishing Guidelines
(KPG; KDP's help pages "Text Guidelines - Reflowable" and "Cover Image Guidelines" carry
the same rules today).

What our EPUB already does as the guidelines ask stays as it is: the cover image declared
both ways (``properties="cover-image"`` and ``<meta name="cover">``), an NCX beside the
nav, the landmarks' toc entry pointing at ``nav.xhtml#toc``, OpenType fonts under the OFL
(embedding is allowed when licensed, KPG "Embedded Fonts"), pop-up notes as ``aside``
with ``epub:type`` noteref/footnote, the page-list (KDP "Enabling Real Page Numbers"), no
script. :mod:`kindle_rules` checks all of that on every Kindle EPUB built.
"""

from __future__ import annotations

import re

from make_book.render.retail import css
from make_book.render.retail.package import NS, EpubPackage

# Selectors Level 4 pseudo-classes, newer than the CSS Kindle Format 8 supports; a reading
# system that does not know one drops the whole rule
UNSUPPORTED_PSEUDO = re.compile(r":(?:has|is|where|matches)\(", re.IGNORECASE)
BODY_SELECTORS = {"html", "body", ":root"}
BODY_PROPERTIES = {"font-size", "line-height", "margin-left", "margin-right", "padding-left",
                   "padding-right"}


def kindle_body_text_defaults(epub: EpubPackage) -> None:
    """Take the font size, line height and left and right margin and padding off the
    ``html`` and ``body`` rules (their top and bottom margins stay).

    KDP, Text Guidelines - Reflowable, "Body Text Defaults": body text must use the default
    font size (1em) and line height, and must not have an imposed left/right margin or
    padding throughout the book; the reader's own settings decide them."""
    def edit(rule: css.Rule) -> str | None:
        if not rule.selectors or any(s not in BODY_SELECTORS for s in rule.selectors):
            return None
        kept = []
        for decl in rule.declarations:
            if decl.name in BODY_PROPERTIES:
                continue
            if decl.name in ("margin", "padding"):
                kept.extend(_vertical(decl))
                continue
            kept.append(decl)
        if len(kept) == len(rule.declarations) and all(
                a is b for a, b in zip(kept, rule.declarations, strict=True)):
            return None
        return css.rule_text(rule.selectors, kept) if kept else ""
    for name in epub.stylesheets():
        epub.set_text(name, css.rewrite(epub.text(name), edit))


def _vertical(decl: css.Decl) -> list[css.Decl]:
    """A ``margin``/``padding`` shorthand's top and bottom, without its left and right."""
    values = decl.value.split()
    if not 1 <= len(values) <= 4:
        return []
    top, bottom = values[0], values[2] if len(values) >= 3 else values[0]
    return [css.Decl(f"{decl.name}-{side}", value, decl.important, decl.line)
            for side, value in (("top", top), ("bottom", bottom))
            if value not in ("0", "0px", "0em", "auto")]


def kindle_supported_selectors(epub: EpubPackage) -> None:
    """Drop the selectors Kindle does not support (``:has()``, ``:is()``, ``:where()``)
    from the stylesheets, and a rule left with none.

    These are Selectors Level 4, newer than the CSS 2 and CSS 3 the KPG says Kindle Format
    8 supports (its appendix lists the selectors, attributes and properties). A reader
    that does not know a selector drops the whole rule (CSS error handling), so the rule
    is taken out here rather than left to chance."""
    def edit(rule: css.Rule) -> str | None:
        kept = [s for s in rule.selectors if not UNSUPPORTED_PSEUDO.search(s)]
        if len(kept) == len(rule.selectors):
            return None
        return css.rule_text(kept, rule.declarations) if kept else ""
    for name in epub.stylesheets():
        epub.set_text(name, css.rewrite(epub.text(name), edit))


def kindle_single_cover(epub: EpubPackage) -> None:
    """Take the HTML cover page out (spine, manifest, landmarks): the cover image declared
    in the package document is the book's cover.

    KPG "Do Not Include an HTML Front Cover": Kindle books should have only one visible
    cover, and HTML cover pages should be deleted to avoid a repetition of the cover
    image. The guideline stands in the fixed-layout chapter; KindleGen applies it to
    every book (its message I1052: Kindle supports cover images but not cover HTML, so it
    suppresses the cover page)."""
    opf = epub.opf
    for ref in list(opf.findall("opf:spine/opf:itemref", NS)):
        item = epub.item(ref.get("idref"))
        if item is None or not _is_cover_page(epub, epub.href(item.get("href"))):
            continue
        name = epub.href(item.get("href"))
        ref.getparent().remove(ref)
        item.getparent().remove(item)
        epub.remove(name)
        nav = epub.nav_name()
        if nav is not None:
            for a in epub.tree(nav).getroot().xpath(
                    "//x:nav[@epub:type='landmarks']//x:a[@epub:type='cover']", namespaces=NS):
                li = a.getparent()
                li.getparent().remove(li)


def _is_cover_page(epub: EpubPackage, name: str) -> bool:
    """A document that is a cover and shows nothing but an image."""
    root = epub.tree(name).getroot()
    body = root.find("x:body", NS)
    if body is None:
        return False
    covers = body.xpath(".//*[@epub:type='cover']", namespaces=NS)
    text = "".join(body.itertext()).strip()
    return bool(covers) and not text and len(body.xpath(".//x:img", namespaces=NS)) == 1


KINDLE_CHANGES = (kindle_body_text_defaults, kindle_supported_selectors, kindle_single_cover)
