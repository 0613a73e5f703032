"""SVG figures: parsed with safe settings, refused when hostile, published cleaned.

An SVG is a program as much as a picture: it can run scripts, load remote files, embed
HTML and, through its DOCTYPE, expand entities until memory runs out or read local files.
A book's figure needs none of that, so:

- the parser resolves no entity, loads no DTD, opens no network connection and keeps
  libxml2's limits (``huge_tree=False``: 256 levels of nesting, 10 MB per text node);
- a file is refused (errors, all found at once) when it has a script (``<script>``,
  ``javascript:`` or an animation of a link or handler), an ``on*`` event handler,
  ``<foreignObject>``, a reference to anything outside itself (``href``/``src``/CSS
  ``url()`` other than ``#id`` or a ``data:`` PNG/JPEG/GIF/WebP; CSS ``@import``), a
  DOCTYPE declaring entities, or more than the bounds below;
- what is published is written back from the parsed tree (cleaned): comments, processing
  instructions, the DOCTYPE and elements and attributes of other vocabularies (editor
  data such as Inkscape's) are dropped, so nothing the checks did not see can reach a
  reader or WeasyPrint. ``<metadata>`` (licence RDF) is kept as it is.

Bounds: :data:`MAX_BYTES` per file, :data:`MAX_ELEMENTS` elements,
:data:`MAX_DRAWN` elements drawn once every ``<use>`` is expanded (a "use bomb" is as
small as an entity bomb), :data:`MAX_INLINE_PIXELS` per embedded picture (read from its
header); a ``<use>`` that refers to itself is refused.

The size is the ``<svg>``'s ``width`` and ``height`` in absolute units, else its
``viewBox`` in user units (CSS pixels, as a browser takes them); a drawing with a size and
no viewBox is given one, so that it scales rather than crops. Its ``<title>`` is the
figure's alt text when the Markdown gives none.
"""

from __future__ import annotations

import base64
import binascii
import io
import re
import warnings
from urllib.parse import unquote, unquote_to_bytes

from lxml import etree
from PIL import Image as PILImage

from make_book.manuscript.prepared import Finding, Prepared, refused
from make_book.manuscript.tree import drop_keeping_tail

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
XML_NS = "http://www.w3.org/XML/1998/namespace"
KEPT_ATTRIBUTE_NS = {XLINK_NS, XML_NS}

MAX_BYTES = 5 * 1024 * 1024  # Standard Ebooks' largest figures are a few hundred KB
MAX_ELEMENTS = 50_000
MAX_DRAWN = 250_000
MAX_INLINE_PIXELS = 40_000_000  # a picture inside a drawing: a detail, not a poster

SCRIPT_ELEMENTS = {"script", "handler", "listener"}  # SVG Tiny's handler and listener run code
ANIMATIONS = {"set", "animate", "animateColor", "animateMotion", "animateTransform"}
LINK_ATTRIBUTES = {"href", "src"}
SAFE_DATA = re.compile(r"data:image/(png|jpeg|gif|webp)[;,]", re.I)
URL_FUNCTION = re.compile(r"url\(\s*(['\"]?)(.*?)\1\s*\)", re.I | re.S)
JAVASCRIPT = re.compile(r"^(javascript|vbscript):", re.I)
CONTROLS = re.compile(r"[\x00-\x20]+")  # browsers ignore them inside a scheme: "java\tscript:"
LENGTH = re.compile(r"^\s*([+]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)\s*(px|pt|pc|mm|cm|in|q)?\s*$",
                    re.I)
PX_PER_UNIT = {"": 1.0, "px": 1.0, "pt": 96 / 72, "pc": 16.0, "mm": 96 / 25.4,
               "cm": 96 / 2.54, "in": 96.0, "q": 96 / 101.6}


def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                           dtd_validation=False, huge_tree=False, remove_comments=True,
                           remove_pis=True, remove_blank_text=False)


def local(name: str) -> str:
    return name.rsplit("}", 1)[-1]


def _namespace(name: str) -> str | None:
    return name[1:].split("}", 1)[0] if name.startswith("{") else None


def read_svg(raw: bytes) -> Prepared:
    """An SVG's cleaned bytes, size and title, or the findings that refuse it."""
    if len(raw) > MAX_BYTES:
        return refused("A015", f"is {len(raw) / 1024 / 1024:.1f} MB, over the limit of "
                       f"{MAX_BYTES // 1024 // 1024} MB for an SVG",
                       "simplify the drawing or export it as PNG")
    if b"<!ENTITY" in raw:
        return refused("A014", "declares entities in its DOCTYPE (they can expand into "
                       "gigabytes or read other files)", "export it again without a DOCTYPE")
    try:
        root = etree.fromstring(raw, _parser())
    except etree.XMLSyntaxError as exc:
        return refused("A010", f"is not well-formed XML: {exc.msg}",
                       "export it again from the drawing program")
    dtd = root.getroottree().docinfo.internalDTD
    if dtd is not None and any(True for _ in dtd.iterentities()):
        return refused("A014", "declares entities in its DOCTYPE (they can expand into "
                       "gigabytes or read other files)", "export it again without a DOCTYPE")
    if root.tag != f"{{{SVG_NS}}}svg":
        what = (f"<{local(root.tag)}> without the SVG namespace" if local(root.tag) == "svg"
                else f"<{local(root.tag)}>")
        return refused("A017", f"is XML whose root element is {what}, not an SVG drawing",
                       f'an SVG starts <svg xmlns="{SVG_NS}">')
    elements = [el for el in root.iter() if isinstance(el.tag, str)]
    if any(isinstance(el, etree._Entity) for el in root.iter()):
        return refused("A014", "uses entities", "export it again without a DOCTYPE")
    if len(elements) > MAX_ELEMENTS:
        return refused("A015", f"has {len(elements):,} elements, over the limit of "
                       f"{MAX_ELEMENTS:,} for an SVG", "simplify the drawing or export it as PNG")
    findings = _hostile(elements)
    drawn = drawn_size(root)
    if drawn is None:
        findings.append(Finding("A015", "has a <use> that refers to itself (it never ends)"))
    elif drawn > MAX_DRAWN:
        findings.append(Finding("A015", f"draws over {MAX_DRAWN:,} elements once its <use> "
                                "references are expanded", "simplify the drawing"))
    size = intrinsic_size(root)
    if size is None:
        findings.append(Finding("A016", "has no size", "give its <svg> a viewBox, or a "
                                "width and a height in px, pt, mm, cm or in"))
    if findings:
        return Prepared(findings=tuple(findings))
    clean(root)
    width, height = size
    if _view_box(root.get("viewBox")) is None:
        # user units are CSS pixels: a reader that sizes the figure then scales the drawing
        # instead of cropping it
        root.set("viewBox", f"0 0 {width:g} {height:g}")
    data = etree.tostring(root, xml_declaration=True, encoding="utf-8")
    return Prepared(media_type="image/svg+xml", width=max(1, round(width)),
                    height=max(1, round(height)), data=data, vector=True, title=title(root))


# ----------------------------------------------------------------------------- checks

class _Tally:
    """First example and count per kind of problem: one finding each, not thousands."""

    def __init__(self):
        self.first: dict[str, str] = {}
        self.count: dict[str, int] = {}

    def add(self, kind: str, example: str) -> None:
        self.first.setdefault(kind, example)
        self.count[kind] = self.count.get(kind, 0) + 1

    def example(self, kind: str) -> str:
        more = self.count[kind] - 1
        return self.first[kind] + (f" and {more} more" if more else "")


def _external(value: str) -> bool:
    """A reference that leaves the drawing: anything but ``#id`` and an inline raster."""
    value = value.strip()
    return not (value.startswith("#") or SAFE_DATA.match(value))


def _inline_pixels(url: str) -> int | None:
    """Width x height of a ``data:`` picture from its header (a small PNG can declare
    billions of pixels that WeasyPrint would then decode), None when unreadable."""
    header, _, payload = url.partition(",")
    try:
        raw = (base64.b64decode(unquote(payload)) if header.lower().endswith(";base64")
               else unquote_to_bytes(payload))
        with warnings.catch_warnings():
            warnings.simplefilter("error", PILImage.DecompressionBombWarning)
            with PILImage.open(io.BytesIO(raw), formats=("PNG", "JPEG", "GIF", "WEBP")) as im:
                return im.width * im.height
    except (OSError, ValueError, SyntaxError, binascii.Error, PILImage.DecompressionBombError,
            PILImage.DecompressionBombWarning):
        return None


def _css_problems(css: str, where: str, tally: _Tally) -> None:
    if re.search(r"@import", css, re.I):
        tally.add("external", f"@import in {where}")
    if "\\" in css:  # escapes can spell url( or a scheme past any check
        tally.add("escape", where)
    for m in URL_FUNCTION.finditer(css):
        if _external(m.group(2)):
            tally.add("external", f"url({m.group(2).strip()[:80]}) in {where}")


def _hostile(elements: list[etree._Element]) -> list[Finding]:
    tally = _Tally()
    inside_metadata = _metadata_descendants(elements)
    for el in elements:
        name = local(el.tag)
        if name in SCRIPT_ELEMENTS:
            tally.add("script", f"<{name}>")
        if name.lower() == "foreignobject":
            tally.add("foreign", f"<{name}>")
        if name == "style" and el not in inside_metadata:
            _css_problems("".join(el.itertext()), "<style>", tally)
        if name in ANIMATIONS:
            target = local(el.get("attributeName", "")).rsplit(":", 1)[-1].strip().lower()
            if target in LINK_ATTRIBUTES or target.startswith("on"):
                tally.add("script", f"<{name} attributeName=\"{el.get('attributeName')}\">")
        for key, value in el.attrib.items():
            attr = local(key)
            bare = CONTROLS.sub("", value)
            if attr.lower().startswith("on"):
                tally.add("handler", f"{attr} on <{name}>")
            elif JAVASCRIPT.match(bare):
                tally.add("script", f"a {bare.split(':', 1)[0].lower()}: link in {attr} on "
                          f"<{name}>")
            elif attr in LINK_ATTRIBUTES and el not in inside_metadata and _external(value):
                tally.add("external", value.strip()[:80] or '""')
            elif attr in LINK_ATTRIBUTES and SAFE_DATA.match(value.strip()):
                pixels = _inline_pixels(value.strip())
                if pixels is None or pixels > MAX_INLINE_PIXELS:
                    tally.add("inline", f"<{name}>")
            elif attr == "style" or "url(" in value.lower():
                _css_problems(value, f"{attr} on <{name}>", tally)
    findings = []
    if "inline" in tally.first:
        findings.append(Finding("A015", f"embeds a picture that cannot be read or is over "
                                f"{MAX_INLINE_PIXELS:,} pixels ({tally.example('inline')})",
                                "embed a smaller picture, or use it as a figure of its own"))
    if "script" in tally.first:
        findings.append(Finding("A011", f"contains a script ({tally.example('script')})",
                                "export the drawing without scripts: a book runs no code"))
    if "handler" in tally.first:
        findings.append(Finding("A011", f"has event handlers ({tally.example('handler')})",
                                "export the drawing without interactivity"))
    if "external" in tally.first:
        findings.append(Finding("A012", f"refers to files outside itself "
                                f"({tally.example('external')})",
                                "embed the picture in the SVG or draw it: a figure loads "
                                "nothing else, not even from the book folder"))
    if "escape" in tally.first:
        findings.append(Finding("A012", f"has CSS escapes ({tally.example('escape')}), which "
                                "can hide a reference to another file",
                                "write the CSS without backslashes"))
    if "foreign" in tally.first:
        findings.append(Finding("A013", f"embeds HTML ({tally.example('foreign')})",
                                "turn its text into SVG <text>, or export the figure as PNG"))
    return findings


def _metadata_descendants(elements: list[etree._Element]) -> set[etree._Element]:
    out: set[etree._Element] = set()
    for el in elements:
        if el.tag == f"{{{SVG_NS}}}metadata":
            out.update(d for d in el.iterdescendants() if isinstance(d.tag, str))
    return out


def drawn_size(root: etree._Element) -> int | None:
    """How many elements the drawing renders with every ``<use>`` expanded (capped just
    over :data:`MAX_DRAWN`), or None when a ``<use>`` reaches itself."""
    ids: dict[str, etree._Element] = {}
    for el in root.iter():
        if isinstance(el.tag, str) and el.get("id"):
            ids.setdefault(el.get("id"), el)

    def target(el: etree._Element) -> etree._Element | None:
        if not isinstance(el.tag, str) or local(el.tag) != "use":
            return None
        href = (el.get(f"{{{XLINK_NS}}}href") or el.get("href") or "").strip()
        return ids.get(href[1:]) if href.startswith("#") else None

    memo: dict[etree._Element, int] = {}
    on_path: set[etree._Element] = set()
    stack: list[tuple[etree._Element, bool]] = [(root, False)]
    while stack:
        el, done = stack.pop()
        ref = target(el)
        children = [c for c in el if isinstance(c.tag, str)]
        if done:
            total = 1 + sum(memo[c] for c in children) + (memo[ref] if ref is not None else 0)
            memo[el] = min(total, MAX_DRAWN + 1)
            on_path.discard(el)
            continue
        if el in memo:
            continue
        if el in on_path:
            return None
        on_path.add(el)
        stack.append((el, True))
        for nxt in children + ([ref] if ref is not None else []):
            if nxt in on_path:
                return None
            if nxt not in memo:
                stack.append((nxt, False))
    return memo[root]


# ----------------------------------------------------------------------------- facts

def _length(value: str | None) -> float | None:
    if value is None:
        return None
    m = LENGTH.match(value)
    if m is None:
        return None  # %, em, ex, auto: no size of its own
    px = float(m.group(1)) * PX_PER_UNIT[(m.group(2) or "").lower()]
    return px if px > 0 else None


def _view_box(value: str | None) -> tuple[float, float] | None:
    if not value:
        return None
    try:
        numbers = [float(n) for n in re.split(r"[\s,]+", value.strip())]
    except ValueError:
        return None
    if len(numbers) != 4 or numbers[2] <= 0 or numbers[3] <= 0:
        return None
    return numbers[2], numbers[3]


def intrinsic_size(root: etree._Element) -> tuple[float, float] | None:
    """(width, height) in CSS pixels: the absolute width and height, one of them taken
    from the viewBox's proportions when missing, else the viewBox itself."""
    width, height = _length(root.get("width")), _length(root.get("height"))
    box = _view_box(root.get("viewBox"))
    if width and height:
        return width, height
    if box is None:
        return None
    if width:
        return width, width * box[1] / box[0]
    if height:
        return height * box[0] / box[1], height
    return box


def title(root: etree._Element) -> str | None:
    """The text of the drawing's own ``<title>`` (a child of the root), if any."""
    for child in root:
        if child.tag == f"{{{SVG_NS}}}title":
            text = " ".join("".join(child.itertext()).split())
            return text or None
    return None


# ----------------------------------------------------------------------------- cleaning

def clean(root: etree._Element) -> None:
    """Drop what is not SVG (editor data, stray HTML); ``<metadata>`` stays whole."""
    keep = _metadata_descendants([el for el in root.iter() if isinstance(el.tag, str)])
    for el in list(root.iter()):
        if el in keep or el is root or not isinstance(el.tag, str):
            continue
        if _namespace(el.tag) != SVG_NS:
            if el.getparent() is not None and _has_svg_ancestors(el):
                drop_keeping_tail(el)
            continue
        for key in list(el.attrib):
            ns = _namespace(key)
            if ns is not None and ns not in KEPT_ATTRIBUTE_NS:
                del el.attrib[key]
    for key in list(root.attrib):
        ns = _namespace(key)
        if ns is not None and ns not in KEPT_ATTRIBUTE_NS:
            del root.attrib[key]
    etree.cleanup_namespaces(root)


def _has_svg_ancestors(el: etree._Element) -> bool:
    parent = el.getparent()
    return parent is not None and _namespace(parent.tag) == SVG_NS
